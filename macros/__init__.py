"""mkdocs-macros module of the library (module_name: macros).

Macros are thin wrappers over plain functions in this package, so tests can call
the functions directly. Before a page is rendered, its template code is checked
against the allowlist in macros.guard: a page that tries anything else stops the build.
"""
from __future__ import annotations

from . import browse, chooser, data, guard, library, phrases


class UnsafePageError(Exception):
    pass


def define_env(env):
    def _page_vars():
        page = env.page
        return (page.meta.get("phrase_vars") or {}) if page is not None else {}

    @env.macro
    def phrase(block_id, **kwargs):
        """Insert a phrase-bank block, variables filled from the page and the call."""
        return phrases.render_phrase(block_id, _page_vars(), **kwargs)

    @env.macro
    def guiding(form="full"):
        """Current guiding-ideology wording from data/era.yml."""
        return phrases.guiding(form)

    @env.macro
    def library_stats():
        """One sentence with the size of the library, for the home page."""
        items = browse.valid(library.load(env.conf["docs_dir"]))
        return f"现有范文{len(items)}篇，覆盖{len({e.meta['level'] for e in items})}个层级、{len({e.meta['doctype'] for e in items})}个文种；句式{len(data.phrase_bank().blocks)}条"

    @env.macro
    def level_grid():
        """Cards linking to every level index, for the home page."""
        items = browse.valid(library.load(env.conf["docs_dir"]))
        return browse.level_cards(items)

    @env.macro
    def chooser_form():
        """The compact chooser (层级 and 文种) for the home page."""
        return chooser.chooser_form(env.page.file.src_uri if env.page is not None else "index.md", compact=True)


def on_pre_page_macros(env):
    """Refuse any template code that is not an allowed macro call (see macros.guard)."""
    page = env.page
    if page is not None and page.meta.get("render_macros") is False:
        return  # the plugin will not render this page at all
    problems = guard.check(env.markdown)
    if page is not None and page.title and not problems:
        problems = [guard.Violation(1, p.rule, "标题里" + p.message) for p in guard.check(str(page.title))]
    if problems:
        src = env.page.file.src_uri if env.page is not None else "?"
        lines = "\n".join(f"  docs/{src}:{p.line + _offset(env)} [{p.rule}] {p.message}" for p in problems)
        raise UnsafePageError(f"页面含有不允许的模板代码，已停止构建：\n{lines}")


def _offset(env) -> int:
    """Lines of front matter above the Markdown body."""
    try:
        raw = open(env.page.file.abs_src_path, encoding="utf-8").read()
        return raw.count("\n") - env.markdown.count("\n")
    except Exception:
        return 0
