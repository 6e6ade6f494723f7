"""The share box: a link to exactly this view (page and every choice), for pasting into a chat."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlencode, urlsplit, urlunsplit

import streamlit as st

from wxdata.core.periods import PeriodKind
from wxdata.i18n import Lang, t
from wxdata.present.fmt import period_text


def share_link(page_path: str, page_paths: Sequence[str]) -> str:
    """A link to exactly this view (page and every choice), for pasting into a chat."""
    parts = urlsplit(st.context.url or "")
    segments = [s for s in parts.path.split("/") if s]
    if segments and segments[-1] in page_paths:
        segments = segments[:-1]
    path = "/".join([*segments, page_path])
    query = urlencode({k: st.query_params.get(k, "") for k in st.query_params})
    if not parts.netloc:
        return f"/{path}" + (f"?{query}" if query else "")
    return urlunsplit((parts.scheme, parts.netloc, f"/{path}", query, ""))


def share_box(page_path: str, page_paths: Sequence[str], lang: Lang,
              kind: PeriodKind = "week") -> None:
    with st.sidebar.expander(t("sidebar.share", lang), icon=":material/share:"):
        st.caption(period_text("sidebar.share.help", kind, lang))
        st.code(share_link(page_path, page_paths), language=None, wrap_lines=True)
