"""The chooser (找范文): data written into the site at build time, the ranking, and the form.

`chooser_data` turns the library into the JSON the page reads (assets/chooser.json);
`choose` ranks that data for one need. docs/assets/javascripts/chooser.js implements the
same ranking over the same JSON; the browser tests check that both agree.
"""
from __future__ import annotations

import html
import json
from pathlib import Path

import yaml

from . import data
from .library import Exemplar, root_prefix

JSON_PATH = "assets/chooser.json"
FAR = 1000  # rank offset of values that are neither the chosen one nor listed in its near:
KIND_LABELS = {
    "exact": "同层级·同文种",
    "near-level": "同文种·相近层级",
    "same-doctype": "同文种·其他层级",
    "same-level": "同层级·其他文种",
    "other": "可作参考",
}


class TaxonomyError(ValueError):
    """A near: list in data/taxonomy.yml that names something it should not."""


def near_lists(root: Path = data.ROOT) -> dict[str, dict[str, list[str]]]:
    """`near:` of every level and document type, validated; values without one get []."""
    path = root / "data" / "taxonomy.yml"
    text = path.read_text(encoding="utf-8")
    node = yaml.compose(text)
    problems, out = [], {}
    for key, value in node.value:
        if key.value not in ("levels", "doctypes"):
            continue
        slugs = [next((v.value for k, v in entry.value if k.value == "slug"), None) for entry in value.value]
        out[key.value] = {}
        for entry, slug in zip(value.value, slugs):
            near = next((v for k, v in entry.value if k.value == "near"), None)
            if near is None:
                out[key.value][slug] = []
                continue
            line = near.start_mark.line + 1
            where = f"data/taxonomy.yml:{line} [N01]"
            if not isinstance(near.value, list):
                problems.append(f"{where} {slug} 的 near 应当是列表，例如 [county, township]")
                continue
            names = [n.value for n in near.value]
            for name in names:
                if name == slug:
                    problems.append(f"{where} {slug} 的 near 里不能列出它自己")
                elif name not in slugs:
                    problems.append(f"{where} {slug} 的 near 里的“{name}”不是{'层级' if key.value == 'levels' else '文种'}词表里的编号")
            if len(set(names)) != len(names):
                problems.append(f"{where} {slug} 的 near 里有重复的编号")
            out[key.value][slug] = [n for n in dict.fromkeys(names) if n in slugs and n != slug]
    if problems:
        raise TaxonomyError("相近层级或文种（near）写错了，请改正后再构建：\n" + "\n".join("  " + p for p in problems))
    return out


def order_key(ex: Exemplar):
    """Taxonomy order: level, then document type, then title."""
    tax = data.taxonomy()
    return (tax.slugs("levels").index(ex.meta["level"]), tax.slugs("doctypes").index(ex.meta["doctype"]), ex.title, ex.src)


def ordered(items: list[Exemplar]) -> list[Exemplar]:
    return sorted(items, key=order_key)


def fit_lines(ex: Exemplar) -> tuple[str, str]:
    """适合 / 不适合 lines from the front matter: level, document type, sector, register, reporting body."""
    tax = data.taxonomy()
    m = ex.meta
    suits = f"{tax.label('levels', m['level'])}的{tax.label('doctypes', m['doctype'])}"
    if m.get("sector"):
        suits += f"（{tax.label('sectors', m['sector'])}）"
    register = m.get("register")
    if register:
        suits += f"，{tax.label('registers', register)}"
    body = m.get("reporting_body")
    if body and body != "union-committee":
        suits += f"，以{tax.label('reporting_bodies', body)}名义"
    # a congress report is its own kind; other registers are contrasted with each other
    unsuits = [t.label for t in tax.terms("registers") if t.slug != register and (t.slug != "congress" or register == "congress")]
    if body and body != "union-committee":
        unsuits.append(f"{tax.label('reporting_bodies', 'union-committee')}名义的综合材料")
    return "适合：" + suits, ("不适合：" + "、".join(unsuits)) if unsuits else ""


def chooser_data(items: list[Exemplar]) -> dict:
    """What the chooser needs, in taxonomy order; urls are relative to the site root."""
    tax = data.taxonomy()
    near = near_lists()

    def vocab(name):
        return [{"slug": t.slug, "label": t.label, **({"near": near[name].get(t.slug, [])} if name in near else {})}
                for t in tax.terms(name)]

    rows = []
    for ex in ordered(items):
        suits, unsuits = fit_lines(ex)
        rows.append({
            "url": ex.url, "title": ex.title, "description": str(ex.meta.get("description", "")),
            "level": ex.meta["level"], "doctype": ex.meta["doctype"], "themes": list(ex.meta.get("themes", [])),
            "register": ex.meta.get("register", ""), "body": ex.meta.get("reporting_body", ""),
            "words": ex.han_count, "suits": suits, "unsuits": unsuits,
        })
    return {"levels": vocab("levels"), "doctypes": vocab("doctypes"), "themes": vocab("themes"),
            "registers": vocab("registers"), "items": rows}


def chooser_json(items: list[Exemplar]) -> str:
    return json.dumps(chooser_data(items), ensure_ascii=False, separators=(",", ":"))


def _rank(value, chosen, near):
    """0 for the chosen value (or nothing chosen), 1.. for its near: list, FAR+ for the rest."""
    if not chosen or value == chosen:
        return 0
    if value in near:
        return 1 + near.index(value)
    return FAR


def choose(d: dict, level: str | None = None, doctype: str | None = None, theme: str | None = None,
           register: str | None = None, limit: int = 3) -> dict:
    """Best match first, then alternates. Returns {"exact": n, "picks": [{"i", "kind"}]}, i indexing d["items"].

    Exact matches (same level and document type) come first, preferring the chosen theme, then the
    chosen register, then a union committee's own report, then taxonomy order. Alternates alternate
    between the same document type at the nearest levels and the same level's nearest document types;
    anything else comes last.
    """
    items = d["items"]
    level_near = next((v.get("near", []) for v in d["levels"] if v["slug"] == level), [])
    doctype_near = next((v.get("near", []) for v in d["doctypes"] if v["slug"] == doctype), [])
    level_order = {v["slug"]: n for n, v in enumerate(d["levels"])}
    doctype_order = {v["slug"]: n for n, v in enumerate(d["doctypes"])}

    def lrank(it):
        r = _rank(it["level"], level, level_near)
        return r + level_order.get(it["level"], 0) if r == FAR else r

    def drank(it):
        r = _rank(it["doctype"], doctype, doctype_near)
        return r + doctype_order.get(it["doctype"], 0) if r == FAR else r

    def misses(i):
        it = items[i]
        return (int(bool(theme) and theme not in it["themes"]), int(bool(register) and it["register"] != register),
                int(it.get("body", "union-committee") not in ("union-committee", "")), i)

    exact, same_doctype, same_level, rest = [], [], [], []
    for i, it in enumerate(items):
        lr, dr = lrank(it), drank(it)
        if lr == 0 and dr == 0:
            exact.append(i)
        elif dr == 0:
            same_doctype.append(i)
        elif lr == 0:
            same_level.append(i)
        else:
            rest.append(i)
    exact.sort(key=misses)
    same_doctype.sort(key=lambda i: (lrank(items[i]),) + misses(i))
    same_level.sort(key=lambda i: (drank(items[i]),) + misses(i))
    rest.sort(key=lambda i: (drank(items[i]), lrank(items[i])) + misses(i))

    picks = [{"i": i, "kind": "exact"} for i in exact]
    a, b = same_doctype, same_level
    for n in range(max(len(a), len(b))):
        if n < len(a):
            picks.append({"i": a[n], "kind": "near-level" if lrank(items[a[n]]) < FAR else "same-doctype"})
        if n < len(b):
            picks.append({"i": b[n], "kind": "same-level"})
    picks += [{"i": i, "kind": "other"} for i in rest]
    return {"exact": len(exact), "picks": picks[:limit]}


def _options(terms, chosen_label: str) -> str:
    opts = f'<option value="">{chosen_label}</option>'
    return opts + "".join(f'<option value="{html.escape(t.slug)}">{html.escape(t.label)}</option>' for t in terms)


def chooser_form(from_src: str, compact: bool = False) -> str:
    """The chooser form. A plain GET form to the chooser page, so it submits without JavaScript too;
    chooser.js ranks in place and keeps the picks in the address."""
    tax = data.taxonomy()
    prefix = root_prefix(from_src)
    fields = [
        ("level", "单位层级", _options(tax.terms("levels"), "请选择层级")),
        ("doctype", "文种", _options(tax.terms("doctypes"), "请选择文种")),
    ]
    extra = [
        ("theme", "侧重主题（可不选）", _options(tax.terms("themes"), "不限主题")),
        ("register", "用途（可不选）", _options(tax.terms("registers"), "不限")),
    ]
    cid = "cz-" + ("home" if compact else "page")
    parts = []
    for name, label, options in fields + ([] if compact else extra):
        parts.append(f'<div class="cz-field"><label for="{cid}-{name}">{label}</label>'
                     f'<select id="{cid}-{name}" name="{name}">{options}</select></div>')
    return (f'<form class="chooser{" chooser--compact" if compact else ""}" method="get" action="{prefix}find/" '
            f'data-chooser="{prefix}{JSON_PATH}" data-root="{prefix}" role="search" aria-label="找范文">'
            + "".join(parts) +
            '<div class="cz-submit"><button class="md-button md-button--primary" type="submit">找范文</button></div></form>')


def directory(items: list[Exemplar], from_src: str) -> str:
    """Every level with the document types it has, linking to the level page's sections: works without JavaScript."""
    tax = data.taxonomy()
    prefix = root_prefix(from_src)
    rows = []
    for lv in tax.terms("levels"):
        counts = {}
        for ex in items:
            if ex.meta["level"] == lv.slug:
                counts[ex.meta["doctype"]] = counts.get(ex.meta["doctype"], 0) + 1
        if not counts:
            continue
        links = "".join(f'<li><a class="cz-chip" href="{prefix}exemplars/{lv.slug}/#{dt.slug}">{html.escape(dt.label)}<span class="cz-n">{counts[dt.slug]}</span></a></li>'
                        for dt in tax.terms("doctypes") if dt.slug in counts)
        rows.append(f'<section class="cz-dir-row"><h3 class="cz-dir-level"><a href="{prefix}exemplars/{lv.slug}/">{html.escape(lv.label)}</a></h3><ul class="cz-chips">{links}</ul></section>')
    return '<div class="cz-dir" data-search-exclude="true">' + "".join(rows) + "</div>"  # no div inside: see browse.exclude


def chooser_page(items: list[Exemplar]) -> tuple[str, str]:
    src = "find.md"
    md = ("---\ntitle: 找范文\ndescription: 选单位层级和文种，马上看到最接近的工会文稿范文，附适用场合和字数；没有完全对应的，给出最接近的几篇。\n"
          "render_macros: false\nsearch:\n  exclude: true\nhide:\n  - toc\n---\n\n")
    md += "# 找范文\n\n选层级和文种，下面列出最合适的一篇和两篇备选；地址栏里的链接可以直接发给同事。\n\n"
    md += chooser_form(src) + "\n\n"
    md += ('<div class="cz-results" id="cz-results" aria-live="polite" data-search-exclude="true">'
           '<p class="cz-nojs">本页的自动挑选需要浏览器启用JavaScript。也可以直接在下面按层级和文种打开范文列表。</p></div>\n\n')
    md += "## 按层级和文种直接找\n\n每个层级下列出已有范文的文种，数字是篇数，点进去就是这一层级这一文种的范文。\n\n"
    md += directory(items, src) + "\n"
    return src, md
