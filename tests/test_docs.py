"""The project's knowledge is in the repository: every Markdown file a module, a test or a page of
the docs cites exists in it, resolved from the repository's root or from the citing file's
folder, and the README links the architecture and WeChat API pages.

A citation is any file name ending in ``.md``, with or without folders before it, in a ``.py`` or
``.md`` file outside the virtualenv, caches and build output; web addresses are not citations.
A path built from parts (``ROOT / "docs" / name``) is not seen: write it as one string.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: Folders that are not the project's own text (tools, caches, build output, test output).
SKIPPED = frozenset({".git", ".venv", "venv", "node_modules", "__pycache__", ".pytest_cache",
                     ".mypy_cache", ".ruff_cache", ".hypothesis", "test-artifacts", "build",
                     "dist"})
_URL = re.compile(r"[a-z][a-z0-9+.-]*://\S+", re.IGNORECASE)
_CITED = re.compile(r"(?<![\w@./-])((?:\.{1,2}/)*[\w@-][\w@./-]*\.md)(?![\w-])")


def project_files(root: Path) -> Iterator[Path]:
    """Every ``.py`` and ``.md`` file of the project under ``root``."""
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED and not d.endswith(".egg-info"))
        for name in sorted(files):
            if name.endswith((".py", ".md")):
                yield Path(folder) / name


def citations(text: str) -> list[tuple[int, str]]:
    """(line, cited path) of every Markdown file ``text`` names."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        found += [(number, m.group(1)) for m in _CITED.finditer(_URL.sub(" ", line))]
    return found


def missing_citations(root: Path) -> list[str]:
    """``file:line: cited`` for each citation that resolves neither from ``root`` nor from the
    citing file's folder."""
    wrong = []
    for path in project_files(root):
        for line, cited in citations(path.read_text(encoding="utf-8", errors="replace")):
            if not ((root / cited).is_file() or (path.parent / cited).is_file()):
                wrong.append(f"{path.relative_to(root)}:{line}: {cited}")
    return wrong


def test_every_cited_markdown_file_is_in_the_repository() -> None:
    wrong = missing_citations(ROOT)
    assert not wrong, ("Markdown files cited but not in the repository (write the knowledge "
                       "into docs/ and cite that):\n" + "\n".join(wrong))


def test_a_citation_of_a_file_outside_the_repository_is_found(tmp_path: Path) -> None:
    # Names built here, so that this file itself cites nothing that is missing.
    gone, kept = "NOTES" + ".md", "docs/" + "kept" + ".md"
    (tmp_path / "docs").mkdir()
    (tmp_path / kept).write_text("# kept\n[sibling](sibling" + ".md)\n", encoding="utf-8")
    (tmp_path / "docs" / ("sibling" + ".md")).write_text("", encoding="utf-8")
    (tmp_path / "mod.py").write_text(
        f'"""See {kept} and ``{gone}``; https://example.com/x{gone} is a web page."""\n'
        f"# {gone.lower()}\n", encoding="utf-8")
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / "dep.py").write_text(f"# {gone}\n", encoding="utf-8")
    assert missing_citations(tmp_path) == [f"mod.py:1: {gone}", f"mod.py:2: {gone.lower()}"]


def test_the_readme_links_the_architecture_and_the_wechat_api_pages() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for page in ("docs/architecture.md", "docs/wechat-api.md"):
        assert f"]({page})" in readme, f"README.md does not link {page}"
        assert (ROOT / page).is_file()


def test_the_wechat_api_page_covers_every_endpoint_and_errcode_the_code_knows() -> None:
    from wxdata.core.periods import PERIODS
    from wxdata.wechat.http import ERRCODES
    from wxdata.wechat.token import STABLE_TOKEN_PATH

    page = (ROOT / "docs/wechat-api.md").read_text(encoding="utf-8")
    for path in (*(cls.API_PATH for cls in PERIODS.values()), STABLE_TOKEN_PATH):
        assert path.rsplit("/", 1)[-1] in page, path
    missing = [code for code in ERRCODES if not re.search(rf"(?<![\d-]){code}(?!\d)", page)]
    assert not missing, f"errcodes mapped by the client, not in docs/wechat-api.md: {missing}"
