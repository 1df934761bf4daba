#!/usr/bin/env python3
"""Non-blocking check: build the site with Zensical and report what breaks.

Material for MkDocs reaches end of life in 2027; Zensical is its successor and reads mkdocs.yml.
This builds a copy of the project with Zensical in its own virtualenv (.venv-zensical) and writes
zensical-report.md: the exit status, the errors and warnings, and which of our features were used.
It always exits 0, so it never blocks a pull request.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv-zensical"
ZENSICAL = "zensical==0.0.73"
REPORT = ROOT / "zensical-report.md"


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def main() -> int:
    if not (VENV / "bin" / "python").exists():
        venv.create(VENV, with_pip=True)
    pip = run([str(VENV / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check", ZENSICAL,
               "-r", str(ROOT / "requirements.txt")])
    lines = ["# Zensical compatibility report", ""]
    if pip.returncode:
        lines += ["Zensical could not be installed:", "", "```", pip.stderr[-3000:], "```"]
        REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(REPORT.read_text(encoding="utf-8"))
        return 0
    version = run([str(VENV / "bin" / "zensical"), "--version"]).stdout.strip()
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "project"
        shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".venv*", ".git", "site", ".cache", "test-artifacts"))
        result = run([str(VENV / "bin" / "zensical"), "build", "-f", "mkdocs.yml"], cwd=copy, timeout=900)
        built = sorted(p.relative_to(copy / "site").as_posix() for p in (copy / "site").rglob("index.html")) if (copy / "site").exists() else []
    output = result.stdout + result.stderr
    errors = [l.strip() for l in output.splitlines() if re.search(r"Error|error:|Exception", l)]
    warnings = [l.strip() for l in output.splitlines() if "WARN" in l.upper() and l.strip() not in errors]
    exemplar_pages = [p for p in built if p.startswith("exemplars/") and p.count("/") == 3]
    lines += [
        f"- Zensical: {version or ZENSICAL}",
        f"- exit status: {result.returncode} ({'builds' if result.returncode == 0 else 'does not build'})",
        f"- pages written: {len(built)} (exemplar pages: {len(exemplar_pages)})",
        f"- errors: {len(errors)}; warnings: {len(warnings)}",
        "",
        "## What breaks",
        "",
    ]
    lines += [f"- `{e[:300]}`" for e in list(dict.fromkeys(errors))[:20]] or ["- nothing reported"]
    lines += ["", "## Warnings", ""] + ([f"- `{w[:300]}`" for w in list(dict.fromkeys(warnings))[:20]] or ["- none"])
    lines += ["", "## Last lines of output", "", "```", *output.splitlines()[-60:], "```"]
    REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines[:12]))
    print(f"\nfull report: {REPORT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
