"""MkDocs hooks: navigation, generated browsing pages, exemplar page decoration, Word export,
reader safety (docs/ file allowlist, content sanitiser, escaped titles, Content-Security-Policy).

Thin glue: the work is done by plain functions in the macros package.
"""
from __future__ import annotations

import hashlib
import html
import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.plugins import event_priority  # noqa: E402
from mkdocs.structure.files import File  # noqa: E402

from safety import csp, sanitize, sources  # noqa: E402
from safety import rules as safety_rules  # noqa: E402
from checks import rules, schema  # noqa: E402
from macros import browse, data, docx_export, library, pagekit, search_keys  # noqa: E402

STATE: dict = {}


@event_priority(100)
def on_config(config):
    tax = data.taxonomy()
    tags = config["plugins"].get("material/tags")
    if tags is not None:
        from material.plugins.tags.structure.tag import Tag
        tags.config.tags_allowed = {Tag(t.label) for t in tax.terms("themes")}
    docs = Path(config["docs_dir"])
    refused = source_problems(docs, config)
    if refused:
        raise PluginError("docs/ 里有不允许发布的文件，已停止构建：\n" + "\n".join(
            f"  {p.format()}\n    怎么改：{safety_rules.get(p.rule).fix}" for p in refused))
    escapes = snippet_escapes(ROOT / "snippets")
    if escapes:
        raise PluginError("snippets/ 里有符号链接，可能把仓库外的文件带进页面，已停止构建：\n" + "\n".join(escapes))
    problems = [f for ex in library.load(docs) for f in schema.check_exemplar(ex, docs)]
    if problems:
        raise PluginError("范文的头部信息有错误，请改正后再构建：\n" + "\n".join(f.format() for f in problems))
    items = browse.valid(library.load(docs))
    STATE["items"] = items
    STATE["by_src"] = {e.src: e for e in items}
    STATE["guides"] = {p.stem for p in (docs / "guides").glob("*.md")} - {"index"}
    config["nav"] = build_nav(docs, items, STATE["guides"])
    return config


def source_problems(docs: Path, config) -> list:
    """Files in docs/ the site must not publish (safety.sources): names, types, symlinks."""
    own = [str(getattr(s, "path", s)) for s in list(config["extra_css"]) + list(config["extra_javascript"])]
    # one rule per thing: where the checker has its own rules for page names (S06) and symlinks
    # (S07), it refuses them in the build too, and this pass keeps to the rest
    return sources.problems(docs, own, page_names="S06" not in rules.BY_ID, symlinks="S07" not in rules.BY_ID)


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
    if page.file.src_uri == "style.md":
        markdown += "\n" + safety_rules.style_section()  # the reader-safety rules after the checker's
    theme_keys = [k for k in sources.THEME_KEYS if k in page.meta]
    if theme_keys:
        raise PluginError(f"docs/{page.file.src_uri}:1: [H09] 头部信息用了主题专用字段 {'、'.join(theme_keys)}，已停止构建。"
                          f"\n    怎么改：{safety_rules.get('H09').fix}")
    ex = STATE["by_src"].get(page.file.src_uri)
    if ex is None:
        return markdown
    tax = data.taxonomy()
    page.meta["tags"] = [tax.label("themes", t) for t in ex.meta.get("themes", [])]
    return ex.text + ex.body[len(library.document_part(ex.body)):]


@event_priority(-100)
def on_page_content(html_text, page, config, files):
    """Exemplars get their card, form and related list; then every page's whole content (ours
    included) passes the allowlist sanitiser, last of all content hooks."""
    ex = STATE["by_src"].get(page.file.src_uri)
    if ex is not None:
        html_text = pagekit.decorate(html_text, ex, STATE["items"])
    if "title" not in page.meta and page.title:
        # a title taken from the page's first heading is HTML; the templates escape plain text
        page.meta["title"] = html.unescape(page.title)
    return sanitize.clean(html_text)


def on_post_page(output, page, config):
    """The Content-Security-Policy of the page, with the hashes of its inline scripts."""
    if csp.PLACEHOLDER not in output:
        raise PluginError(f"docs/{page.file.src_uri}:1: [H07] 这个页面的模板没有 Content-Security-Policy（页面必须用 overrides/main.html），已停止构建。")
    return csp.apply(output)


def on_post_template(output_content, template_name, config):
    """404.html and other theme pages rendered outside the page loop get their policy too."""
    return csp.apply(output_content) if csp.PLACEHOLDER in output_content else output_content


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


@event_priority(100)
def on_post_build(config):
    """Word files next to each exemplar page; search keys added before the search plugin writes its index."""
    write_docx(config)
    plugin = config["plugins"].get("material/search")
    if plugin is not None and getattr(plugin, "search_index", None) is not None:
        import material.plugins.search.plugin as search_module
        search_module.json = search_keys.Utf8Json  # pinned Material 9.8.1: its index is written with json.dumps
        search_keys.add_keys(plugin.search_index.entries)
