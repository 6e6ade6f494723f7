"""Mini programs by name and appid: how they are labelled and found, in one place.

>>> apps = [AppInfo("鲜果优选", "wx0123456789abcdef"), AppInfo("拼图", "wxfedcba9876543210")]
>>> find_app(apps, "拼图").appid, apps[0].label
('wxfedcba9876543210', '鲜果优选 · wx0123456789abcdef')
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

from wxdata.core.errors import ConfigError


@dataclass(frozen=True)
class AppInfo:
    """A mini program as people see it: never carries the secret (see ``config.AppConfig``)."""

    name: str
    appid: str

    @property
    def label(self) -> str:
        """``name · appid``, or the appid alone when the app has no name of its own."""
        return self.name if self.name == self.appid else f"{self.name} · {self.appid}"

    def info(self) -> AppInfo:
        """The app as people see it, whatever else a subclass carries (a configured app's secret
        and goals, a demo app's curves): what a source's ``apps()`` returns."""
        return AppInfo(self.name, self.appid)


A = TypeVar("A", bound=AppInfo)


def find_app(apps: Iterable[A], name_or_appid: str) -> A:
    """The app called ``name_or_appid`` (its name or its appid); a ConfigError listing the
    known apps when there is none."""
    known = list(apps)
    for app in known:
        if name_or_appid in (app.name, app.appid):
            return app
    raise ConfigError("unknown_app", app=name_or_appid,
                      known=", ".join(a.label for a in known) or "-")
