"""End to end: neither the AppSecret nor any access token leaves the process.

A distinctive secret is configured the way an operator would (secrets.toml), the CLI runs
exports and a sync against the fake WeChat with faults switched on (a wrong secret, a caller IP
off the whitelist, HTML 502s, timeouts, tokens dying mid-run), and then everything it left behind
is scanned: stdout, stderr, every log record down to DEBUG (urllib3's request lines included),
the cache file and its WAL, and the exported files.
"""

from __future__ import annotations

import logging
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from tests.fixtures_fake import SHORT_TIMEOUT, SLOW_ANSWER_S
from wxdata.cli import main
from wxdata.core.periods import last_n_weeks
from wxdata.testing.fake import FAKE_APPID, FakeWeChat

REPO = Path(__file__).resolve().parent.parent
SECRET = f"S3cr3t-wxretain-scan-{secrets.token_hex(8)}"
WEEKS = last_n_weeks(6)
SPAN = ["--from", WEEKS[0].start.isoformat(), "--to", WEEKS[-1].end.isoformat()]


@pytest.fixture
def fake() -> Iterator[FakeWeChat]:
    # a scripted slow answer lasts until the fake stops: the client's deadline ends it, never a
    # race between the two on a loaded machine
    with FakeWeChat(apps={FAKE_APPID: SECRET}, slow_seconds=SLOW_ANSWER_S) as server:
        yield server


@pytest.fixture
def configured(fake: FakeWeChat, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache = tmp_path / "cache" / "wx.sqlite3"
    secrets_file = tmp_path / "secrets.toml"
    secrets_file.write_text(
        "[wxdata]\n"
        f'api_base = "{fake.url}"\n'
        f'cache_url = "sqlite:///{cache}"\n'
        f"timeout = {SHORT_TIMEOUT}\n"  # a timeout is scripted; ordinary answers come at once
        "refresh_hours = 0\n"  # every run asks again for provisional weeks: more traffic to scan
        "[[wxdata.apps]]\n"
        'name = "扫描"\n'
        f'appid = "{FAKE_APPID}"\n'
        f'secret = "{SECRET}"\n', encoding="utf-8")
    monkeypatch.delenv("WXDATA_CACHE_URL")
    monkeypatch.setenv("WXDATA_SECRETS_FILE", str(secrets_file))
    return cache.parent


def _xlsx_text(path: Path) -> str:
    book = openpyxl.load_workbook(path)
    return "\n".join(str(cell.value) for sheet in book for row in sheet.iter_rows()
                     for cell in row)


def test_no_secret_or_token_anywhere(fake: FakeWeChat, configured: Path, tmp_path: Path,
                                     capsysbinary: pytest.CaptureFixture[bytes],
                                     caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    seen: list[bytes] = []
    codes: list[int] = []

    def cli(*argv: str) -> None:
        codes.append(main(["-v", *argv]))
        out, err = capsysbinary.readouterr()
        seen.extend((out, err))

    fake.fail(40125, on="token", times=1)          # the secret refused once
    cli("export", *SPAN)
    fake.fail(40164, on="token", times=1)          # the caller IP off the whitelist
    cli("export", *SPAN)
    fake.fail("leak", on="token", times=1)         # WeChat's errmsg echoing the secret ...
    cli("export", *SPAN)
    fake.fail("leak", week=WEEKS[5], times=1)      # ... and the token in a weekly answer
    cli("export", *SPAN, "--refresh")
    fake.fail("502", week=WEEKS[1], times=2)
    fake.fail("timeout", week=WEEKS[2], times=1)
    fake.fail("notjson", week=WEEKS[3], times=1)
    cli("export", *SPAN, "--refresh", "-o", str(tmp_path / "a.csv"))
    fake.expire_tokens()                           # every token dies: 42001, then a new one
    fake.fail(40001, week=WEEKS[4], times=1)
    cli("sync", "--weeks", "6")
    cli("export", *SPAN, "--refresh", "-o", str(tmp_path / "a.json"))
    cli("export", *SPAN, "-o", str(tmp_path / "a.xlsx"))
    cli("cache", "info")

    # (the fourth run may serve its refused week from the cache: exit 0 or 1)
    assert codes[:3] == [1, 1, 1] and codes[4:] == [0, 0, 0, 0, 0], (codes, seen)
    assert fake.calls["stable_token"] >= 3 and len(fake.issued_tokens()) >= 2
    seen.append(caplog.text.encode())
    seen.extend(f.read_bytes() for f in configured.iterdir())  # the cache file, WAL, shm
    seen.extend((tmp_path / name).read_bytes() for name in ("a.csv", "a.json"))
    seen.append(_xlsx_text(tmp_path / "a.xlsx").encode())
    assert any(b"40125" in chunk for chunk in seen)  # the errors were reported ...
    assert any(b"203.0.113.7" in chunk for chunk in seen)  # ... with the IP to whitelist
    assert any(b"40097" in chunk and b"invalid args: token *** of" in chunk for chunk in seen)
    _assert_clean(seen, fake)


def test_no_secret_or_token_from_a_separate_process(fake: FakeWeChat, configured: Path) -> None:
    fake.fail(40125, on="token", times=1)
    fake.fail("502", week=WEEKS[0], times=1)
    fake.fail("leak", week=WEEKS[1], times=1)
    seen: list[bytes] = []
    for argv in (["export", *SPAN], ["export", *SPAN], ["sync", "--weeks", "3"]):
        done = subprocess.run([sys.executable, "-m", "wxdata.cli", "-v", *argv], cwd=REPO,
                              capture_output=True, timeout=120, env=dict(os.environ))
        seen.extend((done.stdout, done.stderr))
    assert any(b"40125" in chunk for chunk in seen)
    assert any(b"invalid args: token *** of" in chunk for chunk in seen)
    seen.extend(f.read_bytes() for f in configured.iterdir())
    _assert_clean(seen, fake)


def _assert_clean(seen: list[bytes], fake: FakeWeChat) -> None:
    tokens = fake.issued_tokens()
    assert tokens, "the fake issued tokens, so the scan below means something"
    for chunk in seen:
        assert SECRET.encode() not in chunk
        for token in tokens:
            assert token.encode() not in chunk
