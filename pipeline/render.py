"""Step 3: render the generated tree with the site generator (MkDocs + Material; Zensical to compare).

The generated configuration has no hooks and no template plugin: the generator only turns the
Markdown of build/docs/ into HTML.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .load import Refused


def command(generator: str, config_file: Path, strict: bool, python: str | None = None) -> list[str]:
    if generator == "mkdocs":
        return [python or sys.executable, "-P", "-m", "mkdocs", "build", "-f", str(config_file)] + (["--strict"] if strict else [])
    if generator == "zensical":
        exe = Path(python or sys.executable).parent / "zensical"
        return [str(exe), "build", "-f", str(config_file)]
    raise ValueError(generator)


def run(root: Path, config_file: Path, generator: str = "mkdocs", strict: bool = True, python: str | None = None,
        quiet: bool = False) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(command(generator, config_file, strict, python), cwd=root, env=env, capture_output=True, text=True)
    if not quiet:
        sys.stderr.write(result.stderr[-20000:])
    if result.returncode != 0:
        raise Refused(f"{generator} 没能生成网站（退出码{result.returncode}）：\n" + (result.stdout + result.stderr)[-4000:])
    return result
