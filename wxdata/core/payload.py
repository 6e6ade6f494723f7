"""WeChat retention answers (daily, weekly, monthly): parse, validate, and write back.

Two forms carry the same data: the HTTPS answer (``ref_date``, ``visit_uv_new``, ``visit_uv``) and
the cloud-call answer (``refDate``, ``visitUvNew``, ``visitUv``, ``errMsg``). Both parse to one
:class:`Retention`; the form of ``ref_date`` says which API answered (``yyyymmdd-yyyymmdd`` a
week, ``yyyymmdd`` a day, ``yyyymm`` a month) and so which keys are allowed. Anything malformed
is a :class:`PayloadError` naming the cohort, so that it is reported and never cached.

>>> p = parse_payload({"ref_date": "20170306-20170312",
...                    "visit_uv_new": [{"key": 0, "value": 0}, {"key": 1, "value": 16853}],
...                    "visit_uv": [{"key": 0, "value": 0}, {"key": 1, "value": 99310}]})
>>> p.period.iso, dict(p.new), p.offsets
('2017-W10', {0: 0, 1: 16853}, 2)
>>> try:
...     parse_payload({"ref_date": "20261103", "visit_uv_new": [{"key": 8, "value": 1}],
...                    "visit_uv": []})
... except PayloadError as exc:
...     exc.params["item"], exc.params["keys"]
('key 8', '0..7, 14, 30')
"""

from __future__ import annotations

import json
import reprlib
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal

from wxdata.core.errors import DateError, PayloadError, errcode_of
from wxdata.core.periods import Period, PeriodKind, period_of_ref_date
from wxdata.core.secrets import redact


def _short_repr() -> reprlib.Repr:
    """reprlib bounded in depth and width (Python 3.11's Repr takes no arguments)."""
    short = reprlib.Repr()
    short.maxlevel, short.maxdict, short.maxlist = 2, 3, 3
    short.maxstring = short.maxother = 30
    return short


_REPR = _short_repr()
#: The two series of every answer: the week's new users and its active users.
Metric = Literal["new", "active"]
METRICS: tuple[Metric, ...] = ("new", "active")
#: (field in the HTTPS answer, field in the cloud-call answer, tidy ``metric``)
SERIES: tuple[tuple[str, str, Metric], ...] = (("visit_uv_new", "visitUvNew", "new"),
                                               ("visit_uv", "visitUv", "active"))


#: No mini program has ten billion users: a larger count is a broken or hostile answer.
MAX_USERS = 10**10 - 1
#: A saved file holds at most this many answers of each period: ten years of each with room to
#: spare (ten years are 3,653 days, 522 weeks, 120 months). One cap for all (2000, the weekly
#: release's) cut a file of days off at five and a half years.
MAX_ANSWERS_OF: Mapping[PeriodKind, int] = MappingProxyType({"day": 4000, "week": 2000,
                                                             "month": 2000})
#: The cap of weeks (and months), as before days existed.
MAX_ANSWERS = MAX_ANSWERS_OF["week"]
#: A saved file is at most this big: a year of answers is about 40 KB.
MAX_FILE_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Retention:
    """One cohort's answer. ``new``/``active`` map offset -> users (only published keys).

    Only valid answers can exist: keys are the documented offsets of the period's API
    (:attr:`Period.KEYS`) and users are whole numbers in 0..:data:`MAX_USERS`, whoever builds
    one (a parse, the demo, the store).
    """

    period: Period
    new: Mapping[int, int]
    active: Mapping[int, int]

    def __post_init__(self) -> None:
        for field, metric in (("visit_uv_new", "new"), ("visit_uv", "active")):
            for key, value in self.series(metric).items():
                _check_item(key, value, field, self.period)

    @property
    def offsets(self) -> int:
        """How many keys WeChat published (the larger of the two series)."""
        return max(len(self.new), len(self.active))

    @property
    def is_empty(self) -> bool:
        """No key at all: WeChat has not computed the week yet (seen before ~10:00 UTC+8,
        sometimes until 15:00)."""
        return not self.new and not self.active

    def series(self, metric: str) -> Mapping[int, int]:
        return self.new if metric == "new" else self.active

    def above_base(self) -> tuple[tuple[Metric, int], ...]:
        """(metric, offset) pairs whose users exceed the cohort's own week: a rate above 100%.

        WeChat does not promise W_k <= W_0 (it counts who came back, not who stayed), so this
        is kept, and said, rather than refused. Over a zero or missing base the rate is
        undefined, not above 100%: not flagged (WeChat's own example has a zero base).
        """
        return tuple((metric, k) for metric in METRICS
                     for k, users in self.series(metric).items()
                     if k > 0 and users > self.series(metric).get(0, 0) > 0)

    def to_api(self) -> dict[str, Any]:
        """The HTTPS answer form: what the cache stores and the JSON export writes."""
        return {
            "ref_date": self.period.ref_date,
            "visit_uv_new": [{"key": k, "value": v} for k, v in sorted(self.new.items())],
            "visit_uv": [{"key": k, "value": v} for k, v in sorted(self.active.items())],
        }


def keys_text(period: type[Period] | Period) -> str:
    """The documented keys of a period's API, as a message names them: ``0..4``,
    ``0..7, 14, 30``, ``0..1``."""
    keys = period.KEYS
    run = next((i for i in range(1, len(keys)) if keys[i] != keys[i - 1] + 1), len(keys))
    return ", ".join([f"{keys[0]}..{keys[run - 1]}", *map(str, keys[run:])])


def _check_item(key: int, value: int, field: str, period: Period) -> None:
    if key not in period.KEYS:
        raise PayloadError("bad_key", field=field, week=period.label, item=f"key {key}",
                           keys=keys_text(period))
    if not 0 <= value <= MAX_USERS:
        raise PayloadError("bad_value", field=field, week=period.label,
                           item=f"key {key}: {value}", most=f"{MAX_USERS:,}")


def _shown(item: Any) -> str:
    """A short, safe rendering of whatever a file holds (bounded depth and length)."""
    return _REPR.repr(item)[:80]


def _whole(value: Any) -> int | None:
    """An int from a JSON number that is a whole number (``12`` or ``12.0``), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _series(items: Any, field: str, period: Period) -> Mapping[int, int]:
    week = period.label
    if not isinstance(items, list):
        raise PayloadError("not_a_list", field=field, week=week)
    if len(items) > len(period.KEYS):
        raise PayloadError("too_many_keys", field=field, week=week, n=len(items),
                           keys=keys_text(period))
    out: dict[int, int] = {}
    for item in items:
        key = _whole(item.get("key")) if isinstance(item, dict) else None
        value = _whole(item.get("value")) if isinstance(item, dict) else None
        if key is None:
            raise PayloadError("bad_key", field=field, week=week, item=_shown(item),
                               keys=keys_text(period))
        if value is None:
            raise PayloadError("bad_value", field=field, week=week, item=_shown(item),
                               most=f"{MAX_USERS:,}")
        _check_item(key, value, field, period)
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


def parse_payload(obj: Any, *, expect: Period | None = None) -> Retention:
    """Validate one answer (either form, any period). ``expect``: the cohort asked for."""
    week_name = expect.label if expect else "?"
    if not isinstance(obj, Mapping):
        raise PayloadError("not_an_object", week=week_name)
    _check_error_fields(obj, week_name)
    camel = "refDate" in obj and "ref_date" not in obj
    ref_date = obj.get("refDate" if camel else "ref_date")
    if not isinstance(ref_date, str):
        raise PayloadError("missing_field", field="ref_date", week=week_name)
    try:
        period = period_of_ref_date(ref_date)
    except DateError:
        raise PayloadError("bad_ref_date", value=ref_date[:40], week=week_name) from None
    if expect is not None and period != expect:
        raise PayloadError("wrong_week", got=period.label, week=expect.label)
    series = {}
    for snake, camel_name, metric in SERIES:
        field = camel_name if camel else snake
        if field not in obj:
            raise PayloadError("missing_field", field=field, week=period.label)
        series[metric] = _series(obj[field], field, period)
    return Retention(period=period, new=series["new"], active=series["active"])


def parse_many(obj: Any) -> list[Retention]:
    """A saved file's content: one answer or a list of answers, each validated, one per cohort
    (days, weeks and months may be mixed; they are told apart by their ``ref_date``).

    The same cohort twice with the same numbers is kept once; with different numbers the file
    contradicts itself and is refused (which one would be right?).
    """
    if not isinstance(obj, list):
        return [parse_payload(obj)]  # one answer: its own error, not "item 1"
    items = obj
    if not items:
        raise PayloadError("empty_file")
    _check_counts(items)
    by_period: dict[Period, Retention] = {}
    for index, item in enumerate(items, start=1):
        try:
            payload = parse_payload(item)
        except PayloadError as exc:
            raise PayloadError("in_item", index=index, reason=exc) from None
        seen = by_period.setdefault(payload.period, payload)
        if seen != payload:
            raise PayloadError("conflicting_week", week=payload.period.label, index=index)
    return sorted(by_period.values(), key=lambda p: (p.period.kind, p.period.start))


#: How long each period's ``ref_date`` is: 20261103, 20261102-20261108, 202611.
_REF_DATE_KINDS: dict[int, PeriodKind] = {8: "day", 17: "week", 6: "month"}


def _check_counts(items: list[Any]) -> None:
    """PayloadError when a file holds more answers of a period than :data:`MAX_ANSWERS_OF`
    allows (counted before anything is parsed, from the length of each ``ref_date``; an item
    without one is left to the parse to refuse)."""
    if len(items) > sum(MAX_ANSWERS_OF.values()):
        raise PayloadError("too_many_answers", n=len(items), most=max(MAX_ANSWERS_OF.values()))
    counts: dict[PeriodKind, int] = dict.fromkeys(MAX_ANSWERS_OF, 0)
    for item in items:
        ref_date = item.get("ref_date", item.get("refDate")) if isinstance(item, Mapping) \
            else None
        kind = _REF_DATE_KINDS.get(len(ref_date)) if isinstance(ref_date, str) else None
        if kind is not None:
            counts[kind] += 1
    for kind, n in counts.items():
        if n > MAX_ANSWERS_OF[kind]:
            raise PayloadError(f"too_many_{kind}_answers", n=n, most=MAX_ANSWERS_OF[kind])


def loads(text: str | bytes) -> list[Retention]:
    """Parse a saved JSON file (UTF-8, BOM allowed; at most :data:`MAX_FILE_BYTES`)."""
    if len(text) > MAX_FILE_BYTES:
        raise PayloadError("too_big", mb=MAX_FILE_BYTES // (1024 * 1024))
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise PayloadError("not_utf8") from None
    try:
        obj = json.loads(text.lstrip("\ufeff"))
    except json.JSONDecodeError as exc:
        raise PayloadError("not_json", line=exc.lineno, column=exc.colno) from None
    except RecursionError:  # "[[[[...": nested deeper than any answer ever is
        raise PayloadError("too_deep") from None
    return parse_many(obj)
