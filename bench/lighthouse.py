#!/usr/bin/env python3
"""Lighthouse (mobile) on one page of every type of the built site, recorded in bench/lighthouse.md.

Builds the site, serves it on 127.0.0.1, installs Lighthouse from the npm registry into
bench/.lighthouse/ (pinned) and runs it with Debian's chromium. Scores are written down, not
asserted: targets are accessibility and best practices 100, SEO at least 95; the mobile
performance score (simulated slow 4G and a 4x slower CPU) is recorded with its main timings.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / "bench" / ".lighthouse"
sys.path.insert(0, str(ROOT / "tests"))
import search_driver as drv  # noqa: E402
VERSION = "12.8.2"
# (page type, address): one of each type a writer or contributor opens
PAGES = [
    ("exemplar", "exemplars/county/annual-summary/"), ("home", ""), ("chooser", "find/?level=school&doctype=duty-report"),
    ("levels overview", "exemplars/"), ("level", "exemplars/county/"), ("doctypes overview", "doctypes/"),
    ("doctype", "doctypes/annual-summary/"), ("themes overview", "themes/"), ("theme", "themes/rights/"),
    ("phrase bank", "phrases/"), ("phrase group", "phrases/closing/"), ("guide", "guides/annual-summary/"),
    ("contribute", "contribute/"), ("style manual", "style/"), ("not found", "404.html"),
]
CATEGORIES = "performance,accessibility,best-practices,seo"
FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run"


RUNS = int(os.environ.get("LH_RUNS", "3"))  # the run with the median performance score is kept


def lighthouse(binary: Path, url: str, out: Path, env: dict, extra=()) -> dict:
    for attempt in range(3):  # chromium now and then fails to start on a loaded machine
        done = subprocess.run([str(binary), url, "--quiet", f"--chrome-flags={FLAGS}", "--form-factor=mobile",
                               f"--only-categories={CATEGORIES}", "--output=json", f"--output-path={out}", *extra],
                              env=env, capture_output=True, text=True)
        if done.returncode == 0:
            return json.loads(out.read_text(encoding="utf-8"))
    raise SystemExit(f"lighthouse failed on {url}:\n{done.stderr[-2000:]}")


def median_run(binary: Path, url: str, out: Path, env: dict, extra=()) -> dict:
    reports = sorted((lighthouse(binary, url, out, env, extra) for _ in range(RUNS)), key=lambda r: r["categories"]["performance"]["score"])
    return reports[len(reports) // 2]


def main() -> int:
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    binary = TOOLS / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        TOOLS.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", str(TOOLS), "--no-audit", "--no-fund", f"lighthouse@{VERSION}"], check=True)
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)], cwd=ROOT, env=env, check=True, capture_output=True)
        httpd = drv.serve(site)  # gzip-compressed, as a real host serves them (the search tests' server)
        base = f"http://127.0.0.1:{httpd.server_address[1]}/"
        env = {**env, "CHROME_PATH": chromium}
        out = Path(tmp) / "report.json"
        rows = []
        for kind, page in PAGES:
            report = median_run(binary, base + page, out, env)
            scores = {k: round(c["score"] * 100) for k, c in report["categories"].items()}
            # performance audits are graded on a curve; list only the failing ones of the other categories
            failed = sorted({a for name, c in report["categories"].items() if name != "performance" for ref in c["auditRefs"] if ref.get("weight")
                             for a in [ref["id"]] if (report["audits"][a].get("score") is not None and report["audits"][a]["score"] < 1)})
            timings = {k: report["audits"][a]["numericValue"] for k, a in
                       (("fcp", "first-contentful-paint"), ("lcp", "largest-contentful-paint"), ("tbt", "total-blocking-time"), ("cls", "cumulative-layout-shift"))}
            size = report["audits"]["total-byte-weight"]["numericValue"]
            rows.append((kind, page or "(home)", scores, timings, size, failed))
            print(kind, page or "(home)", scores, timings, failed, flush=True)
        httpd.shutdown()
    version = subprocess.run([chromium, "--version"], capture_output=True, text=True).stdout.strip()
    lines = [f"Lighthouse {VERSION}, mobile form factor, Debian chromium ({version}), pages served gzip-compressed on 127.0.0.1;",
             (f"median of {RUNS} runs by performance score." if RUNS > 1 else "one run per page (LH_RUNS=1; the default is the median of 3).")
             + " Performance is Lighthouse's mobile simulation (slow 4G, 4x CPU slowdown),",
             "so it moves with the load of the machine (2 shared cores); FCP and LCP in seconds, TBT in ms, transfer after compression.", "",
             "| page type | page | performance | accessibility | best practices | SEO | FCP | LCP | TBT | CLS | transfer | failing audits |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for kind, page, sc, t, size, failed in rows:
        lines.append(f"| {kind} | {page} | {sc['performance']} | {sc['accessibility']} | {sc['best-practices']} | {sc['seo']} | "
                     f"{t['fcp'] / 1000:.1f} | {t['lcp'] / 1000:.1f} | {t['tbt']:.0f} | {t['cls']:.3f} | {size / 1024:.0f} KB | {', '.join(failed) or '—'} |")
    lines += ["", "Search is Pagefind, which downloads nothing until the reader opens the search box, so the transfer above holds no search index."]
    (ROOT / "bench" / "lighthouse.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
