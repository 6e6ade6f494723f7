"""`make test` on a fresh Debian machine: the system packages the suite needs are installed when
we are root, and a user without root gets the exact command instead of eleven browser errors."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests import fixtures_postgres

SCRIPT = Path(__file__).resolve().parents[1] / ".ci" / "system-packages"


def _bin_without_chromium(tmp_path: Path) -> Path:
    """A PATH folder with the tools the script uses, but no chromium, no fonts, no PostgreSQL
    and no dpkg-query (so no nginx either)."""
    folder = tmp_path / "bin"
    folder.mkdir()
    for tool in ("id", "grep", "bash", "apt-get"):
        found = shutil.which(tool)
        if found:
            (folder / tool).symlink_to(found)
    (folder / "fc-list").write_text("#!/bin/sh\necho\n")  # no fonts at all
    (folder / "fc-list").chmod(0o755)
    return folder


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("runuser"),
                    reason="needs root to run the script as an unprivileged user")
def test_without_root_the_missing_packages_are_named_with_the_command() -> None:
    tmp_path = Path(tempfile.mkdtemp(prefix="wxretain-ci-"))  # pytest's own tmp is root-only
    tmp_path.chmod(0o755)
    folder = _bin_without_chromium(tmp_path)
    # a copy nobody can read: the checkout itself may sit in a root-only folder (mktemp -d)
    script = shutil.copy(SCRIPT, tmp_path / "system-packages")
    Path(script).chmod(0o755)
    runuser = shutil.which("runuser") or "runuser"
    done = subprocess.run([runuser, "-u", "nobody", "--", str(folder / "bash"), str(script)],
                          env={"PATH": str(folder)}, capture_output=True, text=True, timeout=240)
    shutil.rmtree(tmp_path)
    assert done.returncode == 1
    assert done.stderr.strip() == ("make test needs Debian packages that are missing; run: "
                                   "sudo apt-get install -y chromium fonts-noto-cjk postgresql "
                                   "nginx")


def test_with_everything_present_it_does_nothing() -> None:
    if not shutil.which("chromium"):
        pytest.fail("chromium is missing: `make test` installs it (.ci/system-packages)")
    if not shutil.which("pg_ctlcluster"):
        pytest.fail("postgresql is missing: `make test` installs it (.ci/system-packages)")
    if not Path("/usr/sbin/nginx").exists():
        pytest.fail("nginx is missing: `make test` installs it (.ci/system-packages)")
    done = subprocess.run(["bash", str(SCRIPT)], capture_output=True, text=True, timeout=240)
    assert done.returncode == 0 and done.stderr == ""


def test_without_postgresql_the_store_tests_fail_with_the_command(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Failed, not skipped: a suite that silently skips the shared store would pass without it."""
    monkeypatch.setattr(fixtures_postgres.glob, "glob", lambda pattern: [])
    monkeypatch.setattr(fixtures_postgres.shutil, "which", lambda name: None)
    with pytest.raises(pytest.fail.Exception) as caught:
        fixtures_postgres._bindir()
    assert str(caught.value).endswith("run: apt-get install -y postgresql")
