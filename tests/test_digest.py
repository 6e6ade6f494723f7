"""The digest: its configuration, its messages within each channel's limits, and ``wxdata
digest`` sending them to the fake robots and to an SMTP server on loopback (real sockets).

The demo's two apps are the data. Building a digest fits a decay curve per app (seconds), so
the messages of one digest are built once per module (``demo_content``) where the test is about
sending; the command line runs end to end where the test is about the command.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import replace
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from tests.fake_webhooks import (
    BASE,
    CREDENTIALS,
    DINGTALK_SECRET,
    DINGTALK_TOKEN,
    FEISHU_SECRET,
    FEISHU_TOKEN,
    SMTP_PASSWORD,
    WECOM_KEY,
    digest_table,
)
from wxdata.cli import main
from wxdata.config import DigestConfig, load_settings
from wxdata.core.apps import AppInfo
from wxdata.core.goals import Goal
from wxdata.core.periods import Week
from wxdata.digest import channels, content, messages, run
from wxdata.sources.demo import DemoSource
from wxdata.testing.webhooks import FakeWebhooks


@pytest.fixture(scope="module")
def demo_loads() -> dict[str, Any]:
    source = DemoSource()
    return run.load(source, source.apps(), ["week"])


@pytest.fixture(scope="module")
def demo_content(demo_loads: dict[str, Any]) -> content.DigestContent:
    return content.build("fruit-weekly", DemoSource().apps(), demo_loads, "zh",
                         "https://wxretain.corp.cn")


def fast_sender(config: DigestConfig) -> channels.Sender:
    """The run's sender with a short backoff (the tests wait for nothing)."""
    return channels.sender(config, backoff=0.05)


def _config(channel: str, **values: Any) -> DigestConfig:
    return DigestConfig("fruit-weekly", channel, **values)  # type: ignore[arg-type]


# -- configuration ------------------------------------------------------------------------------


def test_a_digest_table_is_read_and_its_credentials_kept_out_of_repr(
        write_secrets: Callable[[str], Path]) -> None:
    write_secrets(BASE + digest_table("wecom", f"https://qyapi.weixin.qq.com/cgi-bin/webhook/"
                                               f"send?key={WECOM_KEY}",
                                      extra='apps = ["鲜果优选（示例）"]\n'
                                            'alerts = ["drop", "goal"]\n'
                                            'goals = { new_w1 = 0.25, new_d1 = 0.3 }\n'))
    settings = load_settings()
    assert settings.base_url == "https://wxretain.corp.cn"
    (digest,) = settings.digests
    assert (digest.name, digest.channel, digest.apps, digest.periods, digest.alerts) == \
        ("fruit-weekly", "wecom", ("鲜果优选（示例）",), ("week",), ("drop", "goal"))
    assert digest.goals == (Goal("new", "week", 1, 0.25), Goal("new", "day", 1, 0.3))
    assert WECOM_KEY not in repr(digest) and WECOM_KEY not in repr(settings)
    assert settings.digest_errors == ()


@pytest.mark.parametrize(("table", "key"), [
    ('channel = "slack"\n', "channel"),
    ('channel = "wecom"\nwebhook = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send"\n',
     "webhook"),
    ('channel = "wecom"\nwebook = "x"\n', "webook"),
    ('channel = "feishu"\nwebhook = "ftp://open.feishu.cn/open-apis/bot/v2/hook/abc12345"\n',
     "webhook"),
    ('channel = "email"\nsmtp_url = "smtps://u@smtp.corp.cn:465"\n', "to"),
    ('channel = "email"\nsmtp_url = "http://smtp.corp.cn"\nto = ["a@b.c"]\n', "smtp_url"),
    ('channel = "dingtalk"\nwebhook = "https://oapi.dingtalk.com/robot/send?access_token=t12345678"'
     '\nperiods = ["year"]\n', "periods"),
    ('channel = "dingtalk"\nwebhook = "https://oapi.dingtalk.com/robot/send?access_token=t12345678"'
     '\ngoals = { new_w1 = 25 }\n', "new_w1"),
    ('channel = "dingtalk"\nwebhook = "https://oapi.dingtalk.com/robot/send?access_token=t12345678"'
     '\nalerts = ["everything"]\n', "alerts"),
])
def test_a_bad_table_names_the_digest_and_the_key_and_nothing_is_sent(
        table: str, key: str, write_secrets: Callable[[str], Path], robots: FakeWebhooks,
        capsys: pytest.CaptureFixture[str]) -> None:
    good = digest_table("wecom", robots.wecom_url(WECOM_KEY), name="good-one")
    write_secrets(BASE + good + f'[[digest]]\nname = "broken"\n{table}')
    settings = load_settings()  # the dashboard still starts: the error is kept, not raised
    assert [d.name for d in settings.digests] == ["good-one"]
    assert main(["digest"]) == 2
    err = capsys.readouterr().err
    assert "broken" in err and key in err, err
    assert robots.requests["wecom"] == 0  # refuses to send anything, even the good digest
    assert main(["digest", "--name", "nope"]) == 2
    assert "good-one" in capsys.readouterr().err


def test_a_webhook_key_in_a_bad_table_is_still_a_secret(
        write_secrets: Callable[[str], Path], capsys: pytest.CaptureFixture[str]) -> None:
    write_secrets(digest_table("dingtalk", f"https://oapi.dingtalk.com/robot/sand?access_token="
                                           f"{DINGTALK_TOKEN}"))
    assert main(["digest", "--dry-run"]) == 2
    out, err = capsys.readouterr()
    assert "webhook" in err and DINGTALK_TOKEN not in out + err


# -- messages within their limits ---------------------------------------------------------------


def test_the_digest_speaks_of_every_demo_app_with_the_overview_figures(
        demo_content: content.DigestContent) -> None:
    names = [a.app.name for a in demo_content.apps]
    assert len(names) == 2
    (text, _), = messages.pack("## t", [messages.markdown_block(a, "zh")
                                        for a in demo_content.apps], 10_000)
    for app in demo_content.apps:
        (part,) = app.parts
        assert part.kind == "week" and part.cohort == Week.last_ended().label
        assert [c.name for c in part.cells] == ["最新一周新用户", "W1留存", "W4留存",
                                                "第 12 周留存(预测)"]
        assert all(s in text for s in part.sentences) and part.sentences
        assert part.link == f"https://wxretain.corp.cn/?app={app.app.appid}&weeks=26&lang=zh"
        assert re.search(r"\d+\.\d%", part.cells[1].value)


def test_markdown_never_exceeds_its_byte_limit_with_long_chinese_names(
        demo_loads: dict[str, Any], robots: FakeWebhooks) -> None:
    demo = DemoSource().apps()
    long = [AppInfo("超长的中文小程序名称" * 200 + str(i), app.appid)
            for i, app in enumerate(demo)] + [AppInfo("鲜" * 1365 + "x", demo[0].appid)]
    made = content.build("long", long, demo_loads, "zh", "https://wxretain.corp.cn")
    bodies = messages.wecom(made, [])
    texts = [b["markdown"]["content"] for b in bodies]
    assert len(texts) >= 3  # split, not dropped
    for text in texts:
        raw = text.encode("utf-8")
        assert len(raw) <= messages.WECOM_MARKDOWN_BYTES
        assert raw.decode("utf-8") == text and "\ufffd" not in text  # never cut mid-character
    sender = fast_sender(_config("wecom", webhook=robots.wecom_url(WECOM_KEY)))
    for body in bodies:
        sender.send(body)
    assert len(robots.of("wecom")) == len(bodies) and not robots.refused


def test_a_feishu_card_stays_within_20_kb(demo_loads: dict[str, Any]) -> None:
    demo = DemoSource().apps()
    many = [AppInfo(f"应用{i}" * 40, demo[i % 2].appid) for i in range(60)]
    made = content.build("many", many, demo_loads, "zh", "https://wxretain.corp.cn")
    cards = messages.feishu(made)
    assert len(cards) > 1
    for card in cards:
        body = {"timestamp": "1764600000", "sign": "x" * 44, **card}
        assert len(json.dumps(body, ensure_ascii=False).encode()) <= 20 * 1024


def test_shorten_cuts_on_a_character_boundary() -> None:
    for limit in range(0, 40):
        cut = messages.shorten("鲜果优选🍎" * 5, limit)
        assert len(cut.encode()) <= max(limit, 0) or cut == messages.ELLIPSIS
        cut.encode("utf-8").decode("utf-8")


# -- every channel, over real sockets -----------------------------------------------------------


def test_wecom_gets_the_markdown_and_each_apps_png_end_to_end(
        write_secrets: Callable[[str], Path], robots: FakeWebhooks,
        capsys: pytest.CaptureFixture[str]) -> None:
    write_secrets(BASE + digest_table("wecom", robots.wecom_url(WECOM_KEY)))
    assert main(["--lang", "zh", "digest"]) == 0
    out, err = capsys.readouterr()
    got = robots.of("wecom")
    kinds = [r.msgtype for r in got]
    assert kinds == ["markdown", "image", "image"], (kinds, err)
    text = got[0].text
    for app in DemoSource().apps():
        assert app.name in text
    assert "W1留存" in text and "https://wxretain.corp.cn/?app=" in text
    for image in got[1:]:
        raw = base64.b64decode(image.body["image"]["base64"])
        assert raw[:8] == b"\x89PNG\r\n\x1a\n"
        assert hashlib.md5(raw).hexdigest() == image.body["image"]["md5"]
    assert "fruit-weekly" in out and "3" in out
    assert not any(c in out + err for c in CREDENTIALS)


def test_feishu_gets_a_signed_card_with_the_link(
        demo_content: content.DigestContent, robots: FakeWebhooks) -> None:
    config = _config("feishu", webhook=robots.feishu_url(FEISHU_TOKEN), secret=FEISHU_SECRET)
    report = run.Report(config.name)
    run.deliver(config, run.bodies(config, demo_content, []), report, fast_sender, "zh")
    assert report.failures == [] and report.sent == 1
    (card,) = robots.of("feishu")
    assert card.msgtype == "interactive" and "sign" in card.body
    buttons = [a["url"] for e in card.body["card"]["elements"] for a in e.get("actions", [])]
    assert buttons and all(u.startswith("https://wxretain.corp.cn/?app=") for u in buttons)
    for app in demo_content.apps:
        assert app.app.name in card.text


def test_feishu_with_a_wrong_secret_is_refused_and_says_what_to_fix(
        demo_content: content.DigestContent, robots: FakeWebhooks) -> None:
    config = _config("feishu", webhook=robots.feishu_url(FEISHU_TOKEN), secret="wrong-secret!")
    report = run.Report(config.name)
    run.deliver(config, run.bodies(config, demo_content, []), report, fast_sender, "en")
    (failure,) = report.failures
    assert "19021" in failure and "signing secret" in failure and "fruit-weekly" in failure
    assert robots.requests["feishu"] == 1 and not robots.of("feishu")  # never retried


def test_dingtalk_gets_signed_markdown(demo_content: content.DigestContent,
                                       robots: FakeWebhooks) -> None:
    config = _config("dingtalk", webhook=robots.dingtalk_url(DINGTALK_TOKEN),
                     secret=DINGTALK_SECRET)
    report = run.Report(config.name)
    run.deliver(config, run.bodies(config, demo_content, []), report, fast_sender, "zh")
    assert report.failures == [] and report.sent == 1
    (message,) = robots.of("dingtalk")
    assert message.body["markdown"]["title"].startswith("wxretain")
    for app in demo_content.apps:
        assert app.app.name in message.text


def test_email_is_plain_text_and_html_with_the_pngs_inline(
        demo_content: content.DigestContent, smtp: Any) -> None:
    config = _config("email", smtp_url=f"smtp+plain://wx@127.0.0.1:{smtp.port}",
                     smtp_password=SMTP_PASSWORD, to=("pm@corp.cn", "lead@corp.cn"),
                     sender="wxretain@corp.cn")
    pngs = [b"\x89PNG\r\n\x1a\n" + bytes([i]) * 64 for i in range(len(demo_content.apps))]
    report = run.Report(config.name)
    run.deliver(config, run.bodies(config, demo_content, pngs), report, fast_sender, "zh")
    assert report.failures == [] and report.sent == 1
    (mail,) = smtp.handler.messages
    assert smtp.handler.envelopes == [("wxretain@corp.cn", ["pm@corp.cn", "lead@corp.cn"])]
    subject = str(mail["Subject"])
    assert Week.last_ended().label in subject
    assert all(a.app.name in subject for a in demo_content.apps)
    plain, html = mail.get_body(("plain",)), mail.get_body(("html",))
    assert plain is not None and html is not None
    assert "W1留存" in plain.get_content() and "<table" in html.get_content()
    images = [p for p in mail.walk() if p.get_content_type() == "image/png"]
    assert [p.get_content() for p in images] == pngs  # type: ignore[attr-defined]
    for image in images:
        cid = str(image["Content-ID"]).strip("<>")
        assert f"cid:{cid}" in html.get_content()


def test_a_wrong_smtp_password_is_named_and_kept_secret(
        demo_content: content.DigestContent, smtp: Any) -> None:
    config = _config("email", smtp_url=f"smtp+plain://wx@127.0.0.1:{smtp.port}",
                     smtp_password="not-the-password", to=("pm@corp.cn",),
                     sender="wxretain@corp.cn")
    report = run.Report(config.name)
    run.deliver(config, run.bodies(config, demo_content, []), report, fast_sender, "en")
    (failure,) = report.failures
    assert "WXDATA_SMTP_PASSWORD" in failure and "not-the-password" not in failure
    assert smtp.handler.messages == []


# -- failures -----------------------------------------------------------------------------------


def test_a_5xx_then_success_sends_once(demo_content: content.DigestContent,
                                       robots: FakeWebhooks) -> None:
    config = _config("wecom", webhook=robots.wecom_url(WECOM_KEY))
    bodies = run.bodies(config, demo_content, [])
    robots.fail("wecom", 502, 503)
    report = run.Report(config.name)
    run.deliver(config, bodies, report, fast_sender, "zh")
    assert report.failures == [] and report.sent == len(bodies) == 1
    assert len(robots.of("wecom")) == 1 and robots.requests["wecom"] == 3


def test_a_lost_answer_is_not_sent_again(demo_content: content.DigestContent,
                                         robots: FakeWebhooks,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(channels, "TIMEOUT", (2.0, 0.5))  # the robot hangs 3 s
    config = _config("wecom", webhook=robots.wecom_url(WECOM_KEY))
    robots.fail("wecom", "hang")
    report = run.Report(config.name)
    run.deliver(config, run.bodies(config, demo_content, []), report, fast_sender, "en")
    (failure,) = report.failures
    assert "may have arrived" in failure and robots.requests["wecom"] == 1


def test_a_rate_limit_answer_is_waited_out_and_each_message_arrives_once(
        demo_content: content.DigestContent, robots: FakeWebhooks,
        monkeypatch: pytest.MonkeyPatch) -> None:
    robots.rates["wecom"] = (2, 0.5)
    monkeypatch.setitem(channels.RATES, "wecom", (100, 0.5))  # lets the robot say "too fast"
    config = _config("wecom", webhook=robots.wecom_url(WECOM_KEY))
    sender = fast_sender(config)
    body = run.bodies(config, demo_content, [])[0]
    for _ in range(5):
        sender.send(body)
    assert len(robots.of("wecom")) == 5
    assert ("wecom", 45009) in robots.refused and sender.limit.waited > 0


def test_the_own_rate_limit_spaces_messages_before_the_robot_refuses() -> None:
    slept: list[float] = []
    now = [0.0]

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    limit = channels.RateLimit(20, 60.0, sleep=sleep, clock=lambda: now[0])
    for _ in range(45):
        limit.wait()
    assert len(slept) == 2 and all(s == pytest.approx(60.0) for s in slept)


def test_a_bad_key_exits_1_naming_the_digest_and_what_to_fix(
        write_secrets: Callable[[str], Path], robots: FakeWebhooks,
        capsys: pytest.CaptureFixture[str]) -> None:
    write_secrets(BASE + digest_table("wecom", robots.wecom_url("wecom-key-removed-robot"),
                                      name="ops-weekly")
                  + digest_table("dingtalk", robots.dingtalk_url(DINGTALK_TOKEN),
                                 name="ding-weekly", extra=f'secret = "{DINGTALK_SECRET}"\n'))
    assert main(["digest"]) == 1
    out, err = capsys.readouterr()
    assert "ops-weekly" in err and "93000" in err and "secrets.toml" in err
    assert "ding-weekly" in out and len(robots.of("dingtalk")) == 1  # the other one still went
    assert "wecom-key-removed-robot" not in out + err
    assert not any(c in out + err for c in CREDENTIALS)


def test_dry_run_prints_the_messages_writes_the_pngs_and_sends_nothing(
        write_secrets: Callable[[str], Path], robots: FakeWebhooks, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    write_secrets(BASE + digest_table("wecom", robots.wecom_url(WECOM_KEY)))
    assert main(["digest", "--dry-run", "--lang", "en", "--output-dir", str(tmp_path)]) == 0
    out, err = capsys.readouterr()
    assert robots.requests["wecom"] == 0
    assert "W1 retention" in out and "[image " in out
    pngs = sorted(tmp_path.glob("wxretain-digest-fruit-weekly-*.png"))
    assert len(pngs) == 2 and all(p.read_bytes()[:4] == b"\x89PNG" for p in pngs)
    assert all(str(p) in out for p in pngs)
    assert WECOM_KEY not in out + err


def test_no_credential_in_any_output(write_secrets: Callable[[str], Path], robots: FakeWebhooks,
                                     smtp: Any, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str],
                                     caplog: pytest.LogCaptureFixture,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Refusals that echo the key, retries that log, a wrong password, a dry run: scanned."""
    caplog.set_level("DEBUG")
    monkeypatch.setenv("WXDATA_SMTP_PASSWORD", SMTP_PASSWORD)
    write_secrets(
        BASE
        + digest_table("wecom", robots.wecom_url(WECOM_KEY), name="a")
        + digest_table("feishu", robots.feishu_url(FEISHU_TOKEN), name="b",
                       extra=f'secret = "{FEISHU_SECRET}"\n')
        + digest_table("dingtalk", robots.dingtalk_url(DINGTALK_TOKEN), name="c",
                       extra=f'secret = "{DINGTALK_SECRET}"\n')
        + f'[[digest]]\nname = "d"\nchannel = "email"\nperiods = ["week"]\n'
          f'smtp_url = "smtp+plain://wx@127.0.0.1:{smtp.port}"\nto = ["pm@corp.cn"]\n')
    robots.fail("wecom", 500, "errcode:93000")
    robots.fail("feishu", 503)
    robots.fail("dingtalk", "errcode:310000")
    seen = []
    for argv in (["-v", "digest"], ["-v", "digest", "--dry-run", "--output-dir", str(tmp_path)]):
        main(argv)
        out, err = capsys.readouterr()
        seen += [out, err]
    seen += [r.getMessage() for r in caplog.records]
    text = "\n".join(seen)
    assert "93000" in text and "310000" in text  # the failures were met and said
    for credential in CREDENTIALS:
        assert credential not in text, credential
    assert len(smtp.handler.messages) == 1 and len(robots.of("feishu")) == 1


def test_the_data_page_preview_is_the_message_that_is_sent(
        demo_content: content.DigestContent) -> None:
    config = _config("wecom", webhook="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k")
    shown = run.show(config, run.bodies(config, demo_content, []))
    assert demo_content.apps[0].app.name in shown and "W1留存" in shown
    assert isinstance(run.bodies(replace(config, channel="email", to=("a@b.c",),
                                         sender="x@y.z"), demo_content, [])[0], EmailMessage)


def _mail_over_tls(demo_content: content.DigestContent, folder: Path,
                   monkeypatch: pytest.MonkeyPatch, scheme: str, tls_as: str, *,
                   trusted: bool = True, **server: Any) -> tuple[run.Report, Any]:
    """The digest mailed as ``wx`` with :data:`SMTP_PASSWORD` over ``scheme`` to an aiosmtpd
    server on loopback with a fresh self-signed certificate (given as its ``tls_as`` option:
    ``tls_context`` for STARTTLS, ``ssl_context`` for implicit TLS; ``server``: other options),
    trusted by this process as an operator's CA would be (SSL_CERT_FILE) or not at all."""
    from aiosmtpd.controller import Controller

    from tests.fake_webhooks import Mailbox, _free_port, authenticate, self_signed

    tls, cert = self_signed(folder)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert if trusted else folder / "no-such-bundle.pem"))
    if not trusted:
        monkeypatch.setenv("SSL_CERT_DIR", str(folder / "no-such-folder"))
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=_free_port(),
                            authenticator=authenticate, **{tls_as: tls}, **server)
    controller.start()
    try:
        config = _config("email", smtp_url=f"{scheme}://wx@127.0.0.1:{controller.port}",
                         smtp_password=SMTP_PASSWORD, to=("pm@corp.cn",),
                         sender="wxretain@corp.cn")
        report = run.Report(config.name)
        run.deliver(config, run.bodies(config, demo_content, []), report, fast_sender, "en")
    finally:
        controller.stop()
    return report, box


def test_email_over_starttls_with_login(demo_content: content.DigestContent, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """``smtp://`` requires STARTTLS, verified against the system's trust store, and logs in
    only over it."""
    report, box = _mail_over_tls(demo_content, tmp_path, monkeypatch, "smtp",
                                 "tls_context", require_starttls=True)
    assert report.failures == [] and len(box.messages) == 1
    assert box.messages[0].get_body(("html",)) is not None


@pytest.mark.parametrize("trusted", [True, False])
def test_email_over_implicit_tls_smtps(demo_content: content.DigestContent, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch, trusted: bool) -> None:
    """``smtps://`` speaks TLS from the first byte (port 465) and logs in over it; a
    certificate the machine does not trust stops it before anything is sent, in words that
    keep the password out."""
    report, box = _mail_over_tls(demo_content, tmp_path, monkeypatch, "smtps",
                                 "ssl_context", trusted=trusted, auth_require_tls=False)
    if trusted:
        assert report.failures == [] and report.sent == 1 and len(box.messages) == 1
        assert box.envelopes == [("wxretain@corp.cn", ["pm@corp.cn"])]
    else:
        (failure,) = report.failures
        assert box.messages == [] and report.sent == 0
        assert "SSL_CERT_FILE" in failure and "127.0.0.1" in failure, failure
        assert SMTP_PASSWORD not in failure
