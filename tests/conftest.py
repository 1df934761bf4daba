"""Shared fixtures: a strict build of the real site, and throw-away copies of the project."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))  # after site-packages: a stray yaml.py or docx.py in the checkout is never imported
FIXTURES = ROOT / "tests" / "fixtures"
MKDOCS = [sys.executable, "-P", "-m", "mkdocs"]  # -P: the working directory is not put on sys.path
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# The built site is addressed as it will be served in the browser tests: Material's instant
# navigation only takes over links whose address matches site_url.
SITE_PORT = _free_port()
SITE_URL = f"http://127.0.0.1:{SITE_PORT}/"


# The build as make build runs it: the pipeline (pipeline/__init__.py), from the project's folder.
PIPELINE = [sys.executable, "-m", "pipeline"]


def build(project: Path, site: Path, strict: bool = True, env: dict | None = None, out: Path | None = None) -> subprocess.CompletedProcess:
    cmd = PIPELINE + ["build", "--site", str(site), "--out", str(out or Path(str(site) + "-build"))] + ([] if strict else ["--no-strict"])
    return subprocess.run(cmd, cwd=project, capture_output=True, text=True, env=env or ENV, timeout=900)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real site, built once with --strict; the build must be free of warnings."""
    site = tmp_path_factory.mktemp("site")
    result = build(ROOT, site, env={**ENV, "SITE_URL": SITE_URL})
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNING" not in output, output
    return site


def copy_project(dest: Path, with_exemplars: bool = True) -> Path:
    """A copy of the project's sources (no virtualenv, no built site) to break on purpose."""
    ignore = shutil.ignore_patterns(".venv", "site", ".git", ".cache", "__pycache__", ".pytest_cache", "test-artifacts", "bench",
                                    "build")
    shutil.copytree(ROOT, dest, ignore=ignore)
    return dest


@pytest.fixture
def project(tmp_path) -> Path:
    return copy_project(tmp_path / "project")


def base_page() -> str:
    return (FIXTURES / "good" / "base.md").read_text(encoding="utf-8")
