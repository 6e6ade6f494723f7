"""The one HTTP boundary to WeChat: a JSON call, its transport failures, and errcode answers.

Every ``requests`` exception becomes a :class:`~wxdata.core.errors.TransientError` whose text has
no URL in it (requests puts the whole URL, token included, into its messages), and every
``{"errcode": N, "errmsg": ...}`` answer becomes the exception its errcode calls for
(:func:`api_error`, the table of ``docs/wechat-api.md``), with WeChat's text redacted.

>>> type(api_error(45009, "reach max api daily quota limit")).__name__
'QuotaError'
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Mapping
from typing import Any

import requests
import urllib3

from wxdata.core.errors import (
    ApiError,
    CredentialError,
    PermanentError,
    QuotaError,
    TokenError,
    TransientError,
    WeekRefusedError,
    errcode_of,
)
from wxdata.core.secrets import RedactingFilter, redact

# urllib3 logs every request line at DEBUG, access token included: turning on DEBUG logging to
# diagnose the dashboard must never write a live credential to disk.
logging.getLogger("urllib3.connectionpool").addFilter(RedactingFilter())


#: The largest answer read: a weekly answer is a few hundred bytes.
MAX_ANSWER_BYTES = 1024 * 1024
_CHUNK = 4096


def request_json(
    session: requests.Session,
    method: str,
    url: str,
    *,
    timeout: float,
    params: Mapping[str, str] | None = None,
    body: Mapping[str, Any] | None = None,
    week: str = "",
) -> Any:
    """One HTTP call whose answer must be JSON; transport failures become ``TransientError``.

    ``timeout`` is a deadline for the whole call, not only per socket read: a server that drips
    its answer out one byte every half second once held a call for 113 s with a 10 s timeout.
    (A read already waiting may still take up to ``timeout`` before the deadline is seen.)
    """
    failure: TransientError | None = None
    deadline = time.monotonic() + timeout
    try:
        with session.request(method, url, params=params, json=body, timeout=timeout,
                             stream=True) as response:
            content = _read_body(response, deadline, week)
    except (requests.Timeout, urllib3.exceptions.TimeoutError):
        failure = transport_error("timeout", week=week, detail=f"{timeout:g} s")
    except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
        # (reading the body raw, urllib3's own errors and the socket's arrive unwrapped)
        # The class name says enough (reset, refused, SSL); str(exc) would carry the URL.
        failure = transport_error("connection", week=week, detail=type(exc).__name__)
    if failure is not None:
        # Raised outside the except block: not even __context__ keeps the requests exception.
        raise failure
    return _json_answer(response, content, week)


def _read_body(response: requests.Response, deadline: float, week: str) -> bytes:
    # read1: whatever one socket read brings (requests' iter_content would wait for a full
    # chunk, which a dripping server never sends before the deadline).
    chunks, size = [], 0
    while chunk := response.raw.read1(_CHUNK, decode_content=True):
        chunks.append(chunk)
        size += len(chunk)
        if time.monotonic() > deadline:
            raise requests.Timeout()  # reported like any timeout, just below
        if size > MAX_ANSWER_BYTES:
            raise transport_error("too_big", week=week, detail=f"> {MAX_ANSWER_BYTES} bytes")
    return b"".join(chunks)


def _json_answer(response: requests.Response, content: bytes, week: str) -> Any:
    status = response.status_code
    if status >= 500 or status == 429:
        raise transport_error("http_status", week=week, detail=f"HTTP {status}")
    try:
        return json.loads(content) if content else None
    except ValueError:
        pass
    kind = response.headers.get("Content-Type", "?").split(";")[0]
    if status >= 400:
        # A 404 page is a wrong address, not a busy WeChat: retrying cannot help.
        raise PermanentError("bad_address", week=week, detail=f"HTTP {status}")
    raise transport_error("not_json", week=week, detail=f"HTTP {status}, {kind}")



def raise_for_errcode(answer: Any, *, appid: str = "", week: str = "") -> None:
    """Raise the exception of an errcode answer; a data answer passes."""
    errcode = errcode_of(answer)
    if errcode:
        raise api_error(errcode, str(answer.get("errmsg", "")), appid=appid, week=week)


#: errcode -> (exception class, message code): the table of ``docs/wechat-api.md``.
ERRCODES: dict[int, tuple[type[ApiError], str]] = {
    -1: (TransientError, "busy"),
    40001: (TokenError, "token_invalid"),
    40014: (TokenError, "token_invalid"),
    42001: (TokenError, "token_invalid"),
    40013: (CredentialError, "bad_appid"),
    40125: (CredentialError, "bad_secret"),
    40164: (CredentialError, "ip_not_whitelisted"),
    41001: (PermanentError, "our_bug"),
    41002: (PermanentError, "our_bug"),
    45009: (QuotaError, "daily_quota"),
    45011: (TransientError, "minute_quota"),
    47001: (PermanentError, "our_bug"),
    48001: (PermanentError, "unauthorized"),
    61500: (PermanentError, "our_bug"),
    61501: (WeekRefusedError, "week_refused"),
    61503: (TransientError, "not_ready"),
}

_IP = re.compile(r"\b(\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f:]*:[0-9a-f:.]+)\b", re.IGNORECASE)


def api_error(errcode: int, errmsg: str = "", *, appid: str = "", week: str = "") -> ApiError:
    """The exception for a WeChat ``{"errcode": N, "errmsg": ...}`` answer."""
    cls, code = ERRCODES.get(errcode, (PermanentError, "unknown"))
    errmsg = redact(errmsg)
    params: dict[str, Any] = {"appid": appid, "week": week, "errmsg": errmsg}
    if errcode == 40164:
        match = _IP.search(errmsg.replace("invalid ip", " "))
        params["ip"] = match.group(1) if match else "?"
    return cls(code, errcode=errcode, **params)


def transport_error(code: str, *, week: str = "", detail: str = "") -> TransientError:
    """A failure without an errcode: timeout, reset, HTTP 5xx, a body that is not JSON."""
    return TransientError(code, week=week, detail=redact(detail))
