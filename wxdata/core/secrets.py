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
