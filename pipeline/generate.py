"""Step 2: generate the tree the site generator renders: build/docs/ and build/mkdocs.yml.

Everything the site shows that is made from data is written here as plain files: exemplars with
their allowed macros expanded (no template engine runs), the browsing, phrase-bank, style,
coverage and chooser pages, the chooser data, and the navigation in the generated configuration.
The generator then only turns Markdown into HTML. Each page's Markdown is framed by two markers
with a per-build secret, so step 4 finds exactly what came from Markdown and sanitises it.

Files are written only when their bytes change, so a watching server rebuilds only what an edit
touched.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
from pathlib import Path

import yaml

from checks import rules
from macros import browse, chooser, coverage, data, guard, library, phrases
from safety import rules as safety_rules

from . import config as cfg
from .load import Library, Refused

# The maintainer's path: one 参与贡献 section, and the only pages that show the edit pencil.
CONTRIBUTOR_PAGES = [("投稿说明", "contribute.md"), ("范文覆盖表", "coverage.md"), ("文风规范", "style.md"), ("标签索引", "tags.md")]
MARK = "pipeline-content"
NONCE_FILE = ".content-nonce"
H1 = re.compile(r"^#\s+(.+?)\s*$", re.M)


def markers(nonce: str) -> tuple[str, str]:
    return f"<!-- {MARK}:{nonce} -->", f"<!-- /{MARK}:{nonce} -->"


def nonce_for(out: Path) -> str:
    """One secret per build folder (kept across regenerations, so unchanged pages stay byte-equal)."""
    path = out / NONCE_FILE
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    out.mkdir(parents=True, exist_ok=True)
    value = secrets.token_hex(12)
    path.write_text(value, encoding="ascii")
    return value


def expand(text: str, functions: dict, where: str) -> str:
    """The allowed macro calls of `text` replaced by what the registered functions return.

    The text was checked against the allowlist in step 1; it is checked again here and evaluated
    from Jinja's parse tree without rendering it, so no template code runs."""
    if "{{" not in text and "{%" not in text and "{#" not in text:
        return text
    problems = guard.check(text)
    if problems:
        raise Refused(f"{where}:{problems[0].line}: [{problems[0].rule}] {problems[0].message}")
    from jinja2 import nodes
    out = []
    for node in guard._env.parse(text).body:
        for child in node.nodes:
            if isinstance(child, nodes.TemplateData):
                out.append(child.data)
            else:
                args = [a.value for a in child.args]
                kwargs = {k.key: k.value.value for k in child.kwargs}
                try:
                    out.append(str(functions[child.node.name](*args, **kwargs)))
                except (phrases.PhraseError, TypeError) as exc:
                    raise Refused(f"{where}:{child.lineno}: [S02] {exc}") from None
    return "".join(out)


_FRONT: dict = {}  # serialised front matter by its JSON form: the contributor loop re-dumps only edits


def _front(meta: dict) -> str:
    key = json.dumps(meta, ensure_ascii=False, sort_keys=False, default=str)
    if key not in _FRONT:
        _FRONT[key] = "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, default_flow_style=False) + "---\n"
    return _FRONT[key]


def page_source(meta: dict, body: str, nonce: str) -> str:
    start, end = markers(nonce)
    return _front(meta) + "\n" + start + "\n\n" + body.strip("\n") + "\n\n" + end + "\n"


def plain_title(body: str) -> str | None:
    m = H1.search(body)
    if not m:
        return None
    return re.sub(r"\{:[^}]*\}|[*_`]", "", m.group(1)).strip() or None


def build_nav(lib: Library) -> list:
    tax = data.taxonomy()
    bank = data.phrase_bank()
    docs, items, guides = lib.docs, lib.items, lib.guides
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
    guide_pages = ["guides/index.md"] if (docs / "guides" / "index.md").exists() else []
    guide_pages += [{f"{t.label}写作指南": f"guides/{t.slug}.md"} for t in tax.terms("doctypes") if t.slug in guides]
    if guide_pages:
        nav.append({"写作指南": guide_pages})
    nav.append({"句式库": [{"句式库": "phrases/index.md"}] + [{f.label: f"phrases/{f.slug}.md"} for f in bank.functions]})
    contrib = [{label: src} for label, src in CONTRIBUTOR_PAGES if (docs / src).exists() or src in ("style.md", "coverage.md")]
    nav.append({"参与贡献": contrib})
    return nav


def generated_pages(lib: Library) -> list[tuple[str, str]]:
    """(docs-relative path, Markdown with front matter) of every page made from data."""
    tax = data.taxonomy()
    items = lib.items
    out = [browse.levels_index(items), browse.doctypes_index(items), browse.themes_index(items), browse.phrases_index()]
    out += [browse.level_page(t.slug, items) for t in tax.terms("levels")]
    out += [browse.doctype_page(t.slug, items, lib.guides) for t in tax.terms("doctypes")]
    out += [browse.theme_page(t.slug, items) for t in tax.terms("themes")]
    out += [browse.phrase_function_page(f.slug) for f in data.phrase_bank().functions]
    out.append(("style.md", rules.style_page() + "\n" + safety_rules.style_section()))
    out.append(coverage.page(items))
    out.append(chooser.chooser_page(items))
    return out


def page_functions(lib: Library, src: str, meta: dict) -> dict:
    """The registered macros (macros.guard.ALLOWED_MACROS) as plain functions for one page."""
    page_vars = meta.get("phrase_vars") or {}
    items = lib.items
    return {
        "phrase": lambda block_id, **kw: phrases.render_phrase(block_id, page_vars, **kw),
        "guiding": lambda form="full": phrases.guiding(form),
        "library_stats": lambda: (f"现有范文{len(items)}篇，覆盖{len({e.meta['level'] for e in items})}个层级、"
                                  f"{len({e.meta['doctype'] for e in items})}个文种；句式{len(data.phrase_bank().blocks)}条"),
        "level_grid": lambda: browse.level_cards(items),
        "chooser_form": lambda: chooser.chooser_form(src, compact=True),
    }


def tree(lib: Library, nonce: str) -> tuple[dict[str, str | bytes], dict[str, str]]:
    """Every file of the generated docs folder (docs-relative path -> content), and each page's title."""
    tax = data.taxonomy()
    files: dict[str, str | bytes] = {}
    titles: dict[str, str] = {}
    contributor = {src for _, src in CONTRIBUTOR_PAGES}
    for ex in lib.items:
        meta = dict(ex.meta)
        meta["tags"] = [tax.label("themes", t) for t in ex.meta.get("themes", [])]
        body = ex.text + ex.body[len(library.document_part(ex.body)):]
        files[ex.src] = page_source(meta, body, nonce)
        titles[ex.src] = ex.title
    generated = dict(generated_pages(lib))
    for src, parsed in lib.pages.items():
        if src in generated:
            continue  # a generated page of the same name wins, as before
        meta = {k: v for k, v in parsed.meta.items() if k != "render_macros"}
        body = parsed.body
        if parsed.meta.get("render_macros") is True:
            body = expand(body, page_functions(lib, src, parsed.meta), "docs/" + src)
        if "title" not in meta:
            title = plain_title(body)
            if title:
                meta["title"] = title
        if src in contributor:
            meta["contributor_page"] = True
        files[src] = page_source(meta, body, nonce)
        titles[src] = str(meta.get("title", ""))
    for src, content in generated.items():
        meta, body = _split(content)
        files[src] = page_source(meta, body, nonce)
        titles[src] = str(meta.get("title") or plain_title(body) or "")
    try:
        files[chooser.JSON_PATH] = chooser.chooser_json(lib.items)
    except chooser.TaxonomyError as exc:
        raise Refused(str(exc)) from None
    for path in sorted(lib.docs.rglob("*")):
        rel = path.relative_to(lib.docs).as_posix()
        if path.is_file() and not rel.endswith(".md") and rel not in files:
            files[rel] = path.read_bytes()
    return files, titles


def _split(content: str) -> tuple[dict, str]:
    from macros import frontmatter
    parsed = frontmatter.parse(content)
    return {k: v for k, v in parsed.meta.items() if k != "render_macros"}, parsed.body


def site_config(lib: Library, out: Path, site_dir: Path, strict: bool, hooks: list[str], portable: bool = False) -> dict:
    """The project's mkdocs.yml with the generated folder, the navigation and no template plugin.
    Portable: every path inside the build folder (Zensical wants the whole project under the
    configuration file's folder), with copies of the theme overrides and the snippets."""
    conf = dict(lib.config)
    root = lib.root
    place = (lambda p: os.path.relpath(p, out)) if portable else str
    conf["docs_dir"] = place(out / "docs")
    conf["site_dir"] = place(site_dir)
    conf["strict"] = strict
    theme = dict(conf.get("theme") or {})
    if theme.get("custom_dir"):
        theme["custom_dir"] = place(out / theme["custom_dir"]) if portable else str(root / theme["custom_dir"])
    conf["theme"] = theme
    conf["hooks"] = hooks
    plugins = []
    for p in cfg.without_plugin(conf, "macros"):
        name = next(iter(p)) if isinstance(p, dict) else p
        if name == "tags":
            opts = dict(p["tags"] or {}) if isinstance(p, dict) else {}
            opts["tags_allowed"] = tag_labels()
            p = {"tags": opts}
        plugins.append(p)
    conf["plugins"] = plugins
    exts = []
    for e in conf.get("markdown_extensions") or []:
        if isinstance(e, dict) and "pymdownx.snippets" in e:
            opts = dict(e["pymdownx.snippets"])
            opts["base_path"] = [place(out / b) if portable else str(root / b) for b in opts.get("base_path", [])]
            e = {"pymdownx.snippets": opts}
        exts.append(e)
    conf["markdown_extensions"] = exts
    conf["nav"] = build_nav(lib)
    return conf


def nav_titles(nav) -> dict[str, str]:
    """docs-relative path -> the label the navigation gives it (MkDocs shows that as the page title)."""
    found: dict[str, str] = {}
    for entry in nav:
        if isinstance(entry, dict):
            for label, value in entry.items():
                if isinstance(value, str):
                    found[value] = label
                else:
                    found.update(nav_titles(value))
    return found


def tag_labels() -> list[str]:
    """The tags a page may carry: the theme labels of the taxonomy."""
    return [t.label for t in data.taxonomy().terms("themes")]


def manifest(out: Path) -> dict:
    """The per-build secret and the title of every generated page, as step 4 reads them."""
    return json.loads((Path(out) / "manifest.json").read_text(encoding="utf-8"))


def write_if_changed(path: Path, content: str | bytes) -> bool:
    raw = content.encode("utf-8") if isinstance(content, str) else content
    if path.exists() and path.read_bytes() == raw:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(raw)
    os.replace(tmp, path)
    return True


def run(lib: Library, out: Path, site_dir: Path, strict: bool = True, hooks: list[str] | None = None,
        portable: bool = False) -> list[str]:
    """Write the generated tree into `out`; return the paths that changed (docs-relative, and mkdocs.yml)."""
    out = Path(out).resolve()
    if portable:
        for folder in ("overrides", "snippets"):
            shutil.rmtree(out / folder, ignore_errors=True)
            shutil.copytree(lib.root / folder, out / folder)
    nonce = nonce_for(out)
    library.LINKS["base"] = "source" if portable else "url"
    try:
        files, titles = tree(lib, nonce)
    finally:
        library.LINKS["base"] = "url"
    docs = out / "docs"
    changed = [src for src, content in files.items() if write_if_changed(docs / src, content)]
    if docs.exists():
        for path in sorted(docs.rglob("*"), reverse=True):
            rel = path.relative_to(docs).as_posix()
            if path.is_file() and rel not in files:
                path.unlink()
                changed.append(rel)
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    conf = site_config(lib, out, Path(site_dir).resolve(), strict, hooks or [], portable)
    titles.update({src: label for src, label in nav_titles(conf["nav"]).items() if src in titles})
    if write_if_changed(out / "mkdocs.yml", cfg.dump(conf)):
        changed.append("mkdocs.yml")
    (out / "manifest.json").write_text(json.dumps({"nonce": nonce, "pages": dict(sorted(titles.items()))},
                                                  ensure_ascii=False, indent=0), encoding="utf-8")
    return changed
