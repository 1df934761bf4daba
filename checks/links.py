"""Link, anchor, image and third-party-host check over the built site/.

Third-party detection reads every URL a browser would fetch (safety.urls: resource attributes,
srcset, ping, meta refresh, CSS in style attributes, <style> and .css files, with HTML entities
and CSS escapes decoded); links and anchors are resolved with fast regular expressions.
"""
from __future__ import annotations

import re
import bisect
import html
import os
import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

from safety import urls as fetched

from .findings import Finding
from .rules import get



PARALLEL_MIN_PAGES = 200  # below this, worker processes cost more than they save
REF = re.compile(r"""\s(href|src|srcset|data)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
TAG_NAME = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)")
IDS = re.compile(r"""\sid\s*=\s*["']?([^"'\s>]+)|<a\s[^>]*?\bname\s*=\s*["']?([^"'\s>]+)""")
SCRIPT_BLOCK = re.compile(r"<script[^>]*>.*?</script>", re.S | re.I)


class _Page:
    """References of one built page, found with regular expressions (fast on large sites)."""

    def __init__(self, path: Path):
        self.text = path.read_text(encoding="utf-8", errors="replace")
        self._ids = None
        self._lines = None

    def line(self, pos: int) -> int:
        if self._lines is None:
            self._lines = [m.start() for m in re.finditer("\n", self.text)]
        return bisect.bisect_right(self._lines, pos) + 1

    @property
    def ids(self) -> set[str]:
        if self._ids is None:
            self._ids = {html.unescape(a or b) for a, b in IDS.findall(self.text)}
        return self._ids

    def refs(self):
        """(position, tag, attribute, value) for every reference; script bodies are skipped."""
        text = self.text
        scripts = [(m.start(), m.end()) for m in SCRIPT_BLOCK.finditer(text) if m.end() - m.start() > 60]
        for m in REF.finditer(text):
            pos = m.start()
            if scripts and any(a < pos < b and pos > text.index(">", a) for a, b in scripts):
                continue
            start = text.rfind("<", 0, pos)
            if start < 0 or text.find(">", start, pos) >= 0:
                continue  # in text, not inside a tag (e.g. escaped HTML shown in <code>)
            tag = TAG_NAME.match(text, start)
            yield pos, (tag.group(1).lower() if tag else ""), m.group(1).lower(), html.unescape(m.group(2) if m.group(2) is not None else m.group(3))


def _parse(path: Path) -> _Page:
    return _Page(path)


def _target(rel_page: str, url: str, base_path: str, dirs: set[str]) -> str | None:
    """Path of the link target relative to the site root, or None when it points outside the site."""
    path = unquote(urlsplit(url).path)
    if path.startswith("/") and path.startswith(base_path):
        path = "/" + path[len(base_path):]
    if not path:
        return rel_page
    joined = path.lstrip("/") if path.startswith("/") else posixpath.join(posixpath.dirname(rel_page), path)
    target = posixpath.normpath(joined) if joined else "."
    if target == ".":
        target = ""
    if target.startswith("../") or target == "..":
        return None
    if target in dirs:
        target = posixpath.join(target, "index.html") if target else "index.html"
    return target


def site_settings(config_file: Path) -> tuple[str, tuple[str, ...]]:
    """(site_url, hosts that plain links may point to) from the MkDocs configuration."""
    from mkdocs.config import load_config
    cfg = load_config(str(config_file))
    repo = urlsplit(cfg.get("repo_url") or "").hostname
    return cfg["site_url"] or "/", ((repo,) if repo else ())


def check_site(site: Path, site_url: str = "http://127.0.0.1:8000/", link_hosts: tuple[str, ...] = ()) -> list[Finding]:
    """Every href and src resolves to a file, every fragment to an id, no third-party resources.

    `site_url` is the address the site is built for: its own host is not third-party, and
    absolute paths below its path are resolved inside `site`. Plain links (<a href>) may also
    point to `link_hosts` (the repository, for "edit this page"); resources never may.
    """
    site = Path(site).resolve()
    files: set[str] = set()
    dirs: set[str] = {""}
    for dirpath, dirnames, filenames in os.walk(site):
        rel_dir = os.path.relpath(dirpath, site).replace(os.sep, "/")
        rel_dir = "" if rel_dir == "." else rel_dir
        dirs.update(posixpath.join(rel_dir, d) if rel_dir else d for d in dirnames)
        files.update(posixpath.join(rel_dir, f) if rel_dir else f for f in filenames)
    own = urlsplit(site_url)
    base_path = own.path if own.path.endswith("/") else own.path + "/"
    own_hosts = (own.hostname,) if own.hostname else ()
    pages = sorted(f for f in files if f.endswith(".html"))
    styles = [Finding(f"site/{f}", 1, "L04", f"样式表引用了外部网址 {u.strip()[:80]}", get("L04").fix)
              for f in sorted(files) if f.endswith(".css")
              for u in fetched.css_urls((site / f).read_text(encoding="utf-8", errors="replace")) if fetched.off_site(u, own_hosts)]
    job = (str(site), files, dirs, own_hosts, tuple(link_hosts), base_path)
    workers = min(os.cpu_count() or 1, 4)
    if workers < 2 or len(pages) < PARALLEL_MIN_PAGES:
        return styles + _check_pages(job, pages)
    import multiprocessing
    chunks = [pages[i::workers] for i in range(workers)]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        results = pool.starmap(_check_pages, [(job, chunk) for chunk in chunks])
    return styles + sorted((f for r in results for f in r), key=lambda f: (f.path, f.line, f.rule))


def _check_pages(job, pages: list[str]) -> list[Finding]:
    """Findings for some of the site's pages (run in a worker process on large sites)."""
    site, files, dirs, own_hosts, link_hosts, base_path = job
    site = Path(site)
    parsed: dict = {}
    out: list[Finding] = []
    memo: dict = {}
    for rel in pages:
        c = parsed.setdefault(rel, _parse(site / rel))
        folder = posixpath.dirname(rel)
        for ref in fetched.html_refs(c.text):
            if fetched.off_site(ref.url, own_hosts):
                out.append(Finding(f"site/{rel}", ref.line, "L04", f"<{ref.tag} {ref.attr}> 引用了外部网址 {ref.url.strip()[:80]}", get("L04").fix))
        for pos, tag, attr, value in c.refs():
            value = value.strip()
            urls = [u.strip().split(" ")[0] for u in value.split(",")] if attr == "srcset" else [value]
            for url in urls:
                if tag not in ("a", "area") and fetched.off_site(url, own_hosts):
                    continue  # reported above, with every other URL the browser fetches
                hosts = own_hosts + link_hosts if tag == "a" else own_hosts
                key = (folder, tag == "a", tag in ("img", "source"), url)
                if key in memo and not memo[key]:
                    continue  # the same link from the same folder was fine before
                problem = _check_url(site, files, dirs, rel, tag, attr, url, parsed, hosts, base_path)
                memo[key] = problem is not None
                if problem:
                    out.append(Finding(f"site/{rel}", c.line(pos), problem[0], problem[1], get(problem[0]).fix))
    return out


def _check_url(site, files, dirs, rel, tag, attr, url, parsed, allowed_hosts, base_path="/") -> tuple[str, str] | None:
    """(rule id, message) when the reference `url` on page `rel` is wrong, else None."""
    parts = urlsplit(url)
    if parts.scheme in ("mailto", "tel", "data", "blob"):
        return None
    if parts.scheme == "javascript":
        return "L01", f"链接“{url[:40]}”是脚本"
    if parts.scheme or url.startswith("//"):
        if parts.hostname not in allowed_hosts:
            return "L04", f"<{tag} {attr}> 引用了外部网址 {url}"
        return None
    target = _target(rel, url, base_path, dirs)
    if target is None or target not in files:
        return ("L03" if tag in ("img", "source") else "L01"), f"<{tag} {attr}=\"{url}\"> 指向的文件不存在"
    frag = unquote(parts.fragment)
    if frag and target.endswith(".html"):
        page = parsed.get(target) or parsed.setdefault(target, _parse(site / target))
        if frag not in page.ids:
            return "L02", f"锚点 #{frag} 在 {target} 里不存在"
    return None
