"""The coverage table: counts measured from front matter, shown on the site."""
from __future__ import annotations

import re
from collections import Counter

from conftest import ROOT
from macros import browse, coverage, data, library

ITEMS = browse.valid(library.load(ROOT / "docs"))


def test_figures_come_from_front_matter():
    f = coverage.figures(ITEMS)
    assert f["total"] == len(ITEMS)
    assert f["filled"] == len({(e.meta["level"], e.meta["doctype"]) for e in ITEMS})
    assert sum(f["cells"].values()) == len(ITEMS)
    assert f["min_level"] == min(Counter(e.meta["level"] for e in ITEMS).get(s, 0) for s in data.taxonomy().slugs("levels"))


def test_page_has_one_row_per_level_and_a_column_per_doctype():
    src, md = coverage.page(ITEMS)
    tax = data.taxonomy()
    assert src == "coverage.md"
    body = md.split('<table class="coverage"', 1)[1]
    assert body.count('<th scope="row">') == len(tax.terms("levels")) + 1  # levels and the totals row
    assert body.count('<th scope="col">') == len(tax.terms("doctypes")) + 2
    numbers = [int(n) for n in re.findall(r'<td class="cov-n"><a [^>]*>(\d+)</a></td>', body)]
    assert sum(numbers) == len(ITEMS) and len(numbers) == coverage.figures(ITEMS)["filled"]
    assert f"{len(ITEMS)}篇" in md


def test_coverage_page_is_built(built_site):
    page = (built_site / "coverage" / "index.html").read_text(encoding="utf-8")
    assert "范文覆盖表" in page and 'class="coverage"' in page


def test_library_meets_its_size_and_spread_targets():
    """data/coverage.yml: total, every level, every doctype, distinct level × doctype cells. The
    most-wanted cells (two models each) are shown on the site as a target still open."""
    t = coverage.targets()["targets"]
    f = coverage.figures(ITEMS)
    assert f["total"] >= t["total"]
    assert f["min_level"] >= t["per_level"]
    assert f["min_doctype"] >= t["per_doctype"]
    assert f["filled"] >= t["cells"]
