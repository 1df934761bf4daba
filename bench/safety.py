#!/usr/bin/env python3
"""Benchmark: cost of reader safety on a synthetic library (default 1,000 exemplars).

Builds the library of bench/run.py once with the full configuration, then times, in this
process, on the built pages: the sanitiser over each page's content, writing the
Content-Security-Policy into each page, the MkDocs-independent site check
(python -m safety verify) and the link check. Writes bench/safety.md. Nothing is asserted.

Usage: python bench/safety.py [--n 1000] [--out bench/safety.md]
"""
from __future__ import annotations

import argparse
import importlib.util
import platform
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checks import links  # noqa: E402
from macros import browse, library  # noqa: E402
from safety import csp, sanitize, verify  # noqa: E402

ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.S)


def _run_module():
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def best(fn, repeat=3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "safety.md")
    args = ap.parse_args()
    run = _run_module()
    real = browse.valid(library.load(ROOT / "docs"))
    with tempfile.TemporaryDirectory() as tmp:
        project = run.make_project(Path(tmp) / f"lib{args.n}", args.n, real)
        py = sys.executable
        run.timed([py, "-m", "mkdocs", "build", "--no-strict", "-d", "site"], project)  # cold: caches
        build_s, result = run.timed([py, "-m", "mkdocs", "build", "--no-strict", "-d", "site"], project)
        if result.returncode:
            raise SystemExit(result.stderr[-3000:])
        site = project / "site"
        pages = sorted(site.rglob("*.html"))
        texts = [p.read_text(encoding="utf-8") for p in pages]
        contents = [m.group(1) for t in texts if (m := ARTICLE.search(t))]
        unhashed = [csp.CSP_META.sub(f'<meta http-equiv="Content-Security-Policy" content="{csp.PLACEHOLDER}">', t, 1) for t in texts]
        sanitize_s = best(lambda: [sanitize.clean(c) for c in contents])
        csp_s = best(lambda: [csp.apply(t) for t in unhashed])
        verify_s = best(lambda: verify.verify_site(site, ("127.0.0.1",)), 1)
        links_s = best(lambda: links.check_site(site, "http://127.0.0.1:8000/", ("github.com",)), 1)
        problems = verify.verify_site(site, ("127.0.0.1",))
    content_kb = sum(map(len, contents)) / len(contents) / 1e3
    rows = [
        ("warm full build (for scale)", build_s, ""),
        ("sanitiser, all pages' content (in the build)", sanitize_s, f"{sanitize_s / len(contents) * 1e3:.2f} ms per page, {content_kb:.1f} KB content on average"),
        ("Content-Security-Policy written into every page (in the build)", csp_s, f"{csp_s / len(texts) * 1e3:.2f} ms per page"),
        ("python -m safety verify (after the build)", verify_s, f"{verify_s / len(texts) * 1e3:.2f} ms per page; {len(problems)} problems"),
        ("link and third-party check (python -m checks --site)", links_s, f"{links_s / len(texts) * 1e3:.2f} ms per page"),
    ]
    lines = [f"# Reader-safety benchmark ({args.n} exemplars, {len(texts)} HTML pages)", "",
             f"Machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, "
             f"{__import__('os').cpu_count()} cores (shared). Best of 3 for the in-build steps.", "",
             "| step | seconds | notes |", "|---|---|---|"]
    lines += [f"| {name} | {s:.2f} | {note} |" for name, s, note in rows]
    lines += ["", f"In-build cost: {sanitize_s + csp_s:.2f} s of a {build_s:.1f} s warm build "
                  f"({(sanitize_s + csp_s) / build_s:.1%})."]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
