"""Streamlit's own English on Chinese pages, where CSS can replace it (issue 19, item 9).

The file uploader's button ("Upload") and its limits ("5MB per file • JSON") are written by
Streamlit's frontend, with no parameter to change them. On a Chinese page a style sheet hides
those texts and shows ours in their place (``::after`` on the same element, so the font and colour
stay Streamlit's). English pages get no style sheet. What Streamlit does let us set is set where
it is drawn (the uploader's help, ``pages/data.py``); the element toolbars' tooltips
("Download as CSV", "Fullscreen") live in a portal CSS cannot single out, and stay English.
"""

from __future__ import annotations

import streamlit as st

from wxdata.dashboard.actions import MAX_UPLOAD_MB
from wxdata.i18n import Lang, t

#: The file types the only uploader accepts (the Data page's JSON answers).
UPLOAD_TYPES = "JSON"

#: Streamlit's size and line height of both texts (theme.fontSizes.sm).
SIZE, LINE_HEIGHT = "0.875rem", "1.6"
_BUTTON = "[data-testid=stFileUploaderDropzone] button [data-testid=stMarkdownContainer] p"
_LIMITS = "[data-testid=stFileUploaderDropzoneInstructions] span"


def _string(text: str) -> str:
    """``text`` as a CSS string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def style_sheet(lang: Lang) -> str:
    """The style sheet for ``lang``: empty for English, the uploader's texts for Chinese."""
    if lang != "zh":
        return ""
    rules = []
    for selector, text in ((_BUTTON, t("locale.upload.button", lang)),
                           (_LIMITS, t("locale.upload.limits", lang, mb=MAX_UPLOAD_MB,
                                       types=UPLOAD_TYPES))):
        # font-size 0 hides the English without moving anything; the ::after is drawn at the
        # size and line height Streamlit gives both texts (14 px, 1.6; the e2e test compares)
        rules.append(f"{selector} {{ font-size: 0 !important; }}")
        rules.append(f"{selector}::after {{ content: {_string(text)}; font-size: {SIZE}; "
                     f"line-height: {LINE_HEIGHT}; }}")
    return "\n".join(rules)


def apply(lang: Lang) -> None:
    """Put the style sheet for ``lang`` on the page (nothing for English)."""
    if sheet := style_sheet(lang):
        st.html(f"<style>{sheet}</style>")
