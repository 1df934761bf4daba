#!/usr/bin/env python3
"""Lighthouse (mobile) on a few pages of the built site, recorded in bench/lighthouse.md.

Builds the site, serves it on 127.0.0.1, installs Lighthouse from the npm registry into
bench/.lighthouse/ (pinned) and runs it with Debian's chromium. Scores are written down, not
asserted: targets are accessibility and best practices 100, SEO at least 95.
"""
from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / "bench" / ".lighthouse"
VERSION = "12.8.2"
PAGES = ["exemplars/county/annual-summary/", "", "exemplars/county/", "themes/rights/", "phrases/closing/", "guides/annual-summary/"]
FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


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
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{httpd.server_address[1]}/"
        rows = []
        for page in PAGES:
            out = Path(tmp) / "report.json"
            subprocess.run([str(binary), base + page, "--quiet", f"--chrome-flags={FLAGS}", "--form-factor=mobile",
                            "--only-categories=accessibility,best-practices,seo", "--output=json", f"--output-path={out}"],
                           env={**env, "CHROME_PATH": chromium}, check=True, capture_output=True)
            report = json.loads(out.read_text(encoding="utf-8"))
            scores = {k: round(c["score"] * 100) for k, c in report["categories"].items()}
            failed = sorted({a for c in report["categories"].values() for ref in c["auditRefs"] if ref.get("weight")
                             for a in [ref["id"]] if (report["audits"][a].get("score") is not None and report["audits"][a]["score"] < 1)})
            rows.append((page or "(home)", scores, failed))
            print(page or "(home)", scores, failed, flush=True)
        httpd.shutdown()
    lines = [f"Lighthouse {VERSION}, mobile form factor, Debian chromium ({subprocess.run([chromium, '--version'], capture_output=True, text=True).stdout.strip()}), pages served on 127.0.0.1.", "",
             "| page | accessibility | best practices | SEO | failing audits |", "|---|---|---|---|---|"]
    for page, s, failed in rows:
        lines.append(f"| {page} | {s['accessibility']} | {s['best-practices']} | {s['seo']} | {', '.join(failed) or '—'} |")
    (ROOT / "bench" / "lighthouse.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
