from __future__ import annotations

import pytest

from wxdata.core.errors import (
    CredentialError,
    PermanentError,
    QuotaError,
    TokenError,
    TransientError,
    WeekRefusedError,
    errcode_of,
)
from wxdata.core.secrets import redact
from wxdata.wechat.http import api_error


@pytest.mark.parametrize(
    ("errcode", "cls", "transient", "stops_run"),
    [
        (-1, TransientError, True, False), (45011, TransientError, True, False),
        (61503, TransientError, True, False), (40001, TokenError, True, False),
        (40014, TokenError, True, False), (42001, TokenError, True, False),
        (40013, CredentialError, False, True), (40125, CredentialError, False, True),
        (40164, CredentialError, False, True), (45009, QuotaError, False, True),
        (61501, WeekRefusedError, False, False), (48001, PermanentError, False, False),
        (41001, PermanentError, False, False), (47001, PermanentError, False, False),
        (61500, PermanentError, False, False), (99999, PermanentError, False, False),
    ],
)
def test_errcode_classes(errcode: int, cls: type, transient: bool, stops_run: bool) -> None:
    error = api_error(errcode, "something rid: 1", appid="wx1", week="2026-W45")
    assert type(error) is cls and error.errcode == errcode
    assert error.transient is transient and error.stops_run is stops_run


def test_ip_is_taken_from_the_whitelist_message() -> None:
    error = api_error(40164, "invalid ip 203.0.113.7 ipv6 ::ffff:203.0.113.7, not in whitelist")
    assert error.params["ip"] == "203.0.113.7"


def test_redact_removes_tokens_and_secrets() -> None:
    text = ('POST https://api.weixin.qq.com/x?access_token=ABC.def-12&x=1 '
            '{"secret": "topsecret", "access_token":"XYZ"} secret=hunter2 mysecretvalue')
    clean = redact(text, "mysecretvalue")
    for leaked in ("ABC.def-12", "topsecret", "XYZ", "hunter2", "mysecretvalue"):
        assert leaked not in clean
    assert "x=1" in clean


def test_errmsg_from_wechat_is_redacted() -> None:
    error = api_error(-1, "busy at /cgi-bin/x?access_token=LEAK123")
    assert "LEAK123" not in str(error) and "LEAK123" not in repr(error.params)


@pytest.mark.parametrize(("answer", "errcode"), [
    ({"ref_date": "20261102-20261108"}, 0), ({"errcode": 0}, 0), ({"errcode": None}, 0),
    ({"errcode": "0"}, 0), ({"errcode": 45009}, 45009), ({"errcode": "45009"}, 45009),
    ({"errcode": 45009.0}, 45009), ({"errcode": " -1 "}, -1), ({"errcode": "busy"}, -999),
    ({"errcode": True}, -999), ({"errcode": "¹"}, -999), ({"errcode": "٤٥"}, -999),
    ({"errcode": 1e300}, -999), ({"errcode": [45009]}, -999),
    ("not a dict", 0),
])
def test_errcodes_are_recognised_in_every_spelling(answer: object, errcode: int) -> None:
    assert errcode_of(answer) == errcode


def test_a_copy_is_a_new_exception_with_the_same_class_and_message() -> None:
    error = api_error(45009, "quota rid: 1", appid="wx1", week="")
    copy = error.copy(week="2026-W45")
    assert copy is not error and type(copy) is type(error) and copy.errcode == 45009
    assert copy.params["week"] == "2026-W45" and error.params["week"] == ""
