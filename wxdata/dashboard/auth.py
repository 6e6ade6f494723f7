"""Sign-in with Streamlit's own ``st.login`` (OpenID Connect) and who sees what, decided before
anything reaches a page.

Sign-in is on when Streamlit's secrets have an ``[auth]`` table (``redirect_uri``,
``cookie_secret``, ``client_id``, ``client_secret``, ``server_metadata_url``); the allow-lists are
its ``[access]`` table (``wxdata.access``). Without ``[auth]`` the app is open, as for local use,
and says so in the sidebar; served on a non-loopback address it also says so once in the log.

:func:`door` runs first on every run. Until it returns a :class:`~wxdata.access.Grant`, every
path (``/``, ``/heatmap``, ``/data``...) draws only the sign-in page, the "whom to ask" page or the
reason the settings are refused, and no source is asked for data. Afterwards the sidebar offers only
the apps the grant shows, a link naming another app gets the usual notice, and the cached loads are
keyed by the exact set of apps asked for (``loaded.LoadKey``), which the grant has checked.

Audit lines (logger ``wxdata.audit``): one per sign-in (the first run of a signed-in session)
and one per download, with the address, the apps and what.
"""

from __future__ import annotations

import json
import logging
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from wxdata.access import (
    Grant,
    check_auth,
    email_from_claims,
    is_loopback,
    parse_access,
    provider_name,
)
from wxdata.config import declares_sign_in
from wxdata.core.errors import ConfigError
from wxdata.core.secrets import logger
from wxdata.dashboard import keys, server, urlsync
from wxdata.dashboard.source import configured_source
from wxdata.dashboard.text import message, say
from wxdata.dashboard.urlstate import parse_choice
from wxdata.i18n import DEFAULT_LANG, LANGS, Lang, t

LOG = logger("wxretain.auth")
AUDIT = logger("wxdata.audit")
#: Set once the "open to everyone" warning has been logged (once per process); the lock makes
#: the check-and-set one step when several sessions start at once.
_exposed_warned = threading.Event()
_exposed_lock = threading.Lock()
_handlers = threading.Lock()


def _with_handler(log: logging.Logger) -> logging.Logger:
    """INFO lines must reach the server log although nobody configured logging (Streamlit
    configures only its own loggers): a stderr handler, unless the operator set one up."""
    with _handlers:  # sessions run in threads: two first lines must not add two handlers
        if not log.handlers and not logging.getLogger().handlers:
            handler = logging.StreamHandler(sys.stderr)
            handler.setFormatter(
                logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
            log.addHandler(handler)
            log.setLevel(logging.INFO)
            log.propagate = False
    return log


def audit(event: str, grant: Grant, **fields: object) -> None:
    """One audit line: ``event email="..." key="value"...`` (values JSON-quoted, so an address
    or a file name cannot start a line of its own)."""
    values = {"email": grant.email or "", **fields}
    text = " ".join(f"{k}={json.dumps(str(v), ensure_ascii=False)}" for k, v in values.items())
    _with_handler(AUDIT).info("%s %s", event, text)


def audited_download(grant: Grant, what: str, app_ids: Sequence[str], file_name: str,
                     make: Callable[[], bytes]) -> Callable[[], bytes]:
    """``make`` for a download button's deferred ``data``: Streamlit calls it on the click, and
    the audit line is written then (a button drawn but never clicked is no download).

    Only the session that drew the button gets the file: Streamlit would make it for whoever
    sends the button's id, and the audit line would name the wrong person. Another session (or
    a request that did not come through the websocket guard, ``server.GuardStream``) is refused
    with an error, and Streamlit tells that client only that the file could not be made.
    """
    ctx = get_script_run_ctx(suppress_warning=True)
    drawn_by = ctx.session_id if ctx is not None else None

    def data() -> bytes:
        asking = server.asking_session()
        if drawn_by is not None and asking != drawn_by:
            LOG.warning("download %s refused: asked for by another session than the one that "
                        "drew its button", json.dumps(file_name, ensure_ascii=False))
            raise PermissionError("this download belongs to another session")
        content = make()
        audit("download", grant, apps=",".join(app_ids), what=what, file=file_name,
              bytes=len(content))
        return content

    return data


def secrets() -> dict[str, Any]:
    """Streamlit's secrets as a dict (empty without a secrets file)."""
    if not st.secrets.load_if_toml_exists():
        return {}
    return st.secrets.to_dict()


def signed_in_claims() -> Mapping[str, Any] | None:
    """The identity claims of whoever signed in to this session; None when nobody did.
    ``st.user`` is read from the cookie Streamlit signed, when the session started."""
    user = st.user.to_dict()
    return user if user.get("is_logged_in") is True else None


def _warn_if_exposed() -> None:
    """Once per process: open to everyone, on an address others can reach."""
    address = st.get_option("server.address")
    with _exposed_lock:
        if _exposed_warned.is_set() or is_loopback(address):
            return
        _exposed_warned.set()
    where = f"server.address={address}" if address else "server.address unset: every interface"
    _with_handler(LOG).warning(
        "serving without sign-in on a non-loopback address (%s): anyone who can reach it sees "
        "every mini program. Configure [auth] and [access] in .streamlit/secrets.toml, or run "
        "with --server.address 127.0.0.1 for local use (docs/auth.md).", where)


def grant() -> Grant | None:
    """What this session may do; None when sign-in is on and nobody has signed in. A
    ConfigError when the settings cannot be applied safely (then nothing is shown)."""
    table = secrets()
    auth = table.get("auth")
    if not isinstance(auth, Mapping):
        if "access" in table or declares_sign_in():
            raise ConfigError("access_without_auth")  # rules that would not be applied
        _warn_if_exposed()
        return Grant()
    check_auth(auth)
    policy = parse_access(table.get("access"))
    claims = signed_in_claims()
    return None if claims is None else Grant.of(email_from_claims(claims), policy)


def _lang() -> Lang:
    chosen = st.session_state.get(keys.LANG_WIDGET)
    if chosen in LANGS:
        return "en" if chosen == "en" else DEFAULT_LANG
    return parse_choice(urlsync.url_snapshot(), keys.LANG, LANGS, DEFAULT_LANG)[0]


def _only(draw: Callable[[], None], title: str, paths: Sequence[str]) -> None:
    """``draw`` on whatever path was asked: every page path leads to it, so a deep link never
    reaches a page."""
    pages = [st.Page(draw, title=title, url_path=path, default=index == 0)
             for index, path in enumerate(paths)]
    st.navigation(pages, position="hidden").run()


def sign_out_button(lang: Lang, where: Any = st) -> None:
    """``st.logout`` as the click's callback: the run it causes already has nobody signed in
    (then the browser is sent through Streamlit's logout to the provider's)."""
    where.button(t("auth.sign_out", lang), key=keys.SIGN_OUT, icon=":material/logout:",
                 on_click=st.logout)


def _sign_in_page(lang: Lang) -> None:
    st.title(t("auth.sign_in.title", lang))
    st.write(t("auth.sign_in.text", lang))
    if st.button(t("auth.sign_in.button", lang), key=keys.SIGN_IN, type="primary",
                 icon=":material/login:"):
        auth = secrets().get("auth", {})
        st.login(provider_name(auth) if isinstance(auth, Mapping) else None)


def _no_app_page(who: Grant, lang: Lang) -> None:
    st.title(t("auth.no_app.title", lang))
    contact = who.contact or t("auth.contact.default", lang)
    if who.email is None:
        st.warning(say("auth.no_email", lang, contact=contact), icon=":material/mail_lock:")
    else:
        st.info(say("auth.no_app.text", lang, email=who.email, contact=contact),
                icon=":material/lock_person:")
    sign_out_button(lang)


def _refused_page(error: ConfigError, lang: Lang) -> None:
    st.title(t("app.title", lang))
    st.error(message(error, lang), icon=":material/gpp_bad:")


def door(paths: Sequence[str]) -> Grant | None:
    """The grant of this session, or None when this run drew, on any of ``paths``, the sign-in
    page, the "whom to ask" page or the reason the settings are refused."""
    lang = _lang()
    try:
        who = grant()
    except ConfigError as exc:
        refused = exc
        LOG.error("sign-in settings refused: %s", refused)
        _only(lambda: _refused_page(refused, lang), t("app.title", lang), paths)
        return None
    if who is None:
        _only(lambda: _sign_in_page(lang), t("auth.sign_in.title", lang), paths)
        return None
    if who.open:
        return who
    source, _, problem = configured_source()
    visible = who.visible(a.appid for a in source.apps())
    if st.session_state.get(keys.AUDITED_SIGN_IN) != who.email:
        st.session_state[keys.AUDITED_SIGN_IN] = who.email
        admin = [a for a in visible if who.may_admin([a])]
        audit("sign_in", who, apps=",".join(visible), admin=",".join(admin))
    if not visible and problem is None:
        _only(lambda: _no_app_page(who, lang), t("auth.no_app.title", lang), paths)
        return None
    return who


def identity_box(who: Grant, lang: Lang) -> None:
    """Who is signed in, with the way out; or that sign-in is off."""
    if who.open:
        st.sidebar.caption(f":orange[:material/lock_open:] {t('auth.open', lang)}")
        return
    box = st.sidebar.container(border=True)
    box.caption(say("auth.signed_in_as", lang, email=who.email or "-"))
    sign_out_button(lang, box)
