"""Every session-state key, widget key, fragment name and URL parameter is named in
``wxdata/dashboard/keys.py`` and nowhere else as a string.

The check reads the code (``ast``) of the dashboard, the router and the pages, and flags a string
literal used as: a ``st.session_state`` or ``st.query_params`` key (subscript, ``get``,
``setdefault``, ``pop``, ``get_all``, ``in``), a ``key=`` argument (widgets, fragments), a key of a
``query_params={...}`` dict (page links), or the key argument of the dashboard's own URL widget
helpers.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from wxdata.dashboard import keys

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted([*(ROOT / "wxdata" / "dashboard").glob("*.py"), ROOT / "app.py",
                  *(ROOT / "pages").glob("*.py")])
SOURCES.remove(ROOT / "wxdata" / "dashboard" / "keys.py")  # the one place keys are spelled
STORES = {"session_state", "query_params"}
LOOKUPS = {"get", "setdefault", "pop", "get_all", "__contains__", "__getitem__"}
#: The dashboard's helpers that take a key (also the URL parameter), and where it sits.
HELPERS = {"choice": 1, "flag": 1, "multi_choice": 1, "page_choice": 0, "mirror": 0}


def _is_store(node: ast.expr) -> bool:
    return isinstance(node, ast.Attribute) and node.attr in STORES


def _text(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _call_literals(call: ast.Call) -> list[str | None]:
    found: list[str | None] = []
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr in LOOKUPS and _is_store(func.value):
        found.append(_text(call.args[0]) if call.args else None)
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    if name in HELPERS and len(call.args) > HELPERS[name]:
        found.append(_text(call.args[HELPERS[name]]))
    for keyword in call.keywords:
        if keyword.arg == "key":
            found.append(_text(keyword.value))
        if keyword.arg == "query_params" and isinstance(keyword.value, ast.Dict):
            found.extend(_text(k) for k in keyword.value.keys)
    return found


def literal_keys(source: str) -> list[tuple[int, str]]:
    """(line, text) of every string literal used as a key in ``source``."""
    hits: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        found: list[str | None] = []
        if isinstance(node, ast.Subscript) and _is_store(node.value):
            found.append(_text(node.slice))
        elif isinstance(node, ast.Call):
            found.extend(_call_literals(node))
        elif isinstance(node, ast.Compare) and any(_is_store(c) for c in node.comparators):
            found.append(_text(node.left))  # "key" in / not in st.session_state
        hits.extend((node.lineno, text) for text in found if text is not None)
    return hits


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_string_literal_key_outside_the_keys_module(path: Path) -> None:
    hits = literal_keys(path.read_text(encoding="utf-8"))
    assert not hits, f"{path.relative_to(ROOT)}: use wxdata.dashboard.keys for {hits}"


def test_the_check_finds_every_kind_of_literal_key() -> None:
    code = '''
st.session_state["a"] = 1
st.session_state.get("b")
st.session_state.setdefault("c", [])
st.session_state.pop("d", None)
if "e" not in st.session_state: pass
st.query_params["f"]
st.toggle("label", key="g")
st.page_link("p.py", query_params={"h": "1"})
widgets.choice("label", "i", ("x",), "x", str)
urlsync.mirror("j", "v", "")
st.session_state[keys.OK] = st.query_params.get(keys.FINE)
'''
    assert [text for _, text in literal_keys(code)] == list("abcdefghij")


def test_every_key_is_unique_and_documented() -> None:
    source = (ROOT / "wxdata" / "dashboard" / "keys.py").read_text(encoding="utf-8")
    body = ast.parse(source).body
    names = [n.targets[0].id for n in body if isinstance(n, ast.Assign)  # type: ignore[attr-defined]
             and isinstance(n.value, ast.Constant)]
    values = [getattr(keys, name) for name in names]
    assert len(values) == len(set(values)), "two names share one key"
    documented = {body[i].targets[0].id for i in range(len(body) - 1)  # type: ignore[attr-defined]
                  if isinstance(body[i], ast.Assign) and isinstance(body[i + 1], ast.Expr)}
    assert set(names) <= documented, set(names) - documented
