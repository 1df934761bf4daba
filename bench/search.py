#!/usr/bin/env python3
"""Search side by side: Pagefind (the site's search) and Material's own search plugin.

For each library size (62 = the real library; larger ones are synthetic, assembled from the real
pages by bench/run.py) the same Markdown is built twice:

- Pagefind: the site as it is (mkdocs.yml);
- Material: Material for MkDocs' search plugin instead, configured as the site had it before
  (lang zh, jieba segmentation with the user dictionary bench/jieba_userdict.txt, title boost).

Each site is served by a local HTTP server that gzips text files like a real web server, and
driven in Debian's headless chromium through the same code as tests/test_search.py. Measured:
bytes of search files a reader downloads on a page view without searching; bytes and seconds
until the first query shows results; the median seconds of the following queries; and, on the
real library, how many of the committed queries (tests/data/search_queries.yml) have an expected
exemplar in the top 3. Writes bench/search.md. Nothing is asserted; the numbers are written down.

Usage: python bench/search.py [--sizes 62,1000,5000] [--out bench/search.md]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

import search_driver as drv  # noqa: E402
from macros import browse, library  # noqa: E402

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
MATERIAL_SEARCH = """  - search:
      lang: zh
      jieba_dict_user: jieba_userdict.txt
      fields:
        title:
          boost: 100
        text:
          boost: 1
        tags:
          boost: 10
"""
TIMED = 12  # queries timed after the first one at synthetic sizes


def material_config(project: Path) -> Path:
    """mkdocs.yml with Material's search plugin (and its header search) instead of Pagefind."""
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("plugins:\n", "plugins:\n" + MATERIAL_SEARCH, 1)
    text = text.replace("    - navigation.tracking\n", "    - navigation.tracking\n    - search.suggest\n    - search.highlight\n", 1)
    text = text.replace("  - assets/javascripts/search.js\n", "")
    shutil.copyfile(ROOT / "bench" / "jieba_userdict.txt", project / "jieba_userdict.txt")
    path = project / "mkdocs-material-search.yml"
    path.write_text(text, encoding="utf-8")
    return path


def make(n: int, work: Path, real) -> Path:
    if n == len(real):
        dest = work / f"lib{n}"
        shutil.copytree(ROOT, dest, ignore=shutil.ignore_patterns(".venv*", ".git", "site", ".cache", "test-artifacts", "bench", "__pycache__"))
        return dest
    import run as bench_run
    return bench_run.make_project(work / f"lib{n}", n, real)


def build(project: Path, config: Path, site: Path) -> float:
    start = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--no-strict", "-f", str(config), "-d", str(site)],
                       cwd=project, capture_output=True, text=True, env=ENV)
    if r.returncode:
        raise SystemExit(f"build of {project} with {config.name} failed:\n{r.stdout[-2000:]}{r.stderr[-2000:]}")
    return time.perf_counter() - start


def du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def measure(site: Path, engine: str, queries: list[dict], relevance: bool) -> dict:
    from playwright.sync_api import sync_playwright
    httpd = drv.serve(site)
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    out: dict = {}
    try:
        with sync_playwright() as p:
            browser = drv.launch(p)
            context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
            page = context.new_page()
            meter = drv.Meter(context)
            page.goto(base)
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(1500)
            out["idle_bytes"] = meter.since(0, drv.is_search_request)
            out["page_bytes"] = meter.since(0)
            if engine == "pagefind":
                page.locator(".pf-open").click()
                page.wait_for_selector("#pf-input:focus")
                ask = lambda q: drv.pagefind_query(page, base, q, timeout=120000)  # noqa: E731
            else:
                page.locator(".md-search__input").click()
                ask = lambda q: drv.material_query(page, base, q, timeout=900000)  # noqa: E731
            first = queries[0]["q"]
            paths, took = ask(first)
            out["first_s"] = took
            out["first_bytes"] = meter.since(0, drv.is_search_request)
            times, passed, failed, per_query = [], 0, [], []
            todo = queries if relevance else queries[1:TIMED + 1]
            for q in todo:
                mark = meter.mark()
                paths, took = ask(q["q"])
                times.append(took)
                per_query.append(meter.since(mark, drv.is_search_request))
                if relevance:
                    if drv.top3_passes(paths, q["expect"]):
                        passed += 1
                    else:
                        failed.append(f"{q['q']} → {', '.join(paths[:3]) or '（无结果）'}")
            out["median_s"] = statistics.median(times)
            out["max_query_bytes"] = max(per_query)
            out["total_bytes"] = meter.since(0, drv.is_search_request)
            if relevance:
                out["passed"], out["asked"], out["failed"] = passed, len(todo), failed
            context.close()
            browser.close()
    finally:
        httpd.shutdown()
    return out


def kb(n: int) -> str:
    return f"{n / 1e3:,.0f} KB" if n < 1e6 else f"{n / 1e6:,.1f} MB"


def table(rows: list[dict], machine: str) -> str:
    lines = [
        "# Search: Pagefind and Material side by side", "",
        f"Machine: {machine}. Produced by `python bench/search.py`; the queries are `tests/data/search_queries.yml`.", "",
        "Bytes are compressed transfer (gzip, as a web server sends them) measured in headless chromium.",
        "\"Idle\" is what a page view downloads for search when the reader does not search; \"first query\" is everything",
        "search downloaded until the first results showed; \"per query after\" is the largest of the following queries.",
        "Seconds run from typing the query to the results list showing it. Relevance: queries with an expected exemplar",
        "in the top 3 (real library only; the synthetic pages are reshuffled copies that compete with the real ones).", "",
        "| exemplars | search | build (s) | index on disk | idle | first query | first results (s) | per query after | later queries, median (s) | top-3 relevance |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        rel = f"{r['passed']}/{r['asked']} ({100 * r['passed'] / r['asked']:.0f} %)" if "passed" in r else "–"
        lines.append(f"| {r['n']:,} | {r['engine']} | {r['build_s']:.0f} | {kb(r['disk'])} | {kb(r['idle_bytes'])} | {kb(r['first_bytes'])} | "
                     f"{r['first_s']:.2f} | {kb(r['max_query_bytes'])} | {r['median_s']:.2f} | {rel} |")
    lines += ["", "Setups. Pagefind: the site as built (Pagefind 1.4.0 extended, weighted keys with taxonomy labels and aliases,",
              "query split against the index vocabulary, words on nearly every exemplar left out, ranking termFrequency 0.6).",
              "Material: its search plugin as the site had it before (lang zh, jieba with bench/jieba_userdict.txt, title boost 100),",
              "without the removed search-keys patch. Synthetic sizes time the first query and the next "
              f"{TIMED} of the set; the 5,000 build takes about half an hour here, so that row may come from a separate run.",
              "Build seconds are the whole site (Word files included) and swing with the load of the shared machine; they are not a",
              "comparison of the two search engines."]
    engines = {(r["n"], r["engine"]) for r in rows}
    for n in sorted({r["n"] for r in rows}):
        missing = [e for e in ("pagefind", "material") if (n, e) not in engines]
        if missing:
            lines += ["", f"Not measured at {n:,} exemplars: {', '.join(missing)} (run `python bench/search.py --sizes {n} --engines {','.join(missing)}`)."]
    for r in rows:
        if r.get("failed"):
            lines += ["", f"Queries without an expected exemplar in the top 3, {r['engine']}, {r['n']} exemplars:", ""]
            lines += [f"- {f}" for f in r["failed"]]
    return "\n".join(lines) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="62,1000,5000", help="comma-separated; empty: only rewrite the table from --json")
    ap.add_argument("--engines", default="pagefind,material")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "search.md")
    ap.add_argument("--json", type=Path, default=ROOT / "bench" / "search.json", help="raw figures, merged across runs")
    args = ap.parse_args()
    real = browse.valid(library.load(ROOT / "docs"))
    queries = drv.queries()
    machine = f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}"
    saved = json.loads(args.json.read_text(encoding="utf-8")) if args.json.exists() else []
    work = Path(tempfile.mkdtemp(prefix="union-search-bench-"))
    try:
        for n in [int(x) for x in args.sizes.split(",") if x]:
            n = len(real) if n == 62 else n
            project = make(n, work, real)
            for engine in args.engines.split(","):
                config = project / "mkdocs.yml" if engine == "pagefind" else material_config(project)
                site = project / f"site-{engine}"
                build_s = build(project, config, site)
                disk = du(site / ("pagefind" if engine == "pagefind" else "search"))
                row = {"n": n, "engine": engine, "build_s": build_s, "disk": disk}
                row.update(measure(site, engine, queries, relevance=(n == len(real))))
                print(json.dumps(row, ensure_ascii=False), flush=True)
                saved = [r for r in saved if (r["n"], r["engine"]) != (n, engine)] + [row]
                args.json.write_text(json.dumps(saved, ensure_ascii=False, indent=1), encoding="utf-8")
                shutil.rmtree(site, ignore_errors=True)
            shutil.rmtree(project, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    rows = sorted(saved, key=lambda r: (r["n"], r["engine"] != "pagefind"))
    args.out.write_text(table(rows, machine), encoding="utf-8")
    print(table(rows, machine))
    return 0


if __name__ == "__main__":
    sys.exit(main())
