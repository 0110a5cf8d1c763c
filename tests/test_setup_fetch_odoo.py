"""``--fetch-odoo`` of the setup scripts, offline: ODOO_GIT_URL points to a git repository made here.

The scripts' shell functions (setup/lib.sh) run in a clean environment where no Odoo can be found
(no default tree, a venv that does not exist, a Python without ``odoo``), so every test sees what a
newcomer on a fresh machine sees.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
LIB = REPO / "setup" / "lib.sh"
# the interpreter the venv was made from: the project's venv itself imports odoo (odoo_src.pth)
BASE_PYTHON = getattr(sys, "_base_executable", None) or sys.executable

pytestmark = pytest.mark.skipif(shutil.which("git") is None or shutil.which("bash") is None,
                                reason="needs git and bash")


def _git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"})


def _fake_odoo_repo(path, major=19, branch="19.0"):
    """A git repository shaped like an Odoo source tree (odoo-bin, odoo/release.py, addons/)."""
    (path / "odoo").mkdir(parents=True)
    (path / "addons" / "web").mkdir(parents=True)
    (path / "odoo" / "release.py").write_text(
        f"version_info = ({major}, 0, 0, 'final', 0, '')\n", encoding="utf-8")
    (path / "odoo-bin").write_text("#!/usr/bin/env python3\n", encoding="utf-8")
    (path / "requirements.txt").write_text("", encoding="utf-8")
    (path / "addons" / "web" / "__manifest__.py").write_text("{}\n", encoding="utf-8")
    _git(path, "init", "-q", "-b", branch)
    _git(path, "add", "-A")
    _git(path, "commit", "-q", "-m", "odoo")
    return path


def _run(tmp_path, script, **env):
    """Run ``script`` after sourcing lib.sh, with no Odoo anywhere but what the test provides."""
    clean = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "NO_COLOR": "1",
        "CRM_SUITE_ODOO_DEFAULT_SRC": str(tmp_path / "no-default-odoo"),
        "CRM_SUITE_ODOO_CLONE": str(tmp_path / "run" / "odoo-19.0"),
        "CRM_SUITE_VENV": str(tmp_path / "no-venv"),
        "CRM_SUITE_PYTHON": BASE_PYTHON,
        "PYTHONPATH": "",
        "PYTHONNOUSERSITE": "1",
        **env,
    }
    return subprocess.run(["bash", "-c", f'source "{LIB}"\n{script}'], env=clean, capture_output=True,
                          text=True, timeout=120, check=False)


@pytest.fixture
def no_importable_odoo():
    probe = subprocess.run([BASE_PYTHON, "-c", "import odoo.release"], capture_output=True, check=False,
                           env={"PATH": os.environ.get("PATH", ""), "PYTHONNOUSERSITE": "1"})
    if probe.returncode == 0:
        pytest.skip(f"{BASE_PYTHON} imports odoo: the 'no Odoo found' path cannot be reached")


def test_clone_then_reuse(tmp_path, no_importable_odoo):
    upstream = _fake_odoo_repo(tmp_path / "upstream")
    clone = tmp_path / "run" / "odoo-19.0"
    env = {"CRM_SUITE_FETCH_ODOO": "1", "ODOO_GIT_URL": f"file://{upstream}"}
    first = _run(tmp_path, 'crm_require_odoo; echo "SRC=$ODOO_SRC MODE=$CRM_ODOO_MODE"', **env)
    assert first.returncode == 0, first.stderr
    assert f"SRC={clone} MODE=src" in first.stdout
    # it says what it downloads and where, never silently
    assert "downloading Odoo" in first.stderr
    assert str(upstream) in first.stderr and str(clone) in first.stderr
    assert (clone / "odoo-bin").is_file()
    assert not list(clone.parent.glob("*.partial.*")), "no partial clone is left behind"
    # a shallow clone of the requested ref
    depth = subprocess.run(["git", "-C", str(clone), "rev-list", "--count", "HEAD"],
                           capture_output=True, text=True, check=True)
    assert depth.stdout.strip() == "1"

    # idempotent: the second run reuses the clone without downloading, even without the flag
    again = _run(tmp_path, 'crm_require_odoo; echo "SRC=$ODOO_SRC"', **env)
    assert again.returncode == 0, again.stderr
    assert f"SRC={clone}" in again.stdout
    assert "downloading" not in again.stderr
    plain = _run(tmp_path, 'crm_require_odoo; echo "SRC=$ODOO_SRC"')
    assert plain.returncode == 0 and f"SRC={clone}" in plain.stdout


def test_broken_clone_is_reported(tmp_path, no_importable_odoo):
    upstream = _fake_odoo_repo(tmp_path / "upstream")
    clone = tmp_path / "run" / "odoo-19.0"
    env = {"CRM_SUITE_FETCH_ODOO": "1", "ODOO_GIT_URL": f"file://{upstream}"}
    assert _run(tmp_path, "crm_require_odoo", **env).returncode == 0
    (clone / "odoo" / "release.py").unlink()
    broken = _run(tmp_path, "crm_require_odoo", **env)
    assert broken.returncode != 0
    assert "broken" in broken.stderr and f"rm -rf '{clone}'" in broken.stderr
    assert (clone / "odoo-bin").is_file(), "a broken clone is reported, never overwritten"


def test_failed_clone_says_what_to_do(tmp_path, no_importable_odoo):
    missing = tmp_path / "nowhere"
    result = _run(tmp_path, "crm_require_odoo", CRM_SUITE_FETCH_ODOO="1", ODOO_GIT_URL=f"file://{missing}")
    assert result.returncode != 0
    assert "cloning Odoo from" in result.stderr and "failed" in result.stderr
    assert "ODOO_SRC" in result.stderr, "the message says how to provide Odoo instead"
    clone = tmp_path / "run" / "odoo-19.0"
    assert not clone.exists() and not list(clone.parent.glob("*.partial.*"))


def test_wrong_version_is_refused(tmp_path, no_importable_odoo):
    upstream = _fake_odoo_repo(tmp_path / "upstream", major=18, branch="19.0")
    result = _run(tmp_path, "crm_require_odoo", CRM_SUITE_FETCH_ODOO="1", ODOO_GIT_URL=f"file://{upstream}")
    assert result.returncode != 0
    assert "not an Odoo 19 source tree" in result.stderr
    assert not (tmp_path / "run" / "odoo-19.0").exists()


def test_without_flag_nothing_is_downloaded(tmp_path, no_importable_odoo):
    upstream = _fake_odoo_repo(tmp_path / "upstream")
    result = _run(tmp_path, "crm_require_odoo", ODOO_GIT_URL=f"file://{upstream}")
    assert result.returncode != 0
    assert "downloading" not in result.stderr
    assert "--fetch-odoo" in result.stderr, "the message offers the download"
    assert not (tmp_path / "run" / "odoo-19.0").exists()


def test_explicit_odoo_src_is_never_replaced(tmp_path, no_importable_odoo):
    upstream = _fake_odoo_repo(tmp_path / "upstream")
    result = _run(tmp_path, "crm_require_odoo", CRM_SUITE_FETCH_ODOO="1", ODOO_GIT_URL=f"file://{upstream}",
                  ODOO_SRC=str(tmp_path / "my-odoo"))
    assert result.returncode != 0
    assert f"ODOO_SRC={tmp_path / 'my-odoo'} does not exist" in result.stderr
    assert not (tmp_path / "run" / "odoo-19.0").exists()


@pytest.mark.parametrize("script", ["demo.sh", "test.sh"])
def test_scripts_accept_the_flag(script):
    """Both entry points take --fetch-odoo (an unknown option is refused before anything runs)."""
    path = REPO / "setup" / script
    helped = subprocess.run(["bash", str(path), "--help"], capture_output=True, text=True, check=False)
    assert helped.returncode == 0 and "--fetch-odoo" in helped.stdout
    refused = subprocess.run(["bash", str(path), "--fetch-odoo", "--no-such-option"], capture_output=True,
                             text=True, check=False, env={**os.environ, "NO_COLOR": "1"})
    assert refused.returncode != 0
    assert "unknown option '--no-such-option'" in refused.stderr
