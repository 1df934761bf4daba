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


def project_last():
    """Find the project's packages after the standard library and site-packages, so a stray docx.py,
    rjieba.py or yaml.py in the checkout is never imported instead of the real module. mkdocs-macros
    puts the project first again when it loads the macros module, so on_pre_build calls this again."""
    root = str(ROOT)
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != root] + [root]


project_last()

from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.plugins import event_priority  # noqa: E402
from mkdocs.structure.files import File  # noqa: E402

from safety import csp, sanitize, sources  # noqa: E402
from safety import rules as safety_rules  # noqa: E402
from checks import rules, schema  # noqa: E402
from macros import browse, chooser, coverage, data, docx_export, library, pagekit, search_keys  # noqa: E402

STATE: dict = {}
# The maintainer's path: one 参与贡献 section, and the only pages that show the edit pencil.
CONTRIBUTOR_PAGES = [("投稿说明", "contribute.md"), ("范文覆盖表", "coverage.md"), ("文风规范", "style.md"), ("标签索引", "tags.md")]


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
    return sources.problems(docs, own)


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
    home = ["index.md", {"按层级和文种挑选": "find.md"}]
    if (docs / "usage.md").exists():
        home.append({"使用说明": "usage.md"})
    nav = [
        {"找范文": home},
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
    contrib = [{label: src} for label, src in CONTRIBUTOR_PAGES if (docs / src).exists() or src in ("style.md", "coverage.md")]
    nav.append({"参与贡献": contrib})
    return nav


def on_pre_build(config):
    project_last()


def on_page_read_source(page, config):
    """MkDocs reads every page through the project's front-matter reader (macros.frontmatter): the build
    gets exactly the metadata the checker checked, and a page the checker refuses stops the build."""
    from macros import frontmatter
    f = page.file
    if f.generated_by is not None or not f.abs_src_path:
        return None  # generated by the hooks from data files
    where = f"docs/{f.src_uri}"
    try:
        problem = library.name_problem(f.src_uri)
        if problem:
            raise frontmatter.FrontMatterError(problem, 1, "S06")
        parsed = frontmatter.parse(frontmatter.read_source(Path(f.abs_src_path), Path(config["docs_dir"])))
    except frontmatter.FrontMatterError as exc:
        raise PluginError(f"页面无法安全读取，已停止构建：\n  {where}:{exc.line}: [{exc.rule}] {exc.message}") from None
    unsafe = schema.plain_text_problems(parsed.meta, parsed.key_lines)
    if unsafe:
        line, message = unsafe[0]
        raise PluginError(f"头部信息不是纯文字，已停止构建：\n  {where}:{line}: [F09] {message}")
    source = frontmatter.canonical(parsed)
    from mkdocs.utils.meta import get_data
    if get_data(source)[1] != parsed.meta:
        raise PluginError(f"{where}: MkDocs 读出的头部信息与检查程序不同，已停止构建")
    return source


def on_files(files, config):
    from macros.frontmatter import symlinked
    linked = [f.src_uri for f in files if f.abs_src_path and symlinked(Path(f.abs_src_path), Path(config["docs_dir"]))]
    if linked:
        raise PluginError("docs/ 里有符号链接（S07），可能把仓库外的文件带进网站，已停止构建：\n" + "\n".join(f"  docs/{s}" for s in linked))
    tax = data.taxonomy()
    items = STATE["items"]
    generated = [browse.levels_index(items), browse.doctypes_index(items), browse.themes_index(items), browse.phrases_index()]
    generated += [browse.level_page(t.slug, items) for t in tax.terms("levels")]
    generated += [browse.doctype_page(t.slug, items, STATE["guides"]) for t in tax.terms("doctypes")]
    generated += [browse.theme_page(t.slug, items) for t in tax.terms("themes")]
    generated += [browse.phrase_function_page(f.slug) for f in data.phrase_bank().functions]
    generated.append(("style.md", rules.style_page()))
    generated.append(coverage.page(items))
    generated.append(chooser.chooser_page(items))
    try:
        generated.append((chooser.JSON_PATH, chooser.chooser_json(items)))
    except chooser.TaxonomyError as exc:
        raise PluginError(str(exc)) from None
    for src, content in generated:
        if files.get_file_from_path(src) is None:
            files.append(File.generated(config, src, content=content))
    return files


def on_page_context(context, page, config, nav):
    """Edit pencil only on contributor pages (overrides/partials/actions.html reads this flag)."""
    page.meta["contributor_page"] = (page.file.src_uri in {src for _, src in CONTRIBUTOR_PAGES}
                                     and not page.file.generated_by)  # a generated page has no source to edit
    return context


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
    code = Path(docx_export.__file__).read_bytes()  # a change of layout code remakes every file
    for ex in STATE["items"]:
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


@event_priority(100)
def on_post_build(config):
    """Word files next to each exemplar page; search keys added before the search plugin writes its index."""
    write_docx(config)
    plugin = config["plugins"].get("material/search")
    if plugin is not None and getattr(plugin, "search_index", None) is not None:
        import material.plugins.search.plugin as search_module
        search_module.json = search_keys.Utf8Json  # pinned Material 9.8.1: its index is written with json.dumps
        search_keys.add_keys(plugin.search_index.entries)
