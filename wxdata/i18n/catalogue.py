"""The message catalogue and :func:`t`: every user-facing string, Chinese first, English second.

Keys are dotted (``api.busy``, ``page.heatmap.title``); values are ``(zh, en)`` pairs formatted
with ``str.format`` keyword parameters. A missing key or parameter never raises: a user should see
an imperfect sentence rather than a traceback, and a test (``tests/test_i18n.py``) keeps the
catalogue complete.

>>> t("date.end_before_start", "en", start="2026-11-09", end="2026-11-02")
'The end date 2026-11-02 is before the start date 2026-11-09. Swap them and try again.'
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Any, Literal, get_args

from wxdata.i18n.cli import CLI_MESSAGES
from wxdata.i18n.core import CORE_MESSAGES
from wxdata.i18n.dashboard import DASHBOARD_MESSAGES
from wxdata.i18n.digest import DIGEST_MESSAGES
from wxdata.i18n.notes import NOTES_MESSAGES
from wxdata.i18n.present import PRESENT_MESSAGES
from wxdata.i18n.store import STORE_MESSAGES
from wxdata.i18n.wechat import WECHAT_MESSAGES

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = get_args(Lang)
DEFAULT_LANG: Lang = "zh"

# One catalogue, one file per layer (named after it) so that each layer edits only its own part.
_PARTS = (CORE_MESSAGES, WECHAT_MESSAGES, STORE_MESSAGES, PRESENT_MESSAGES, DASHBOARD_MESSAGES,
          CLI_MESSAGES, DIGEST_MESSAGES, NOTES_MESSAGES)
CATALOGUE: Mapping[str, tuple[str, str]] = {k: v for part in _PARTS for k, v in part.items()}


class _Lenient(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def t(key: str, lang: Lang = DEFAULT_LANG, /, **params: Any) -> str:
    """The message ``key`` in ``lang``, formatted with ``params``."""
    pair = CATALOGUE.get(key)
    if pair is None:
        return key
    text = pair[0] if lang == "zh" else pair[1]
    return string.Formatter().vformat(text, (), _Lenient(params))


def placeholders(text: str) -> set[str]:
    """The ``{name}`` fields of a catalogue text (used by the completeness test)."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


__all__ = ["CATALOGUE", "DEFAULT_LANG", "LANGS", "Lang", "placeholders", "t"]
