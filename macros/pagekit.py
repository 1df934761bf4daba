"""HTML pieces added to exemplar pages: info card, fill-in form, outline, related list."""
from __future__ import annotations

import html
import re

from . import data
from .library import Exemplar, root_prefix, url_of

REVIEW_HTML = re.compile(r'<div class="admonition tip">\s*<p class="admonition-title">写法点评</p>')
H1_END = re.compile(r"</h1>")
BYLINE = re.compile(r'\s*<p class="byline">.*?</p>', re.S)
SALUTATION = re.compile(r"^\s*<p>([^<]{2,40}：)</p>")
PLACEHOLDER_TEXT = re.compile(r"【([^【】<>\n]{1,12})】")


def docx_name(ex: Exemplar) -> str:
    """File name of the page's Word download, next to the page's index.html."""
    return f"{ex.slug}.docx"


def page_rel(ex: Exemplar, target_src: str) -> str:
    """URL from the built page of `ex` to the built page of another docs/ source file (HTML-escaped)."""
    return html.escape(root_prefix(ex.src) + url_of(target_src))


def info_card(ex: Exemplar) -> str:
    tax = data.taxonomy()
    m = ex.meta
    level, doctype = m["level"], m["doctype"]
    themes = "".join(
        f'<a class="ex-theme" href="{page_rel(ex, f"themes/{t}.md")}">{html.escape(tax.label("themes", t))}</a>'
        for t in m.get("themes", [])
    )
    facts = [
        f'<a href="{page_rel(ex, f"exemplars/{level}/index.md")}">{html.escape(tax.label("levels", level))}</a>',
        f'<a href="{page_rel(ex, f"doctypes/{doctype}.md")}">{html.escape(tax.label("doctypes", doctype))}</a>',
        html.escape(tax.label("periods", m["period"])),
        f"{ex.han_count}字",
    ]
    title = html.escape(ex.doc_title.replace("【", "").replace("】", ""))
    return (
        '<div class="ex-card" data-search-exclude="true" data-exemplar="' + html.escape(ex.src) + '">'
        '<p class="ex-facts">' + " · ".join(facts) + "</p>"
        '<p class="ex-themes">' + themes + "</p>"
        '<p class="ex-actions">'
        f'<a class="md-button md-button--primary ex-download" href="{docx_name(ex)}" download="{title}.docx"'
        f' data-title="{html.escape(ex.doc_title)}">下载Word</a> '
        '<button class="md-button ex-copy" type="button" hidden>复制全文</button> '
        '<button class="md-button ex-print" type="button" hidden>打印</button>'
        "</p>"
        + fill_form(ex)
        + outline(ex)
        + "</div>"
    )


FIELD_INPUTS = {"numeric"}
DERIVE = re.compile(r"^(.+)\+(\d+)$")


def registry_problems(root=data.ROOT) -> list[str]:
    """Form attributes in data/placeholders.yml that the fill-in script cannot use, with file and line."""
    path = root / "data" / "placeholders.yml"
    lines = path.read_text(encoding="utf-8").splitlines()
    registry = data.placeholders(root)
    out = []
    for name, entry in registry.items():
        line = next((i for i, l in enumerate(lines, 1) if l.strip() in (f"- name: {name}", f'- name: "{name}"')), 0)
        where = f"data/placeholders.yml:{line}"
        if not str(entry.get("hint", "")).strip() or "\n" in str(entry.get("hint", "")).strip():
            out.append(f"{where}: 占位符“{name}”缺少一行说明（hint），填写表单要显示它")
        if "input" in entry and entry["input"] not in FIELD_INPUTS:
            out.append(f"{where}: 占位符“{name}”的 input 只能是 numeric（打开数字键盘），现在是“{entry['input']}”")
        if "derive" in entry:
            m = DERIVE.match(str(entry["derive"]))
            if not m or m.group(1) not in registry or m.group(1) == name:
                out.append(f"{where}: 占位符“{name}”的 derive 要写成“另一个占位符+数字”，例如 年份+1，现在是“{entry['derive']}”")
    return out


_checked: set = set()


def fill_form(ex: Exemplar) -> str:
    registry = data.placeholders()
    if "registry" not in _checked:
        problems = registry_problems()
        if problems:
            from mkdocs.exceptions import PluginError
            raise PluginError("占位符登记表有错误，请改正后再构建：\n" + "\n".join(problems))
        _checked.add("registry")
    names = [n for n in ex.meta.get("placeholders", []) if n in registry]
    if not names:
        return ""
    fields = []
    for i, name in enumerate(names):
        entry = registry[name]
        fid = f"ph-{i}"
        attrs = ""
        if entry.get("input") == "numeric":
            attrs += ' inputmode="numeric"'
        if entry.get("derive"):
            attrs += f' data-derive="{html.escape(str(entry["derive"]))}"'
        fields.append(
            f'<div class="ph-field"><label for="{fid}">{html.escape(name)}</label>'
            f'<input id="{fid}" type="text" data-ph="{html.escape(name)}"{attrs} aria-describedby="{fid}-hint"'
            f' placeholder="例如：{html.escape(str(entry.get("example", "")))}" autocomplete="off">'
            f'<small id="{fid}-hint">{html.escape(entry.get("hint", ""))}</small></div>'
        )
    return (
        '<details class="ph-form" hidden><summary>填写本单位信息（自动替换文中的【】）</summary>'
        '<form>' + "".join(fields) +
        '<p class="ph-note">填写的内容只保存在本机浏览器里，换一篇范文时自动带入；下载的Word文件也会填好。</p>'
        '<button class="md-button ph-reset" type="button">清空已填内容</button></form></details>'
    )


def outline(ex: Exemplar) -> str:
    items = ex.outline()
    if not items:
        return ""
    lines = "".join(f'<li class="ol-d{depth}">{html.escape(text)}</li>' for depth, text in items)
    return f'<details class="ex-outline"><summary>结构提纲</summary><ul>{lines}</ul></details>'


def mark_placeholders(fragment: str, declared: list[str]) -> str:
    """Wrap each declared 【名称】 in a span the fill-in script can update."""
    names = set(declared)

    def sub(m):
        name = m.group(1)
        if name not in names:
            return m.group(0)
        return f'<span class="ph" data-ph="{html.escape(name)}">【{name}】</span>'

    # only text between tags, never inside attributes
    return re.sub(r">([^<]+)<", lambda t: ">" + PLACEHOLDER_TEXT.sub(sub, t.group(1)) + "<", fragment)


NEIGHBOURS = 8  # candidates taken on each side of a page in every list it shares with others


_pools: dict = {}


def _pools_for(everything: list[Exemplar]) -> dict:
    """Pages grouped by level, document type and theme, each group in path order (built once)."""
    if _pools.get("id") != id(everything):
        groups: dict = {}
        for e in everything:
            for key in [("level", e.meta.get("level")), ("doctype", e.meta.get("doctype"))] + [("theme", t) for t in e.meta.get("themes", [])]:
                groups.setdefault(key, []).append(e)
        index = {key: {e.src: i for i, e in enumerate(group)} for key, group in groups.items()}
        _pools.update(id=id(everything), groups=groups, index=index)
    return _pools


def related(ex: Exemplar, everything: list[Exemplar], limit: int = 6) -> list[Exemplar]:
    """Pages sharing themes, level or document type; a bounded number of candidates per page keeps this linear."""
    themes = set(ex.meta.get("themes", []))
    pools = _pools_for(everything)
    candidates = {}
    for key in [("level", ex.meta.get("level")), ("doctype", ex.meta.get("doctype"))] + [("theme", t) for t in themes]:
        group = pools["groups"].get(key, [])
        pos = pools["index"].get(key, {}).get(ex.src, 0)
        for other in group[max(0, pos - NEIGHBOURS): pos + NEIGHBOURS + 1]:
            candidates[other.src] = other
    scored = []
    for other in candidates.values():
        if other is ex:
            continue
        score = 3 * len(themes & set(other.meta.get("themes", [])))
        score += 2 * (other.meta.get("level") == ex.meta.get("level"))
        score += 2 * (other.meta.get("doctype") == ex.meta.get("doctype"))
        if score:
            scored.append((-score, other.src, other))
    return [o for _, _, o in sorted(scored)[:limit]]


def related_html(ex: Exemplar, everything: list[Exemplar]) -> str:
    tax = data.taxonomy()
    items = related(ex, everything)
    if not items:
        return ""
    lis = "".join(
        f'<li><a href="{page_rel(ex, o.src)}">{html.escape(o.title)}</a> '
        f'<small>{html.escape(tax.label("levels", o.meta["level"]))} · {html.escape(tax.label("doctypes", o.meta["doctype"]))}</small></li>'
        for o in items
    )
    return f'<h2 id="related" data-search-exclude="true">相关范文</h2><ul class="ex-related" data-search-exclude="true">{lis}</ul>'


def decorate(content: str, ex: Exemplar, everything: list[Exemplar]) -> str:
    """Wrap the document part for copy and print, add the card after the title and related pages at the end."""
    m = REVIEW_HTML.search(content)
    doc, rest = (content[: m.start()], content[m.start():]) if m else (content, "")
    if rest:  # the review is for the writer, not for search
        rest = rest.replace('<div class="admonition tip">', '<div class="admonition tip" data-search-exclude="true">', 1)
    doc = mark_placeholders(doc, ex.meta.get("placeholders", []))
    h1 = H1_END.search(doc)
    if h1:
        by = BYLINE.match(doc, h1.end())  # the 题注 stays with the title
        head_end = by.end() if by else h1.end()
        tail = SALUTATION.sub(r'<p class="salutation">\1</p>', doc[head_end:], count=1)
        doc = ('<article class="doc-body">' + doc[: head_end] + info_card(ex)
               + '<div class="doc-rest">' + tail + "</div></article>")
    else:
        doc = info_card(ex) + '<article class="doc-body">' + doc + "</article>"
    return doc + '<aside class="ex-notes">' + rest + related_html(ex, everything) + "</aside>"
