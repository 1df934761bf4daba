#!/usr/bin/env python3
"""No loss: build the site at a base commit (default: the last one before the pipeline) and at the
working tree, and compare the page list, every page's HTML (whitespace between tags ignored) and
every Word file. Writes bench/pipeline-diff.md.

Usage: python bench/pipeline_diff.py [--base 1ad31c4]
At the base commit the site is built as it was then (mkdocs build); the working tree is built by
the pipeline (python -m pipeline build). Both with the same site_url.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": "http://127.0.0.1:8000/"}


def norm(path: Path) -> str:
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", path.read_text(encoding="utf-8", errors="replace")))


def docx_parts(path: Path) -> dict:
    """The parts of a Word file except its creation metadata (docProps/core.xml holds the time it was made)."""
    import zipfile
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}


def files(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file() and not p.relative_to(site).as_posix().startswith("pagefind/")}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", default="1ad31c4")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "pipeline-diff.md")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="union-diff-"))
    try:
        base = work / "base"
        subprocess.run(["git", "worktree", "add", "--detach", str(base), args.base], cwd=ROOT, check=True, capture_output=True)
        # the base commit's docs/ is replaced by the working tree's, so both build the same library
        shutil.rmtree(base / "docs")
        shutil.copytree(ROOT / "docs", base / "docs")
        old = subprocess.run([sys.executable, "-P", "-m", "mkdocs", "build", "--strict", "-d", str(work / "old")], cwd=base,
                             capture_output=True, text=True, env=ENV)
        if old.returncode:
            raise SystemExit("base build failed:\n" + old.stderr[-3000:])
        new = subprocess.run([sys.executable, "-m", "pipeline", "build", "--site", str(work / "new"), "--out", str(work / "gen")],
                             cwd=ROOT, capture_output=True, text=True, env=ENV)
        if new.returncode:
            raise SystemExit("pipeline build failed:\n" + new.stderr[-3000:])
        a, b = files(work / "old"), files(work / "new")
        html = sorted(p for p in a & b if p.endswith(".html"))
        differ = [p for p in html if norm(work / "old" / p) != norm(work / "new" / p)]
        docx = sorted(p for p in a & b if p.endswith(".docx"))
        docx_differ = [p for p in docx if docx_parts(work / "old" / p) != docx_parts(work / "new" / p)]
        idx = lambda s: len(list((work / s / "pagefind" / "fragment").glob("*.pf_fragment")))
        lines = ["# No loss: the site before and after the pipeline", "",
                 f"Produced by `python bench/pipeline_diff.py --base {args.base}`: the site built at commit `{args.base}` (hooks in",
                 "`mkdocs build`) and by the pipeline (`python -m pipeline build`), both from the working tree's `docs/`.", "",
                 "| | before | after |", "|---|---|---|",
                 f"| files (without the search index) | {len(a)} | {len(b)} |",
                 f"| only in one build | {len(a - b)} | {len(b - a)} |",
                 f"| HTML pages compared | {len(html)} | differing: {len(differ)} |",
                 f"| Word files compared (all parts but the creation time) | {len(docx)} | differing: {len(docx_differ)} |",
                 f"| pages in the search index | {idx('old')} | {idx('new')} |", ""]
        for title, items in (("Only before", sorted(a - b)), ("Only after", sorted(b - a)), ("HTML differing", differ), ("Word differing", docx_differ)):
            if items:
                lines += [f"{title}:", ""] + [f"- {p}" for p in items[:40]] + [""]
        if not (a ^ b or differ or docx_differ):
            lines.append("Same page list, same HTML (whitespace between tags aside), same Word files.")
        args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print("\n".join(lines))
        return 0
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(work / "base")], cwd=ROOT, capture_output=True)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
