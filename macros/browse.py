"""Markdown for the generated browsing pages (by level, document type, theme) and the phrase bank.

Plain functions over the loaded library; the generate step (pipeline/generate.py) writes their output as pages.
Links are relative to the generated page's own location.
"""
from __future__ import annotations

import html
import posixpath
from collections import Counter

from . import chooser, data
from .library import Exemplar, root_prefix, url_of


def _fm(title: str, description: str, searchable: bool = True) -> str:
    import json
    hidden = "" if searchable else "search:\n  exclude: true\n"
    return (f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\ndescription: {json.dumps(description, ensure_ascii=False)}\n"
            f"render_macros: false\n{hidden}---\n\n")


def exclude(fragment: str) -> str:
    """Keep a fragment out of search. Material's search parser compares elements by tag name only,
    so the excluded element must not contain one of its own kind: wrap in a div holding no div."""
    assert "<div" not in fragment
    return f'<div data-search-exclude="true">{fragment}</div>'


def rel(from_src: str, to_src: str) -> str:
    """Relative Markdown link from one docs/ file to another."""
    return posixpath.relpath(to_src, posixpath.dirname(from_src) or ".")


def exemplar_cards(items: list[Exemplar], from_src: str, tax, sort: bool = True) -> str:
    """Exemplars as cards: title, description, level, document type, length and themes, in taxonomy order.
    Raw HTML with precomputed URLs: Markdown's inline parser is the slowest part of a large build,
    and these lists are not worth indexing for search."""
    prefix = root_prefix(from_src)
    if not items:
        return f'<p>暂无范文。欢迎<a href="{prefix}contribute/">投稿</a>。</p>\n'
    cards = []
    for ex in (chooser.ordered(items) if sort else items):
        m = ex.meta
        themes = "、".join(html.escape(tax.label("themes", t)) for t in m.get("themes", []))
        cards.append(
            f'<li class="ex-item"><a class="ex-item__title" href="{prefix}{ex.url}">{html.escape(ex.title)}</a>'
            f'<p class="ex-item__meta"><span>{html.escape(tax.label("levels", m["level"]))}</span>'
            f'<span>{html.escape(tax.label("doctypes", m["doctype"]))}</span><span>{ex.han_count}字</span></p>'
            f'<p class="ex-item__desc">{html.escape(str(m.get("description", "")))}</p>'
            + (f'<p class="ex-item__themes">主题：{themes}</p>' if themes else "") + "</li>")
    return '<ol class="ex-items" data-search-exclude="true">' + "".join(cards) + "</ol>\n"


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
    """A level's exemplars in one section per document type, each with an anchor (#doctype-slug)."""
    tax = data.taxonomy()
    term = tax.term("levels", slug)
    src = f"exemplars/{slug}/index.md"
    mine = [e for e in items if e.meta["level"] == slug]
    by_type = Counter(e.meta["doctype"] for e in mine)
    types = [d for d in tax.terms("doctypes") if by_type[d.slug]]
    md = _fm(term.label, f"{term.label}范文：{term.description}", searchable=False)
    md += f"# {term.label}\n\n{term.description}\n\n"
    md += f"共{len(mine)}篇范文"
    if types:
        md += "：" + "".join(f'<a class="cz-jump" href="#{d.slug}">{html.escape(d.label)}{by_type[d.slug]}篇</a>' for d in types)
    md += "\n\n"
    if not mine:
        md += exemplar_cards(mine, src, tax)
    for d in types:
        md += f"## {d.label} {{ #{d.slug} }}\n\n" + exemplar_cards([e for e in mine if e.meta["doctype"] == d.slug], src, tax)
        md += "\n"
    return src, md


def _vocab_index(vocab: str, src: str, title: str, description: str, intro: str,
                 count: Counter, target: str, chips=None) -> tuple[str, str]:
    """An overview page: one card per vocabulary value with its description, number of exemplars and,
    for levels and document types, links straight to each combination (level page section)."""
    tax = data.taxonomy()
    prefix = root_prefix(src)
    cards = []
    for t in tax.terms(vocab):
        n = f"{count[t.slug]}篇" if count[t.slug] else "暂无范文"
        links = ""
        if chips is not None:
            pairs = chips(t.slug)
            if pairs:
                links = '<ul class="cz-chips">' + "".join(
                    f'<li><a class="cz-chip" href="{prefix}{url}">{html.escape(label)}<span class="cz-n">{k}</span></a></li>' for label, url, k in pairs) + "</ul>"
        cards.append(f'<li class="term-card"><a class="term-card__title" href="{prefix}{url_of(target.format(slug=t.slug))}">{html.escape(t.label)}</a>'
                     f'<span class="term-card__n">{n}</span><p>{html.escape(t.description)}</p>{links}</li>')
    md = _fm(title, description) + f"# {title}\n\n{intro}"
    md += exclude('<ul class="term-cards">' + "".join(cards) + "</ul>") + "\n"
    return src, md


def _pairs(items: list[Exemplar]) -> Counter:
    return Counter((e.meta["level"], e.meta["doctype"]) for e in items)


def levels_index(items: list[Exemplar]) -> tuple[str, str]:
    pairs = _pairs(items)
    return _vocab_index("levels", "exemplars/index.md", "按层级浏览",
                        "按组织层级查找工会文稿范文：省市县总工会、乡镇街道、企业、学校、医院、机关、新就业形态等。",
                        "先找到和本单位同一层级的范文，结构和口吻最接近。每个层级下的文种可以直接点开。\n\n",
                        Counter(e.meta["level"] for e in items), "exemplars/{slug}/index.md",
                        chips=lambda lv: [(d.label, f"exemplars/{lv}/#{d.slug}", pairs[(lv, d.slug)])
                                          for d in data.taxonomy().terms("doctypes") if pairs[(lv, d.slug)]])


def doctype_page(slug: str, items: list[Exemplar], guides: set[str]) -> tuple[str, str]:
    tax = data.taxonomy()
    term = tax.term("doctypes", slug)
    src = f"doctypes/{slug}.md"
    mine = [e for e in items if e.meta["doctype"] == slug]
    md = _fm(term.label, f"{term.label}范文：{term.description}", searchable=False)
    md += f"# {term.label}\n\n{term.description}\n\n"
    if slug in guides:
        md += f"动笔前先读[{term.label}写作指南]({rel(src, f'guides/{slug}.md')})，了解结构和常见错误。\n\n"
    md += f"共{len(mine)}篇范文，按层级排列。\n\n" + exemplar_cards(mine, src, tax)
    return src, md


def doctypes_index(items: list[Exemplar]) -> tuple[str, str]:
    pairs = _pairs(items)
    return _vocab_index("doctypes", "doctypes/index.md", "按文种浏览",
                        "按文种查找工会文稿范文：年度总结、半年总结、情况汇报、工作计划、工作报告、通知、述职报告等。",
                        "先选文种，再看本单位所属层级的那一篇。层级名称可以直接点开。\n\n",
                        Counter(e.meta["doctype"] for e in items), "doctypes/{slug}.md",
                        chips=lambda dt: [(lv.label, f"exemplars/{lv.slug}/#{dt}", pairs[(lv.slug, dt)])
                                          for lv in data.taxonomy().terms("levels") if pairs[(lv.slug, dt)]])


def theme_page(slug: str, items: list[Exemplar]) -> tuple[str, str]:
    tax = data.taxonomy()
    term = tax.term("themes", slug)
    src = f"themes/{slug}.md"
    mine = [e for e in items if slug in e.meta.get("themes", [])]
    md = _fm(term.label, f"{term.label}主题的工会文稿范文和常用句式：{term.description}")
    md += f"# {term.label}\n\n{term.description}\n\n## 范文\n\n共{len(mine)}篇范文写到了这项工作。\n\n"
    md += exemplar_cards(mine, src, tax)
    blocks = data.phrase_bank().by_theme(slug)
    if blocks:
        md += "\n## 常用句式\n\n" + phrase_list(blocks, src)
    return src, md


def themes_index(items: list[Exemplar]) -> tuple[str, str]:
    return _vocab_index("themes", "themes/index.md", "按主题浏览",
                        "按工作主题查找工会文稿范文：维权、困难帮扶、劳动竞赛、职工之家、民主管理、女职工、安全生产等。",
                        "每个主题页列出写到这项工作的范文和常用句式。\n\n",
                        Counter(t for e in items for t in e.meta.get("themes", [])), "themes/{slug}.md")


def _shown(b) -> str:
    from .phrases import VAR
    return VAR.sub(lambda m: data.STANDARD_VARS.get(m.group(1), "〔" + b.params.get(m.group(1), m.group(1)) + "〕"), b.text)


def phrase_list(blocks, from_src: str) -> str:
    """Phrase blocks as copyable items, with the default placeholders filled in. Block ids are
    for contributors: they are listed in `contributor_ids`, not beside each sentence."""
    out = [f'- <span class="phrase-text">{_shown(b)}</span> <button class="md-button phrase-copy" type="button" title="复制这句">复制</button>'
           f' <small class="phrase-fit">适用：{html.escape(b.fit_label())}</small>'
           for b in blocks]
    return "\n".join(out) + "\n"


def contributor_ids(blocks) -> str:
    """A collapsed table of block ids and parameters for contributors who cite phrases in exemplars."""
    if not blocks:
        return ""
    rows = []
    for b in blocks:
        start = _shown(b)
        start = html.escape(start[:18] + ("……" if len(start) > 18 else ""))
        params = "，".join(f"{html.escape(k)}＝{html.escape(v)}" for k, v in b.params.items()) or "—"
        rows.append(f"<tr><td><code>{html.escape(b.id)}</code></td><td>{start}</td><td>{params}</td></tr>")
    return ('<details class="contrib-ids" data-search-exclude="true"><summary>投稿者用：本页句式的编号</summary>'
            '<p>在范文里用 <code>phrase</code> 宏按编号引用句式，改一处，所有引用它的范文一起更新。写法见<a href="'
            + root_prefix("phrases/x.md") + 'contribute/">参与贡献</a>。</p>'
            '<div class="contrib-ids__wrap"><table><thead><tr><th>编号</th><th>句子开头</th><th>参数</th></tr></thead><tbody>'
            + "".join(rows) + "</tbody></table></div></details>\n")


def phrases_index() -> tuple[str, str]:
    bank = data.phrase_bank()
    src = "phrases/index.md"
    md = _fm("句式库", "工会总结、汇报、计划常用句式，按用途和主题分类，一键复制。")
    md += "# 句式库\n\n按写作环节挑选句式，点“复制”即可粘贴到自己的稿子里。句中【】里的内容换成本单位的实际情况，〔〕里的内容按提示改写。\n\n"
    cards = "".join(
        f'<li class="term-card"><a class="term-card__title" href="{fn.slug}/">{html.escape(fn.label)}</a>'
        f'<span class="term-card__n">{len(bank.by_function(fn.slug))}条</span><p>{html.escape(fn.description)}</p></li>'
        for fn in bank.functions)
    md += exclude('<ul class="term-cards">' + cards + "</ul>") + "\n"
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
        shown = []
        for t in tax.terms("themes"):
            mine = [b for b in blocks if t.slug in b.themes]
            if mine:
                md += f"## {t.label}\n\n" + phrase_list(mine, src) + "\n"
                shown += [b for b in mine if b not in shown]
        blocks = shown + [b for b in blocks if b not in shown]
    else:
        md += phrase_list(blocks, src)
    md += "\n" + contributor_ids(blocks)
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
