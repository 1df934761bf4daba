"""Markdown for the generated browsing pages (by level, document type, theme) and the phrase bank.

Plain functions over the loaded library; the site hook writes their output as pages.
Links are relative to the generated page's own location.
"""
from __future__ import annotations

import html
import posixpath
from collections import Counter

from . import data
from .library import Exemplar, root_prefix


def _fm(title: str, description: str, searchable: bool = True) -> str:
    import json
    hidden = "" if searchable else "search:\n  exclude: true\n"
    return (f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\ndescription: {json.dumps(description, ensure_ascii=False)}\n"
            f"render_macros: false\n{hidden}---\n\n")


def rel(from_src: str, to_src: str) -> str:
    """Relative Markdown link from one docs/ file to another."""
    return posixpath.relpath(to_src, posixpath.dirname(from_src) or ".")


def exemplar_table(items: list[Exemplar], from_src: str, tax, columns=("level", "doctype")) -> str:
    """An HTML table of exemplars. Raw HTML with precomputed URLs: Markdown's inline parser is
    the slowest part of a large build, and these lists are not worth indexing for search."""
    prefix = root_prefix(from_src)
    if not items:
        return f'<p>暂无范文。欢迎<a href="{prefix}contribute/">投稿</a>。</p>\n'
    head = ["范文"] + (["层级"] if "level" in columns else []) + (["文种"] if "doctype" in columns else []) + ["主题", "字数"]
    rows = []
    for ex in items:
        cells = [f'<a href="{prefix}{ex.url}">{html.escape(ex.title)}</a>']
        if "level" in columns:
            lv = ex.meta["level"]
            cells.append(f'<a href="{prefix}exemplars/{lv}/">{html.escape(tax.label("levels", lv))}</a>')
        if "doctype" in columns:
            dt = ex.meta["doctype"]
            cells.append(f'<a href="{prefix}doctypes/{dt}/">{html.escape(tax.label("doctypes", dt))}</a>')
        cells.append("、".join(f'<a href="{prefix}themes/{t}/">{html.escape(tax.label("themes", t))}</a>' for t in ex.meta.get("themes", [])))
        cells.append(f"{ex.han_count}字")
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return ('<table class="ex-list" data-search-exclude="true"><thead><tr>' + "".join(f"<th>{h}</th>" for h in head)
            + "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>\n")


def valid(items: list[Exemplar]) -> list[Exemplar]:
    """Exemplars whose front matter names known vocabulary values (others are reported by the checks)."""
    tax = data.taxonomy()
    ok = []
    for ex in items:
        m = ex.meta
        if (m.get("level") in tax.slugs("levels") and m.get("doctype") in tax.slugs("doctypes")
                and all(t in tax.slugs("themes") for t in m.get("themes") or [])):
            ok.append(ex)
    return ok


def level_page(slug: str, items: list[Exemplar]) -> tuple[str, str]:
    tax = data.taxonomy()
    term = tax.term("levels", slug)
    src = f"exemplars/{slug}/index.md"
    mine = [e for e in items if e.meta["level"] == slug]
    by_type = Counter(e.meta["doctype"] for e in mine)
    md = _fm(term.label, f"{term.label}范文：{term.description}", searchable=False)
    md += f"# {term.label}\n\n{term.description}\n\n"
    md += f"共{len(mine)}篇范文"
    if by_type:
        md += "，其中" + "、".join(f"{tax.label('doctypes', d)}{n}篇" for d, n in sorted(by_type.items(), key=lambda x: tax.slugs('doctypes').index(x[0])))
    md += "。\n\n"
    md += exemplar_table(mine, src, tax, columns=("doctype",))
    return src, md


def _vocab_index(vocab: str, src: str, title: str, description: str, intro: str, heads: tuple[str, str],
                 count: Counter, target: str) -> tuple[str, str]:
    """An overview page: one row per vocabulary value with its description and number of exemplars."""
    tax = data.taxonomy()
    md = _fm(title, description) + f"# {title}\n\n{intro}| {heads[0]} | {heads[1]} | 范文数 |\n|---|---|---|\n"
    for t in tax.terms(vocab):
        md += f"| [{t.label}]({rel(src, target.format(slug=t.slug))}) | {t.description} | {count[t.slug]} |\n"
    return src, md


def levels_index(items: list[Exemplar]) -> tuple[str, str]:
    return _vocab_index("levels", "exemplars/index.md", "按层级浏览",
                        "按组织层级查找工会文稿范文：省市县总工会、乡镇街道、企业、学校、医院、机关、新就业形态等。",
                        "先找到和本单位同一层级的范文，结构和口吻最接近。\n\n", ("层级", "适用单位"),
                        Counter(e.meta["level"] for e in items), "exemplars/{slug}/index.md")


def doctype_page(slug: str, items: list[Exemplar], guides: set[str]) -> tuple[str, str]:
    tax = data.taxonomy()
    term = tax.term("doctypes", slug)
    src = f"doctypes/{slug}.md"
    mine = [e for e in items if e.meta["doctype"] == slug]
    md = _fm(term.label, f"{term.label}范文：{term.description}", searchable=False)
    md += f"# {term.label}\n\n{term.description}\n\n"
    if slug in guides:
        md += f"动笔前先读[{term.label}写作指南]({rel(src, f'guides/{slug}.md')})，了解结构和常见错误。\n\n"
    md += f"共{len(mine)}篇范文。\n\n" + exemplar_table(mine, src, tax, columns=("level",))
    return src, md


def doctypes_index(items: list[Exemplar]) -> tuple[str, str]:
    return _vocab_index("doctypes", "doctypes/index.md", "按文种浏览",
                        "按文种查找工会文稿范文：年度总结、半年总结、情况汇报、工作计划、工作报告、通知、述职报告等。",
                        "", ("文种", "用途"), Counter(e.meta["doctype"] for e in items), "doctypes/{slug}.md")


def theme_page(slug: str, items: list[Exemplar]) -> tuple[str, str]:
    tax = data.taxonomy()
    term = tax.term("themes", slug)
    src = f"themes/{slug}.md"
    mine = [e for e in items if slug in e.meta.get("themes", [])]
    md = _fm(term.label, f"{term.label}主题的工会文稿范文和常用句式：{term.description}")
    md += f"# {term.label}\n\n{term.description}\n\n## 范文\n\n共{len(mine)}篇范文写到了这项工作。\n\n"
    md += exemplar_table(mine, src, tax)
    blocks = data.phrase_bank().by_theme(slug)
    if blocks:
        md += "\n## 常用句式\n\n" + phrase_list(blocks, src)
    return src, md


def themes_index(items: list[Exemplar]) -> tuple[str, str]:
    return _vocab_index("themes", "themes/index.md", "按主题浏览",
                        "按工作主题查找工会文稿范文：维权、困难帮扶、劳动竞赛、职工之家、民主管理、女职工、安全生产等。",
                        "", ("主题", "内容"), Counter(t for e in items for t in e.meta.get("themes", [])), "themes/{slug}.md")


def phrase_list(blocks, from_src: str) -> str:
    """Phrase blocks as copyable items. Text is shown with the default placeholders filled in."""
    from .phrases import VAR
    out = []
    for b in blocks:
        shown = VAR.sub(lambda m: data.STANDARD_VARS.get(m.group(1), "〔" + b.params.get(m.group(1), m.group(1)) + "〕"), b.text)
        params = ""
        if b.params:
            params = "（参数：" + "，".join(f"{k}＝{v}" for k, v in b.params.items()) + "）"
        out.append(f'- <span class="phrase-text">{shown}</span> <button class="md-button phrase-copy" type="button" title="复制这句">复制</button>  \n'
                   f'  <small class="phrase-id">编号 `{b.id}`{params}</small>')
    return "\n".join(out) + "\n"


def phrases_index() -> tuple[str, str]:
    bank = data.phrase_bank()
    src = "phrases/index.md"
    md = _fm("句式库", "工会总结、汇报、计划常用句式，按用途和主题分类，一键复制。")
    md += "# 句式库\n\n按写作环节挑选句式，点“复制”即可粘贴到自己的稿子里。句中【】里的内容换成本单位的实际情况。\n\n"
    md += "范文里用 `phrase` 宏引用这些句式，改一处，所有引用它的范文一起更新。\n\n| 用途 | 说明 | 句式数 |\n|---|---|---|\n"
    for fn in bank.functions:
        md += f"| [{fn.label}]({rel(src, f'phrases/{fn.slug}.md')}) | {fn.description} | {len(bank.by_function(fn.slug))} |\n"
    return src, md


def phrase_function_page(slug: str) -> tuple[str, str]:
    bank = data.phrase_bank()
    tax = data.taxonomy()
    fn = next(f for f in bank.functions if f.slug == slug)
    src = f"phrases/{slug}.md"
    md = _fm(f"句式库：{fn.label}", f"{fn.label}常用句式：{fn.description}")
    md += f"# {fn.label}\n\n{fn.description}\n\n"
    blocks = bank.by_function(slug)
    if slug == "theme":
        for t in tax.terms("themes"):
            mine = [b for b in blocks if t.slug in b.themes]
            if mine:
                md += f"## {t.label}\n\n" + phrase_list(mine, src) + "\n"
    else:
        md += phrase_list(blocks, src)
    return src, md


def level_cards(items: list[Exemplar]) -> str:
    """HTML grid of level cards for the home page (links relative to the site root page)."""
    import html as _h
    tax = data.taxonomy()
    count = Counter(e.meta["level"] for e in items)
    cards = "".join(
        f'<li><a class="level-card" href="exemplars/{t.slug}/"><strong>{_h.escape(t.label)}</strong>'
        f'<span>{_h.escape(t.description)}</span><em>{count[t.slug]}篇</em></a></li>'
        for t in tax.terms("levels")
    )
    return f'<ul class="level-grid">{cards}</ul>'
