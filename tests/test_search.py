"""Site search (Pagefind): what goes into the index, the alias file, and the search box in a real
browser: relevance on the committed query set, bytes, keyboard, instant navigation, and the byte
budget on a 1,000-exemplar synthetic library."""
from __future__ import annotations

import shutil
import subprocess
import sys
import warnings
from pathlib import Path
from urllib.parse import urlsplit

import pytest

import search_driver as drv
from conftest import ENV, PIPELINE, ROOT, SITE_PORT, build
from macros import browse, data, library, search_index
from browser_wait import wait_js

BUDGET = 300_000  # bytes, compressed: the first query at 1,000 exemplars
PASS_RATE = 0.95


def exemplars():
    return browse.valid(library.load(ROOT / "docs"))


# ---- the alias file -------------------------------------------------------------------------

def test_alias_file_names_only_taxonomy_terms_and_covers_the_issue_words():
    al = search_index.aliases()
    tax = data.taxonomy()
    for (vocab, slug) in al.terms:
        assert slug in tax.slugs(vocab)
    words = {w for ws in al.terms.values() for w in ws} | {w for g in al.synonyms for w in g}
    for w in ("公立医院", "卫生院", "乡镇工会", "街道工会", "县总工会", "年终总结", "全年工作总结", "上半年总结", "职代会", "教代会", "职工代表大会", "经审", "经费审查"):
        assert w in words, w


@pytest.mark.parametrize("text,line,rule", [
    ("levels:\n  hospital: [医院]\n  moon: [月球工会]\n", 3, "levels 里没有“moon”"),
    ("doctypes:\n  annual-summary: [年终总结]\n  plan: [年终总结]\n", 3, "别名“年终总结”已写在 doctypes.annual-summary 下"),
    ("themes:\n  finance: [工会 经费]\n", 2, "只能是汉字、数字或字母"),
    ("synonyms:\n  - [经审]\n", 2, "同义词组至少要有两个词"),
    ("colours:\n  red: [红]\n", 1, "未知分组“colours”"),
    ("levels:\n  hospital: 医院\n", 2, "应是词语列表"),
    ("levels: [\n", 2, "YAML格式错误"),
])
def test_bad_alias_file_is_rejected_with_line_and_rule(tmp_path, text, line, rule):
    path = tmp_path / "search_aliases.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(search_index.AliasError) as err:
        search_index.aliases(path)
    assert f"search_aliases.yml 第{line}行" in str(err.value) and rule in str(err.value), str(err.value)


def test_broken_alias_file_stops_the_build_with_a_chinese_message(project, tmp_path):
    path = project / "data" / "search_aliases.yml"
    path.write_text(path.read_text(encoding="utf-8") + "\nlevels_typo:\n  x: [y]\n", encoding="utf-8")
    result = build(project, tmp_path / "site")
    out = result.stdout + result.stderr
    assert result.returncode != 0
    assert "搜索别名文件有错误" in out and "search_aliases.yml 第" in out and "未知分组“levels_typo”" in out, out
    assert "Traceback" not in out, out


def test_keys_hold_labels_aliases_and_synonyms():
    ex = next(e for e in exemplars() if e.src == "exemplars/hospital/annual-summary.md")
    keys = search_index.keys_for(ex.meta, ex.title, ex.text)
    assert keys[0] == ex.title
    for w in ("医院工会", "公立医院", "卫生院", "年度总结", "年终总结", "心理健康", "疗休养"):
        assert w in keys, w
    assert {"lvhospital", "dtannualsummary"} <= set(keys)  # the level's and the doctype's tokens
    tokens = [search_index.term_token(v, t.slug) for v in ("levels", "doctypes") for t in data.taxonomy().terms(v)]
    assert not [(a, b) for a in tokens for b in tokens if a != b and b.startswith(a)]  # Pagefind matches prefixes
    assert search_index.keys_for({"level": "county", "doctype": "plan", "themes": []}, "题", "开展经审工作")[-2:] == ["经审", "经费审查"]


def test_indexing_failure_is_reported_in_chinese(tmp_path):
    with pytest.raises(RuntimeError) as err:
        search_index.build(tmp_path)  # no HTML at all
    assert "Pagefind建立搜索索引失败" in str(err.value) and str(tmp_path) in str(err.value)


# ---- what the built site gives Pagefind -------------------------------------------------------

def test_pages_are_marked_for_the_index(built_site):
    ex = exemplars()[0]
    page = (built_site / ex.url / "index.html").read_text(encoding="utf-8")
    assert page.count("data-pagefind-body") == 1 and 'data-pagefind-filter="kind:范文"' in page
    assert '<span data-pagefind-weight="10" data-pagefind-meta="keys">' + ex.title in page
    level = (built_site / "exemplars" / ex.meta["level"] / "index.html").read_text(encoding="utf-8")
    assert "<h1 data-pagefind-body" in level  # a browsing page gives only its title
    assert "data-pagefind-body" not in (built_site / "index.html").read_text(encoding="utf-8")


def test_index_holds_every_exemplar_and_no_lists(built_site):
    frags = [search_index.read_fragment(p) for p in (built_site / "pagefind" / "fragment").glob("*.pf_fragment")]
    by_url = {f["url"].lstrip("/"): f for f in frags}
    for ex in exemplars():
        f = by_url[ex.url]
        assert f["meta"]["kind"] == "范文" and f["meta"]["title"] == ex.title
        text = f["content"].replace("\u200b", "")
        assert "相关范文" not in text and "写法点评" not in text and "¶" not in text  # related list, review, permalinks
    browse_pages = [f for u, f in by_url.items() if f["meta"].get("kind") == "目录"]
    assert browse_pages and all(len(f["content"]) < 60 for f in browse_pages), [f["content"][:80] for f in browse_pages]


def test_vocabulary_splits_phrases_as_the_index_did(built_site):
    import json
    vocab = json.loads((built_site / "pagefind" / search_index.WORDS).read_text(encoding="utf-8"))
    words = set(vocab["words"].split(" "))
    assert {"医院", "工会", "职代会", "骑手"} <= words
    assert all(len(w) > 1 for w in words)
    # the phrases are cut into words the index really holds
    assert vocab["phrases"] and all(set(t.split(" ")) <= words | set(p) for p, t in vocab["phrases"].items())
    # every level and doctype label and alias stands for its token, which only its exemplars carry
    names = vocab["names"]
    assert names["省总工会"] == "lvprovincial" and names["经审"] == "dtauditreport" and names["医院工会"] == "lvhospital"
    assert {"总工", "年度", "总结"} <= set(vocab["generic"].split(" ")) and "煤矿" not in vocab["generic"].split(" ")
    assert set(names.values()) == {search_index.term_token(v, t.slug) for v in ("levels", "doctypes") for t in data.taxonomy().terms(v)}


def test_no_material_search_is_left(built_site):
    assert not (built_site / "search" / "search_index.json").exists()
    page = (built_site / "index.html").read_text(encoding="utf-8")
    assert "md-search__input" not in page and 'id="pf-dialog"' in page
    assert not (ROOT / "macros" / "search_keys.py").exists()
    assert "jieba" not in (ROOT / "requirements.txt").read_text(encoding="utf-8").replace("rjieba", "")


# ---- in the browser --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def server(built_site):
    httpd = drv.serve(built_site, SITE_PORT)
    yield f"http://127.0.0.1:{SITE_PORT}/"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    if not Path(drv.CHROMIUM).exists():
        pytest.fail("chromium is not installed: run ./scripts/system-deps.sh (make test does)")
    with sync_playwright() as p:
        b = drv.launch(p)
        yield b
        b.close()


@pytest.fixture
def context(browser, server):
    ctx = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    ctx.meter = drv.Meter(ctx)
    yield ctx
    outside = [u for u in ctx.meter.urls() if urlsplit(u).hostname != "127.0.0.1" and urlsplit(u).scheme.startswith("http")]
    ctx.close()
    assert outside == [], f"requests left 127.0.0.1: {outside}"


def shot(pg, name):
    out = ROOT / "test-artifacts"
    out.mkdir(exist_ok=True)
    pg.screenshot(path=str(out / f"{name}.png"))


@pytest.mark.browser
def test_nothing_search_related_loads_until_the_reader_searches(context, server):
    pg = context.new_page()
    pg.goto(server + exemplars()[0].url)
    pg.wait_for_load_state("networkidle")
    pg.wait_for_timeout(500)
    assert context.meter.since(0, drv.is_search_request) == 0, [u for u in context.meter.urls() if drv.is_search_request(u)]
    pg.locator(".pf-open").click()
    pg.locator("#pf-input").fill("职代会")
    wait_js(pg, "document.getElementById('pf-results').getAttribute('data-query') === '职代会'")
    loaded = [u for u in context.meter.urls() if drv.is_search_request(u)]
    assert any(u.endswith("pagefind/pagefind.js") for u in loaded) and any(".pf_index" in u for u in loaded)


@pytest.mark.browser
@pytest.mark.parametrize("query,kept,dropped", [
    ("疗休养通知", ["休养", "dtnotice"], ["疗"]),                        # 疗 of a theme alias: its index chunk is the largest
    ("省总工会年度总结", ["lvprovincial", "dtannualsummary"], ["省", "总工", "年度"]),  # names as their tokens; words many names share go
    ("区县总工会年终总结", ["lvcounty", "dtannualsummary"], ["区", "县"]),
    ("煤矿工会", ["lvhighrisk", "煤矿"], []),                           # a word only one level has in its names stays
    ("经审工作报告", ["dtauditreport"], ["经", "审", "工作"]),
    ("农民工工资", ["农民", "工资"], ["工"]),
    ("县", ["县"], []),                                                   # a query of one character is kept
    ("送清亮专项活动", ["清凉", "dtcampaignsummary"], ["清亮"]),          # one character off a theme alias (送清凉)
    ("医院工会年度总结", ["lvhospital", "医院"], ["县"]),                 # no correction inside a word (院工会 → 县工会)
])
def test_query_terms_drop_single_characters_that_tell_nothing_apart(context, server, query, kept, dropped):
    pg = context.new_page()
    pg.goto(server)
    pg.locator(".pf-open").click()
    got = pg.evaluate("q => window.__pfTerms(q)", query)
    assert set(kept) <= set(got) and not set(dropped) & set(got), got


@pytest.mark.browser
def test_committed_queries_find_the_expected_exemplar_in_the_top_3(context, server):
    queries = drv.queries()
    assert len(queries) >= 40
    known = {e.url for e in exemplars()}
    for q in queries:
        assert set(q["expect"]) <= known, ("expected pages must exist", q)
    pg = context.new_page()
    drv.pagefind_open(pg, server)
    failed = []
    for q in queries:
        paths, _ = drv.pagefind_query(pg, server, q["q"])
        if not drv.top3_passes(paths, q["expect"]):
            failed.append(f"{q['q']}（{q['kind']}）→ 前三名：{', '.join(paths[:3]) or '无结果'}；应有：{', '.join(q['expect'][:3])}")
        if q["q"] == "医院工会年度总结":
            shot(pg, "search-results")
    rate = 1 - len(failed) / len(queries)
    print(f"\nsearch relevance: {len(queries) - len(failed)}/{len(queries)} queries with an expected exemplar in the top 3")
    if failed:  # listed in pytest's warnings summary even when the pass rate is met
        warnings.warn("search queries without an expected exemplar in the top 3:\n" + "\n".join(failed))
    assert rate >= PASS_RATE, f"{rate:.0%} < {PASS_RATE:.0%}:\n" + "\n".join(failed)


@pytest.mark.browser
@pytest.mark.parametrize("query", ["劳动竞赛", "厂务公开", "金秋助学", "满意度", "外卖骑手"])
def test_results_contain_the_words_and_highlight_them(context, server, query):
    pg = context.new_page()
    drv.pagefind_open(pg, server)
    paths, _ = drv.pagefind_query(pg, server, query)
    assert paths, query
    marks = pg.locator("#pf-results mark").all_text_contents()
    assert marks and any(m in query for m in marks), marks
    # the top hits really contain every word of the query
    for path in paths[:3]:
        text = pg.request.get(server + path).text()
        assert all(t in text for t in pg.evaluate("q => window.__pfMarks(q)", query)), (query, path)
    assert "缺少" not in pg.locator("#pf-results").inner_text()


@pytest.mark.browser
def test_keyboard_screen_reader_and_instant_navigation(context, server):
    pg = context.new_page()
    pg.goto(server)
    button = pg.locator(".pf-open")
    assert button.get_attribute("aria-label") == "搜索范文" and button.get_attribute("aria-expanded") == "false"
    pg.keyboard.press("/")
    pg.wait_for_selector("#pf-input:focus")
    dialog = pg.locator("#pf-dialog")
    assert dialog.get_attribute("aria-label") == "搜索范文" and button.get_attribute("aria-expanded") == "true"
    assert pg.locator("label[for=pf-input]").inner_text() == "搜索范文"
    assert pg.locator("#pf-status").get_attribute("role") == "status"
    pg.keyboard.type("医院工会年度总结")
    wait_js(pg, "document.getElementById('pf-results').getAttribute('data-query') === '医院工会年度总结'")
    assert pg.locator("#pf-status").inner_text().startswith("找到")
    shot(pg, "search-dialog")
    pg.keyboard.press("ArrowDown")
    first = pg.locator("#pf-results a.pf-result").first
    assert first.evaluate("a => a === document.activeElement")
    target = urlsplit(first.get_attribute("href")).path
    pg.evaluate("window.__sameDocument = true")
    pg.keyboard.press("Enter")
    wait_js(pg, "p => location.pathname === p", arg=target)
    assert pg.evaluate("window.__sameDocument === true"), "Material's instant navigation did not handle the result"
    assert not dialog.evaluate("d => d.open")
    # after instant navigation the search still works, and Esc closes it
    pg.locator(".pf-open").click()
    pg.locator("#pf-input").fill("职代会")
    wait_js(pg, "document.getElementById('pf-results').getAttribute('data-query') === '职代会'")
    assert pg.locator("#pf-results a.pf-result").count() > 0
    pg.keyboard.press("Escape")
    assert not dialog.evaluate("d => d.open")
    assert pg.evaluate("window.__sameDocument === true")


@pytest.mark.browser
def test_search_on_a_phone(browser, server):
    ctx = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    pg = ctx.new_page()
    pg.goto(server)
    pg.locator(".pf-open").tap()
    pg.locator("#pf-input").fill("年度总结")
    wait_js(pg, "document.getElementById('pf-results').getAttribute('data-query') === '年度总结'")
    box = pg.locator("#pf-dialog").bounding_box()
    assert box["width"] <= 390 and box["x"] >= 0
    shot(pg, "search-mobile")
    ctx.close()


@pytest.mark.browser
def test_search_needs_no_inline_script_or_eval_under_a_content_security_policy(browser, built_site):
    """Pagefind compiles WebAssembly, so the policy needs 'wasm-unsafe-eval', and nothing else for search:
    no inline script or style of ours, no eval. ('unsafe-inline' stays for Material's own inline bits.)"""
    csp = ("default-src 'self'; script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; "
           "img-src 'self' data:; connect-src 'self'")
    httpd = drv.serve(built_site, csp=csp)
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    try:
        ctx = browser.new_context(locale="zh-CN")
        pg = ctx.new_page()
        pg.add_init_script("window.__csp = []; document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI))")
        drv.pagefind_open(pg, base)
        paths, _ = drv.pagefind_query(pg, base, "职代会工作报告")
        assert paths and pg.evaluate("window.__csp") == []
        ctx.close()
    finally:
        httpd.shutdown()


# ---- the byte budget on a 1,000-exemplar library --------------------------------------------

@pytest.fixture(scope="module")
def synthetic_site(tmp_path_factory):
    sys.path.insert(0, str(ROOT / "bench"))
    import run as bench_run
    work = tmp_path_factory.mktemp("lib1000")
    project = bench_run.make_project(work / "project", 1000, exemplars())
    site = work / "site"
    result = subprocess.run(PIPELINE + ["build", "--no-strict", "--site", str(site)], cwd=project, capture_output=True, text=True, env=ENV, timeout=1800)
    assert result.returncode == 0, result.stderr[-3000:]
    yield site
    shutil.rmtree(work, ignore_errors=True)


@pytest.mark.browser
def test_first_query_at_1000_exemplars_stays_within_the_byte_budget(browser, synthetic_site):
    httpd = drv.serve(synthetic_site)
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    try:
        ctx = browser.new_context(locale="zh-CN")
        meter = drv.Meter(ctx)
        pg = ctx.new_page()
        pg.goto(base)
        pg.wait_for_load_state("networkidle")
        assert meter.since(0, drv.is_search_request) == 0
        ctx.close()
        report = []
        for q in drv.queries():
            n, paths, _ = drv.first_query(browser, base, q["q"])
            report.append((n, q["q"], len(paths)))
    finally:
        httpd.shutdown()
    report.sort(reverse=True)
    print("\nlargest first queries at 1,000 exemplars:", ", ".join(f"{q} {n / 1e3:.0f} KB" for n, q, _ in report[:5]))
    over = [(q, round(n / 1e3)) for n, q, _ in report if n > BUDGET]
    # every committed query, each as a new visitor's first one, within the budget
    assert over == [], over
    assert all(found for _, _, found in report), [q for _, q, found in report if not found]
