"""Who may see which mini program, read from the secrets file's ``[auth]`` and ``[access]``
tables. No Streamlit here: the dashboard asks :class:`Grant` before anything reaches a page.

.. code-block:: toml

    [access]
    contact = "数据组 data@corp.cn"      # whom a person without access should ask
    admins = ["lead@corp.cn"]            # admins of every app
    viewers = []                         # viewers of every app (optional)

    [access.wx0123456789abcdef]
    viewers = ["pm@corp.cn", "@corp.cn"]
    admins = ["ops@corp.cn"]

A rule is a whole address (``pm@corp.cn``) or a domain (``@corp.cn``: exactly that domain, not
``@evilcorp.cn`` nor ``corp.cn.evil.com`` nor a subdomain). Addresses are compared in lower case.
An admin of an app also views it; admins may refresh it from WeChat, import files and see the
cache status. A provider that says ``email_verified = false`` gives no address, hence nothing.

>>> policy = parse_access({"wx1": {"viewers": ["@corp.cn"]}, "admins": ["lead@corp.cn"]})
>>> pm, outsider = Grant.of("PM@Corp.CN", policy), Grant.of("pm@evilcorp.cn", policy)
>>> pm.visible(["wx1", "wx2"]), outsider.visible(["wx1", "wx2"]), pm.may_admin(["wx1"])
(('wx1',), (), False)
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from wxdata.core.errors import ConfigError
from wxdata.core.secrets import remember_secret

ROLES = ("viewers", "admins")
#: Shorter than this, a cookie secret can be guessed, and whoever guesses it can sign the
#: identity cookie of any address (Streamlit trusts the cookie it signed).
MIN_COOKIE_SECRET = 32
#: ``[auth]`` keys whose values are credentials, at the top or in a named provider's table.
AUTH_SECRET_KEYS = ("cookie_secret", "client_secret")
_UNVERIFIED = (False, 0, "false", "False", "0")


def _rule(text: object, where: str) -> str:
    """A rule as it is matched: ``local@domain`` or ``@domain``, in lower case."""
    rule = str(text).strip().lower() if isinstance(text, str) else ""
    local, at, domain = rule.rpartition("@")
    if not at or not domain or "@" in local or any(c.isspace() for c in rule) \
            or domain.startswith(".") or domain.endswith("."):
        raise ConfigError("bad_access", where=where, value=str(text)[:80])
    return rule


def matches(rule: str, email: str) -> bool:
    """``email`` (already lower case) is ``rule``'s address, or in ``rule``'s domain.

    >>> [matches("@corp.cn", e) for e in ("a@corp.cn", "a@evilcorp.cn", "a@corp.cn.evil.com")]
    [True, False, False]
    """
    if rule.startswith("@"):
        return email.rpartition("@")[2] == rule[1:]
    return email == rule


@dataclass(frozen=True)
class Rules:
    """The viewers and admins of one app (or of every app: the ``[access]`` table itself)."""

    viewers: tuple[str, ...] = ()
    admins: tuple[str, ...] = ()

    def admits(self, email: str, role: str) -> bool:
        rules = self.admins if role == "admins" else (*self.viewers, *self.admins)
        return any(matches(r, email) for r in rules)


def _rules(table: Mapping[str, Any], where: str, allowed: Iterable[str]) -> Rules:
    unknown = set(table) - set(allowed)
    if unknown:
        raise ConfigError("bad_access", where=where, value=", ".join(sorted(unknown))[:80])
    lists = {}
    for role in ROLES:
        value = table.get(role, [])
        if not isinstance(value, list):
            raise ConfigError("bad_access", where=f"{where}.{role}", value=str(value)[:80])
        lists[role] = tuple(_rule(v, f"{where}.{role}") for v in value)
    return Rules(**lists)


@dataclass(frozen=True)
class AccessPolicy:
    everywhere: Rules = field(default_factory=Rules)
    apps: Mapping[str, Rules] = field(default_factory=dict)
    contact: str = ""

    def admits(self, email: str, app_id: str, role: str = "viewers") -> bool:
        own = self.apps.get(app_id, Rules())
        return self.everywhere.admits(email, role) or own.admits(email, role)

    def admin_anywhere(self, email: str) -> bool:
        return self.everywhere.admits(email, "admins") or \
            any(rules.admits(email, "admins") for rules in self.apps.values())


def parse_access(table: Mapping[str, Any] | None) -> AccessPolicy:
    """The ``[access]`` table; a ConfigError naming the entry that cannot be read (a typo such
    as ``viewer =`` must not quietly leave an app closed, or open)."""
    table = dict(table or {})
    contact = table.pop("contact", "")
    if not isinstance(contact, str):
        raise ConfigError("bad_access", where="access.contact", value=str(contact)[:80])
    apps = {str(k): v for k, v in table.items() if isinstance(v, Mapping)}
    everywhere = _rules({k: v for k, v in table.items() if k not in apps}, "access", ROLES)
    per_app = {app: _rules(rules, f"access.{app}", ROLES) for app, rules in apps.items()}
    return AccessPolicy(everywhere, per_app, contact.strip())


def email_from_claims(claims: Mapping[str, Any]) -> str | None:
    """The signed-in person's address in lower case; None without one, or when the provider
    says it is not verified (anyone can type an unverified address).

    >>> email_from_claims({"email": " PM@Corp.cn "}), email_from_claims({"email": "a@b.cn",
    ...                                                                  "email_verified": False})
    ('pm@corp.cn', None)
    """
    email = claims.get("email")
    if not isinstance(email, str) or claims.get("email_verified", True) in _UNVERIFIED:
        return None
    email = email.strip().lower()
    local, at, domain = email.rpartition("@")
    return email if at and local and domain and not any(c.isspace() for c in email) else None


@dataclass(frozen=True)
class Grant:
    """What the person using a session may do. ``policy`` None: sign-in is off (local use), and
    everyone may do everything, as before sign-in existed."""

    email: str | None = None
    policy: AccessPolicy | None = None

    @classmethod
    def of(cls, email: str | None, policy: AccessPolicy) -> Grant:
        """The grant of ``email`` (compared in lower case) under ``policy``."""
        return cls(email.strip().lower() if email else None, policy)

    @property
    def open(self) -> bool:
        return self.policy is None

    @property
    def contact(self) -> str:
        return self.policy.contact if self.policy else ""

    def may_view(self, app_id: str) -> bool:
        if self.policy is None:
            return True
        return self.email is not None and self.policy.admits(self.email, app_id)

    def visible(self, app_ids: Iterable[str]) -> tuple[str, ...]:
        """The ``app_ids`` this person may see, in their order."""
        return tuple(a for a in app_ids if self.may_view(a))

    def may_admin(self, app_ids: Sequence[str]) -> bool:
        """Refresh these apps from WeChat and see their cache status: admin of every one."""
        if self.policy is None:
            return True
        return bool(app_ids) and self.email is not None and \
            all(self.policy.admits(self.email, a, "admins") for a in app_ids)

    @property
    def may_import(self) -> bool:
        """Import files (they feed only this session): an admin of some app."""
        if self.policy is None:
            return True
        return self.email is not None and self.policy.admin_anywhere(self.email)


def auth_secrets(auth: Mapping[str, Any]) -> tuple[str, ...]:
    """The credentials of an ``[auth]`` table: its cookie secret and every provider's client
    secret (``[auth]`` itself or ``[auth.<provider>]``)."""
    found = [str(auth[k]) for k in AUTH_SECRET_KEYS if isinstance(auth.get(k), str)]
    for value in auth.values():
        if isinstance(value, Mapping):
            found.extend(auth_secrets(value))
    return tuple(s for s in found if s)


def provider_name(auth: Mapping[str, Any]) -> str | None:
    """The provider ``st.login`` should use: None when ``[auth]`` itself names one (Streamlit's
    "default"), else the first ``[auth.<name>]`` table that has a ``client_id``.

    >>> provider_name({"client_id": "x"}), provider_name({"feishu": {"client_id": "x"}})
    (None, 'feishu')
    """
    if "client_id" in auth:
        return None
    return next((str(name) for name, value in auth.items()
                 if isinstance(value, Mapping) and "client_id" in value), None)


def check_auth(auth: Mapping[str, Any]) -> None:
    """Remember the ``[auth]`` credentials (blanked from every log line and message from now
    on) and refuse a cookie secret short enough to guess."""
    for secret in auth_secrets(auth):
        remember_secret(secret)
    cookie = auth.get("cookie_secret")
    if isinstance(cookie, str) and len(cookie) < MIN_COOKIE_SECRET:
        raise ConfigError("weak_cookie_secret", n=MIN_COOKIE_SECRET)


def is_loopback(address: str | None) -> bool:
    """``server.address`` serves this machine only. Unset or empty means every interface.

    >>> [is_loopback(a) for a in ("127.0.0.1", "localhost", "::1", "0.0.0.0", "", None)]
    [True, True, True, False, False, False]
    """
    if not address:
        return False
    if address.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip().strip("[]")).is_loopback
    except ValueError:
        return False
