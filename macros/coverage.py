"""The coverage table: level × document type with counts, and the library's targets (data/coverage.yml)."""
from __future__ import annotations

import functools
import html
from collections import Counter

import yaml

from . import data
from .library import Exemplar, root_prefix

SRC = "coverage.md"


@functools.lru_cache(maxsize=None)
def targets(root=data.ROOT) -> dict:
    with (root / "data" / "coverage.yml").open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def figures(items: list[Exemplar]) -> dict:
    """Counts the targets are measured on."""
    tax = data.taxonomy()
    cells = Counter((e.meta["level"], e.meta["doctype"]) for e in items)
    levels = Counter(e.meta["level"] for e in items)
    doctypes = Counter(e.meta["doctype"] for e in items)
    wanted = targets()["most_wanted_doctypes"]
    thin = [(lv, dt) for lv in tax.slugs("levels") for dt in wanted if cells[(lv, dt)] < targets()["targets"]["most_wanted"]]
    return {
        "total": len(items),
        "cells": cells,
        "filled": len(cells),
        "levels": levels,
        "doctypes": doctypes,
        "min_level": min((levels[s] for s in tax.slugs("levels")), default=0),
        "min_doctype": min((doctypes[s] for s in tax.slugs("doctypes")), default=0),
        "thin_wanted": thin,
    }


def page(items: list[Exemplar]) -> tuple[str, str]:
    """Markdown of the coverage page: the targets, then the matrix (HTML, kept out of search)."""
    tax = data.taxonomy()
    t = targets()["targets"]
    f = figures(items)
    prefix = root_prefix(SRC)
    levels, doctypes = tax.terms("levels"), tax.terms("doctypes")

    def status(ok: bool) -> str:
        return "已达到" if ok else "未达到"

    rows = [
        ("范文总数", f"{f['total']}篇", f"{t['total']}篇", f["total"] >= t["total"]),
        ("有范文的“层级×文种”组合", f"{f['filled']}个（共{len(levels) * len(doctypes)}个）", f"{t['cells']}个", f["filled"] >= t["cells"]),
        ("范文最少的层级", f"{f['min_level']}篇", f"每个层级{t['per_level']}篇", f["min_level"] >= t["per_level"]),
        ("范文最少的文种", f"{f['min_doctype']}篇", f"每个文种{t['per_doctype']}篇", f["min_doctype"] >= t["per_doctype"]),
        ("年度总结、工作计划每个层级", f"{len(f['thin_wanted'])}处不足{t['most_wanted']}篇", f"每处{t['most_wanted']}篇以上", not f["thin_wanted"]),
    ]
    md = ('---\ntitle: 范文覆盖表\ndescription: 按层级和文种统计的范文篇数：哪些组合已有范文，哪些还缺，欢迎投稿补上。\n'
          'render_macros: false\nsearch:\n  exclude: true\n---\n\n# 范文覆盖表\n\n'
          '下表按层级和文种统计现有范文的篇数。格子里的数字是篇数，点击进入该层级的范文列表；空格表示还没有这类范文，'
          f'可以先看同一文种其他层级的范文，也欢迎<a href="{prefix}contribute/">投稿</a>补上。\n\n')
    md += '<table class="coverage-targets"><thead><tr><th>指标</th><th>现有</th><th>目标</th><th>状态</th></tr></thead><tbody>'
    md += "".join(f"<tr><td>{a}</td><td>{b}</td><td>{c}</td><td>{status(ok)}</td></tr>" for a, b, c, ok in rows)
    md += "</tbody></table>\n\n## 层级×文种\n\n"
    head = "".join(f'<th scope="col"><a href="{prefix}doctypes/{d.slug}/">{html.escape(d.label)}</a></th>' for d in doctypes)
    body = []
    for lv in levels:
        cells = []
        for d in doctypes:
            n = f["cells"][(lv.slug, d.slug)]
            cells.append(f'<td class="cov-n"><a href="{prefix}exemplars/{lv.slug}/" aria-label="{html.escape(lv.label)}{html.escape(d.label)}{n}篇">{n}</a></td>'
                         if n else '<td class="cov-0" aria-label="暂无">·</td>')
        body.append(f'<tr><th scope="row"><a href="{prefix}exemplars/{lv.slug}/">{html.escape(lv.label)}</a></th>'
                    + "".join(cells) + f'<td class="cov-sum">{f["levels"][lv.slug]}</td></tr>')
    foot = "".join(f'<td class="cov-sum">{f["doctypes"][d.slug]}</td>' for d in doctypes)
    md += ('<div class="coverage-wrap"><table class="coverage" data-search-exclude="true"><thead><tr><th scope="col">层级＼文种</th>'
           + head + '<th scope="col">合计</th></tr></thead><tbody>' + "".join(body)
           + f'</tbody><tfoot><tr><th scope="row">合计</th>{foot}<td class="cov-sum">{f["total"]}</td></tr></tfoot></table></div>\n')
    return SRC, md
