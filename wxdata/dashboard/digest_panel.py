"""The Data page's digest panel, for admins: "preview digest" (the very message and PNGs
``wxdata digest`` would send, drawn in the page) and "send a test message" through a digest's
robot. A digest is offered only to someone who administers every one of its apps.

Its widget and state keys are spelled here rather than in ``keys.py`` so that this panel stays
one module (issue 15); they share the ``digest_`` prefix no other key uses.
"""

from __future__ import annotations

import streamlit as st

from wxdata.config import DigestConfig, load_settings
from wxdata.core.errors import WxDataError
from wxdata.dashboard import auth, state
from wxdata.dashboard.source import configured_source
from wxdata.dashboard.text import plain
from wxdata.digest import channels, images, run
from wxdata.i18n import t

DIGEST_CHOICE = "digest_choice"
DIGEST_PREVIEW = "digest_preview_button"
DIGEST_TEST = "digest_test_button"
DIGEST_SHOWN = "digest_shown"


def _admin_digests(view: state.View) -> list[DigestConfig]:
    try:
        settings = load_settings()
    except WxDataError:
        return []  # the page already says what is wrong with the settings
    known = view.source.apps()
    mine = []
    for digest in settings.digests:
        try:
            apps = run.digest_apps(digest, known)
        except WxDataError:
            continue
        if view.grant.may_admin([a.appid for a in apps]):
            mine.append(digest)
    return mine


def _preview(digest: DigestConfig, view: state.View) -> tuple[str, list[bytes]]:
    settings = load_settings()
    source, _, _ = configured_source()
    with images.Renderer() as renderer:
        made, pngs = run.compose(digest, settings, source, renderer, view.lang)
    return run.show(digest, run.bodies(digest, made, pngs)), [p for p in pngs if p]


def render(view: state.View) -> None:
    lang = view.lang
    if not view.grant.may_import:
        return
    digests = _admin_digests(view)
    st.subheader(t("page.data.digest.title", lang))
    if not digests:
        st.caption(t("page.data.digest.none", lang))
        return
    names = [d.name for d in digests]
    name = st.selectbox(t("page.data.digest.choose", lang), names, key=DIGEST_CHOICE)
    digest = digests[names.index(name)] if name in names else digests[0]
    st.caption(t("page.data.digest.channel", lang, channel=digest.channel,
                         apps=plain(", ".join(digest.apps) or "*")))
    left, right = st.columns(2)
    if left.button(t("page.data.digest.preview", lang), key=DIGEST_PREVIEW,
                   icon=":material/preview:"):
        with st.spinner():
            st.session_state[DIGEST_SHOWN] = (digest.name, *_preview(digest, view))
    if right.button(t("page.data.digest.test", lang), key=DIGEST_TEST,
                    icon=":material/send:"):
        auth.audit("digest_test", view.grant, digest=digest.name)
        try:
            channels.sender(digest).send(run.test_body(digest, lang))
        except channels.SendFailure as failure:
            st.error(plain(failure.message(lang)), icon=":material/error:")
        else:
            st.success(t("page.data.digest.sent", lang), icon=":material/check_circle:")
    shown = st.session_state.get(DIGEST_SHOWN)
    if isinstance(shown, tuple) and shown and shown[0] == digest.name:
        st.code(shown[1], language="markdown", wrap_lines=True)
        for png in shown[2]:
            st.image(png)
