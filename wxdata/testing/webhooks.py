"""Fake WeCom, Feishu/Lark and DingTalk robots on loopback, for the digest tests and benchmark.

Real HTTP (:mod:`wxdata.testing.http`), each service's checks as documented:

- WeCom ``POST /cgi-bin/webhook/send?key=K``: a known key (else errcode 93000); markdown content
  of at most 4096 UTF-8 bytes (else 40058); an image's base64 must decode and its md5 match the raw
  bytes (else 301019), and the image weigh at most 2 MB (else 40009); 20 messages a
  minute per robot (else 45009);
- Feishu ``POST /open-apis/bot/v2/hook/TOKEN``: a known token (else 19001); with a signing
  secret, ``timestamp`` within an hour of now and ``sign`` = Base64(HMAC-SHA256(timestamp +
  "\\n" + secret, "")) (else 19021); the body at most 20 KB (else 9499); 5 a second (11232);
- DingTalk ``POST /robot/send?access_token=T``: a known token (else 300001); with a secret,
  ``timestamp`` (ms) within an hour and ``sign`` in the query (else 310000); 20 a minute (130101).

Every accepted message is kept (:attr:`FakeWebhooks.received`); faults can be scripted per
channel (:meth:`FakeWebhooks.fail`): an HTTP status, a hang longer than the client waits, a
dropped connection, or an errcode answer.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from wxdata.testing.http import Reply, Serving, reset_reply

WECOM_MARKDOWN_BYTES = 4096
WECOM_IMAGE_BYTES = 2 * 1024 * 1024
FEISHU_BODY_BYTES = 20 * 1024
SIGN_WINDOW_S = 3600
#: (count, seconds) per robot.
RATES = {"wecom": (20, 60.0), "feishu": (5, 1.0), "dingtalk": (20, 60.0)}


@dataclass(frozen=True)
class Received:
    channel: str
    robot: str  # the key or token (only tests see it)
    body: dict[str, Any]

    @property
    def msgtype(self) -> str:
        return str(self.body.get("msgtype") or self.body.get("msg_type") or "")

    @property
    def text(self) -> str:
        """The markdown, or a card's text."""
        if self.msgtype == "markdown":
            inner = self.body["markdown"]
            return str(inner.get("content") or inner.get("text") or "")
        card = self.body.get("card", {})
        return "\n".join(e["text"]["content"] for e in card.get("elements", []) if "text" in e)


def feishu_sign(secret: str, timestamp: str) -> str:
    key = f"{timestamp}\n{secret}".encode()
    return base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()


def dingtalk_sign(secret: str, timestamp: str) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256)
    return base64.b64encode(digest.digest()).decode()


class FakeWebhooks(Serving):
    """The three robots on one loopback server. ``robots``: channel -> {key or token: signing
    secret or ""}. ``rates``: per channel (count, seconds), the services' own by default."""

    def __init__(self, robots: Mapping[str, Mapping[str, str]], *,
                 rates: Mapping[str, tuple[int, float]] | None = None,
                 clock: Callable[[], float] = time.time, hang_seconds: float = 3.0) -> None:
        self.robots = {channel: dict(keys) for channel, keys in robots.items()}
        self.rates = {**RATES, **(rates or {})}
        self.clock, self.hang_seconds = clock, hang_seconds
        self.received: list[Received] = []
        #: every request, accepted or not, per channel
        self.requests: Counter[str] = Counter()
        self.refused: list[tuple[str, int]] = []
        self._faults: dict[str, deque[int | str]] = {}
        self._sent: dict[str, deque[float]] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self.thread_name = "fake-webhooks"

    # -- control (url, start, stop, the context manager: testing.http.Serving) ---------------

    def wecom_url(self, key: str) -> str:
        return f"{self.url}/cgi-bin/webhook/send?key={key}"

    def feishu_url(self, token: str) -> str:
        return f"{self.url}/open-apis/bot/v2/hook/{token}"

    def dingtalk_url(self, token: str) -> str:
        return f"{self.url}/robot/send?access_token={token}"

    def fail(self, channel: str, *faults: int | str) -> None:
        """The next requests of ``channel`` get these answers, in order: an HTTP status (500),
        ``"hang"`` (no answer for ``hang_seconds``), ``"reset"``, or ``"errcode:N"``."""
        with self._lock:
            self._faults.setdefault(channel, deque()).extend(faults)

    def of(self, channel: str) -> list[Received]:
        return [r for r in self.received if r.channel == channel]

    def pause(self, seconds: float) -> bool:
        return self._stopping.wait(seconds)

    # -- the robots ------------------------------------------------------------------------

    def answer(self, method: str, path: str, query: dict[str, str], body: bytes) -> Reply:
        channel = "wecom" if path == "/cgi-bin/webhook/send" else "dingtalk" \
            if path == "/robot/send" else "feishu" if path.startswith("/open-apis/bot/v2/hook/") \
            else ""
        if not channel or method != "POST":
            return Reply(404, {"errcode": 404, "errmsg": "not found"})
        with self._lock:
            self.requests[channel] += 1
            fault = self._faults.get(channel, deque()).popleft() \
                if self._faults.get(channel) else None
        if fault is not None:
            return self._fault(channel, fault)
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return self._no(channel, 40000 if channel != "feishu" else 9499, "bad json")
        if not isinstance(data, dict):
            return self._no(channel, 40000, "bad json")
        check = {"wecom": self._wecom, "feishu": self._feishu, "dingtalk": self._dingtalk}
        robot = query.get("key") if channel == "wecom" else query.get("access_token") \
            if channel == "dingtalk" else unquote(path.rpartition("/")[2])
        return check[channel](robot or "", query, data, len(body))

    def _fault(self, channel: str, fault: int | str) -> Reply:
        if fault == "hang":
            self.pause(self.hang_seconds)
            return reset_reply()
        if fault == "reset":
            return reset_reply()
        if isinstance(fault, str) and fault.startswith("errcode:"):
            return self._no(channel, int(fault.partition(":")[2]), "scripted")
        return Reply(int(fault), raw=b"<html>error</html>", content_type="text/html")

    def _no(self, channel: str, code: int, message: str) -> Reply:
        with self._lock:
            self.refused.append((channel, code))
        if channel == "feishu":
            return Reply(200, {"code": code, "msg": message, "data": {}})
        return Reply(200, {"errcode": code, "errmsg": message})

    def _ok(self, channel: str, robot: str, data: dict[str, Any]) -> Reply:
        count, window = self.rates[channel]
        now = time.monotonic()
        with self._lock:
            sent = self._sent.setdefault(f"{channel}/{robot}", deque())
            while sent and now - sent[0] >= window:
                sent.popleft()
            if len(sent) >= count:
                limited = True
            else:
                limited = False
                sent.append(now)
                self.received.append(Received(channel, robot, data))
        if limited:
            return self._no(channel, {"wecom": 45009, "feishu": 11232,
                                      "dingtalk": 130101}[channel], "send too fast")
        if channel == "feishu":
            return Reply(200, {"code": 0, "msg": "success", "data": {}})
        return Reply(200, {"errcode": 0, "errmsg": "ok"})

    def _signed(self, channel: str, robot: str, timestamp: Any, sign: Any,
                scale: float) -> bool:
        secret = self.robots[channel][robot]
        if not secret:
            return True
        try:
            stamp = float(str(timestamp)) / scale
        except ValueError:
            return False
        if abs(self.clock() - stamp) > SIGN_WINDOW_S:
            return False
        make = feishu_sign if channel == "feishu" else dingtalk_sign
        return hmac.compare_digest(str(sign), make(secret, str(timestamp)))

    def _wecom(self, key: str, query: dict[str, str], data: dict[str, Any],
               length: int) -> Reply:
        if key not in self.robots.get("wecom", {}):
            # WeCom's own errmsg quotes what it was given: the key must be blanked by the client
            return self._no("wecom", 93000, f"invalid webhook url, hint: [key={key}] not found")
        kind = data.get("msgtype")
        if kind == "markdown":
            content = data.get("markdown", {}).get("content")
            if not isinstance(content, str) or not content:
                return self._no("wecom", 44004, "empty content")
            if len(content.encode("utf-8")) > WECOM_MARKDOWN_BYTES:
                return self._no("wecom", 40058, "markdown.content exceed max length 4096")
        elif kind == "image":
            image = data.get("image", {})
            try:
                raw = base64.b64decode(str(image.get("base64", "")), validate=True)
            except (binascii.Error, ValueError):
                return self._no("wecom", 301019, "invalid base64")
            if not raw or hashlib.md5(raw).hexdigest() != image.get("md5"):
                return self._no("wecom", 301019, "media md5 not match")
            if len(raw) > WECOM_IMAGE_BYTES:
                return self._no("wecom", 40009, "invalid image size")
        else:
            return self._no("wecom", 40008, "invalid message type")
        return self._ok("wecom", key, data)

    def _feishu(self, token: str, query: dict[str, str], data: dict[str, Any],
                length: int) -> Reply:
        if token not in self.robots.get("feishu", {}):
            return self._no("feishu", 19001, "param invalid: incoming webhook access token "
                            "invalid")
        if length > FEISHU_BODY_BYTES:
            return self._no("feishu", 9499, "request body too large")
        if not self._signed("feishu", token, data.get("timestamp"), data.get("sign"), 1.0):
            return self._no("feishu", 19021, "sign match fail or timestamp is not within one "
                            "hour from current time")
        kind = data.get("msg_type")
        if kind == "interactive" and not isinstance(data.get("card"), dict):
            return self._no("feishu", 9499, "card missing")
        if kind not in ("interactive", "post", "text"):
            return self._no("feishu", 9499, "msg_type invalid")
        return self._ok("feishu", token, data)

    def _dingtalk(self, token: str, query: dict[str, str], data: dict[str, Any],
                  length: int) -> Reply:
        if token not in self.robots.get("dingtalk", {}):
            return self._no("dingtalk", 300001, "token is not exist")
        if not self._signed("dingtalk", token, query.get("timestamp"), query.get("sign"),
                            1000.0):
            return self._no("dingtalk", 310000, "sign not match")
        if data.get("msgtype") != "markdown" or not data.get("markdown", {}).get("text"):
            return self._no("dingtalk", 40035, "markdown text missing")
        return self._ok("dingtalk", token, data)


__all__ = ["FakeWebhooks", "Received"]
