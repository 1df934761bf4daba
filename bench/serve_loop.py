#!/usr/bin/env python3
"""Benchmark: the contributor loop of `make serve` (python -m pipeline serve).

For each library size the script starts the server on a copy of the project, waits for the first
build, then edits one exemplar (a sentence added to its body) and measures the seconds until the
served page shows the edit, three times on different pages. It also measures how long a checker
finding takes to reach the console after a bad edit. Beside it, the floor: bare MkDocs serving the
same generated tree with --dirty and no hooks, edited directly in build/docs/.

Sizes: the real library cut to 62 exemplars, the whole real library, and 1,000 synthetic exemplars
(bench/run.py's generator) on top of the real ones. No timing is asserted anywhere.

Usage: python bench/serve_loop.py [--sizes 62,real,1000] [--out bench/serve-loop.md]
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import run as bench_run  # noqa: E402
from macros import browse, library  # noqa: E402

ENV = {**bench_run.ENV, "PYTHONUNBUFFERED": "1"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        return urllib.request.urlopen(url, timeout=5).read().decode("utf-8", "replace")
    except Exception:
        return None


def wait_for(pred, timeout: float, step: float = 0.05) -> float | None:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if pred():
            return time.perf_counter() - start
        time.sleep(step)
    return None


def project_for(size: str, real, work: Path) -> Path:
    if size == "real":
        dest = work / "real"
        shutil.copytree(ROOT, dest, ignore=shutil.ignore_patterns(".venv*", ".git", "site", ".cache", "test-artifacts", "bench",
                                                                  "__pycache__", "build"))
        return dest
    n = int(size)
    if n <= len(real):
        dest = project_for("real", real, work / f"cut{n}")
        keep = {e.src for e in real[:n]}
        for e in real:
            if e.src not in keep:
                (dest / "docs" / e.src).unlink()
        return dest
    return bench_run.make_project(work / f"lib{n}", n, real)


class Server:
    def __init__(self, cmd, cwd: Path, log: Path):
        self.log = log
        self.fh = log.open("w", encoding="utf-8")
        self.proc = subprocess.Popen(cmd, cwd=cwd, stdout=self.fh, stderr=subprocess.STDOUT, env=ENV)

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.fh.close()


def edit_times(server_url: str, pages: list[Path], docs: Path, tag: str) -> list[float]:
    times = []
    for k, page in enumerate(pages):
        marker = f"基准测试标记{tag}{k}号"
        text = page.read_text(encoding="utf-8")
        first = text.index("。\n", text.index("\n# "))
        page.write_text(text[:first] + "。" + marker + text[first:], encoding="utf-8")
        url = server_url + library.url_of(page.relative_to(docs).as_posix())
        t = wait_for(lambda: marker in (fetch(url) or ""), 180)
        times.append(t if t is not None else float("nan"))
        time.sleep(3)  # let the background search re-index settle before the next edit
    return times


def measure(size: str, real, work: Path) -> dict:
    project = project_for(size, real, work)
    docs = project / "docs"
    items = browse.valid(library.load(docs))
    pages = [docs / e.src for e in items[1:4]]
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    start = time.perf_counter()
    srv = Server([sys.executable, "-m", "pipeline", "serve", "-a", f"127.0.0.1:{port}"], project, work / f"serve-{size}.log")
    try:
        ready = wait_for(lambda: fetch(url) is not None and "Serving on" in srv.text(), 3600, 0.5)
        if ready is None:
            raise SystemExit(f"server for {size} did not start:\n{srv.text()[-3000:]}")
        first = time.perf_counter() - start
        time.sleep(5)
        loop = edit_times(url, pages, docs, "甲")
        bad = pages[0]
        text = bad.read_text(encoding="utf-8")
        cut = text.index("。\n", text.index("\n# "))
        bad.write_text(text[:cut] + "。20××年。" + text[cut:], encoding="utf-8")
        feedback = wait_for(lambda: "T09" in srv.text(), 120)
        bad.write_text(text, encoding="utf-8")
        time.sleep(5)
    finally:
        srv.stop()
    # the floor: bare MkDocs on the same generated tree, no hooks, dirty rebuilds
    gen = (project / "build" / "mkdocs.yml").read_text(encoding="utf-8")
    bare = project / "build" / "mkdocs-bare.yml"
    bare.write_text(gen.replace("hooks:\n- " + str(project / "hooks" / "site.py") + "\n", "hooks: []\n"), encoding="utf-8")
    port = free_port()
    burl = f"http://127.0.0.1:{port}/"
    floor_srv = Server([sys.executable, "-P", "-m", "mkdocs", "serve", "--dirty", "-f", str(bare), "-a", f"127.0.0.1:{port}"],
                       project, work / f"bare-{size}.log")
    try:
        if wait_for(lambda: fetch(burl) is not None and "Serving on" in floor_srv.text(), 3600, 0.5) is None:
            raise SystemExit(f"bare server for {size} did not start:\n{floor_srv.text()[-3000:]}")
        time.sleep(3)
        gdocs = project / "build" / "docs"
        floor = edit_times(burl, [gdocs / e.src for e in items[4:7]], gdocs, "乙")
    finally:
        floor_srv.stop()
    return {"size": size, "exemplars": len(items), "first": first, "loop": loop, "feedback": feedback, "floor": floor}


def table(rows, machine: str) -> str:
    med = lambda xs: sorted(xs)[len(xs) // 2]
    out = ["# The contributor loop: `make serve`", "", f"Machine: {machine}. Produced by `python bench/serve_loop.py`.", "",
           "Edit → page: seconds from saving one exemplar to the served page showing the edit (three edits, different pages),",
           "through the pipeline's loop: step 1 checks the changed page, step 2 rewrites the files whose bytes change, MkDocs",
           "re-renders those pages (`--dirty`), step 4 finishes them. Floor: bare MkDocs (`mkdocs serve --dirty`, no hooks) on the",
           "same generated tree, the page edited in build/docs/ directly. Finding: seconds from saving a page with 20××年",
           "until the console prints rule T09. First build: start of `python -m pipeline serve` to the first page served",
           "(Word files made from an empty cache, search index).", "",
           "| exemplars | first build (s) | edit → page (s), three edits | median | bare MkDocs floor (s), three edits | median | median / floor | finding in console (s) |",
           "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        out.append(f"| {r['exemplars']:,} ({r['size']}) | {r['first']:.0f} | {', '.join(f'{t:.1f}' for t in r['loop'])} | {med(r['loop']):.1f} | "
                   f"{', '.join(f'{t:.1f}' for t in r['floor'])} | {med(r['floor']):.1f} | {med(r['loop']) / med(r['floor']):.2f} | "
                   f"{r['feedback']:.1f} |" if r["feedback"] is not None else " – |")
    return "\n".join(out) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="62,real,1000")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "serve-loop.md")
    args = ap.parse_args()
    real = browse.valid(library.load(ROOT / "docs"))
    machine = f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}"
    work = Path(tempfile.mkdtemp(prefix="union-serve-"))
    rows = []
    try:
        for size in args.sizes.split(","):
            rows.append(measure(size, real, work))
            print(rows[-1], flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = table(rows, machine)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
