"""MkDocs hooks: navigation, generated browsing pages, exemplar page decoration, Word export.

Thin glue: the work is done by plain functions in the macros package.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.plugins import event_priority  # noqa: E402
from mkdocs.structure.files import File  # noqa: E402

from checks import rules, schema  # noqa: E402
from macros import browse, data, docx_export, library, pagekit, search_index  # noqa: E402

STATE: dict = {}


@event_priority(100)
def on_config(config):
    tax = data.taxonomy()
    tags = config["plugins"].get("material/tags")
    if tags is not None:
        from material.plugins.tags.structure.tag import Tag
        tags.config.tags_allowed = {Tag(t.label) for t in tax.terms("themes")}
    docs = Path(config["docs_dir"])
    escapes = snippet_escapes(ROOT / "snippets")
    if escapes:
        raise PluginError("snippets/ 里有符号链接，可能把仓库外的文件带进页面，已停止构建：\n" + "\n".join(escapes))
    problems = [f for ex in library.load(docs) for f in schema.check_exemplar(ex, docs)]
    if problems:
        raise PluginError("范文的头部信息有错误，请改正后再构建：\n" + "\n".join(f.format() for f in problems))
    try:
        search_index.aliases()
    except search_index.AliasError as err:
        raise PluginError(f"搜索别名文件有错误，请改正后再构建：data/{err}") from None
    items = browse.valid(library.load(docs))
    STATE["items"] = items
    STATE["by_src"] = {e.src: e for e in items}
    STATE["guides"] = {p.stem for p in (docs / "guides").glob("*.md")} - {"index"}
    config["nav"] = build_nav(docs, items, STATE["guides"])
    return config


def snippet_escapes(folder: Path) -> list[str]:
    """Symlinks in snippets/, or files that resolve outside it: pymdownx.snippets would follow them."""
    base = folder.resolve()
    bad = []
    for path in folder.rglob("*"):
        if path.is_symlink() or base not in path.resolve().parents:
            bad.append(f"  {path.relative_to(folder.parent)} -> {path.resolve()}")
    return bad


def build_nav(docs: Path, items, guides: set) -> list:
    tax = data.taxonomy()
    bank = data.phrase_bank()
    # level -> document type -> exemplars: with navigation.prune a page carries only its own
    # small group, so page size stays flat as the library grows
    groups: dict = {}
    for e in items:
        groups.setdefault((e.meta["level"], e.meta["doctype"]), []).append({e.title: e.src})
    levels = [{"按层级浏览": "exemplars/index.md"}]
    for t in tax.terms("levels"):
        pages = ["exemplars/" + t.slug + "/index.md"]
        pages += [{d.label: groups[(t.slug, d.slug)]} for d in tax.terms("doctypes") if (t.slug, d.slug) in groups]
        levels.append({t.label: pages})
    nav = [{"首页": "index.md"}]
    if (docs / "usage.md").exists():
        nav.append({"使用说明": "usage.md"})
    nav += [
        {"按层级": levels},
        {"按文种": [{"按文种浏览": "doctypes/index.md"}] + [{t.label: f"doctypes/{t.slug}.md"} for t in tax.terms("doctypes")]},
        {"按主题": [{"按主题浏览": "themes/index.md"}] + [{t.label: f"themes/{t.slug}.md"} for t in tax.terms("themes")]},
    ]
    guide_pages = []
    if (docs / "guides" / "index.md").exists():
        guide_pages.append("guides/index.md")
    guide_pages += [{f"{t.label}写作指南": f"guides/{t.slug}.md"} for t in tax.terms("doctypes") if t.slug in guides]
    if guide_pages:
        nav.append({"写作指南": guide_pages})
    nav.append({"句式库": [{"句式库": "phrases/index.md"}] + [{f.label: f"phrases/{f.slug}.md"} for f in bank.functions]})
    extra = [("文风规范", "style.md"), ("参与贡献", "contribute.md"), ("标签索引", "tags.md")]
    nav += [{label: src} for label, src in extra if (docs / src).exists() or src == "style.md"]
    return nav


def on_files(files, config):
    tax = data.taxonomy()
    items = STATE["items"]
    generated = [browse.levels_index(items), browse.doctypes_index(items), browse.themes_index(items), browse.phrases_index()]
    generated += [browse.level_page(t.slug, items) for t in tax.terms("levels")]
    generated += [browse.doctype_page(t.slug, items, STATE["guides"]) for t in tax.terms("doctypes")]
    generated += [browse.theme_page(t.slug, items) for t in tax.terms("themes")]
    generated += [browse.phrase_function_page(f.slug) for f in data.phrase_bank().functions]
    generated.append(("style.md", rules.style_page()))
    for src, content in generated:
        if files.get_file_from_path(src) is None:
            files.append(File.generated(config, src, content=content))
    return files


@event_priority(50)
def on_page_markdown(markdown, page, config, files):
    """Exemplars: themes become tags, and the macros are expanded from the library (already
    rendered and cached). A page with unsafe template code was left unexpanded by the library,
    so the macros plugin's guard still sees that code and stops the build; a page whose macros
    failed never gets past on_config."""
    ex = STATE["by_src"].get(page.file.src_uri)
    if ex is None:
        return markdown
    tax = data.taxonomy()
    page.meta["tags"] = [tax.label("themes", t) for t in ex.meta.get("themes", [])]
    return ex.text + ex.body[len(library.document_part(ex.body)):]


def on_page_content(html, page, config, files):
    ex = STATE["by_src"].get(page.file.src_uri)
    if ex is None:
        return html
    return pagekit.decorate(html, ex, STATE["items"])


def write_docx(config):
    """Write each exemplar's .docx next to its page; reuse unchanged files from the cache."""
    site = Path(config["site_dir"])
    cache = ROOT / ".cache" / "docx"
    cache.mkdir(parents=True, exist_ok=True)
    jobs, targets = [], []
    for ex in STATE["items"]:
        digest = hashlib.sha256((docx_export.__doc__ + ex.text).encode("utf-8")).hexdigest()[:16]
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


def search_kind(src: str) -> str:
    """How Pagefind treats a page: see search_index.mark_page."""
    if src in STATE["by_src"]:
        return "exemplar"
    if src in ("index.md", "tags.md"):
        return "none"
    if src.startswith(("exemplars/", "doctypes/", "themes/")):
        return "browse"
    return "page"


def on_post_page(output, page, config):
    if "material/search" in config["plugins"]:  # the Material comparison build in bench/search.py
        return output
    src = page.file.src_uri
    kind = search_kind(src)
    ex = STATE["by_src"].get(src)
    if ex is not None:
        return search_index.mark_page(output, kind, ex.title, search_index.keys_for(ex.meta, ex.title, ex.text))
    return search_index.mark_page(output, kind, page.title or "")


@event_priority(100)
def on_post_build(config):
    """Word files next to each exemplar page, then the Pagefind index of the built site
    (also the temporary site of mkdocs serve)."""
    write_docx(config)
    if "material/search" in config["plugins"]:
        return
    try:
        search_index.build(Path(config["site_dir"]))
    except (RuntimeError, search_index.AliasError) as err:
        raise PluginError(str(err)) from None
