from __future__ import annotations

import re

import pytest

from wxdata.i18n import CATALOGUE, placeholders, t
from wxdata.wechat import http

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_every_message_has_both_languages_with_the_same_fields(key: str) -> None:
    zh, en = CATALOGUE[key]
    assert zh.strip() and en.strip()
    assert CJK.search(zh), f"{key}: the Chinese text has no Chinese"
    assert placeholders(zh) == placeholders(en), key


def test_every_errcode_has_a_message() -> None:
    for errcode, (_, code) in http.ERRCODES.items():
        assert f"api.{code}" in CATALOGUE, errcode
    assert "api.unknown" in CATALOGUE


def test_unknown_keys_and_missing_fields_do_not_raise() -> None:
    assert t("no.such.key", "en") == "no.such.key"
    assert "{value}" in t("date.bad_date", "en")


def test_languages_differ() -> None:
    assert t("date.bad_date", "zh", value="x") != t("date.bad_date", "en", value="x")
