"""WeChat weekly-retention answers: parse, validate, and write back.

Two forms carry the same data: the HTTPS answer (``ref_date``, ``visit_uv_new``, ``visit_uv``) and
the cloud-call answer (``refDate``, ``visitUvNew``, ``visitUv``, ``errMsg``). Both parse to one
:class:`WeeklyRetention`; anything malformed is a :class:`PayloadError` naming the week, so that
it is reported and never cached.

>>> p = parse_payload({"ref_date": "20170306-20170312",
...                    "visit_uv_new": [{"key": 0, "value": 0}, {"key": 1, "value": 16853}],
...                    "visit_uv": [{"key": 0, "value": 0}, {"key": 1, "value": 99310}]})
>>> p.week.iso, dict(p.new), p.offsets
('2017-W10', {0: 0, 1: 16853}, 2)
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal

from wxdata.core.errors import DateError, PayloadError, errcode_of, redact
from wxdata.core.weeks import Week

#: The two series of every answer: the week's new users and its active users.
Metric = Literal["new", "active"]
METRICS: tuple[Metric, ...] = ("new", "active")
#: (field in the HTTPS answer, field in the cloud-call answer, tidy ``metric``)
SERIES: tuple[tuple[str, str, Metric], ...] = (("visit_uv_new", "visitUvNew", "new"),
                                               ("visit_uv", "visitUv", "active"))


@dataclass(frozen=True)
class WeeklyRetention:
    """One week's answer. ``new``/``active`` map week offset -> users (only published keys)."""

    week: Week
    new: Mapping[int, int]
    active: Mapping[int, int]

    @property
    def offsets(self) -> int:
        """How many keys WeChat published (the larger of the two series)."""
        return max(len(self.new), len(self.active))

    @property
    def is_empty(self) -> bool:
        """No key at all: WeChat has not computed the week yet (seen before ~09:00 UTC+8)."""
        return not self.new and not self.active

    def series(self, metric: str) -> Mapping[int, int]:
        return self.new if metric == "new" else self.active

    def to_api(self) -> dict[str, Any]:
        """The HTTPS answer form: what the cache stores and the JSON export writes."""
        return {
            "ref_date": self.week.ref_date,
            "visit_uv_new": [{"key": k, "value": v} for k, v in sorted(self.new.items())],
            "visit_uv": [{"key": k, "value": v} for k, v in sorted(self.active.items())],
        }


def _whole(value: Any) -> int | None:
    """An int from a JSON number that is a whole number (``12`` or ``12.0``), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _series(items: Any, field: str, week: str) -> Mapping[int, int]:
    if not isinstance(items, list):
        raise PayloadError("not_a_list", field=field, week=week)
    out: dict[int, int] = {}
    for item in items:
        key = _whole(item.get("key")) if isinstance(item, dict) else None
        value = _whole(item.get("value")) if isinstance(item, dict) else None
        if key is None or key < 0:
            raise PayloadError("bad_key", field=field, week=week, item=json.dumps(item)[:80])
        if value is None or value < 0:
            raise PayloadError("bad_value", field=field, week=week, item=json.dumps(item)[:80])
        if key in out:
            raise PayloadError("duplicate_key", field=field, week=week, key=key)
        out[key] = value
    return MappingProxyType(dict(sorted(out.items())))


def _check_error_fields(obj: Mapping[str, Any], week: str) -> None:
    """An errcode answer or a failed cloud call saved in place of data is not a payload.

    (The client turns a live errcode answer into its API error before parsing: this is for
    files, where "WeChat said no" means "this file holds no data".)
    """
    errcode = errcode_of(obj)
    if errcode:
        raise PayloadError("error_answer", week=week, errcode=errcode,
                           errmsg=redact(str(obj.get("errmsg", "")))[:200])
    err_msg = obj.get("errMsg")
    if err_msg is not None and not str(err_msg).endswith(":ok"):
        raise PayloadError("cloud_error", week=week, errmsg=redact(str(err_msg))[:200])


def parse_payload(obj: Any, *, expect: Week | None = None) -> WeeklyRetention:
    """Validate one answer (either form). ``expect``: the week that was asked for."""
    week_name = expect.label if expect else "?"
    if not isinstance(obj, Mapping):
        raise PayloadError("not_an_object", week=week_name)
    _check_error_fields(obj, week_name)
    camel = "refDate" in obj and "ref_date" not in obj
    ref_date = obj.get("refDate" if camel else "ref_date")
    if not isinstance(ref_date, str):
        raise PayloadError("missing_field", field="ref_date", week=week_name)
    try:
        week = Week.from_ref_date(ref_date)
    except DateError:
        raise PayloadError("bad_ref_date", value=ref_date[:40], week=week_name) from None
    if expect is not None and week != expect:
        raise PayloadError("wrong_week", got=week.label, week=expect.label)
    series = {}
    for snake, camel_name, metric in SERIES:
        field = camel_name if camel else snake
        if field not in obj:
            raise PayloadError("missing_field", field=field, week=week.label)
        series[metric] = _series(obj[field], field, week.label)
    return WeeklyRetention(week=week, new=series["new"], active=series["active"])


def parse_many(obj: Any) -> list[WeeklyRetention]:
    """A saved file's content: one answer or a list of answers (each validated)."""
    items = obj if isinstance(obj, list) else [obj]
    if not items:
        raise PayloadError("empty_file")
    payloads = []
    for index, item in enumerate(items, start=1):
        try:
            payloads.append(parse_payload(item))
        except PayloadError as exc:
            raise PayloadError("in_item", index=index, reason=exc) from exc
    return payloads


def loads(text: str | bytes) -> list[WeeklyRetention]:
    """Parse a saved JSON file (UTF-8, BOM allowed)."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise PayloadError("not_utf8") from None
    try:
        obj = json.loads(text.lstrip("\ufeff"))
    except json.JSONDecodeError as exc:
        raise PayloadError("not_json", line=exc.lineno, column=exc.colno) from None
    return parse_many(obj)
