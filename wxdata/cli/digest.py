"""``wxdata digest`` and ``wxdata alert``: the configured ``[[digest]]`` tables, sent.

Exit status: 0 every message was sent; 1 some were not (each named on stderr with what to fix);
2 bad arguments or configuration (a bad ``[[digest]]`` table names the digest and the key, and
nothing is sent).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from wxdata.cli.console import EXIT_FAILED, EXIT_OK, EXIT_USAGE, Console
from wxdata.config import Settings, load_settings
from wxdata.core.report import LoadResult
from wxdata.digest import alerts, run
from wxdata.digest.images import Renderer
from wxdata.sources.factory import make_source
from wxdata.store.sent import AlertState


def _out_dir(args: argparse.Namespace, console: Console) -> Path | None:
    if not args.dry_run:
        return None
    out = Path(args.output_dir or ".")
    if not out.is_dir():
        console.say("cli.write_failed", path=str(out), detail="not a directory")
        return None
    return out


def cmd_digest(args: argparse.Namespace, console: Console) -> int:
    settings = load_settings()
    chosen = run.select(settings, args.name)  # a bad table: ConfigError, exit 2, nothing sent
    out = _out_dir(args, console)
    if args.dry_run and out is None:
        return EXIT_USAGE
    lang = args.digest_lang
    source = make_source(settings)
    status = EXIT_OK
    try:
        for digest in chosen:  # every table is checked before the first message leaves
            run.digest_apps(digest, source.apps())
        with Renderer() as renderer:  # one kaleido server for the whole run
            for digest in chosen:
                report = run.run_digest(digest, settings, source, renderer, lang=lang,
                                        dry_run=args.dry_run, out_dir=out)
                status = max(status, _say(report, args.dry_run, console))
    finally:
        getattr(source, "close", lambda: None)()
    return status


def _say(report: run.Report, dry_run: bool, console: Console) -> int:
    if dry_run:
        console.line(report.preview, err=False)
        for path in report.pngs:
            console.say("cli.digest_png", err=False, path=str(path))
        return EXIT_OK
    for failure in report.failures:
        console.line(failure)
    if report.sent:
        console.say("cli.digest_sent", err=False, digest=report.digest, n=report.sent)
    return EXIT_FAILED if report.failures else EXIT_OK


def _state(settings: Settings) -> AlertState:
    return AlertState(settings.cache_url)


def cmd_alert(args: argparse.Namespace, console: Console) -> int:
    settings = load_settings()
    chosen = [d for d in run.select(settings, args.name) if d.alerts]
    if not chosen:
        return EXIT_OK
    source = make_source(settings)
    state = None if args.dry_run else _state(settings)
    status = EXIT_OK
    try:
        for digest in chosen:
            run.digest_apps(digest, source.apps())
        for digest in chosen:
            report = run.run_alerts(digest, settings, source, state, lang=args.digest_lang,
                                    dry_run=args.dry_run)
            if args.dry_run:
                if report.preview:
                    console.line(report.preview, err=False)
                continue
            for failure in report.failures:
                console.line(failure)
            console.say("cli.alert_done", err=False, digest=digest.name, sent=report.sent,
                        skipped=report.skipped)
            status = max(status, EXIT_FAILED if report.failures else EXIT_OK)
    finally:
        getattr(source, "close", lambda: None)()
    return status


def record_sync(settings: Settings, app_id: str, results: list[LoadResult]) -> None:
    """What the data rule reads: how this sync ended for the app (only when a digest asks for
    data alerts: the table is not made for nothing)."""
    if not any("data" in d.alerts for d in settings.digests):
        return
    outcomes = [alerts.outcome(result, app_id) for result in results]
    worst = next((o for o in outcomes if o[0] in ("quota", "credential")), None) or \
        next((o for o in outcomes if o[0] != "ok"), ("ok", None))
    _state(settings).record_run(app_id, *worst)


__all__ = ["cmd_alert", "cmd_digest", "record_sync"]
