"""Fixtures of the digest tests: the fake robots (:mod:`wxdata.testing.webhooks`) on loopback,
an SMTP server (aiosmtpd) on loopback, credentials distinctive enough to scan for, and a
secrets file written the way an operator would.

- ``robots``: a started :class:`FakeWebhooks` knowing :data:`WECOM_KEY`, :data:`FEISHU_TOKEN`
  (signed with :data:`FEISHU_SECRET`) and :data:`DINGTALK_TOKEN` (signed, :data:`DINGTALK_SECRET`);
- ``smtp``: an aiosmtpd server on a free port that accepts the login ``wx`` / :data:`SMTP_PASSWORD`
  and keeps every message (``smtp.handler.messages``);
- ``write_secrets(text)``: the secrets file of the test, named by ``WXDATA_SECRETS_FILE``.
"""

from __future__ import annotations

import secrets
import socket
import ssl
import subprocess
from collections.abc import Callable, Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from wxdata.testing.webhooks import FakeWebhooks

WECOM_KEY = f"wecom-key-{secrets.token_hex(8)}"
FEISHU_TOKEN = f"feishu-{secrets.token_hex(8)}"
FEISHU_SECRET = f"fs-SEC-{secrets.token_hex(8)}"
DINGTALK_TOKEN = f"ding-{secrets.token_hex(8)}"
DINGTALK_SECRET = f"SECding{secrets.token_hex(8)}"
SMTP_PASSWORD = f"smtp-pw-{secrets.token_hex(8)}"
CREDENTIALS = (WECOM_KEY, FEISHU_TOKEN, FEISHU_SECRET, DINGTALK_TOKEN, DINGTALK_SECRET,
               SMTP_PASSWORD)


@pytest.fixture
def robots() -> Iterator[FakeWebhooks]:
    with FakeWebhooks({"wecom": {WECOM_KEY: ""}, "feishu": {FEISHU_TOKEN: FEISHU_SECRET},
                       "dingtalk": {DINGTALK_TOKEN: DINGTALK_SECRET}},
                      hang_seconds=3.0) as fake:
        yield fake


class Mailbox:
    """aiosmtpd handler: keeps every message it is given."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.original_content or envelope.content,
                                     policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def authenticate(server: Any, session: Any, envelope: Any, mechanism: str,
                 auth_data: Any) -> Any:
    """aiosmtpd authenticator: user ``wx`` with :data:`SMTP_PASSWORD`, anything else refused."""
    from aiosmtpd.smtp import AuthResult, LoginPassword

    ok = isinstance(auth_data, LoginPassword) and auth_data.login == b"wx" \
        and auth_data.password == SMTP_PASSWORD.encode()
    if ok:
        return AuthResult(success=True)
    # aiosmtpd's own default (handled=True) answers nothing and the client waits
    return AuthResult(success=False, handled=False,
                      message="535 5.7.8 Authentication credentials invalid")


def self_signed(folder: Path) -> tuple[ssl.SSLContext, Path]:
    """A server TLS context for 127.0.0.1 with a fresh self-signed certificate, and the
    certificate's file (what an operator's CA bundle would be: ``SSL_CERT_FILE``)."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(cert, key)
    return tls, cert


@pytest.fixture
def smtp() -> Iterator[Any]:
    from aiosmtpd.controller import Controller

    controller = Controller(Mailbox(), hostname="127.0.0.1", port=_free_port(),
                            authenticator=authenticate, auth_require_tls=False)
    controller.start()
    try:
        yield controller
    finally:
        controller.stop()


@pytest.fixture
def write_secrets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str], Path]:
    def write(text: str) -> Path:
        path = tmp_path / "secrets.toml"
        path.write_text(text, encoding="utf-8")
        monkeypatch.setenv("WXDATA_SECRETS_FILE", str(path))
        return path

    return write


def digest_table(channel: str, url: str = "", *, name: str = "fruit-weekly",
                 extra: str = "") -> str:
    """One ``[[digest]]`` table of ``channel`` for the demo's two apps, weeks only."""
    lines = ["[[digest]]", f'name = "{name}"', f'channel = "{channel}"', 'periods = ["week"]']
    if url:
        lines.append(f'webhook = "{url}"')
    return "\n".join(lines) + "\n" + extra


BASE = '[wxdata]\nbase_url = "https://wxretain.corp.cn"\n'
