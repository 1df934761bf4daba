"""The Word files as LibreOffice (headless) renders them: 22 lines of 28 characters on a full page,
page numbers where GB/T 9704 §7.5 puts them, signature and date as §7.3.5.2 places them.
Measured on the PDF with pdftotext -bbox-layout (bench/docx_grid.py holds the measuring code)."""
from __future__ import annotations

import shutil
from statistics import median

import pytest

from bench import docx_grid
from conftest import ROOT
from macros import browse, docx_export, library

PT_PER_MM = docx_grid.PT_PER_MM
CHAR = docx_export.CHAR_PITCH / 20  # pt
FILLED = {"工会名称": "阳光市第一人民医院工会", "年份": "2026", "下一年份": "2027", "成文日期": "2026年12月20日"}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    if not (shutil.which("soffice") and shutil.which("pdftotext")):
        pytest.fail("LibreOffice or poppler-utils is not installed: run ./scripts/system-deps.sh (make test does)")
    items = {e.src: e for e in browse.valid(library.load(ROOT / "docs"))}
    out = tmp_path_factory.mktemp("render")
    result = {}
    for src in docx_grid.SAMPLES:
        ex = items[src]
        docx = docx_export.build(ex.text, out / f"{ex.meta['level']}-{ex.slug}.docx")
        result[src] = docx_grid.pages(docx_grid.to_pdf(docx, out))
    text = items[docx_grid.SAMPLES[0]].text
    for name, value in FILLED.items():
        text = text.replace(f"【{name}】", value)
    result["filled"] = docx_grid.pages(docx_grid.to_pdf(docx_export.build(text, out / "filled.docx"), out))
    return result


@pytest.mark.parametrize("src", docx_grid.SAMPLES)
def test_a_full_page_has_22_lines(rendered, src):
    pages = rendered[src]
    full = docx_grid.full_pages(pages)  # broken inside a paragraph
    assert len(full) >= 2, "the exemplar is long enough to have full pages"
    counts = [len(p.lines) for p in full]
    assert all(21 <= c <= 23 for c in counts) and median(counts) == 22, counts
    assert all(len(p.lines) <= 22 and docx_grid.slots(p) <= 22 for p in pages)
    assert [docx_grid.slots(p) for p in full] == [22] * len(full)  # blank lines included, every slot used
    ys = [l.y0 for p in pages for l in p.lines]
    pitches = [b - a for a, b in zip(ys, ys[1:]) if 20 < b - a < 35]
    mean = sum(pitches) / len(pitches)  # pdftotext rounds to 0.1 pt
    assert abs(mean - docx_export.LINE_PITCH / 20) < 0.05, mean
    # line 1 of a page sits in the first slot below the top margin
    for p in pages[1:]:
        assert abs(min(l.y0 for l in p.lines) - docx_grid.TEXT_TOP) < docx_export.LINE_PITCH / 20


@pytest.mark.parametrize("src", docx_grid.SAMPLES)
def test_a_full_line_has_28_characters(rendered, src):
    full = [l for p in docx_grid.full_pages(rendered[src]) for l in docx_grid.full_lines(p)]
    han = [len(l.text) for l in full if all(ord(c) > 0x7f for c in l.text)]
    assert len(han) >= 10
    assert median(han) == 28 and all(27 <= n <= 29 for n in han), han
    # lines with digits: each character cell is the same pitch, 28 cells across
    for l in full:
        assert abs((l.x1 - l.x0) / CHAR - 28) < 1.2, (l.text, (l.x1 - l.x0) / CHAR)


@pytest.mark.parametrize("src", docx_grid.SAMPLES)
def test_page_numbers_odd_right_even_left_one_character_in(rendered, src):
    one = 14  # 4号, pt
    for p in rendered[src]:
        assert len(p.footer) == 1, p.number
        line = p.footer[0]
        assert line.text == f"—{p.number}—"
        middle_mm = (line.y0 + line.y1) / 2 / PT_PER_MM
        assert abs(middle_mm - (297 - 35 + 7)) < 1.5, middle_mm
        if p.number % 2:
            assert abs(docx_grid.TEXT_RIGHT - line.x1 - one) < 3, (p.number, line.x1)
        else:
            assert abs(line.x0 - docx_grid.TEXT_LEFT - one) < 3, (p.number, line.x0)


@pytest.mark.parametrize("case", ["unfilled", "filled"])
def test_signature_and_date_are_placed_as_7352(rendered, case):
    last = (rendered[docx_grid.SAMPLES[0]] if case == "unfilled" else rendered["filled"])[-1]
    name_text = "【工会名称】" if case == "unfilled" else FILLED["工会名称"]
    date_text = "【成文日期】" if case == "unfilled" else FILLED["成文日期"]
    name = next(l for l in last.lines if l.text == name_text)
    date = next(l for l in last.lines if l.text == date_text)
    assert abs((date.y0 - name.y0) - docx_export.LINE_PITCH / 20) < 0.5  # the next line
    # the date starts two characters right of the signature; LibreOffice sets digits next to Han text
    # in the Han face (about 0.62 of a character, Word uses the Latin face: half), hence the allowance
    digits = sum(c.isascii() for c in date_text + name_text)
    assert abs(date.x0 - name.x0 - 2 * CHAR) < 3 + 2.5 * digits, (date.x0 - name.x0) / CHAR
    assert min(docx_grid.TEXT_RIGHT - name.x1, docx_grid.TEXT_RIGHT - date.x1) == pytest.approx(2 * CHAR, abs=3)
    before = [l for l in last.lines if l.y0 < name.y0]
    assert before and name.y0 - max(l.y0 for l in before) == pytest.approx(2 * docx_export.LINE_PITCH / 20, abs=0.5)  # one blank line
