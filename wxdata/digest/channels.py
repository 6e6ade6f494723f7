"""Sending: WeCom, Feishu/Lark and DingTalk robots over HTTP, e-mail over SMTP, each with its
service's rules.

- **Signatures.** Feishu: ``timestamp`` (seconds) and ``sign`` = Base64(HMAC-SHA256(key =
  timestamp + "\\n" + secret, message = empty)) in the body. DingTalk: ``timestamp`` (ms) and
  ``sign`` = URL-encoded Base64(HMAC-SHA256(key = secret, message = timestamp + "\\n" + secret))
  in the query. WeCom signs nothing: the key in the URL is the credential.
- **Rates.** WeCom and DingTalk take 20 messages a minute per robot, Feishu 5 requests a second:
  :class:`RateLimit` spaces the messages of a run (one limiter per robot), and a "too fast"
  answer is waited out and sent again (the service said no, so nothing was delivered).
- **Retries.** A connection that could not be made, a connect timeout, an HTTP 5xx or 429 is tried
  again with exponential backoff (tenacity). A *read* timeout is not: the robot may have posted
  the message before the answer was lost, and a retry would post it twice; it is reported as not
  confirmed instead. The same for SMTP: only a failure before the server accepted the message is
  tried again.
- **Refusals.** A refused key (WeCom 93000, Feishu 19021 and the other 190xx, DingTalk 310000 and
  300001) is a :class:`SendFailure` saying what to fix; never retried.

Every text that leaves this module passes :func:`~wxdata.core.secrets.redact`: the webhook key,
the signing secret and the SMTP password were remembered when the configuration was read.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import smtplib
import ssl
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any
from urllib.parse import quote_plus, unquote, urlsplit

import requests
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential_jitter,
)

from wxdata.config import DigestConfig
from wxdata.core.secrets import logger, redact
from wxdata.i18n import Lang, t

log = logger("wxdata.digest")
TIMEOUT = (5.0, 15.0)  # connect, read (seconds)
ATTEMPTS = 4
#: (messages, seconds) per robot.
RATES: dict[str, tuple[int, float]] = {"wecom": (20, 60.0), "dingtalk": (20, 60.0),
                                       "feishu": (5, 1.0), "email": (30, 60.0)}
#: Answers that mean "too fast": wait the window out and send again.
RATE_LIMITED: dict[str, frozenset[int]] = {
    "wecom": frozenset({45009}), "dingtalk": frozenset({130101, 410100}),
    "feishu": frozenset({11232, 9499})}
#: Answers that mean the credential or the robot's security setting refuses us: what to fix.
REFUSED: dict[str, dict[int, str]] = {
    "wecom": {93000: "wecom_key", 93004: "wecom_key", 93008: "wecom_key"},
    "feishu": {19021: "feishu_sign", 19001: "feishu_token", 19022: "feishu_ip",
               19024: "feishu_keyword"},
    "dingtalk": {310000: "dingtalk_security", 300001: "dingtalk_token",
                 300005: "dingtalk_token"},
}


class SendFailure(Exception):
    """A message that was not sent (or not confirmed): ``code`` names the reason in the
    catalogue (``digest.fail.{code}``); the text is safe to show."""

    def __init__(self, code: str, *, transient: bool = False, **params: Any) -> None:
        self.code, self.transient = code, transient
        self.params = {k: redact(str(v)) for k, v in params.items()}
        super().__init__(self.message("en"))

    def message(self, lang: Lang) -> str:
        return redact(t(f"digest.fail.{self.code}", lang, **self.params))


class RateLimit:
    """At most ``count`` sends per ``window`` seconds (a sliding window, thread-safe)."""

    def __init__(self, count: int, window: float, *,
                 sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.count, self.window, self.sleep, self.clock = count, window, sleep, clock
        self._sent: deque[float] = deque()
        self._lock = threading.Lock()
        self.waited = 0.0

    def wait(self) -> None:
        with self._lock:
            now = self.clock()
            while self._sent and now - self._sent[0] >= self.window:
                self._sent.popleft()
            if len(self._sent) >= self.count:
                pause = self.window - (now - self._sent[0])
                self.waited += pause
                self.sleep(pause)
                self._sent.popleft()
            self._sent.append(self.clock())

    def full(self) -> None:
        """The service said "too fast": wait a whole window."""
        self.waited += self.window
        self.sleep(self.window)


def feishu_sign(secret: str, timestamp: int) -> str:
    key = f"{timestamp}\n{secret}".encode()
    return base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(),
                      hashlib.sha256).digest()
    return quote_plus(base64.b64encode(digest).decode())


def _retryable(exc: BaseException) -> bool:
    return isinstance(exc, SendFailure) and exc.transient


@dataclass
class Sender:
    """Sends the messages of one digest; ``backoff``: the first retry's wait in seconds."""

    config: DigestConfig
    session: requests.Session
    limit: RateLimit
    backoff: float = 1.0
    clock: Callable[[], float] = time.time
    attempts_made: int = 0

    def send(self, body: dict[str, Any] | EmailMessage) -> None:
        """One message, with the retries above; SendFailure if it was not sent."""
        retrying = Retrying(retry=retry_if_exception(_retryable), reraise=True,
                            stop=stop_after_attempt(ATTEMPTS),
                            wait=wait_exponential_jitter(multiplier=self.backoff,
                                                         max=self.backoff * 8),
                            before_sleep=self._log_retry)
        for attempt in retrying:
            with attempt:
                self.limit.wait()
                self.attempts_made += 1
                if isinstance(body, EmailMessage):
                    self._mail(body)
                else:
                    self._post(body)

    def _log_retry(self, state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        log.warning("digest %s: %s; trying again", self.config.name,
                    redact(str(error)) if error else "?")

    # -- webhooks --------------------------------------------------------------------------

    def _post(self, body: dict[str, Any]) -> None:
        channel = self.config.channel
        while True:
            url, payload = self._signed(body)
            answer = self._http(url, payload)
            code = _errcode(answer)
            if code == 0:
                return
            if code in RATE_LIMITED.get(channel, ()):
                log.warning("digest %s: %s says too fast; waiting", self.config.name, channel)
                self.limit.full()
                continue
            message = str(answer.get("errmsg") or answer.get("msg") or "")[:200]
            if code in REFUSED.get(channel, {}):
                raise SendFailure(REFUSED[channel][code], errcode=code, errmsg=message,
                                  digest=self.config.name)
            raise SendFailure("refused_other", errcode=code, errmsg=message,
                              channel=channel, digest=self.config.name)

    def _signed(self, body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        url, secret = self.config.webhook, self.config.secret
        if not secret:
            return url, body
        if self.config.channel == "feishu":
            stamp = int(self.clock())
            return url, {"timestamp": str(stamp), "sign": feishu_sign(secret, stamp), **body}
        stamp_ms = int(self.clock() * 1000)
        joiner = "&" if "?" in url else "?"
        return f"{url}{joiner}timestamp={stamp_ms}&sign={dingtalk_sign(secret, stamp_ms)}", body

    def _http(self, url: str, payload: dict[str, Any]) -> dict[str, Any]:
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        try:
            response = self.session.post(url, data=data, timeout=TIMEOUT, headers={
                "Content-Type": "application/json; charset=utf-8"})
        except requests.ConnectTimeout:
            raise SendFailure("timeout", transient=True, digest=self.config.name) from None
        except requests.Timeout:
            # sent, maybe posted: a retry could post it twice
            raise SendFailure("unconfirmed", digest=self.config.name) from None
        except requests.ConnectionError as exc:
            raise SendFailure("connection", transient=True, digest=self.config.name,
                              detail=type(exc).__name__) from None
        if response.status_code >= 500 or response.status_code == 429:
            raise SendFailure("http", transient=True, status=response.status_code,
                              digest=self.config.name)
        try:
            answer = response.json()
        except ValueError:
            answer = None
        if response.status_code >= 400 and not isinstance(answer, dict):
            raise SendFailure("http", status=response.status_code, digest=self.config.name)
        if not isinstance(answer, dict):
            raise SendFailure("not_json", status=response.status_code, digest=self.config.name)
        return answer

    # -- e-mail ----------------------------------------------------------------------------

    def _mail(self, message: EmailMessage) -> None:
        parts = urlsplit(self.config.smtp_url)
        host, user = parts.hostname or "", unquote(parts.username or "")
        implicit = parts.scheme == "smtps"
        port = parts.port or (465 if implicit else 587 if parts.scheme == "smtp" else 25)
        context = ssl.create_default_context()
        try:
            server: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=20, context=context) \
                if implicit else smtplib.SMTP(host, port, timeout=20)
        except ssl.SSLCertVerificationError:
            raise SendFailure("smtp_tls", digest=self.config.name, host=host) from None
        except (OSError, smtplib.SMTPException) as exc:
            raise SendFailure("smtp_connect", transient=True, digest=self.config.name,
                              detail=type(exc).__name__) from None
        try:
            with server:
                if parts.scheme == "smtp":
                    server.starttls(context=context)
                if user and self.config.smtp_password:
                    server.login(user, self.config.smtp_password)
                self._deliver(server, message)
        except smtplib.SMTPAuthenticationError:
            raise SendFailure("smtp_login", digest=self.config.name, user=user) from None
        except ssl.SSLCertVerificationError:  # STARTTLS to a certificate this machine distrusts
            raise SendFailure("smtp_tls", digest=self.config.name, host=host) from None
        except SendFailure:
            raise
        except (OSError, smtplib.SMTPException) as exc:
            # before the message was accepted (connection, STARTTLS, EHLO): nothing was sent
            raise SendFailure("smtp_connect", transient=True, digest=self.config.name,
                              detail=type(exc).__name__) from None

    def _deliver(self, server: smtplib.SMTP, message: EmailMessage) -> None:
        try:
            refused = server.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            raise SendFailure("smtp_refused", digest=self.config.name,
                              to=", ".join(exc.recipients)) from None
        except smtplib.SMTPResponseException as exc:
            transient = 400 <= exc.smtp_code < 500  # the server said "later": nothing accepted
            raise SendFailure("smtp_answer", transient=transient, digest=self.config.name,
                              answer=exc.smtp_code) from None
        except (OSError, smtplib.SMTPServerDisconnected):
            raise SendFailure("unconfirmed", digest=self.config.name) from None
        if refused:
            raise SendFailure("smtp_refused", digest=self.config.name, to=", ".join(refused))


def _errcode(answer: dict[str, Any]) -> int:
    """WeCom and DingTalk answer ``errcode``, Feishu ``code`` (older bots ``StatusCode``)."""
    for name in ("errcode", "code", "StatusCode"):
        value = answer.get(name)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lstrip("-").isdigit():
            return int(value)
    return 0


def sender(config: DigestConfig, *, backoff: float = 1.0,
           limits: dict[str, RateLimit] | None = None) -> Sender:
    """A sender for ``config``; robots shared by several digests share their limiter when
    ``limits`` is the run's own dictionary."""
    robot = config.webhook or config.smtp_url
    limits = {} if limits is None else limits
    if robot not in limits:
        limits[robot] = RateLimit(*RATES[config.channel])
    session = requests.Session()
    session.trust_env = True
    return Sender(config, session, limits[robot], backoff)


__all__ = ["RATES", "RateLimit", "SendFailure", "Sender", "dingtalk_sign", "feishu_sign",
           "sender"]
