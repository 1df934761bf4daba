"""Drive the site search in headless chromium: shared by tests/test_search.py and bench/search.py.

The site is served by a small HTTP server that gzips text files as a real web server would, so
the bytes Playwright reports are what a reader's browser would transfer.
"""
from __future__ import annotations

import functools
import gzip
import http.server
import io
import shutil
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from browser_wait import wait_js

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "tests" / "data" / "search_queries.yml"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
TEXT = (".html", ".js", ".css", ".json", ".svg", ".txt", ".xml", ".map")


def queries() -> list[dict]:
    return yaml.safe_load(QUERIES.read_text(encoding="utf-8"))


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files; text files gzip-compressed when the browser accepts it (cached in memory)."""
    cache: dict = {}
    csp: str | None = None  # a Content-Security-Policy header to send with every response

    def log_message(self, *args):
        pass

    def end_headers(self):
        if self.csp:
            self.send_header("Content-Security-Policy", self.csp)
        super().end_headers()

    def send_head(self):
        url = self.path.split("?")[0].split("#")[0]
        path = Path(self.translate_path(self.path))
        if url.endswith("/"):
            path = path / "index.html"
        if not (path.suffix in TEXT and path.is_file() and "gzip" in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        key = (str(path), path.stat().st_mtime_ns)
        body = self.cache.get(key)
        if body is None:
            body = self.cache[key] = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def serve(directory: Path, port: int = 0, csp: str | None = None) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(type("Handler", (GzipHandler,), {"csp": csp}), directory=str(directory))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)


class Meter:
    """Bytes received by a page (compressed body + headers), per request; sizes are read
    after the fact (Playwright's sync API cannot be called from inside its event handlers)."""

    def __init__(self, page):
        self.requests: list = []
        page.on("requestfinished", lambda r: self.requests.append(r))

    def mark(self) -> int:
        return len(self.requests)

    def urls(self, mark: int = 0) -> list[str]:
        return [r.url for r in self.requests[mark:]]

    def since(self, mark: int = 0, only=None) -> int:
        total = 0
        for r in self.requests[mark:]:
            if only is None or only(r.url):
                s = r.sizes()
                total += s["responseBodySize"] + s["responseHeadersSize"]
        return total


def is_search_request(url: str) -> bool:
    path = urlsplit(url).path
    return ("/pagefind/" in path or "/search/" in path or path.endswith(("search.css", "search_index.json"))
            or "workers/search" in path)


def _paths(hrefs, base: str) -> list[str]:
    out = []
    for h in hrefs:
        p = urlsplit(h).path
        root = urlsplit(base).path
        out.append(p[len(root):] if p.startswith(root) else p.lstrip("/"))
    return list(dict.fromkeys(out))


def pagefind_open(page, base: str):
    page.goto(base)
    page.locator(".pf-open").click()
    page.wait_for_selector("#pf-input:focus", timeout=10000)


def pagefind_query(page, base: str, query: str, timeout: float = 30000) -> tuple[list[str], float]:
    """Type a query into the open Pagefind dialog; return result paths and seconds to results."""
    box = page.locator("#pf-input")
    box.fill("")
    start = time.perf_counter()
    box.fill(query)
    wait_js(page, "q => document.getElementById('pf-results').getAttribute('data-query') === q", arg=query, timeout=timeout)
    took = time.perf_counter() - start
    hrefs = page.locator("#pf-results a.pf-result").evaluate_all("els => els.map(e => e.href)")
    return _paths(hrefs, base), took


def material_open(page, base: str):
    page.goto(base)
    page.locator(".md-search__input").click()


def material_query(page, base: str, query: str, timeout: float = 180000) -> tuple[list[str], float]:
    """Type a query into Material's search; return result paths and seconds to results."""
    box = page.locator(".md-search__input")
    box.fill("")
    page.wait_for_timeout(100)
    start = time.perf_counter()
    box.fill(query)
    page.keyboard.press("End")
    wait_js(page, 
        "() => { const m = document.querySelector('.md-search-result__meta'); return m && /\\d|没有|No/.test(m.textContent) }",
        timeout=timeout)
    took = time.perf_counter() - start
    page.wait_for_timeout(200)
    hrefs = page.locator(".md-search-result__item > a").evaluate_all("els => els.map(e => e.href)")
    return [p.split("#")[0] for p in _paths(hrefs, base)], took


def first_query(browser, base: str, query: str) -> tuple[int, list[str], float]:
    """A query as a new visitor's first one (fresh context, nothing cached): bytes search
    downloaded, result paths and seconds to results."""
    ctx = browser.new_context(locale="zh-CN")
    try:
        meter = Meter(ctx)
        pg = ctx.new_page()
        pagefind_open(pg, base)
        paths, secs = pagefind_query(pg, base, query)
        return meter.since(0, is_search_request), paths, secs
    finally:
        ctx.close()


def top3_passes(paths: list[str], expect: list[str]) -> bool:
    top = list(dict.fromkeys(p.split("#")[0] for p in paths))[:3]
    return any(e in top for e in expect)
