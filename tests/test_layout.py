"""The import rules of docs/architecture.md, read from the source with :mod:`ast`.

An import counts when it runs as the module is imported: imports inside functions and under
``if TYPE_CHECKING:`` do not (they are how a layer names a type from above, or defers a heavy
import), and the ``>>>`` code of docstrings is text. ``from package import Name`` counts as an
import of the module the package takes ``Name`` from lazily (its ``TYPE_CHECKING`` block says
which), since that module is what the statement imports at run time (:mod:`wxdata._lazy`).

- no import cycle among wxdata modules;
- imports only point down :data:`ALLOWED` (the layers of docs/architecture.md);
- only ``wxdata.dashboard`` imports Streamlit (``app.py`` and ``pages/`` sit above it);
- no package ``__init__`` imports, directly or through other modules, a module of its own
  package: threads importing different modules of a cold interpreter deadlock on the module
  locks otherwise (see :mod:`wxdata._lazy`, and the race test at the end, which reproduces it);
- every module starts with a docstring;
- in the dashboard, drawing the sidebar and holding the view load nothing: loading the view's
  data is the router's own step (:data:`LOADING`), which neither imports.
"""

from __future__ import annotations

import ast
import graphlib
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "wxdata"

LAYERS = ("i18n", "core", "config", "access", "wechat", "store", "sources", "analytics", "present",
          "digest", "dashboard", "testing", "cli")
#: The layers each layer may import (its own modules aside). ``wxdata._lazy`` lies below all of
#: them; the root package ``wxdata`` only re-exports lazily, so nothing imports it and it
#: imports nothing.
ALLOWED: dict[str, frozenset[str]] = {
    "i18n": frozenset(),
    "core": frozenset({"i18n"}),
    "config": frozenset({"core", "i18n"}),
    "access": frozenset({"core", "config", "i18n"}),  # who may see which app: no Streamlit
    "wechat": frozenset({"core", "config", "i18n"}),
    "store": frozenset({"core", "config", "i18n"}),
    "sources": frozenset({"core", "config", "i18n", "wechat", "store"}),
    "analytics": frozenset({"core", "i18n"}),
    "present": frozenset({"core", "i18n", "analytics"}),
    # the push side: the Overview's figures and words, sent; the sent-state in the store
    "digest": frozenset({"core", "config", "sources", "analytics", "present", "i18n", "store"}),
    "dashboard": frozenset(LAYERS) - {"dashboard", "cli", "testing"},
    "testing": frozenset({"core", "config", "i18n", "wechat", "sources"}),
    "cli": frozenset(LAYERS) - {"cli", "dashboard"},
}
BELOW_ALL = "_lazy"
ROOT_LAYER = PACKAGE
#: The only layer that may import Streamlit.
STREAMLIT_LAYER = "dashboard"
#: The dashboard's modules that load data (the router's load step and the tables derived from a
#: load), and the ones that must not reach them: the sidebar draws choices only, the view model
#: holds what was loaded, the URL is read and written without data (docs/architecture.md).
LOADING = frozenset({"wxdata.dashboard.load", "wxdata.dashboard.loaders"})
LOAD_FREE = ("wxdata.dashboard.sidebar", "wxdata.dashboard.state", "wxdata.dashboard.urlsync",
             "wxdata.dashboard.loaded", "wxdata.dashboard.widgets")


@dataclass(frozen=True)
class Import:
    """One import a module makes: the wxdata module it reaches, or the outside name."""

    target: str
    line: int


@dataclass(frozen=True)
class Module:
    name: str
    path: Path
    tree: ast.Module

    @property
    def is_package(self) -> bool:
        return self.path.name == "__init__.py"

    @property
    def package(self) -> str:
        """The package relative imports start from."""
        return self.name if self.is_package else self.name.rpartition(".")[0]


def layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ROOT_LAYER


def ancestors(module: str) -> list[str]:
    parts = module.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


@cache
def modules(root: Path = ROOT) -> dict[str, Module]:
    found = {}
    for path in sorted((root / PACKAGE).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        name = ".".join(parts)
        found[name] = Module(name, path, ast.parse(path.read_text(encoding="utf-8"), str(path)))
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or \
        (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _run_at_import(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """The statements of ``body`` that run when the module is imported (classes included;
    functions, lambdas and ``if TYPE_CHECKING:`` branches not)."""
    for node in body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        yield node
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            yield from _run_at_import(node.orelse)
            continue
        for field in ("body", "orelse", "finalbody", "handlers", "cases"):
            children = getattr(node, field, None)
            if isinstance(children, list):
                for child in children:
                    if isinstance(child, ast.ExceptHandler | ast.match_case):
                        yield from _run_at_import(child.body)
                    elif isinstance(child, ast.stmt):
                        yield from _run_at_import([child])


def _type_checking_imports(module: Module) -> dict[str, str]:
    """``name -> module`` of the ``from M import name`` lines under ``if TYPE_CHECKING:`` of a
    package ``__init__``: where its lazily re-exported names come from."""
    names = {}
    for node in module.tree.body:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for item in node.body:
                if isinstance(item, ast.ImportFrom) and item.module and item.level == 0:
                    for alias in item.names:
                        names[alias.asname or alias.name] = item.module
    return names


def _absolute(module: Module, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    base = module.package.split(".")
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _targets(node: ast.Import | ast.ImportFrom, module: Module,
             known: dict[str, Module]) -> Iterator[str]:
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
        return
    source = _absolute(module, node)
    lazy = _type_checking_imports(known[source]) if source in known else {}
    for alias in node.names:
        submodule = f"{source}.{alias.name}"
        if submodule in known:
            yield submodule
        elif alias.name in lazy:
            yield lazy[alias.name]
        else:
            yield source


def imports(module: Module, known: dict[str, Module], *, everywhere: bool = False
            ) -> list[Import]:
    """What ``module`` imports when it is imported (``everywhere``: every import statement, in
    functions and type-checking blocks too); ``known``: the modules of its package."""
    statements = ast.walk(module.tree) if everywhere else _run_at_import(module.tree.body)
    return [Import(target, node.lineno) for node in statements
            if isinstance(node, ast.Import | ast.ImportFrom)
            for target in _targets(node, module, known)]


def graph() -> dict[str, set[str]]:
    """Module -> the wxdata modules whose import it starts: the targets of its imports and their
    packages (not its own packages, which are imported before it)."""
    known = modules()
    edges: dict[str, set[str]] = {}
    for name, module in known.items():
        own = set(ancestors(name))
        reached = set()
        for imp in imports(module, known):
            if imp.target in known:
                reached |= {imp.target, *ancestors(imp.target)} - own - {name}
        edges[name] = reached & set(known)
    return edges


def _path_to(start: str, inside: str, edges: dict[str, set[str]]) -> list[str] | None:
    """The import chain from ``start`` to the first module inside the package ``inside``."""
    seen, queue = {start}, [[start]]
    while queue:
        chain = queue.pop(0)
        for nxt in sorted(edges[chain[-1]]):
            if nxt.startswith(inside + "."):
                return [*chain, nxt]
            if nxt not in seen:
                seen.add(nxt)
                queue.append([*chain, nxt])
    return None


def test_the_table_names_every_layer() -> None:
    found = {layer(name) for name in modules()}
    assert found == {*LAYERS, BELOW_ALL, ROOT_LAYER}, "a new layer needs a row in ALLOWED"
    assert set(ALLOWED) == set(LAYERS)


def test_no_import_cycle() -> None:
    try:
        graphlib.TopologicalSorter(graph()).prepare()
    except graphlib.CycleError as exc:
        cycle = exc.args[1]
        pytest.fail("import cycle (A -> B: A imports B): " + " -> ".join(reversed(cycle)))


def test_imports_point_down_the_layers() -> None:
    known = modules()
    wrong = []
    for name, module in known.items():
        mine = layer(name)
        for imp in imports(module, known):
            theirs = layer(imp.target)
            if imp.target not in known or theirs in (mine, BELOW_ALL):
                continue
            if mine in (ROOT_LAYER, BELOW_ALL) or theirs not in ALLOWED[mine]:
                may = "nothing" if mine in (ROOT_LAYER, BELOW_ALL) else sorted(ALLOWED[mine])
                wrong.append(f"{module.path.relative_to(ROOT)}:{imp.line}: {name} ({mine}) "
                             f"imports {imp.target} ({theirs}); {mine} may import {may}")
    assert not wrong, "imports that point up or across the layers:\n" + "\n".join(wrong)


def test_only_the_dashboard_imports_streamlit() -> None:
    known = modules()
    wrong = [f"{m.path.relative_to(ROOT)}:{imp.line}: {m.name} imports {imp.target}"
             for m in known.values() if layer(m.name) != STREAMLIT_LAYER
             for imp in imports(m, known, everywhere=True)
             if imp.target.partition(".")[0] == "streamlit"]
    assert not wrong, "Streamlit outside wxdata.dashboard:\n" + "\n".join(wrong)


def test_no_package_init_imports_its_own_modules() -> None:
    edges = graph()
    wrong = []
    for name, module in modules().items():
        if module.is_package and (chain := _path_to(name, name, edges)) is not None:
            wrong.append(f"{module.path.relative_to(ROOT)}: " + " -> ".join(chain))
    assert not wrong, ("package __init__ files that import their own modules at import time "
                       "(re-export lazily, see wxdata/_lazy.py):\n" + "\n".join(wrong))


def test_every_module_starts_with_a_docstring() -> None:
    missing = [str(m.path.relative_to(ROOT)) for m in modules().values()
               if not (ast.get_docstring(m.tree) or "").strip()]
    assert not missing, "modules without a docstring: " + ", ".join(missing)


def test_the_sidebar_and_the_view_model_load_nothing() -> None:
    """Issue 18, item 3: loading data was a side effect of drawing the sidebar (and of reading
    ``view.data``). Every import counts here, in functions too: a deferred one would load all
    the same."""
    known = modules()
    wrong = [f"{known[name].path.relative_to(ROOT)}:{imp.line}: {name} imports {imp.target}"
             for name in LOAD_FREE
             for imp in imports(known[name], known, everywhere=True) if imp.target in LOADING]
    assert not wrong, "modules that should load nothing reach the loading ones:\n" + \
        "\n".join(wrong)


# -- the cold-import race ------------------------------------------------------------------------

#: Each child interpreter starts one thread per wxdata module and one per lazily re-exported
#: name, all released at once by a barrier, in an order shuffled by the seed. Before the package
#: __init__ files became lazy this failed for every seed (a deadlock broken by Python with a
#: half-initialised module: "cannot import name ... from partially initialized module").
RACE = textwrap.dedent("""
    import importlib, json, random, sys, threading

    root, seed, outside, tasks = sys.argv[1], int(sys.argv[2]), *json.loads(sys.argv[3])
    sys.path.insert(0, root)
    for name in outside:  # third-party packages are not under test: imported first, alone
        importlib.import_module(name)
    random.Random(seed).shuffle(tasks)
    barrier, errors = threading.Barrier(len(tasks)), []

    def load(module, name):
        barrier.wait()
        try:
            loaded = importlib.import_module(module)
            if name:
                getattr(loaded, name)
        except BaseException as exc:
            errors.append(f"{module} {name or ''}: {type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=load, args=task, daemon=True) for task in tasks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    stuck = [task for task, thread in zip(tasks, threads) if thread.is_alive()]
    if not sys.modules["wxdata"].__file__.startswith(root):
        errors.append(f"imported {sys.modules['wxdata'].__file__}, not the one under {root}")
    print("\\n".join(errors + [f"still importing after 120 s: {task}" for task in stuck]))
    sys.stdout.flush()
    import os; os._exit(1 if errors or stuck else 0)
""")
RACE_SEEDS = (0, 1, 2, 3)


def race_tasks(root: Path = ROOT) -> tuple[list[str], list[tuple[str, str]]]:
    """The third-party modules wxdata imports, and (module, name) for every import to race:
    each module, and each package's lazily re-exported names."""
    found = modules(root)
    outside = sorted({imp.target for m in found.values() for imp in imports(m, found)
                      if imp.target.partition(".")[0] not in (PACKAGE, *sys.stdlib_module_names)})
    # A __main__ module is a program (python -m): importing it runs it.
    tasks = [(name, "") for name in found if not name.endswith(".__main__")]
    tasks += [(name, export) for name, m in found.items() if m.is_package
              for export in _type_checking_imports(m)]
    return outside, tasks


def race(seed: int, root: Path = ROOT) -> subprocess.CompletedProcess[str]:
    outside, tasks = race_tasks(root)
    quiet = {**os.environ, "STREAMLIT_LOGGER_LEVEL": "error"}  # "No runtime found" warnings
    return subprocess.run(
        [sys.executable, "-c", RACE, str(root), str(seed), json.dumps([outside, tasks])],
        cwd=root, env=quiet, capture_output=True, text=True, timeout=240, check=False)


@pytest.mark.parametrize("seed", RACE_SEEDS)
def test_threads_importing_a_cold_package_at_once_all_succeed(seed: int) -> None:
    done = race(seed)
    assert done.returncode == 0, f"seed {seed}:\n{done.stdout or done.stderr[-3000:]}"
