#!/usr/bin/env python3
"""Benchmark: how long the checker takes to refuse each kind of bad input (the target is 2 s each).

Every generated case of tests/test_bad_input.py and every page fixture of tests/fixtures/bad/ is
dropped alone into a docs/ folder and checked by `python -m checks --docs …` in a subprocess, as a
contributor runs it; the wall time includes interpreter start-up and imports. Also timed: the e-mail
pattern P04 on a 120,000-letter word, old pattern against the current one (in process).

Usage: python bench/bad_input.py [--out bench/bad-input.md]
No timing is asserted in the tests; this table is written down with the machine noted.
"""
from __future__ import annotations

import argparse
import os
import platform
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.append(str(ROOT))
sys.path.append(str(ROOT / "tests"))

import yaml  # noqa: E402

import test_bad_input as cases  # noqa: E402
from checks import lint  # noqa: E402

OLD_P04 = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")


def run_check(docs: Path) -> tuple[float, float, str]:
    """Wall time and CPU time (user + system) of the checker's process, and its first finding."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    res = subprocess.run([sys.executable, "-m", "checks", "--docs", str(docs)], cwd=ROOT, capture_output=True, text=True, timeout=600)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    first = next((l for l in res.stdout.splitlines() if ": [" in l), res.stdout.strip().splitlines()[-1] if res.stdout.strip() else res.stderr[-200:])
    return elapsed, cpu, first


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "bad-input.md")
    args = ap.parse_args()
    rows = []
    load = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        for i, name in enumerate(cases.GENERATED):
            where = Path(tmp) / f"g{i}"
            docs, _ = cases.make_case(where, name)
            t, cpu, first = run_check(docs)
            rows.append((name, cases.GENERATED[name][0], t, cpu, first))
        manifest = yaml.safe_load((ROOT / "tests" / "fixtures" / "bad" / "manifest.yml").read_text(encoding="utf-8"))
        for i, case in enumerate(c for c in manifest if not c.get("build")):
            docs = Path(tmp) / f"m{i}" / "docs"
            rel = case.get("rel") or f"exemplars/{case.get('folder', 'branch')}/{case['file'].lower()}"
            (docs / rel).parent.mkdir(parents=True, exist_ok=True)
            (docs / rel).write_bytes((ROOT / "tests" / "fixtures" / "bad" / case["file"]).read_bytes())
            t, cpu, first = run_check(docs)
            rows.append((case["file"][:-3], case["rule"], t, cpu, first))
    word = "a" * 120_000
    timings = {}
    for label, rx, n in (("old P04", OLD_P04, 20_000), ("old P04", OLD_P04, 120_000), ("current P04", lint.P04, 120_000)):
        start = time.perf_counter()
        rx.search(word[:n])
        timings[(label, n)] = time.perf_counter() - start
    lines = [
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, CPython {platform.python_version()}, {platform.platform()}",
        "",
        f"Load average when the run started: {load[0]:.1f} (other processes share the cores; wall time includes waiting for them, CPU time does not).",
        "",
        "Time of `python -m checks --docs <folder with one bad page>`, start-up and imports included.",
        "",
        "| case | rule | wall (s) | CPU (s) | first finding |",
        "|---|---|---|---|---|",
    ]
    lines += [f"| {n} | {r} | {t:.2f} | {c:.2f} | {f[:110].replace('|', '/')} |" for n, r, t, c, f in rows]
    worst = max(rows, key=lambda r: r[3])
    lines += ["", f"Most CPU: {worst[0]} {worst[3]:.2f} s; cases over 2 s of CPU: {sum(1 for r in rows if r[3] > 2)} of {len(rows)}; "
              f"over 2 s wall: {sum(1 for r in rows if r[2] > 2)} of {len(rows)}.", "",
              "E-mail pattern on one word of letters without @ (in process):", ""]
    lines += [f"- {label}, {n:,} letters: {t:.3f} s" for (label, n), t in timings.items()]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
