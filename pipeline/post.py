"""Step 4: finish the built site, whatever generator rendered it.

For every page made from Markdown: the content between the step-2 markers gets the exemplar
card, form and related list, then passes the allowlist sanitiser (safety.sanitize); every page
gets its Pagefind marks and its Content-Security-Policy. Then the Word files, the search index,
the reader-safety check of the whole folder (safety.verify) and the link check.
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

from checks import links
from macros import docx_export, library, pagekit, search_index
from safety import csp, sanitize
from safety import verify as site_verify

from . import config as cfg
from .generate import manifest as read_manifest
from .generate import markers
from .load import Library, Refused

HEAD = re.compile(r"<head\b[^>]*>", re.I)
CSP_TAG = '<meta http-equiv="Content-Security-Policy" content="' + csp.PLACEHOLDER + '">'


def html_path(site: Path, src: str) -> Path:
    return site / library.url_of(src) / "index.html"


def search_kind(src: str, exemplars: dict) -> str:
    """How Pagefind treats a page: see search_index.mark_page."""
    if src in exemplars:
        return "exemplar"
    if src in ("index.md", "tags.md"):
        return "none"
    if src.startswith(("exemplars/", "doctypes/", "themes/")):
        return "browse"
    return "page"


def with_policy(page: str) -> str:
    """The page's Content-Security-Policy: the template's placeholder, or a tag added first in <head>."""
    if csp.PLACEHOLDER not in page:
        m = HEAD.search(page)
        if m is None:
            raise Refused("网页没有 <head>，无法加上内容安全策略（H07）")
        page = page[: m.end()] + CSP_TAG + page[m.end():]
    return csp.apply(page)


def finish_page(page: str, src: str, title: str, nonce: str, lib: Library, exemplars: dict, search: bool = True) -> str:
    start, end = markers(nonce)
    i, j = page.find(start), page.find(end)
    if i < 0 or j < i or page.count(start) != 1 or page.count(end) != 1:
        raise Refused(f"docs/{src}: 生成的网页里找不到唯一的一段正文标记，无法确认哪些内容来自投稿，已停止构建（H07）")
    content = page[i + len(start): j]
    ex = exemplars.get(src)
    if ex is not None:
        content = pagekit.decorate(content, ex, lib.items)
    page = page[:i] + sanitize.clean(content) + page[j + len(end):]
    if search:
        kind = search_kind(src, exemplars)
        keys = search_index.keys_for(ex.meta, ex.title, ex.text) if ex is not None else None
        page = search_index.mark_page(page, kind, ex.title if ex is not None else title, keys)
    return with_policy(page)


def write_docx(lib: Library, site: Path, only: set | None = None) -> int:
    """Each exemplar's .docx next to its page; unchanged files come from the cache."""
    cache = lib.root / ".cache" / "docx"
    cache.mkdir(parents=True, exist_ok=True)
    jobs, targets = [], []
    code = Path(docx_export.__file__).read_bytes()  # a change of layout code remakes every file
    for ex in lib.items:
        if only is not None and ex.src not in only:
            continue
        digest = hashlib.sha256(code + ex.text.encode("utf-8")).hexdigest()[:16]
        cached = cache / f"{digest}.docx"
        if not cached.exists():
            jobs.append((ex.text, cached))
        targets.append((cached, site / ex.url / pagekit.docx_name(ex)))
    if len(jobs) > 40 and (os.cpu_count() or 1) > 1:
        import multiprocessing
        with multiprocessing.get_context("fork").Pool(min(os.cpu_count(), 4)) as pool:
            pool.starmap(docx_export.build, jobs, chunksize=8)
    else:
        for text, cached in jobs:
            docx_export.build(text, cached)
    for cached, target in targets:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(cached, target)
    return len(targets)


def _setting(lib: Library, key: str) -> str:
    """A value of mkdocs.yml, with !ENV [NAME, default] resolved as MkDocs resolves it."""
    value = lib.config.get(key)
    if hasattr(value, "value"):
        name, *default = value.value
        value = os.environ.get(name, default[0] if default else "")
    return value or ""


def site_url(lib: Library) -> str:
    return _setting(lib, "site_url") or "http://127.0.0.1:8000/"


def link_hosts(lib: Library) -> tuple:
    host = urlsplit(_setting(lib, "repo_url")).hostname
    return (host,) if host else ()


def make_index(site: Path) -> dict:
    """The Pagefind index of the finished site and the word list of the search box."""
    try:
        return search_index.build(site)
    except (RuntimeError, search_index.AliasError) as err:
        raise Refused(str(err)) from None


def check(lib: Library, site: Path, strict: bool = True) -> list:
    """Reader safety of every file of the built folder (safety.verify), then links and resources.
    A third-party resource (L04) always stops the build; a broken link or anchor only a strict one
    (the others are returned, to be printed)."""
    url = site_url(lib)
    host = urlsplit(url).hostname
    problems = site_verify.verify_site(site, (host,) if host else ())
    if problems:
        raise Refused("构建出的网站没有通过读者安全检查，已停止：\n" + "\n".join("  " + p.format() for p in problems[:50]))
    broken = links.check_site(site, url, link_hosts(lib))
    stop = broken if strict else [f for f in broken if f.rule == "L04"]
    if stop:
        raise Refused("构建出的网站有坏链接或外部资源，已停止：\n" + "\n".join("  " + f.format() for f in stop[:50]))
    return broken


def searchable(lib: Library) -> bool:
    """False only in bench/search.py's comparison build with Material's own search plugin."""
    return "material/search" not in cfg.plugin_names(lib.config)


def finish_site(lib: Library, site: Path, build_index: bool = True, strict: bool = True, checked: bool = True) -> dict:
    """The search index, then the reader-safety and link checks (their non-stopping findings under "links")."""
    result = {}
    if build_index and searchable(lib):
        result["search"] = make_index(site)
    if checked:
        result["links"] = check(lib, site, strict)
    return result


def run(lib: Library, out: Path, site: Path, index: bool = True, check: bool = True, strict: bool = True) -> dict:
    """Finish `site`, rendered from the tree in `out`."""
    site = Path(site)
    m = read_manifest(out)
    exemplars = {e.src: e for e in lib.items}
    search = searchable(lib)
    for src, title in m["pages"].items():
        path = html_path(site, src)
        if not path.exists():
            raise Refused(f"docs/{src}: 网站生成器没有写出这个页面（应在 {path.relative_to(site)}）")
        text = path.read_text(encoding="utf-8")
        path.write_text(finish_page(text, src, title, m["nonce"], lib, exemplars, search), encoding="utf-8")
    made = {html_path(site, src) for src in m["pages"]}
    for path in site.rglob("*.html"):
        if path not in made:  # theme pages such as 404.html: no Markdown in them
            path.write_text(with_policy(path.read_text(encoding="utf-8")), encoding="utf-8")
    result = {"pages": len(m["pages"]), "docx": write_docx(lib, site)}
    result.update(finish_site(lib, site, index, strict, check))
    return result
