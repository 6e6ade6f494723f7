"""The ``wxdata`` command in the test's own process (test_cli.py, test_cli_periods.py).

- ``live``: the CLI configured by environment (as cron would) for the fake's mini program;
  ``configure(fake, monkeypatch)`` does the same for a fake of the test's own.
- ``run(capsysbinary, *argv)``: ``wxdata argv`` -> (exit code, stdout bytes, stderr text).
- ``rows(csv_bytes)``: an export's CSV as one dict per row.
"""

from __future__ import annotations

import csv
import io

import pytest

from tests.fixtures_fake import TEST_TIMEOUT
from wxdata.cli import main
from wxdata.present.export import CSV_ENCODING
from wxdata.testing.fake import FAKE_APPID, FAKE_SECRET, FakeWeChat


@pytest.fixture
def live(fake_wechat: FakeWeChat, monkeypatch: pytest.MonkeyPatch) -> FakeWeChat:
    configure(fake_wechat, monkeypatch)
    return fake_wechat


def configure(fake: FakeWeChat, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WXDATA_API_BASE", fake.url)
    monkeypatch.setenv("WXDATA_APPID", FAKE_APPID)
    monkeypatch.setenv("WXDATA_SECRET", FAKE_SECRET)
    monkeypatch.setenv("WXDATA_APP_NAME", "假小程序")
    # Calls are counted exactly, and no test of the CLI scripts a slow answer: a short deadline
    # (0.5 s) only turned a loaded machine's ordinary answer into a retry, one call more.
    monkeypatch.setenv("WXDATA_TIMEOUT", f"{TEST_TIMEOUT:g}")


def run(capsysbinary: pytest.CaptureFixture[bytes], *argv: str) -> tuple[int, bytes, str]:
    code = main(list(argv))
    out, err = capsysbinary.readouterr()
    return code, out, err.decode("utf-8")


def rows(csv_bytes: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(csv_bytes.decode(CSV_ENCODING))))
