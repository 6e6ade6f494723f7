"""Goals: a target rate per app, metric and offset ("新增次日留存 ≥ 35 %", "W1 ≥ 30 %").

A goal is written the way ``secrets.toml`` names it, ``{metric}_{offset}``: ``new_d1 = 0.35``
(new users, day 1: 次日), ``new_w1 = 0.30``, ``active_m1 = 0.5``. The offset's letter says the
period (d, w, m) and must be one WeChat publishes (D0..D7, D14, D30; W0..W4; M0, M1). A target
is a fraction in (0, 1]; "35" or "35%" are refused with the form that works, since 35 would be
a goal no cohort can meet.

>>> Goal.parse("new_d1", 0.35)
Goal(metric='new', kind='day', offset=1, target=0.35)
>>> Goal.parse("active_w4", 0.2).name
'active_w4'

Admins may also set goals in the dashboard or with ``wxdata goal set`` (kept in the store,
:mod:`wxdata.store.admin`); :func:`merge` lays them over the configured ones: a stored goal
replaces the configured goal of the same name (app, metric, period and offset), the others
stay.

>>> [g.target for g in merge([Goal.parse("new_w1", 0.3), Goal.parse("new_d1", 0.35)],
...                          [Goal.parse("new_w1", 0.25)])]
[0.25, 0.35]
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from wxdata.core.errors import ConfigError
from wxdata.core.payload import METRICS
from wxdata.core.periods import PERIODS, PeriodKind

_KINDS: dict[str, PeriodKind] = {cls.LETTER.lower(): kind for kind, cls in PERIODS.items()}
_NAME = re.compile(r"^(?P<metric>[a-z]+)_(?P<letter>[a-z])(?P<offset>\d{1,2})$")


@dataclass(frozen=True)
class Goal:
    """``metric``'s rate at ``offset`` of a ``kind`` cohort should be at least ``target``."""

    metric: str
    kind: PeriodKind
    offset: int
    target: float

    @property
    def name(self) -> str:
        return f"{self.metric}_{PERIODS[self.kind].LETTER.lower()}{self.offset}"

    @classmethod
    def parse(cls, name: str, value: Any, *, where: str = "goals") -> Goal:
        """The goal ``name = value`` of a ``goals`` table (``where`` names it in errors)."""
        found = _NAME.match(str(name).strip().lower())
        kind = _KINDS.get(found["letter"]) if found else None
        if found is None or kind is None or found["metric"] not in METRICS or \
                int(found["offset"]) not in PERIODS[kind].KEYS:
            raise ConfigError("bad_goal_name", where=where, name=name)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or \
                not math.isfinite(value) or not 0 < value <= 1:
            raise ConfigError("bad_goal_value", where=where, name=name, value=value)
        return cls(found["metric"], kind, int(found["offset"]), float(value))


def parse_goals(table: Mapping[str, Any] | None, *, where: str = "goals") -> tuple[Goal, ...]:
    """Every goal of a ``goals = {…}`` table, in its order (empty for none)."""
    if table is None:
        return ()
    if not isinstance(table, Mapping):
        raise ConfigError("bad_goal_table", where=where)
    return tuple(Goal.parse(name, value, where=where) for name, value in table.items())


def merge(configured: Sequence[Goal], stored: Sequence[Goal]) -> tuple[Goal, ...]:
    """``configured`` with every goal of the same name replaced by ``stored``'s, then the
    stored goals of other names; in that order."""
    override = {g.name: g for g in stored}
    names = {g.name for g in configured}
    return (*(override.get(g.name, g) for g in configured),
            *(g for g in stored if g.name not in names))


__all__ = ["Goal", "merge", "parse_goals"]
