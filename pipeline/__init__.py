"""The build pipeline: four plain steps, each a module with one job.

    docs/ data/ snippets/ ──(1) load ──(2) generate ──> build/docs/ + build/mkdocs.yml
                                                              │
                              site/ <──(4) post ──(3) render ─┘   (MkDocs + Material; Zensical to compare)

1. ``load``      read the library and check it: file allowlist, front matter, macro allowlist,
                 the checker's text rules. Nothing unsafe goes further.
2. ``generate``  expand the allowed macros; write every page, the browsing, phrase-bank, style,
                 coverage and chooser pages, the chooser data and the navigation into build/.
3. ``render``    the site generator turns build/docs/ into HTML. It runs no hook and no plugin
                 of ours: nothing of the safety rests on it.
4. ``post``      exemplar card and form, the HTML sanitiser, search marks and the
                 Content-Security-Policy on every page; Word files; the search index; the
                 reader-safety check of the whole folder and the link check.

``make build``, ``make serve`` and the tests all run it: ``python -m pipeline build`` (or ``serve``).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _project_last() -> None:
    """The project's own folder after the standard library and site-packages, so a stray docx.py or
    yaml.py in a checkout is never imported instead of the real module."""
    root = str(ROOT)
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != root] + [root]


_project_last()

from . import generate, load, post, render  # noqa: E402
from .load import Refused  # noqa: E402

__all__ = ["BUILD", "ROOT", "Refused", "build", "generate", "load", "post", "render"]
BUILD = "build"


def build(root: Path = ROOT, site: Path | None = None, strict: bool = True, generator: str = "mkdocs",
          python: str | None = None, index: bool = True, out: Path | None = None) -> dict:
    """Steps 1–4 on the project at `root`; the finished site in `site` (default: root/site)."""
    root = Path(root).resolve()
    site = Path(site or root / "site").resolve()
    out = Path(out or root / BUILD).resolve()
    lib = load.run(root, strict=strict)
    generate.run(lib, out, site, strict=strict)
    render.run(root, out / "mkdocs.yml", generator, strict, python)
    result = post.run(lib, out, site, index=index, strict=strict)
    result["warnings"] = lib.warnings + result.pop("links", [])
    return result
