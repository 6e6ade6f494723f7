"""Texts that did not come from the catalogue, made safe for Streamlit's Markdown.

Streamlit renders Markdown in alerts, captions, headers and labels: a link pasted by anyone
(``?calendar=[LOGIN AGAIN](https://evil.example)``), an app name, a file name or WeChat's own
``errmsg`` must be shown as the characters it is, never as a live link, an image every viewer's
browser fetches, a heading or a coloured badge. The catalogue's texts are trusted Markdown; what
goes into them from outside goes through :func:`plain` (:func:`say` and :func:`message` do it).

>>> print(plain("[LOGIN](https://evil.example) ![p](x.png)").replace("\\u200b", "|"))
\\[LOGIN\\]\\(https\\:|//evil\\.example\\) \\!\\[p\\]\\(x\\.png\\)
"""

from __future__ import annotations

import re
from typing import Any

from wxdata.core.errors import WxDataError
from wxdata.core.secrets import redact
from wxdata.i18n import Lang, t

# Every character Markdown, GFM autolinks (www., @), Streamlit's directives (:icon:, :red[..])
# and KaTeX ($) give a meaning to; a backslash before one shows it as itself.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$@&=^%])")
_BREAKS = re.compile(r"[\r\n\t\u2028\u2029]+")
# GFM turns bare "scheme://", "www." and "name@host" into links even when their characters are
# escaped; a zero-width space after ":", "www" and "@" keeps them text (and looks the same).
_AUTOLINK = re.compile(r"(\\:)(?=/)|(?<![^\W_])(www)(?=\\\.)|(\\@)", re.IGNORECASE)
_ZWSP = "\u200b"


def plain(text: object) -> str:
    """``text`` as literal characters in Markdown, on one line (and without a credential)."""
    escaped = _SPECIAL.sub(r"\\\1", _BREAKS.sub(" ", redact(str(text))))
    return _AUTOLINK.sub(lambda m: m.group(0) + _ZWSP, escaped)


def say(key: str, lang: Lang, /, **params: Any) -> str:
    """:func:`wxdata.i18n.t` with every text parameter shown as text."""
    return t(key, lang, **{k: plain(v) if isinstance(v, str) else v for k, v in params.items()})


def message(error: WxDataError, lang: Lang) -> str:
    """An error's message for a Markdown element: its texts (WeChat's errmsg, a file's name, a
    link's value) shown as text."""
    return error.message(lang, quote=plain)
