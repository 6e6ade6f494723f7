"""The catalogue: both languages for every message, and every key the code asks for is in it
(and every key in it is asked for)."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar, get_args

import pytest

from wxdata.analytics.decay import MODELS
from wxdata.core.errors import WxDataError
from wxdata.core.payload import METRICS
from wxdata.core.report import Status
from wxdata.dashboard import keys
from wxdata.i18n import CATALOGUE, placeholders, t
from wxdata.present.charts import STATUS_COLORS
from wxdata.present.charts.curves import CAPTION_PARTS
from wxdata.sources.base import SourceName
from wxdata.wechat import http

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_every_message_has_both_languages_with_the_same_fields(key: str) -> None:
    zh, en = CATALOGUE[key]
    assert zh.strip() and en.strip()
    assert CJK.search(zh), f"{key}: the Chinese text has no Chinese"
    assert placeholders(zh) == placeholders(en), key


def test_every_errcode_has_a_message() -> None:
    for errcode, (_, code) in http.ERRCODES.items():
        assert f"api.{code}" in CATALOGUE, errcode
    assert "api.unknown" in CATALOGUE


def test_unknown_keys_and_missing_fields_do_not_raise() -> None:
    assert t("no.such.key", "en") == "no.such.key"
    assert "{value}" in t("date.bad_date", "en")


def test_languages_differ() -> None:
    assert t("date.bad_date", "zh", value="x") != t("date.bad_date", "en", value="x")


# -- keys used in code ---------------------------------------------------------------------------
# Keys reach t() as literals (t("page.data.title", ...)), as f-strings (t(f"metric.{m}.short")),
# through a function that passes its parameter on (Console.say("cli.x"), h("main") for
# f"cli.help.{key}"), and as an error's key (ConfigError("bad_value") -> "config.bad_value").

ROOT = Path(__file__).resolve().parents[1]
CODE = [*sorted(p for p in (ROOT / "wxdata").rglob("*.py") if "i18n" not in p.parts),
        ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]


def _subclasses(cls: type[WxDataError]) -> list[type[WxDataError]]:
    return [sub for direct in cls.__subclasses__() for sub in (direct, *_subclasses(direct))]


T = TypeVar("T")
ERRORS = {cls.__name__: cls for cls in (WxDataError, *_subclasses(WxDataError))}


def _pages() -> tuple[str, ...]:
    """The page names app.py routes to (``keys.PAGE_PATHS``) and its hidden "not found"."""
    return (*keys.PAGE_PATHS, keys.NOT_FOUND_PAGE)


#: f-string keys whose placeholder ranges over a known set: every expansion must exist.
KNOWN_SETS: dict[str, tuple[str, ...]] = {
    "page.{}.title": _pages(),
    "metric.{}": METRICS,
    "metric.{}.short": METRICS,
    "sidebar.metric.{}": METRICS,
    "chart.size.{}": METRICS,
    "model.{}": (*MODELS, ""),  # "": no fit, the curve is only drawn
    "status.{}": get_args(SourceName),
    "status.at.{}": get_args(SourceName),
    "page.data.refresh.help.{}": get_args(SourceName),
    "table.status.{}": get_args(Status),
    "chart.state.{}": tuple(STATUS_COLORS),
    "chart.mark.{}": ("provisional", "failed", "missing"),
    "chart.mark.short.{}": ("provisional", "failed", "missing"),
    "chart.caption.{}": CAPTION_PARTS,
    "story.w1.{}": ("up", "down", "flat", "untested"),
    "story.size.{}": ("up", "down", "flat"),
    "story.flag.{}": ("low", "high"),
    "page.heatmap.values.{}": ("rate", "users"),
    "page.heatmap.order.{}": ("top", "bottom"),
    "page.data.column.{}": ("app_id", "day_offset", "week_offset", "month_offset"),
}


@dataclass(frozen=True)
class Use:
    """A key as code asks for it: literal, or an f-string ``template`` with ``{}`` holes."""

    template: str
    where: str

    @property
    def pattern(self) -> re.Pattern[str]:
        return re.compile(".+".join(re.escape(part) for part in self.template.split("{}")))


def _name(func: ast.expr) -> str:
    return func.id if isinstance(func, ast.Name) else func.attr \
        if isinstance(func, ast.Attribute) else ""


#: What is known of a function, by (module path, function name).
Defs = dict[tuple[str, str], T]


def _which(defs: Defs[T], path: str, call: ast.Call) -> tuple[str, str] | None:
    """The function of ``defs`` a call in ``path`` calls: its own module's, else the only one of
    that name (``self._error`` is the store's own; ``transport_error`` comes from elsewhere)."""
    name = _name(call.func)
    if (path, name) in defs:
        return path, name
    others = [key for key in defs if key[1] == name]
    return others[0] if len(others) == 1 else None


def _templates(node: ast.expr, path: str, returns: Defs[set[str]]) -> set[str]:
    """The keys (or key templates) ``node`` can be: a literal, an f-string, or a call of a
    function that returns only literals (``_kind(exc)`` -> busy | unwritable | corrupt)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.JoinedStr):
        return {"".join(str(v.value) if isinstance(v, ast.Constant) else "{}"
                        for v in node.values)}
    if isinstance(node, ast.Call) and (which := _which(returns, path, node)):
        return returns[which]
    return set()


def _literal_returns(trees: dict[str, ast.Module]) -> Defs[set[str]]:
    """Functions every ``return`` of which is a string literal, and those strings."""
    found = {}
    for path, tree in trees.items():
        for func in ast.walk(tree):
            if isinstance(func, ast.FunctionDef):
                values = [r.value for r in ast.walk(func) if isinstance(r, ast.Return)]
                if values and all(isinstance(v, ast.Constant) and isinstance(v.value, str)
                                  for v in values):
                    found[path, func.name] = {str(v.value) for v in values if v is not None}
    return found


def _params(func: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    names = [a.arg for a in (*func.args.posonlyargs, *func.args.args)]
    return names[1:] if names[:1] in (["self"], ["cls"]) else names


def _forwarders(trees: dict[str, ast.Module], callee: Callable[[ast.Call], str | None]
                ) -> tuple[Defs[tuple[int, str]], dict[int, tuple[str, str]]]:
    """Functions that pass a parameter on as a key, with its position and the template around
    it, where ``callee(call)`` is the template around the key that call takes ("{}" for t,
    "config.{}" for ConfigError); and the calls inside them that pass it on (by id)."""
    found: Defs[tuple[int, str]] = {}
    passing: dict[int, tuple[str, str]] = {}
    for path, tree in trees.items():
        for func in ast.walk(tree):
            if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            params = _params(func)
            for call in ast.walk(func):
                outer = callee(call) if isinstance(call, ast.Call) else None
                if outer is None or not call.args:
                    continue
                arg = call.args[0]
                holes = [arg] if isinstance(arg, ast.Name) else [
                    v.value for v in arg.values if isinstance(v, ast.FormattedValue)] \
                    if isinstance(arg, ast.JoinedStr) else []
                if len(holes) == 1 and isinstance(holes[0], ast.Name) \
                        and holes[0].id in params:
                    inner = "{}" if isinstance(arg, ast.Name) else min(_templates(arg, path, {}))
                    found[path, func.name] = (params.index(holes[0].id),
                                              outer.replace("{}", inner))
                    passing[id(call)] = (path, func.name)
    return found, passing


def _uses(callee: Callable[[ast.Call], str | None]) -> list[Use]:
    """Every key the code asks for from the calls ``callee`` knows, and from functions that pass
    their parameter on to them."""
    trees = {str(p.relative_to(ROOT)): ast.parse(p.read_text(encoding="utf-8")) for p in CODE}
    (forwarded, passing), returns = _forwarders(trees, callee), _literal_returns(trees)
    calls = [(path, call) for path, tree in trees.items() for call in ast.walk(tree)
             if isinstance(call, ast.Call)]
    given: dict[tuple[str, str], list[set[str]]] = {}
    for path, call in calls:
        if (which := _which(forwarded, path, call)) and len(call.args) > forwarded[which][0]:
            given.setdefault(which, []).append(
                _templates(call.args[forwarded[which][0]], path, returns))
    # A function whose callers all name the key (h("main") for f"cli.help.{key}") uses those
    # keys, not every key its template would match.
    named = {which for which, keys in given.items() if all(keys)}
    uses = []
    for path, call in calls:
        if passing.get(id(call)) in named:
            continue
        outer, index = callee(call), 0
        if which := _which(forwarded, path, call):
            index, outer = forwarded[which]
        if outer is None or len(call.args) <= index:
            continue
        uses += [Use(outer.replace("{}", key), f"{path}:{call.lineno}")
                 for key in sorted(_templates(call.args[index], path, returns))]
    return uses


#: Functions that take a key as t() does: ``period_text(key, kind, lang)`` is t() of ``key`` or,
#: for days and months, of its variant ``key.day`` / ``key.month`` where there is one.
KEY_TAKERS = ("t", "period_text")
#: The variants ``period_text`` may pick for a key.
PERIOD_VARIANTS = ("day", "month")


def message_uses() -> list[Use]:
    return _uses(lambda call: "{}" if _name(call.func) in KEY_TAKERS else None)


def period_uses() -> list[Use]:
    """The keys given to ``period_text``: their ``.day`` and ``.month`` variants are used."""
    return _uses(lambda call: "{}" if _name(call.func) == "period_text" else None)


def error_uses() -> list[Use]:
    return _uses(_error_key)


def _error_key(call: ast.Call) -> str | None:
    """The key template of an error constructed by ``call``: the class itself says how its key
    is made (``CacheError("busy", backend="postgresql")`` -> "cache.postgresql.busy"), so it is
    asked, with the call's literal keywords and a hole for the code."""
    cls = ERRORS.get(_name(call.func))
    if cls is None:
        return None
    literal = {k.arg: k.value.value for k in call.keywords
               if k.arg and isinstance(k.value, ast.Constant)}
    return cls("{}", **literal).key


def _string_constants() -> set[str]:
    return {node.value for path in CODE for node in ast.walk(ast.parse(path.read_text("utf-8")))
            if isinstance(node, ast.Constant) and isinstance(node.value, str)}


def test_the_scan_finds_keys_of_every_kind() -> None:
    """A scanner that silently found nothing would pass every test below."""
    keys = {u.template for u in message_uses()}
    assert {"page.heatmap.footnote", "chart.caption.{}"} <= {u.template for u in period_uses()}
    assert {"page.data.title", "page.{}.title", "cli.help.main", "cli.bad_args"} <= keys
    assert "cli.help.{}" not in keys  # h(key)'s own f-string: its keys are what h is given
    errors = {u.template for u in error_uses()}
    assert {"config.bad_value", "cache.schema", "cache.corrupt", "cache.postgresql.unreachable",
            "api.timeout"} <= errors


def test_every_literal_key_in_code_has_both_languages() -> None:
    missing = [f"{u.where}: {u.template}" for u in message_uses() + error_uses()
               if "{}" not in u.template and not _both(u.template)]
    assert not missing, "keys used in code but not in the catalogue:\n" + "\n".join(missing)


def test_every_f_string_key_matches_the_catalogue() -> None:
    wrong = []
    for use in message_uses() + error_uses():
        if "{}" not in use.template:
            continue
        if use.template in KNOWN_SETS:
            wrong += [f"{use.where}: {use.template.replace('{}', v, 1)} (from {use.template})"
                      for v in KNOWN_SETS[use.template]
                      if not _both(use.template.replace("{}", v, 1))]
        elif not any(use.pattern.fullmatch(key) for key in CATALOGUE):
            wrong.append(f"{use.where}: {use.template} matches no key")
    assert not wrong, "f-string keys without a message:\n" + "\n".join(wrong)


def test_every_known_set_is_still_used() -> None:
    templates = {u.template for u in message_uses()}
    assert not set(KNOWN_SETS) - templates, "KNOWN_SETS entries no code uses any more"


def test_every_key_in_the_catalogue_is_used() -> None:
    uses = message_uses() + error_uses()
    used = {u.template for u in uses} | _string_constants()
    used |= {t.replace("{}", v, 1) for t, values in KNOWN_SETS.items() for v in values}
    per_period = {u.template for u in period_uses()}
    per_period |= {t.replace("{}", v, 1) for t in per_period & set(KNOWN_SETS)
                   for v in KNOWN_SETS[t]}
    used |= {f"{key}.{kind}" for key in per_period for kind in PERIOD_VARIANTS}
    used |= {f"api.{code}" for _, code in http.ERRCODES.values()} | {"api.unknown"}
    open_ended = [u.pattern for u in uses if "{}" in u.template and u.template not in KNOWN_SETS]
    unused = sorted(k for k in CATALOGUE
                    if k not in used and not any(p.fullmatch(k) for p in open_ended))
    assert not unused, "catalogue keys no code uses: " + ", ".join(unused)


def _both(key: str) -> bool:
    pair = CATALOGUE.get(key)
    return pair is not None and all(text.strip() for text in pair)
