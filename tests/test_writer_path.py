"""The writer's path in headless chromium at phone (390 x 844) and office-PC (1366 x 768) sizes:
the chooser (JavaScript and Python agree), list order, no sideways scrolling, touch targets,
font sizes, focus rings, headings and the 404 page. Screenshots go to test-artifacts/."""
from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest

from conftest import ROOT
from macros import browse, chooser, data, library
from test_browser import browser, server, shot  # noqa: F401  (fixtures)
from browser_wait import wait_js

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}
SIZES = {"phone": PHONE, "desktop": DESKTOP}

# One page of every type.
PAGES = {
    "home": "", "find": "find/?level=school&doctype=duty-report", "levels": "exemplars/", "level": "exemplars/hospital/",
    "doctypes": "doctypes/", "doctype": "doctypes/annual-summary/", "themes": "themes/", "theme": "themes/mental-health/",
    "phrases": "phrases/", "phrase": "phrases/closing/", "exemplar": "exemplars/hospital/annual-summary/",
    "guide": "guides/annual-summary/", "guides": "guides/", "contribute": "contribute/", "style": "style/", "tags": "tags/",
    "404": "404.html",
}

# The needs of the issue and more: (level, doctype, theme, register).
NEEDS = [
    ("hospital", "annual-summary", None, None), ("township", "half-year-summary", None, None), ("school", "duty-report", None, None),
    ("county", "annual-summary", None, None), ("county", "annual-summary", "women-workers", None), ("hospital", "plan", None, None),
    ("new-forms", "progress-report", None, None), ("provincial", "half-year-summary", None, None), ("branch", "plan", None, None),
    ("township", "duty-report", None, None), ("soe", "duty-report", None, None), ("county", "progress-report", None, "written"),
    ("private", "duty-report", None, "oral"), ("organ", "notice", None, None), ("high-risk", "congress-report", None, None),
    ("prefecture", "audit-report", None, None), ("hospital", None, None, None), (None, "duty-report", None, None),
    ("school", "annual-summary", "safety", None),
]


def items():
    return browse.valid(library.load(ROOT / "docs"))


def query(need) -> str:
    return "&".join(f"{k}={v}" for k, v in zip(("level", "doctype", "theme", "register"), need) if v)


@pytest.fixture
def ctx(browser, server):  # noqa: F811
    made = []

    def make(size="phone", js=True):
        context = browser.new_context(locale="zh-CN", viewport=SIZES[size], java_script_enabled=js)
        pg = context.new_page()
        pg.requests = []
        pg.on("request", lambda r: pg.requests.append(r.url))
        made.append((context, pg))
        return pg
    yield make
    for context, pg in made:
        outside = [u for u in pg.requests if urlsplit(u).scheme in ("http", "https") and urlsplit(u).hostname != "127.0.0.1"]
        context.close()
        assert outside == [], outside


@pytest.fixture(scope="module")
def site_data(built_site):
    return json.loads((built_site / chooser.JSON_PATH).read_text(encoding="utf-8"))


def shown_picks(pg) -> list[str]:
    pg.wait_for_selector("#cz-results .cz-pick", timeout=10000)
    return pg.locator("#cz-results .cz-pick").evaluate_all("els => els.map(e => e.dataset.url)")


def test_chooser_picks_for_each_need_match_python(ctx, server, site_data):  # noqa: F811
    pg = ctx("phone")
    for n, need in enumerate(NEEDS):
        pg.goto(server + "find/?" + query(need))
        expected = chooser.choose(site_data, *need)
        assert shown_picks(pg) == [site_data["items"][p["i"]]["url"] for p in expected["picks"]], need
        kinds = pg.locator("#cz-results .cz-pick").evaluate_all("els => els.map(e => e.dataset.kind)")
        assert kinds == [p["kind"] for p in expected["picks"]], need
        fits = pg.locator("#cz-results .cz-fit").all_inner_texts()
        assert len(fits) == 3 and all(f.startswith("适合：") for f in fits), need
        # the form shows the picks read from the address
        for name, value in zip(("level", "doctype", "theme", "register"), need):
            assert pg.locator(f'form.chooser select[name="{name}"]').input_value() == (value or ""), (need, name)
        if n == 2:
            shot(pg, "chooser-fallback-phone")


def test_chooser_needs_from_the_issue(ctx, server, site_data):  # noqa: F811
    """医院+年度总结 and 乡镇+半年总结 have exact models; 学校+述职 says plainly there is none and offers the nearest."""
    tax = data.taxonomy()
    pg = ctx("phone")
    for level, doctype in (("hospital", "annual-summary"), ("township", "half-year-summary"), ("school", "duty-report")):
        pg.goto(server + f"find/?level={level}&doctype={doctype}")
        first = site_data["items"][[it["url"] for it in site_data["items"]].index(shown_picks(pg)[0])]
        message = pg.locator("#cz-results .cz-msg").inner_text()
        exists = any((it["level"], it["doctype"]) == (level, doctype) for it in site_data["items"])
        if exists:
            assert (first["level"], first["doctype"]) == (level, doctype)
            assert message.startswith("有") and "暂无" not in message
        else:
            assert f"暂无{tax.label('levels', level)}的{tax.label('doctypes', doctype)}范文" in message
            near = next(v["near"] for v in site_data["levels"] if v["slug"] == level)
            assert first["doctype"] == doctype and first["level"] in near
            kinds = pg.locator("#cz-results .cz-pick").evaluate_all("els => els.map(e => e.dataset.kind)")
            assert "same-level" in kinds  # same level, another document type
    # the exact case on the real site, by name: the hospital's annual summary
    pg.goto(server + "find/?level=hospital&doctype=annual-summary")
    assert shown_picks(pg)[0] == "exemplars/hospital/annual-summary/"


def test_javascript_ranking_agrees_with_python_for_every_combination(ctx, server, site_data):  # noqa: F811
    pg = ctx("desktop")
    pg.goto(server + "find/")
    wait_js(pg, "window.unionChooser !== undefined")
    needs = [(lv["slug"], dt["slug"], th, rg) for lv in site_data["levels"] for dt in site_data["doctypes"]
             for th, rg in ((None, None), ("safety", None), (None, "oral"))]
    needs += [(lv["slug"], None, None, None) for lv in site_data["levels"]] + [(None, dt["slug"], None, None) for dt in site_data["doctypes"]]
    got = pg.evaluate("""([url, needs]) => window.unionChooser.load(url).then(d =>
        needs.map(n => window.unionChooser.choose(d, n[0], n[1], n[2], n[3], 3)))""",
                      [server + chooser.JSON_PATH, [list(n) for n in needs]])
    for need, js in zip(needs, got):
        assert js == chooser.choose(site_data, *need), need


def test_chooser_keeps_picks_in_the_address_and_a_shared_link_restores_them(ctx, server):  # noqa: F811
    pg = ctx("phone")
    pg.goto(server + "find/")
    pg.wait_for_selector("form.chooser.chooser--ready")
    pg.select_option('form.chooser select[name="level"]', "hospital")
    pg.select_option('form.chooser select[name="doctype"]', "annual-summary")
    pg.locator("form.chooser button[type=submit]").click()
    wait_js(pg, "location.search.includes('doctype=annual-summary')")
    assert pg.evaluate("location.search") == "?level=hospital&doctype=annual-summary"
    picks = shown_picks(pg)
    shared = pg.url
    other = ctx("desktop")
    other.goto(shared)
    assert shown_picks(other) == picks
    assert other.locator('form.chooser select[name="level"]').input_value() == "hospital"
    shot(other, "chooser-desktop")
    # the first result is one tap away: a link to the exemplar
    other.locator("#cz-results .cz-pick__title").first.click()
    other.wait_for_url("**/exemplars/hospital/annual-summary/")


def test_home_page_chooser_is_in_the_first_phone_screen_and_leads_to_the_picks(ctx, server):  # noqa: F811
    pg = ctx("phone")
    pg.goto(server)
    box = pg.locator("form.chooser--compact").bounding_box()
    assert box and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], box
    shot(pg, "home-phone")
    pg.select_option('form.chooser--compact select[name="level"]', "township")
    pg.select_option('form.chooser--compact select[name="doctype"]', "half-year-summary")
    pg.locator("form.chooser--compact button[type=submit]").click()
    pg.wait_for_url("**/find/?level=township&doctype=half-year-summary")
    assert shown_picks(pg)[0] == "exemplars/township/half-year-summary/"


def test_without_javascript_the_form_and_browse_lists_still_work(ctx, server):  # noqa: F811
    pg = ctx("phone", js=False)
    pg.goto(server)
    pg.select_option('form.chooser--compact select[name="level"]', "hospital")
    pg.select_option('form.chooser--compact select[name="doctype"]', "plan")
    pg.locator("form.chooser--compact button[type=submit]").click()
    pg.wait_for_url("**/find/?level=hospital&doctype=plan")
    assert "JavaScript" in pg.locator(".cz-nojs").inner_text()
    link = pg.locator('.cz-dir a.cz-chip[href$="exemplars/hospital/#annual-summary"]')
    assert link.count() == 1
    link.click()
    pg.wait_for_url("**/exemplars/hospital/#annual-summary")
    assert pg.locator("#annual-summary ~ ol.ex-items .ex-item").first.is_visible()
    shot(pg, "level-page-nojs-phone")


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_lists_show_cards_in_taxonomy_order(ctx, server, size):  # noqa: F811
    pg = ctx(size)
    pg.goto(server + "doctypes/annual-summary/")
    hrefs = pg.locator(".ex-item .ex-item__title").evaluate_all("els => els.map(e => e.href)")
    expected = [server + e.url for e in chooser.ordered(items()) if e.meta["doctype"] == "annual-summary"]
    assert hrefs == expected
    card = pg.locator(".ex-item").first
    for part in (".ex-item__title", ".ex-item__meta", ".ex-item__desc", ".ex-item__themes"):
        assert card.locator(part).is_visible(), part
    # 字数 never wraps: the meta spans stay on one line each
    heights = card.locator(".ex-item__meta span").evaluate_all("els => els.map(e => e.getClientRects().length)")
    assert set(heights) == {1}
    shot(pg, f"doctype-list-{size}")


@pytest.mark.parametrize("size", ["phone", "desktop"])
@pytest.mark.parametrize("kind", list(PAGES))
def test_no_horizontal_overflow(ctx, server, size, kind):  # noqa: F811
    pg = ctx(size)
    pg.goto(server + PAGES[kind])
    if kind == "find":
        shown_picks(pg)
    wide = pg.evaluate("document.scrollingElement.scrollWidth")
    inner = pg.evaluate("innerWidth")
    assert wide <= inner, (kind, wide, inner)
    # nothing in the content column sticks out to the right either (html hides horizontal overflow)
    sticking = pg.evaluate("""() => [...document.querySelectorAll('.md-content *')].filter(e => {
        const r = e.getBoundingClientRect();
        return r.width > 0 && r.right > innerWidth + 1 && !e.closest('.md-typeset__scrollwrap, .contrib-ids__wrap, pre');
    }).map(e => e.tagName + '.' + e.className).slice(0, 5)""")
    assert sticking == [], (kind, sticking)
    if size == "phone" and kind in ("level", "doctypes", "phrase", "guide", "404"):
        shot(pg, f"{kind}-phone")


def _targets(pg, selector):
    return pg.locator(selector).evaluate_all("""els => els.filter(e => e.offsetParent !== null)
        .map(e => { const r = e.getBoundingClientRect(); return [e.className || e.tagName, r.width, r.height]; })""")


@pytest.mark.parametrize("url,selector", [
    ("phrases/closing/", ".phrase-copy"),
    ("exemplars/hospital/annual-summary/", ".ex-actions .md-button"),
    ("find/?level=hospital&doctype=plan", "form.chooser select, form.chooser button"),
    ("guides/annual-summary/", ".md-code__button, .md-clipboard"),
    ("exemplars/", "a.cz-chip"),
])
def test_touch_targets_are_at_least_44px(ctx, server, url, selector):  # noqa: F811
    pg = ctx("phone")
    pg.goto(server + url)
    pg.wait_for_timeout(300)
    found = _targets(pg, selector)
    assert found, selector
    small = [t for t in found if t[1] < 44 or t[2] < 44]
    assert small == [], small


@pytest.mark.parametrize("url,selector", [
    ("", "form.chooser select"),
    ("find/", "form.chooser select"),
    ("exemplars/hospital/annual-summary/", ".ph-field input"),
])
def test_form_fields_use_16px_text_and_show_a_focus_ring(ctx, server, url, selector):  # noqa: F811
    pg = ctx("phone")
    pg.goto(server + url)
    if ".ph-field" in selector:
        pg.locator(".ph-form summary").click()
    sizes = pg.locator(selector).evaluate_all("els => els.map(e => parseFloat(getComputedStyle(e).fontSize))")
    assert sizes and min(sizes) >= 16, sizes
    field = pg.locator(selector).first
    field.focus()
    pg.keyboard.press("Shift+Tab")
    pg.keyboard.press("Tab")  # keyboard focus, so :focus-visible applies
    ring = field.evaluate("e => { const s = getComputedStyle(e); return [document.activeElement === e, s.outlineStyle, parseFloat(s.outlineWidth)]; }")
    assert ring[0] and ring[1] != "none" and ring[2] >= 2, ring
    if url == "find/":
        shot(pg, "focus-ring-phone")


def test_search_input_is_16px(ctx, server):  # noqa: F811
    pg = ctx("phone")
    pg.goto(server)
    pg.locator(".pf-open").click()
    pg.wait_for_selector("#pf-input:focus")
    size = pg.locator("#pf-input").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 16


def test_guide_skeletons_wrap_on_a_phone(ctx, server):  # noqa: F811
    pg = ctx("phone")
    pg.goto(server + "guides/annual-summary/")
    blocks = pg.locator("pre > code").evaluate_all("els => els.map(e => [e.scrollWidth, e.clientWidth])")
    assert blocks and all(w <= c + 1 for w, c in blocks), blocks


def test_headings_long_title_has_no_permalink_line_and_exemplar_title_is_dark(ctx, server):  # noqa: F811
    pg = ctx("phone")
    pg.goto(server + "exemplars/hospital/annual-summary/")
    h1 = pg.locator("article.doc-body h1")
    assert h1.locator(".headerlink").evaluate("e => getComputedStyle(e).display") == "none"
    color = h1.evaluate("e => getComputedStyle(e).color")
    rgb = [int(c) for c in color[color.index("(") + 1: color.index(")")].split(",")[:3]]
    assert max(rgb) <= 0x40, color  # near black, not Material's grey
    # a long title on a phone: its height is its lines of text, no extra line for the sign
    lines = h1.evaluate("e => { const r = document.createRange(); r.selectNodeContents(e); "
                        "const tops = new Set([...r.getClientRects()].filter(x => x.width > 1).map(x => Math.round(x.top))); return tops.size; }")
    line_height = h1.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)")
    assert h1.bounding_box()["height"] <= lines * line_height + 2


def test_tabs_serve_writers(ctx, server):  # noqa: F811
    pg = ctx("desktop")
    pg.goto(server + "exemplars/hospital/annual-summary/")
    tabs = pg.locator(".md-tabs__link").all_inner_texts()
    assert [t.strip() for t in tabs] == ["找范文", "按层级", "按文种", "按主题", "写作指南", "句式库", "参与贡献"]
    assert pg.locator("a[rel=edit]").count() == 0
    pg.goto(server + "contribute/")
    assert pg.locator("a[rel=edit]").count() == 1
    shot(pg, "contribute-desktop")


def test_not_found_page_offers_a_way_back(ctx, server):  # noqa: F811
    pg = ctx("phone")
    pg.goto(server + "404.html")
    assert pg.locator("h1").inner_text() == "页面不存在"
    pg.locator("text=回到首页").click()
    pg.wait_for_selector("form.chooser--compact")


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_picks_arriving_do_not_move_what_the_reader_sees(ctx, server, size):  # noqa: F811
    pg = ctx(size)
    pg.context.add_init_script("window.__cls = 0; new PerformanceObserver(l => l.getEntries().forEach(e => { "
                               "if (!e.hadRecentInput) window.__cls += e.value; })).observe({type: 'layout-shift', buffered: true});")
    pg.goto(server + "find/?level=school&doctype=duty-report")
    shown_picks(pg)
    pg.wait_for_timeout(300)
    assert pg.evaluate("window.__cls") < 0.02
