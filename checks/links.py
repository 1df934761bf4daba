"""Link, anchor, image and third-party-host check over the built site/."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .findings import Finding
from .rules import get

RESOURCE_ATTRS = {("img", "src"), ("script", "src"), ("iframe", "src"), ("source", "src"), ("video", "src"),
                  ("audio", "src"), ("embed", "src"), ("object", "data"), ("img", "srcset"), ("source", "srcset")}
CSS_URL = re.compile(r"url\(\s*['\"]?(https?:)?//", re.I)


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.refs: list[tuple] = []  # line, tag, attr, value, rel
        self.in_style = False

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        d = dict(attrs)
        for key in ("id", "name"):
            if d.get(key) and (key == "id" or tag == "a"):
                self.ids.add(d[key])
        for attr, value in attrs:
            if value is None:
                continue
            if attr in ("href", "src", "srcset", "data") or attr == "content" and tag == "meta" and d.get("http-equiv"):
                self.refs.append((line, tag, attr, value, d.get("rel") or ""))
            if attr == "style" and CSS_URL.search(value):
                self.refs.append((line, tag, "style", value, ""))
        self.in_style = tag == "style"

    def handle_endtag(self, tag):
        if tag == "style":
            self.in_style = False

    def handle_data(self, data):
        if self.in_style and CSS_URL.search(data):
            self.refs.append((self.getpos()[0], "style", "css", data, ""))


def _parse(path: Path) -> _Collector:
    c = _Collector()
    c.feed(path.read_text(encoding="utf-8", errors="replace"))
    return c


def _target(site: Path, page: Path, url: str, base_path: str = "/") -> Path:
    parts = urlsplit(url)
    path = unquote(parts.path)
    if path.startswith("/") and path.startswith(base_path):
        path = "/" + path[len(base_path):]
    base = site if path.startswith("/") else page.parent
    target = (base / path.lstrip("/")).resolve() if path else page
    if target.is_dir():
        target = target / "index.html"
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
    own = urlsplit(site_url)
    base_path = own.path if own.path.endswith("/") else own.path + "/"
    own_hosts = (own.hostname,) if own.hostname else ()
    pages = sorted(site.rglob("*.html"))
    parsed = {p: _parse(p) for p in pages}
    out: list[Finding] = []
    for page, c in parsed.items():
        rel = page.relative_to(site).as_posix()
        for line, tag, attr, value, rel_attr in c.refs:
            value = value.strip()
            if attr in ("style", "css"):
                out.append(Finding(f"site/{rel}", line, "L04", "样式里引用了外部网址", get("L04").fix))
                continue
            urls = [u.strip().split(" ")[0] for u in value.split(",")] if attr == "srcset" else [value]
            for url in urls:
                hosts = own_hosts + tuple(link_hosts) if tag == "a" else own_hosts
                out += _check_url(site, page, rel, line, tag, attr, url, parsed, hosts, base_path, rel_attr)
    return out


def _check_url(site, page, rel, line, tag, attr, url, parsed, allowed_hosts, base_path="/", rel_attr=""):
    parts = urlsplit(url)
    where = f"site/{rel}"
    if parts.scheme in ("mailto", "tel", "data", "blob"):
        return []
    if parts.scheme == "javascript":
        return [Finding(where, line, "L01", f"链接“{url[:40]}”是脚本", get("L01").fix)]
    if parts.scheme or url.startswith("//"):
        if parts.hostname not in allowed_hosts:
            return [Finding(where, line, "L04", f"<{tag} {attr}> 引用了外部网址 {url}", get("L04").fix)]
        return []
    target = _target(site, page, url, base_path)
    if not str(target).startswith(str(site)) or not target.exists():
        rule = "L03" if tag in ("img", "source") else "L01"
        return [Finding(where, line, rule, f"<{tag} {attr}=\"{url}\"> 指向的文件不存在", get(rule).fix)]
    frag = unquote(parts.fragment)
    if frag and target.suffix == ".html":
        ids = parsed[target].ids if target in parsed else _parse(target).ids
        if frag not in ids:
            return [Finding(where, line, "L02", f"锚点 #{frag} 在 {target.relative_to(site).as_posix()} 里不存在", get("L02").fix)]
    return []
