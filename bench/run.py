#!/usr/bin/env python3
"""Benchmark: build and check synthetic libraries of 250, 1,000 and 2,000 exemplars.

Each synthetic exemplar is assembled from real ones: the title and opening of one, the
numbered sections of others, the closing and 落款 of another, with front matter recomputed
(level, doctype, themes, placeholders), so pages are valid and their text varies.
For every size the script times, in one run on this machine:

- the full build (the pipeline: checks, generated pages, tags, Word export, search index, safety
  and link checks) and the floor: the same pages built by
  bare MkDocs + Material (no macros plugin, no hooks, no tags plugin, no extra CSS/JS);
- the full check (python -m checks) and the link check of the built site;
- the site size, the search index size (all of Pagefind's files) and the largest exemplar page.

Usage: python bench/run.py [--sizes 250,1000,2000] [--out bench/results.md]
No timing is asserted anywhere; the table is written down with the machine noted.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from macros import browse, library  # noqa: E402

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
CN = "一二三四五六七八九十"
SECTION = re.compile(r"^## ", re.M)


def parts(ex):
    """(title line, opening, [section bodies without their numbering], closing block) of a real exemplar."""
    body = library.document_part(ex.body).strip()
    review = ex.body[len(library.document_part(ex.body)):].strip()
    title, _, rest = body.partition("\n")
    chunks = SECTION.split(rest)
    opening, sections = chunks[0].strip(), chunks[1:]
    clean = []
    for sec in sections:
        head, _, text = sec.partition("\n")
        head = re.sub(rf"^[{CN}]+、", "", head.strip())
        clean.append((head, text.strip()))
    last_head, last_text = clean[-1] if clean else ("", "")
    closing = last_text[last_text.rfind("\n\n", 0, max(last_text.find("【单位名称】\n{: .signoff }"), 0)):] if "{: .signoff }" in last_text else ""
    if clean and closing:
        clean[-1] = (last_head, last_text[: len(last_text) - len(closing)].strip())
    return title, opening, [c for c in clean if c[1]], closing.strip(), review


def synthesize(real, n: int, docs: Path, seed: int = 7):
    rng = random.Random(seed)
    pool = [(ex, parts(ex)) for ex in real]
    for i in range(n):
        ex, (title, opening, _, closing, review) = pool[i % len(pool)]
        others = rng.sample(pool, 4)
        sections = [s for _, p in others for s in p[2]]
        rng.shuffle(sections)
        sections = sections[: rng.randint(4, 6)]
        lines = [title, "", opening, ""]
        for k, (head, text) in enumerate(sections):
            lines += [f"## {CN[k]}、{head}", "", text, ""]
        lines += [closing or "【单位名称】\n{: .signoff }\n\n【成文日期】\n{: .signoff }", "", review, ""]
        body = "\n".join(lines)
        meta = dict(ex.meta)
        meta["title"] = f"{ex.meta['title'][:28]}（样本{i:04d}）"
        meta["themes"] = list(dict.fromkeys(ex.meta["themes"] + [t for o, _ in others for t in o.meta["themes"]]))[:6]
        meta.pop("phrase_vars", None)
        page = docs / "exemplars" / meta["level"] / f"s{i:04d}.md"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(front(meta) + body, encoding="utf-8")
        loaded = library.load_exemplar(page, docs)
        meta["placeholders"] = loaded.used_placeholders
        page.write_text(front(meta) + body, encoding="utf-8")


def front(meta) -> str:
    return "---\n" + "\n".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in meta.items()) + "\n---\n\n"


def make_project(dest: Path, n: int, real) -> Path:
    shutil.copytree(ROOT, dest, ignore=shutil.ignore_patterns(".venv*", ".git", "site", ".cache", "test-artifacts", "bench", "__pycache__",
                                                              "build"))
    exdir = dest / "docs" / "exemplars"
    shutil.rmtree(exdir)
    synthesize(real, n, dest / "docs")
    # guides link to the real exemplars by name: keep those pages as they are
    for ex in real:
        target = dest / "docs" / ex.src
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ex.path, target)
    return dest


def bare_config(project: Path) -> Path:
    """mkdocs.yml without macros, hooks, tags and extra assets: the floor."""
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    text = re.sub(r"\nhooks:\n(  - .*\n)+", "\n", text)
    text = re.sub(r"  - macros:\n(      .*\n)+", "", text)
    text = re.sub(r"  - tags:\n(      .*\n)+", "", text)
    text = re.sub(r"\nextra_css:\n(  - .*\n)+", "\n", text)
    text = re.sub(r"\nextra_javascript:\n(  - .*\n)+", "\n", text)
    text = text.replace("  custom_dir: overrides\n", "")
    text = text.replace("strict: true", "strict: false")
    path = project / "mkdocs-bare.yml"
    path.write_text(text, encoding="utf-8")
    return path


def timed(cmd, cwd) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=ENV)
    return time.perf_counter() - start, result


def du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def measure(n: int, real, work: Path) -> dict:
    project = make_project(work / f"lib{n}", n, real)
    py = sys.executable
    cold_s, full = timed([py, "-m", "pipeline", "build", "--no-strict", "--site", "site"], project)
    if full.returncode:
        raise SystemExit(f"full build of {n} failed:\n{full.stdout[-3000:]}{full.stderr[-3000:]}")
    full_s, full = timed([py, "-m", "pipeline", "build", "--no-strict", "--site", "site"], project)
    bare_s, bare = timed([py, "-m", "mkdocs", "build", "--no-strict", "-f", str(bare_config(project)), "-d", "site-bare"], project)
    if bare.returncode:
        raise SystemExit(f"bare build of {n} failed:\n{bare.stderr[-3000:]}")
    warm_lint_s, _ = timed([py, "-m", "checks", "--docs", "docs"], project)
    shutil.rmtree(project / ".cache")
    lint_s, lint = timed([py, "-m", "checks", "--docs", "docs"], project)
    links_s, links = timed([py, "-c", "import sys; from pathlib import Path; sys.path.insert(0, '.');"
                            "from checks import links; f = links.check_site(Path('site'), 'http://127.0.0.1:8000/', ('github.com',));"
                            "print(len(f))"], project)
    site = project / "site"
    pages = [p for p in (site / "exemplars").rglob("index.html") if p.parent.parent.parent.name == "exemplars"]
    largest = max(pages, key=lambda p: p.stat().st_size)
    index_bytes = du(site / "pagefind")  # the whole Pagefind index; a reader loads only a few chunks of it
    findings = lint.stdout.strip().splitlines()[-1] if lint.stdout.strip() else ""
    return {
        "n": n, "cold_s": cold_s, "full_s": full_s, "bare_s": bare_s, "warm_lint_s": warm_lint_s, "lint_s": lint_s, "links_s": links_s,
        "lint_findings": findings, "link_findings": links.stdout.strip(),
        "site_mb": du(site) / 1e6, "index_kb_per_ex": index_bytes / 1e3 / n,
        "index_mb": index_bytes / 1e6, "largest_kb": largest.stat().st_size / 1e3,
        "largest": largest.relative_to(site).as_posix(),
        "third_party": sum(1 for p in site.rglob("*.html") if re.search(r'(?:src|href)="(?:https?:)?//(?!127\.0\.0\.1|github\.com)', p.read_text(encoding="utf-8"))),
    }


def table(rows, machine) -> str:
    out = [f"Machine: {machine}", "",
           "Full build: all features (macros, hooks, generated pages, tags, Word files). Cold: empty .cache/ (every Word file and parsed page made anew);",
           "warm: the usual rebuild, unchanged pages and Word files reused. Bare: MkDocs + Material alone on the same Markdown, the floor.",
           "Lint: python -m checks over all pages, cold (empty .cache/) and warm. Link check: checks.links over the built site.", "",
           "| exemplars | full build cold (s) | full build warm (s) | bare build (s) | warm/bare | cold/bare | lint cold (s) | lint warm (s) | link check (s) | lint+links cold (s) | site (MB) | search index (MB) | index per exemplar (KB) | largest exemplar page (KB) | third-party refs |",
           "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        out.append(f"| {r['n']} | {r['cold_s']:.1f} | {r['full_s']:.1f} | {r['bare_s']:.1f} | {r['full_s'] / r['bare_s']:.2f} | {r['cold_s'] / r['bare_s']:.2f} | "
                   f"{r['lint_s']:.1f} | {r['warm_lint_s']:.1f} | {r['links_s']:.1f} | {r['lint_s'] + r['links_s']:.1f} | "
                   f"{r['site_mb']:.1f} | {r['index_mb']:.1f} | {r['index_kb_per_ex']:.1f} | {r['largest_kb']:.0f} | {r['third_party']} |")
    by = {r["n"]: r for r in rows}
    if 1000 in by and 2000 in by:
        out += ["", f"Scaling 1,000 → 2,000: full build warm ×{by[2000]['full_s'] / by[1000]['full_s']:.2f}, cold ×{by[2000]['cold_s'] / by[1000]['cold_s']:.2f}, "
                    f"bare build ×{by[2000]['bare_s'] / by[1000]['bare_s']:.2f}, lint ×{by[2000]['lint_s'] / by[1000]['lint_s']:.2f}, "
                    f"link check ×{by[2000]['links_s'] / by[1000]['links_s']:.2f}."]
    out += ["", "Checker output on the synthetic libraries (they are assembled from real pages, so some findings are expected):", ""]
    out += [f"- {r['n']}: {r['lint_findings']}; link findings: {r['link_findings']}; largest page: {r['largest']}" for r in rows]
    return "\n".join(out) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="250,1000,2000")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results.md")
    ap.add_argument("--keep", action="store_true", help="keep the synthetic projects")
    args = ap.parse_args()
    real = browse.valid(library.load(ROOT / "docs"))
    machine = f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}, {platform.platform()}"
    work = Path(tempfile.mkdtemp(prefix="union-bench-"))
    rows = []
    try:
        for n in [int(x) for x in args.sizes.split(",")]:
            row = measure(n, real, work)
            rows.append(row)
            print(f"{n}: full {row['full_s']:.1f}s, bare {row['bare_s']:.1f}s, lint {row['lint_s']:.1f}s, links {row['links_s']:.1f}s", flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    text = table(rows, machine)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
