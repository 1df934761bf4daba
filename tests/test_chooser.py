"""The chooser's ranking, its data, the near: lists, and the browse pages' order and navigation."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import build, copy_project
from macros import browse, chooser, data, library

ROOT = Path(__file__).resolve().parent.parent
# A frozen snapshot of the library (62 exemplars) with its near: lists, so the expected picks
# below do not move when exemplars are added to the real library.
FROZEN = json.loads((ROOT / "tests" / "fixtures" / "chooser" / "library.json").read_text(encoding="utf-8"))


def items():
    return browse.valid(library.load(ROOT / "docs"))


def urls(d, result):
    return [d["items"][p["i"]]["url"].removeprefix("exemplars/").removesuffix("/") for p in result["picks"]]


# need (level, doctype, theme, register) -> expected number of exact matches, picks in order
NEEDS = [
    (("hospital", "annual-summary", None, None), 1, ["hospital/annual-summary", "industry/annual-summary", "hospital/half-year-summary"]),
    (("township", "half-year-summary", None, None), 1, ["township/half-year-summary", "county/half-year-summary", "township/annual-summary"]),
    # no school duty report: a duty report at the nearest level, then the school's nearest document type
    (("school", "duty-report", None, None), 0, ["hospital/duty-report", "school/annual-summary", "soe/duty-report"]),
    # the union committee's own report before the women's committee's ...
    (("county", "annual-summary", None, None), 2, ["county/annual-summary", "county/annual-summary-women-committee", "prefecture/annual-summary"]),
    # ... unless the writer asks for that theme
    (("county", "annual-summary", "women-workers", None), 2, ["county/annual-summary-women-committee", "county/annual-summary", "prefecture/annual-summary"]),
    (("hospital", "plan", None, None), 0, ["industry/plan", "hospital/annual-summary", "school/plan"]),
    (("new-forms", "progress-report", None, None), 0, ["township/progress-report", "new-forms/annual-summary", "private/progress-report"]),
    (("provincial", "half-year-summary", None, None), 0, ["county/half-year-summary", "provincial/annual-summary", "township/half-year-summary"]),
    (("branch", "plan", None, None), 0, ["soe/plan", "branch/summary-and-plan", "private/plan"]),
    # no duty report at the township or its near levels: duty reports elsewhere, in taxonomy order
    (("township", "duty-report", None, None), 0, ["soe/duty-report", "township/progress-report", "private/duty-report"]),
    (("soe", "duty-report", None, None), 1, ["soe/duty-report", "private/duty-report", "soe/annual-summary"]),
    # an exact match stays first even when its register differs from the one asked for
    (("county", "progress-report", None, "written"), 1, ["county/progress-report", "township/progress-report", "county/annual-summary"]),
    (("private", "duty-report", None, "oral"), 1, ["private/duty-report", "soe/duty-report", "private/progress-report"]),
    (("organ", "notice", None, None), 1, ["organ/notice", "school/notice", "organ/plan"]),
    (("high-risk", "congress-report", None, None), 1, ["high-risk/congress-report", "soe/congress-report", "high-risk/annual-summary"]),
    (("prefecture", "audit-report", None, None), 1, ["prefecture/audit-report", "county/audit-report", "prefecture/congress-report"]),
    (("hospital", None, None, None), 4, ["hospital/annual-summary", "hospital/half-year-summary", "hospital/campaign-summary"]),
    ((None, "duty-report", None, None), 3, ["soe/duty-report", "private/duty-report", "hospital/duty-report"]),
    ((None, None, "safety", None), 62, ["township/half-year-summary", "industry/campaign-summary", "high-risk/annual-summary"]),
    (("school", "annual-summary", "safety", None), 1, ["school/annual-summary", "hospital/annual-summary", "school/plan"]),
]


@pytest.mark.parametrize("need,exact,expected", NEEDS, ids=[" ".join(str(x) for x in n if x) for n, _, _ in NEEDS])
def test_choose_returns_the_expected_picks(need, exact, expected):
    result = chooser.choose(FROZEN, *need)
    assert result["exact"] == exact
    assert urls(FROZEN, result) == expected


def test_choose_labels_each_pick_with_how_it_relates_to_the_need():
    result = chooser.choose(FROZEN, "school", "duty-report")
    assert [p["kind"] for p in result["picks"]] == ["near-level", "same-level", "same-doctype"]
    assert {p["kind"] for p in chooser.choose(FROZEN, "hospital", "annual-summary")["picks"]} == {"exact", "near-level", "same-level"}


def test_choose_on_the_real_library_keeps_its_promises():
    """For every level x document type: an exact model first whenever one exists, otherwise the
    same document type at a near level or the same level's other document types; never a duplicate."""
    d = chooser.chooser_data(items())
    near = {v["slug"]: v["near"] for v in d["levels"]}
    for lv in d["levels"]:
        for dt in d["doctypes"]:
            result = chooser.choose(d, lv["slug"], dt["slug"])
            picks = [d["items"][p["i"]] for p in result["picks"]]
            has = [it for it in d["items"] if (it["level"], it["doctype"]) == (lv["slug"], dt["slug"])]
            assert result["exact"] == len(has)
            assert len(picks) == 3 and len({p["url"] for p in picks}) == 3
            if has:
                assert (picks[0]["level"], picks[0]["doctype"]) == (lv["slug"], dt["slug"])
            else:
                assert picks[0]["doctype"] == dt["slug"] or picks[0]["level"] == lv["slug"]
            for p, it in zip(result["picks"], picks):
                if p["kind"] == "near-level":
                    assert it["doctype"] == dt["slug"] and it["level"] in near[lv["slug"]]
                if p["kind"] == "same-level":
                    assert it["level"] == lv["slug"] and it["doctype"] != dt["slug"]


def test_fit_lines_come_from_the_front_matter():
    by = {e.src: e for e in items()}
    assert chooser.fit_lines(by["exemplars/hospital/annual-summary.md"]) == ("适合：医院工会的年度总结（卫生健康），书面材料", "不适合：口头汇报")
    suits, unsuits = chooser.fit_lines(by["exemplars/private/duty-report.md"])
    assert suits == "适合：非公企业工会的述职报告（制造），口头汇报，以工会主席个人名义"
    assert unsuits == "不适合：书面材料、工会委员会名义的综合材料"


def test_chooser_data_is_in_taxonomy_order_and_written_into_the_site(built_site):
    tax = data.taxonomy()
    written = json.loads((built_site / chooser.JSON_PATH).read_text(encoding="utf-8"))
    assert written == chooser.chooser_data(items())
    keys = [(tax.slugs("levels").index(it["level"]), tax.slugs("doctypes").index(it["doctype"]), it["title"]) for it in written["items"]]
    assert keys == sorted(keys) and len(keys) == len(items())
    assert all(it["suits"].startswith("适合：") and it["words"] > 500 and it["description"] for it in written["items"])


# --- near: lists in data/taxonomy.yml ---------------------------------------------------------

SMALL_TAXONOMY = """\
levels:
  - slug: county
    label: 区县总工会
    near: [township]
  - slug: township
    label: 乡镇街道总工会
    near: [county, hospital]
  - slug: hospital
    label: 医院工会
doctypes:
  - slug: plan
    label: 工作计划和要点
    near: [annual-summary]
  - slug: annual-summary
    label: 年度总结
themes:
  - slug: rights
    label: 维权
"""


def _taxonomy_root(tmp_path: Path, edit=None) -> Path:
    (tmp_path / "data").mkdir(parents=True, exist_ok=True)
    text = SMALL_TAXONOMY
    if edit:
        assert edit[0] in text
        text = text.replace(edit[0], edit[1], 1)
    (tmp_path / "data" / "taxonomy.yml").write_text(text, encoding="utf-8")
    return tmp_path


def test_near_lists_good(tmp_path):
    near = chooser.near_lists(_taxonomy_root(tmp_path))
    # a value without near: gets none (new levels may be added without one)
    assert near == {"levels": {"county": ["township"], "township": ["county", "hospital"], "hospital": []},
                    "doctypes": {"plan": ["annual-summary"], "annual-summary": []}}
    # and the real file is valid, with a list for every level
    assert set(chooser.near_lists()["levels"]) == set(data.taxonomy().slugs("levels"))


@pytest.mark.parametrize("edit,line,says", [
    (("near: [county, hospital]", "near: [county, clinic]"), 7, "“clinic”不是层级词表里的编号"),
    (("near: [county, hospital]", "near: [township, county]"), 7, "不能列出它自己"),
    (("near: [county, hospital]", "near: county"), 7, "应当是列表"),
    (("near: [annual-summary]", "near: [annual-summary, annual-summary]"), 13, "重复"),
    (("near: [annual-summary]", "near: [rights]"), 13, "“rights”不是文种词表里的编号"),
])
def test_near_lists_bad(tmp_path, edit, line, says):
    with pytest.raises(chooser.TaxonomyError) as info:
        chooser.near_lists(_taxonomy_root(tmp_path, edit))
    message = str(info.value)
    assert f"data/taxonomy.yml:{line} [N01]" in message and says in message


def test_build_stops_with_the_line_of_a_wrong_near_list(tmp_path):
    project = copy_project(tmp_path / "project")
    path = project / "data" / "taxonomy.yml"
    text = re.sub(r"near: \[[^\]\n]*\]", "near: [county, clinic]", path.read_text(encoding="utf-8"), count=1)
    path.write_text(text, encoding="utf-8")
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "clinic" in t)
    result = build(project, tmp_path / "site")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert f"data/taxonomy.yml:{line} [N01]" in output and "“clinic”不是层级词表里的编号" in output
    assert "Traceback" not in output


# --- browse pages: order, cards, facets, navigation ---------------------------------------------

def _hrefs(html_text: str, cls: str) -> list[str]:
    return re.findall(rf'<a class="{cls}" href="([^"]+)"', html_text)


def test_lists_are_in_taxonomy_order_not_folder_order(built_site):
    everything = items()
    ordered = chooser.ordered(everything)
    page = (built_site / "doctypes" / "annual-summary" / "index.html").read_text(encoding="utf-8")
    expected = ["../../" + e.url for e in ordered if e.meta["doctype"] == "annual-summary"]
    assert _hrefs(page, "ex-item__title") == expected
    assert not expected[0].startswith("../../exemplars/branch/")  # folder order would start with the branch
    theme = (built_site / "themes" / "safety" / "index.html").read_text(encoding="utf-8")
    assert _hrefs(theme, "ex-item__title") == ["../../" + e.url for e in ordered if "safety" in e.meta["themes"]]


def test_level_page_has_a_section_per_document_type_in_taxonomy_order(built_site):
    tax = data.taxonomy()
    mine = [e for e in items() if e.meta["level"] == "hospital"]
    page = (built_site / "exemplars" / "hospital" / "index.html").read_text(encoding="utf-8")
    ids = re.findall(r'<h2 id="([^"]+)"', page)
    assert ids == [d for d in tax.slugs("doctypes") if any(e.meta["doctype"] == d for e in mine)]
    for e in mine:
        section = page[page.index(f'<h2 id="{e.meta["doctype"]}"'):]
        assert section.index(f'href="../../{e.url}"') < (section.find("<h2", 4) if section.find("<h2", 4) > 0 else len(section))


def test_cards_show_title_description_level_doctype_length_and_themes(built_site):
    tax = data.taxonomy()
    ex = next(e for e in items() if e.src == "exemplars/hospital/annual-summary.md")
    page = (built_site / "themes" / "mental-health" / "index.html").read_text(encoding="utf-8")
    card = page[page.index(f'href="../../{ex.url}"'):]
    card = card[: card.index("</li>")]
    for text in (ex.title, str(ex.meta["description"])[:20], tax.label("levels", "hospital"), tax.label("doctypes", "annual-summary"),
                 f"{ex.han_count}字", "、".join(tax.label("themes", t) for t in ex.meta["themes"])):
        assert text in card, text


def test_overview_pages_link_every_level_and_doctype_combination(built_site):
    pairs = {(e.meta["level"], e.meta["doctype"]) for e in items()}
    for page in ("exemplars/index.html", "doctypes/index.html", "find/index.html"):
        text = (built_site / page).read_text(encoding="utf-8")
        found = set(re.findall(r'class="cz-chip" href="(?:\.\./)*exemplars/([^/]+)/#([^"]+)"', text))
        assert found == pairs, page


def test_top_tabs_serve_writers_and_maintainer_pages_share_one_section(built_site):
    page = (built_site / "index.html").read_text(encoding="utf-8")
    tabs = re.findall(r'<a href="[^"]*" class="md-tabs__link[^"]*">\s*(.*?)\s*</a>', page, re.S)
    assert tabs == ["找范文", "按层级", "按文种", "按主题", "写作指南", "句式库", "参与贡献"]
    style = (built_site / "style" / "index.html").read_text(encoding="utf-8")
    nav = style[style.index("md-sidebar--primary"): style.index("md-sidebar--secondary")]
    for label in ("投稿说明", "文风规范", "标签索引"):
        assert label in nav


def test_home_page_puts_the_chooser_before_anything_else(built_site):
    page = (built_site / "index.html").read_text(encoding="utf-8")
    content = page[page.index("<h1"):]
    assert content.index('<form class="chooser chooser--compact"') < content.index("level-grid")
    assert 'action="find/"' in content and 'name="level"' in content and 'name="doctype"' in content


def test_phrase_pages_have_no_developer_words_outside_the_contributor_details(built_site):
    for path in sorted((built_site / "phrases").glob("*/index.html")) + [built_site / "phrases" / "index.html"]:
        text = path.read_text(encoding="utf-8")
        start = re.search(r'<article [^>]*class="md-content__inner', text).start()  # Pagefind adds attributes first
        article = text[start: text.index("</article>", start)]
        has_details = '<details class="contrib-ids"' in article
        reader = re.sub(r'<details class="contrib-ids".*?</details>', "", article, flags=re.S)
        reader = re.sub(r"<[^>]+>", "", reader)
        for word in ("宏", "phrase", "编号"):
            assert word not in reader, (path.relative_to(built_site), word)
        if path.parent.name != "phrases":
            assert has_details, path.relative_to(built_site)
            ids = re.findall(r"<td><code>([^<]+)</code></td>", article)
            assert ids and all(i in data.phrase_bank().blocks for i in ids)


def test_not_found_page_is_in_chinese_with_a_way_back(built_site):
    page = (built_site / "404.html").read_text(encoding="utf-8")
    assert "<title>页面不存在" in page and "<h1>页面不存在</h1>" in page
    assert "Not found" not in page
    assert re.search(r'<a href="/">回到首页</a>', page)
