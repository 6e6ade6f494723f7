"""Keeping credentials out of every text that leaves the process: messages, logs, the screen.

Every AppSecret is remembered when its app is configured, and every access token when it is
received; :func:`redact` blanks all of them, wherever the text came from (WeChat's own
``errmsg`` has been seen to echo both), plus anything that looks like ``access_token=...`` or
``"secret": "..."``. Exceptions apply it when they are made and when their message is read; the
loggers of wxdata (:func:`logger`) apply it to every record.

>>> remember_secret("s3cr3t-value-for-doc")
>>> redact('WeChat said: invalid secret s3cr3t-value-for-doc at /x?access_token=abc&y=1')
'WeChat said: invalid secret *** at /x?access_token=***&y=1'
"""

from __future__ import annotations

import logging
import re
import threading
from urllib.parse import unquote

_QUERY_SECRET = re.compile(r"((?:access_token|appsecret|secret)=)[^&\s\"']+", re.IGNORECASE)
_JSON_SECRET = re.compile(r"(\"(?:access_token|secret)\"\s*:\s*\")[^\"]*", re.IGNORECASE)
#: Shorter values could be ordinary words; no real AppSecret or token is this short.
MIN_SECRET_LENGTH = 8

_known: set[str] = set()
_lock = threading.Lock()


def remember_secret(value: str) -> None:
    """Blank ``value`` out of every text :func:`redact` sees from now on."""
    if len(value) >= MIN_SECRET_LENGTH:
        with _lock:
            _known.add(value)


def redact(text: str, *secrets: str) -> str:
    """``text`` without any remembered or given secret and without token-looking parameters."""
    text = _JSON_SECRET.sub(r"\1***", _QUERY_SECRET.sub(r"\1***", text))
    with _lock:
        known = sorted({*_known, *(s for s in secrets if s)}, key=len, reverse=True)
    for secret in known:
        if secret in text:
            text = text.replace(secret, "***")
    return text


#: Query parameters of a database URL that carry a credential (libpq reads both).
_URL_SECRET_PARAMS = ("password", "sslpassword")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def _split_url(url: str) -> tuple[str, str, str, str]:
    """(scheme://, userinfo, the rest up to the query, ?query) of a URL.

    The userinfo runs to the *last* ``@`` before the query, so that a password with a raw ``@``
    or ``/`` in it (which libpq would misread) is still recognised as a password and hidden.
    """
    match = _SCHEME.match(url)
    if match is None:
        return "", "", url, ""
    scheme, rest = match.group(0), url[match.end():]
    body, mark, query = rest.partition("?")
    userinfo, at, hostpart = body.rpartition("@")
    if not at:
        return scheme, "", body, mark + query
    return scheme, userinfo, hostpart, mark + query


def url_secrets(url: str) -> tuple[str, ...]:
    """The credentials written in a database URL (``user:PASSWORD@``, ``?password=``), as
    written and percent-decoded: what must never be shown."""
    _, userinfo, _, query = _split_url(url)
    found = [userinfo.partition(":")[2]] if ":" in userinfo else []
    for item in query.lstrip("?").split("&"):
        name, _, value = item.partition("=")
        if unquote(name).lower() in _URL_SECRET_PARAMS:
            found.append(value)
    return tuple(dict.fromkeys(s for raw in found if raw for s in (raw, unquote(raw))))


def hide_url_secrets(url: str) -> str:
    """``url`` fit to show: the password replaced by ``***`` (the user, host and database kept).

    >>> hide_url_secrets("postgresql://wx:pa55word@db:5432/wxretain?password=x&sslmode=require")
    'postgresql://wx:***@db:5432/wxretain?password=***&sslmode=require'
    """
    scheme, userinfo, hostpart, query = _split_url(url)
    if ":" in userinfo:
        userinfo = userinfo.partition(":")[0] + ":***"
    params = []
    for item in query.lstrip("?").split("&") if query else []:
        name, eq, _ = item.partition("=")
        params.append(f"{name}{eq}***" if unquote(name).lower() in _URL_SECRET_PARAMS else item)
    shown = f"{scheme}{userinfo}{'@' if userinfo else ''}{hostpart}"
    return f"{shown}?{'&'.join(params)}" if params else shown


def remember_url_secrets(url: str) -> None:
    """Blank the credentials of a database URL out of every message and log from now on."""
    for secret in url_secrets(url):
        remember_secret(secret)


class RedactingFilter(logging.Filter):
    """A log record whose text holds a secret is rewritten before any handler sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        clean = redact(text)
        if clean != text:
            record.msg, record.args = clean, ()
        error = record.exc_info[1] if record.exc_info else None
        if error is not None and redact(str(error)) != str(error):
            # a foreign exception carrying a secret: its traceback would print it
            record.exc_info, record.exc_text = None, None
            hidden = f"({type(error).__name__}, text hidden: it held a credential)"
            record.msg, record.args = f"{record.getMessage()} {hidden}", ()
        return True


def logger(name: str) -> logging.Logger:
    """``logging.getLogger(name)`` with the :class:`RedactingFilter` on it (once)."""
    log = logging.getLogger(name)
    if not any(isinstance(f, RedactingFilter) for f in log.filters):
        log.addFilter(RedactingFilter())
    return log
