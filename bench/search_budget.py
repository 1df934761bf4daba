#!/usr/bin/env python3
"""Byte budget of search: every committed query (tests/data/search_queries.yml) as a new visitor's
first query on a synthetic library, in headless chromium; bytes are compressed transfer.

Usage: python bench/search_budget.py [--size 1000] [--site DIR] [--out bench/search-budget.md]
With --site, measures an already built site instead of building one.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

import run as bench_run  # noqa: E402
import search_driver as drv  # noqa: E402
from macros import browse, library  # noqa: E402

BUDGET = 300_000


def build(size: int, work: Path) -> Path:
    real = browse.valid(library.load(ROOT / "docs"))
    project = bench_run.make_project(work / "project", size, real)
    site = work / "site"
    r = subprocess.run([sys.executable, "-m", "pipeline", "build", "--no-strict", "--site", str(site)], cwd=project,
                       capture_output=True, text=True, env=bench_run.ENV)
    if r.returncode:
        raise SystemExit(r.stderr[-3000:])
    return site


def measure(site: Path) -> list[tuple[int, str, int, float]]:
    from playwright.sync_api import sync_playwright
    rows = []
    with sync_playwright() as p:
        browser = drv.launch(p)
        httpd = drv.serve(site)
        base = f"http://127.0.0.1:{httpd.server_address[1]}/"
        try:
            for q in drv.queries():
                n, paths, secs = drv.first_query(browser, base, q["q"])
                rows.append((n, q["q"], len(paths), secs))
        finally:
            httpd.shutdown()
            browser.close()
    return sorted(rows, reverse=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=1000)
    ap.add_argument("--site", type=Path, default=None)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "search-budget.md")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="union-budget-"))
    try:
        site = args.site or build(args.size, work)
        rows = measure(site)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    n = len(rows)
    over = [r for r in rows if r[0] > BUDGET]
    med = sorted(r[0] for r in rows)[n // 2]
    lines = [f"# Search byte budget at {args.size:,} exemplars", "",
             "Produced by `python bench/search_budget.py`: each committed query as a new visitor's first query (nothing cached),",
             "compressed bytes of everything search downloaded until the results showed, in headless chromium.", "",
             f"{n} queries: {n - len(over)} within {BUDGET // 1000} KB; median {med / 1e3:.0f} KB; largest {rows[0][0] / 1e3:.0f} KB ({rows[0][1]}).", "",
             "| query | first query (KB) | results | seconds to results |", "|---|---|---|---|"]
    lines += [f"| {q} | {b / 1e3:.0f} | {k} | {s:.2f} |" for b, q, k, s in rows]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines[:6]))
    return 0 if not over else 1


if __name__ == "__main__":
    sys.exit(main())
