"""The writer's Word file in a real headless chromium: filled with the form's values, named after
the filled title; the form's derived field, keypad and hints; the filled table of contents; print.

The site is served on a port of its own (these tests do not need instant navigation).
"""
from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from docx import Document

from conftest import ROOT
from macros import browse, docx_export, library
from test_browser import ARTIFACTS, browser, server  # noqa: F401  (fixtures shared with the other browser tests)

pytestmark = pytest.mark.browser

VALUES = {
    "工会名称": "阳光市第一人民医院工会",
    "单位名称": "阳光市第一人民医院",
    "地区名称": "阳光市",
    "同级党委": "院党委",
    "上级工会": "阳光市卫生健康工会",
    "行政方": "医院行政",
    "年份": "2026",
    "成文日期": "2026年12月20日",
    "会员人数": "2860",
    "职工人数": "2900",
}
COUNTY = dict(VALUES, 工会名称="东城区总工会", 单位名称="东城区", 同级党委="区委", 上级工会="市总工会", 行政方="区政府")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def items():
    return {e.src: e for e in browse.valid(library.load(ROOT / "docs"))}


@pytest.fixture
def tab(browser, server):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}, accept_downloads=True)
    pg = context.new_page()
    pg.requests = []
    pg.on("request", lambda r: pg.requests.append(r.url))
    errors = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    outside = [u for u in pg.requests if urlsplit(u).scheme in ("http", "https", "ws", "wss") and urlsplit(u).hostname != "127.0.0.1"]
    context.close()
    assert outside == [], f"requests left 127.0.0.1: {outside}"
    assert errors == [], errors


def fill_form(pg, ex, values, skip=()):
    pg.locator(".ph-form summary").click()
    for name in ex.meta["placeholders"]:
        if name in values and name not in skip:
            pg.locator(f'input[data-ph="{name}"]').fill(values[name])


def download(pg, tmp_path):
    with pg.expect_download() as info:
        pg.locator(".ex-download").click()
    dl = info.value
    path = tmp_path / "saved.docx"
    dl.save_as(path)
    return dl.suggested_filename, path


def document_text(xml: str) -> str:
    return "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))


def filled(text: str, values: dict) -> str:
    return re.sub(r"【([^【】]{1,12})】", lambda m: values.get(m.group(1), m.group(0)), text)


@pytest.mark.parametrize("src,values", [
    ("exemplars/hospital/annual-summary.md", VALUES),
    ("exemplars/county/annual-summary.md", COUNTY),
])
def test_downloaded_word_file_carries_every_value_and_the_filled_title(tab, server, built_site, tmp_path, src, values):
    ex = items()[src]
    tab.goto(server + ex.url)
    fill_form(tab, ex, values)  # 下一年份 is left to be derived from 年份
    name, path = download(tab, tmp_path)
    expected = dict(values, 下一年份=str(int(values["年份"]) + 1))
    title = filled(ex.doc_title, expected)
    assert name == f"{title}.docx"
    assert title.startswith(values["工会名称"]) and "工会工会" not in title
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None  # every CRC is right
        xml = z.read("word/document.xml").decode("utf-8")
        core = z.read("docProps/core.xml").decode("utf-8")
    text = document_text(xml)
    for ph in ex.meta["placeholders"]:
        assert expected[ph] in text, ph
    assert "【" not in text and "】" not in text
    assert "w:highlight" not in xml
    assert f"<dc:title>{title}</dc:title>" in core
    # the built file's text with the values put in; every other part copied byte for byte
    with zipfile.ZipFile(built_site / ex.url / f"{ex.slug}.docx") as src_zip, zipfile.ZipFile(path) as z:
        assert text == filled(document_text(src_zip.read("word/document.xml").decode("utf-8")), expected)
        assert z.namelist() == src_zip.namelist()
        for part in z.namelist():
            if part not in ("word/document.xml", "docProps/core.xml"):
                assert z.read(part) == src_zip.read(part), part
    # signature and date re-indented for the filled lengths (GB/T 9704 §7.3.5.2)
    doc = Document(path)
    sign = [p for p in doc.paragraphs if p.style.style_id in ("Signoff", "SignDate")]
    assert [p.text for p in sign] == [values["工会名称"], values["成文日期"]]
    name_ind, date_ind = docx_export.signoff_indents([values["工会名称"]], values["成文日期"])
    got = [int(p._p.pPr.find(f"{W}ind").get(f"{W}rightChars")) for p in sign]
    assert got == [round(name_ind * 100), round(date_ind * 100)]
    assert got != [400, 200]  # the built file's indents (placeholders of equal length) were changed


def test_unfilled_placeholders_stay_highlighted_and_values_are_escaped(tab, server, tmp_path):
    ex = items()["exemplars/hospital/annual-summary.md"]
    tab.goto(server + ex.url)
    tab.locator(".ph-form summary").click()
    tab.locator('input[data-ph="工会名称"]').fill("A&B<职工>工会")
    name, path = download(tab, tmp_path)
    assert name == "A&B职工工会年份年工作总结.docx"  # brackets of unfilled ones dropped, < > not allowed in names
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    assert "A&amp;B&lt;职工&gt;工会" in xml
    assert xml.count(docx_export.PLACEHOLDER_RUN.format("【年份】")) >= 2
    assert xml.count(docx_export.PLACEHOLDER_RUN.format("【成文日期】")) == 1
    doc = Document(path)  # still a well-formed package
    assert doc.paragraphs[0].text.startswith("A&B<职工>工会")


def test_without_javascript_the_link_downloads_the_unfilled_file(browser, server, built_site, tmp_path):
    context = browser.new_context(java_script_enabled=False, accept_downloads=True)
    pg = context.new_page()
    ex = items()["exemplars/hospital/annual-summary.md"]
    pg.goto(server + ex.url)
    name, path = download(pg, tmp_path)
    context.close()
    assert name == ex.doc_title.replace("【", "").replace("】", "") + ".docx"
    assert path.read_bytes() == (built_site / ex.url / f"{ex.slug}.docx").read_bytes()


def test_next_year_is_derived_and_editable_fields_have_keypad_and_hints(tab, server):
    ex = items()["exemplars/county/annual-summary.md"]
    tab.goto(server + ex.url)
    tab.locator(".ph-form summary").click()
    year, nxt = tab.locator('input[data-ph="年份"]'), tab.locator('input[data-ph="下一年份"]')
    assert year.get_attribute("inputmode") == "numeric" and nxt.get_attribute("inputmode") == "numeric"
    assert tab.locator('input[data-ph="工会名称"]').get_attribute("inputmode") is None
    year.fill("2026")
    tab.locator('input[data-ph="工会名称"]').fill("东城区总工会")
    assert nxt.input_value() == "2027" and "ph-derived" in nxt.get_attribute("class")
    assert tab.locator("article.doc-body h1").inner_text().replace("¶", "").strip() == "东城区总工会2026年工作总结"
    assert set(tab.locator('.doc-body .ph[data-ph="下一年份"]').all_text_contents()) == {"2027"}
    # the table of contents and the outline show filled values
    tocs = tab.locator(".md-nav--secondary").all_inner_texts()  # the sidebar's and the drawer's copy
    assert tocs and all("八、2027年工作打算" in t and "【下一年份】" not in t for t in tocs)
    assert "八、2027年工作打算" in tab.locator(".ex-outline").text_content()
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / "word-form-derived.png"))
    nxt.fill("2030")  # typed over: the writer's value wins
    year.fill("2028")
    assert nxt.input_value() == "2030" and "ph-derived" not in nxt.get_attribute("class")
    assert "八、2030年工作打算" in tab.locator(".md-sidebar--secondary .md-nav--secondary").inner_text()
    nxt.fill("")
    year.focus()
    assert nxt.input_value() == "2029"  # cleared: derived again
    # every field has its one-line hint, tied to the input
    for field in tab.locator(".ph-field input").all():
        hint = tab.locator("#" + field.get_attribute("aria-describedby"))
        assert hint.inner_text().strip() and "\n" not in hint.inner_text().strip()


def test_print_gives_the_official_document(tab, server, tmp_path):
    ex = items()["exemplars/hospital/annual-summary.md"]
    tab.goto(server + ex.url)
    tab.emulate_media(media="print")
    style = tab.evaluate("""() => {
      const s = e => getComputedStyle(document.querySelector(e));
      return {h1: [s('article.doc-body h1').color, s('article.doc-body h1').fontWeight, s('article.doc-body h1').fontSize],
              h2: [s('article.doc-body h2').fontFamily, s('article.doc-body h2').color, s('article.doc-body h2').fontWeight],
              p: [s('article.doc-body .doc-rest p').fontSize, s('article.doc-body .doc-rest p').color]};
    }""")
    assert style["h1"][0] == "rgb(0, 0, 0)" and int(style["h1"][1]) >= 700 and style["h1"][2] == "29.3333px"  # 22 pt
    assert "SimHei" in style["h2"][0] and style["h2"][1] == "rgb(0, 0, 0)" and int(style["h2"][2]) < 700
    assert style["p"] == ["21.3333px", "rgb(0, 0, 0)"]  # 16 pt
    pdf = tmp_path / "print.pdf"
    tab.pdf(path=str(pdf), prefer_css_page_size=True)
    layout = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = re.findall(r"<page [^>]*>(.*?)</page>", layout, re.S)
    assert len(pages) >= 3
    mm = 25.4 / 72
    lowest = []
    for n, body in enumerate(pages[:3], start=1):
        lines = [(float(a), float(b), float(c), float(d), "".join(re.findall(r">([^<]*)</word>", t)))
                 for a, b, c, d, t in re.findall(r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</line>', body, re.S)]
        number = [l for l in lines if l[4] == f"—{n}—"]
        assert number, (n, [l[4] for l in lines][-3:])
        x0, y0, x1, y1, _ = number[0]
        # chromium's PDF boxes are taller than the glyphs, so vertical positions use box middles
        assert abs((y0 + y1) / 2 * mm - (297 - 35 + 7)) < 2.5, "page number 7 mm below the text area"
        if n % 2:
            assert abs((210 - 26) - x1 * mm) < 8, "odd pages: right"
        else:
            assert abs(x0 * mm - 28) < 8, "even pages: left"
        text = [l for l in lines if l not in number]
        assert min(l[0] for l in text) * mm > 27 and max(l[2] for l in text) * mm < 210 - 25, "same side margins as the Word file"
        middles = [(l[1] + l[3]) / 2 * mm for l in text]
        assert 37 < min(middles) < 37 + 10.2 and max(middles) < 297 - 35, "same top and bottom margins"
        lowest.append(max(middles))
        pitches = [b - a for a, b in zip(middles, middles[1:]) if 0 < b - a < 12]
        assert abs(sum(pitches) / len(pitches) - 28.95 * 25.4 / 72) < 0.3, "28.95 pt lines"
    assert max(lowest) > 297 - 35 - 10.2, "a page fills down to the bottom margin"
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "2", str(pdf), str(ARTIFACTS / "print")], check=True)


def test_old_browser_without_deflate_streams_gets_the_unfilled_file_and_a_note(browser, server, built_site, tmp_path):
    context = browser.new_context(accept_downloads=True)
    context.add_init_script("delete window.DecompressionStream; delete window.CompressionStream;")
    pg = context.new_page()
    ex = items()["exemplars/hospital/annual-summary.md"]
    pg.goto(server + ex.url)
    fill_form(pg, ex, VALUES)
    name, path = download(pg, tmp_path)
    assert name == ex.doc_title.replace("【", "").replace("】", "") + ".docx"
    assert path.read_bytes() == (built_site / ex.url / f"{ex.slug}.docx").read_bytes()
    assert "没有填入内容" in pg.locator(".ex-download-note").inner_text()
    context.close()
