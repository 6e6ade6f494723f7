"""A digest of 20 apps: the time of its PNGs beside the time of its messages, with one kaleido
server for the run against a browser per image. Prints ratios (the machines are shared).

The 20 apps are the demo's two, ten times over under other ids (the same figures: what is
measured is the work per app). "messages" is everything but the pictures: the figures and words
of every app (the KPI tests, the bands, one decay fit per app), the WeCom markdown, and sending
it and the 20 images to the fake robot on loopback (its rate limit lifted: a real robot takes
20 a minute, which adds a minute per 20 messages whatever the code does).

    python benchmarks/bench_digest.py [--apps 20] [--per-image-apps 20]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

import pandas as pd

from wxdata.config import DigestConfig
from wxdata.core.apps import AppInfo
from wxdata.core.report import LoadResult
from wxdata.digest import channels, content, images, messages, run
from wxdata.sources.demo import DemoSource
from wxdata.testing.webhooks import FakeWebhooks

KEY = "bench-wecom-key-0000"


def many_apps(n: int) -> tuple[list[AppInfo], dict[str, LoadResult]]:
    source = DemoSource()
    demo = source.apps()
    weeks = run.load(source, demo, ["week"])["week"].frame
    apps, frames = [], []
    for i in range(n):
        base = demo[i % len(demo)]
        appid = f"wxbench{i:010d}"
        apps.append(AppInfo(f"{base.name} #{i + 1}", appid))
        frames.append(weeks[weeks["app_id"] == base.appid].assign(app_id=appid))
    frame = pd.concat(frames, ignore_index=True)
    frame["app_id"] = frame["app_id"].astype(weeks["app_id"].dtype)
    return apps, {"week": LoadResult(frame)}


def timed(step: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = step()
    return time.perf_counter() - start, result


def pngs(made: content.DigestContent, renderer: images.Renderer,
         apps: int) -> list[bytes]:
    frame = made.frames["week"]
    with renderer:
        return [renderer.png(images.figures(frame, a.app.appid, a.app.name, "week", "zh"))
                for a in made.apps[:apps]]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--apps", type=int, default=20)
    parser.add_argument("--per-image-apps", type=int, default=20,
                        help="apps drawn with a browser per image (the slow baseline)")
    args = parser.parse_args()
    apps, loads = many_apps(args.apps)
    build_s, made = timed(lambda: content.build("bench", apps, loads, "zh",
                                                "https://wxretain.example.cn"))
    shared = images.Renderer(shared=True)
    shared_s, drawn = timed(lambda: pngs(made, shared, args.apps))
    single = images.Renderer(shared=False)
    single_s, _ = timed(lambda: pngs(made, single, args.per_image_apps))
    single_s *= args.apps / max(args.per_image_apps, 1)
    with FakeWebhooks({"wecom": {KEY: ""}}, rates={"wecom": (10_000, 60.0)}) as robot:
        config = DigestConfig("bench", "wecom", webhook=robot.wecom_url(KEY))
        bodies = messages.wecom(made, drawn)
        limits = {config.webhook: channels.RateLimit(10_000, 60.0)}
        sender = channels.sender(config, limits=limits)
        send_s, _ = timed(lambda: [sender.send(b) for b in bodies])
        received = len(robot.of("wecom"))
    message_s = build_s + send_s
    rows = [
        ("messages: figures and words of every app", build_s),
        ("messages: WeCom markdown + images sent (loopback)", send_s),
        ("messages, in all (baseline)", message_s),
        ("PNGs, one kaleido server for the run", shared_s),
        ("PNGs, a browser per image" + ("" if args.per_image_apps == args.apps else
                                         f" ({args.per_image_apps} apps, scaled)"), single_s),
    ]
    print(f"{args.apps} apps, {len(bodies)} WeCom messages ({received} received), "
          f"{shared.images} images drawn on the server, {single.images} one by one")
    print("| step | s | ratio to messages |")
    print("|---|---:|---:|")
    for name, seconds in rows:
        print(f"| {name} | {seconds:.2f} | {seconds / message_s:.2f} |")
    print(f"\none kaleido server / a browser per image: {shared_s / single_s:.2f} "
          f"({single_s / shared_s:.1f}× faster)")
    print(f"per app: messages {message_s / args.apps:.2f} s, PNG {shared_s / args.apps:.2f} s "
          f"(server) / {single_s / args.apps:.2f} s (a browser each)")


if __name__ == "__main__":
    main()
