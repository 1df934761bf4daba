"""Writer tools in a real headless browser: Debian's chromium driven by Playwright.

The built site is served on 127.0.0.1; every request the pages make is recorded and must stay there.
Screenshots land in test-artifacts/ for a person to look at.
"""
from __future__ import annotations

import functools
import http.server
import shutil
import threading
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import ROOT, SITE_PORT
from macros import browse, library
from browser_wait import wait_js

pytestmark = pytest.mark.browser
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server(built_site):
    handler = functools.partial(_Quiet, directory=str(built_site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", SITE_PORT), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is not installed: run ./scripts/system-deps.sh (make test does)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}, accept_downloads=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.rstrip("/"))
    pg = context.new_page()
    pg.requests = []
    pg.on("request", lambda r: pg.requests.append(r.url))
    yield pg
    outside = [u for u in pg.requests if urlsplit(u).scheme in ("http", "https", "ws", "wss") and urlsplit(u).hostname != "127.0.0.1"]
    context.close()
    assert outside == [], f"requests left 127.0.0.1: {outside}"


def shot(pg, name):
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


def exemplar(level="county", doctype="annual-summary"):
    items = browse.valid(library.load(ROOT / "docs"))
    return next(e for e in items if e.meta["level"] == level and e.meta["doctype"] == doctype)


def test_fill_in_replaces_every_occurrence_and_survives_navigation(page, server):
    ex = exemplar()
    page.goto(server + ex.url)
    form = page.locator(".ph-form")
    assert form.is_visible()
    form.locator("summary").click()
    total = page.locator('.doc-body .ph[data-ph="工会名称"]').count()
    assert total >= 2
    page.locator('input[data-ph="工会名称"]').fill("东城区总工会")
    page.locator('input[data-ph="年份"]').fill("2025")
    texts = page.locator('.doc-body .ph[data-ph="工会名称"]').all_text_contents()
    assert texts == ["东城区总工会"] * total
    assert "【工会名称】" not in page.locator("article.doc-body").inner_text()
    shot(page, "fill-in-form")
    # instant navigation (no page load) to a related exemplar, which uses the same placeholder
    page.evaluate("window.__sameDocument = true")
    link = page.locator(".ex-related a").first
    target = link.get_attribute("href")
    link.click()
    wait_js(page, "!location.pathname.endsWith('/" + ex.url + "')")
    page.wait_for_selector('.doc-body .ph[data-ph="工会名称"]')
    assert page.evaluate("window.__sameDocument === true"), "Material's instant navigation did not handle the click"
    assert set(page.locator('.doc-body .ph[data-ph="工会名称"]').all_text_contents()) == {"东城区总工会"}, target
    assert page.locator('input[data-ph="工会名称"]').input_value() == "东城区总工会"
    page.reload()
    assert set(page.locator('.doc-body .ph[data-ph="工会名称"]').all_text_contents()) == {"东城区总工会"}
    page.locator(".ph-form summary").click()
    page.locator(".ph-reset").click()
    assert set(page.locator('.doc-body .ph[data-ph="工会名称"]').all_text_contents()) == {"【工会名称】"}


def test_copy_button_puts_clean_text_with_filled_values_on_the_clipboard(page, server):
    ex = exemplar()
    page.goto(server + ex.url)
    page.locator(".ph-form summary").click()
    page.locator('input[data-ph="工会名称"]').fill("东城区总工会")
    page.locator(".ex-copy").click()
    page.wait_for_timeout(300)
    text = page.evaluate("navigator.clipboard.readText()")
    lines = text.split("\n")
    assert lines[0].startswith("东城区总工会")
    assert any(l.startswith("一、") for l in lines)
    assert "¶" not in text and "写法点评" not in text and "下载Word" not in text and "结构提纲" not in text
    assert "【工会名称】" not in text
    assert lines[-1] == "【成文日期】" or lines[-1].endswith("日")


def test_docx_link_downloads_a_valid_file(page, server, tmp_path):
    ex = exemplar()
    page.goto(server + ex.url)
    with page.expect_download() as info:
        page.locator(".ex-download").click()
    download = info.value
    assert download.suggested_filename.endswith(".docx")
    path = tmp_path / "download.docx"
    download.save_as(path)
    with zipfile.ZipFile(path) as z:
        assert "word/document.xml" in z.namelist()


def test_print_media_shows_only_the_document(page, server):
    ex = exemplar()
    page.goto(server + ex.url)
    page.emulate_media(media="print")
    for selector in (".md-header", ".md-sidebar--primary", ".ex-card", ".ex-notes", ".md-footer"):
        loc = page.locator(selector).first
        assert loc.count() == 0 or not loc.is_visible(), selector
    assert page.locator("article.doc-body h1").is_visible()
    assert page.locator("article.doc-body h2").first.is_visible()


def test_exemplar_page_reads_well_without_javascript(browser, server):
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    pg = context.new_page()
    ex = exemplar()
    pg.goto(server + ex.url)
    assert pg.locator("article.doc-body h1").is_visible()
    assert not pg.locator(".ph-form").is_visible()  # the form needs JavaScript, so it stays hidden
    assert not pg.locator(".ex-copy").is_visible()
    assert pg.locator(".ex-download").is_visible()  # a plain link
    context.close()


def test_exemplar_page_screenshot_and_phrase_copy(page, server):
    ex = exemplar()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(server + ex.url)
    shot(page, "exemplar-mobile")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(server + "phrases/closing/")
    page.locator(".phrase-copy").first.click()
    page.wait_for_timeout(200)
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied and copied == page.locator(".phrase-text").first.inner_text().strip()
