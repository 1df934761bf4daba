"""Word export: GB/T 9704-2012 layout, read back from the generated file."""
from __future__ import annotations

import zipfile

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from conftest import ROOT
from macros import browse, docx_export, library


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    ex = next(e for e in browse.valid(library.load(ROOT / "docs")) if "### （" in e.text)
    out = docx_export.build(ex.text, tmp_path_factory.mktemp("docx") / "sample.docx")
    return ex, Document(out)


def east_asia(run):
    return run._element.rPr.rFonts.get(qn("w:eastAsia"))


def test_page_size_and_margins(sample):
    _, doc = sample
    sec = doc.sections[0]
    mm = lambda v: round(v.mm, 1)
    assert (mm(sec.page_width), mm(sec.page_height)) == (210, 297)
    assert tuple(map(mm, (sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin))) == (37, 35, 28, 26)


def test_grid_of_22_lines_and_28_characters(sample):
    _, doc = sample
    grid = doc.sections[0]._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    text_height_twips = (297 - 37 - 35) / 25.4 * 1440
    assert round(text_height_twips / int(grid.get(qn("w:linePitch")))) == 22
    text_width_pt = (210 - 28 - 26) / 25.4 * 72
    char_pitch = 16 + int(grid.get(qn("w:charSpace"))) / 4096
    assert round(text_width_pt / char_pitch) == 28


def test_title_body_and_heading_fonts(sample):
    ex, doc = sample
    paras = [p for p in doc.paragraphs if p.runs]
    title = paras[0]
    assert east_asia(title.runs[0]) == "方正小标宋简体" and title.runs[0].font.size == Pt(22)
    h1 = next(p for p in paras if p.text.startswith("一、"))
    assert east_asia(h1.runs[0]) == "黑体"
    h2 = next(p for p in paras if p.text.startswith("（一）"))
    assert east_asia(h2.runs[0]) == "楷体_GB2312"
    body = next(p for p in paras[1:] if len(p.text) > 60)
    assert all(east_asia(r) == "仿宋_GB2312" and r.font.size == Pt(16) for r in body.runs)
    assert body.paragraph_format.first_line_indent == Pt(32)
    assert body._p.pPr.find(qn("w:ind")).get(qn("w:firstLineChars")) == "200"


def test_text_is_complete_and_placeholders_are_highlighted(sample):
    ex, doc = sample
    text = "".join(p.text for p in doc.paragraphs)
    han = lambda s: "".join(c for c in s if "\u4e00" <= c <= "\u9fff")
    assert len(han(text)) >= ex.han_count * 0.97
    marked = [r for p in doc.paragraphs for r in p.runs if r.text.startswith("【")]
    assert marked and all(r.font.highlight_color is not None for r in marked)
    signoff = [p for p in doc.paragraphs if p.text == "【成文日期】"]
    assert signoff and signoff[0].alignment == 2  # right


def test_page_number_in_footer(sample):
    _, doc = sample
    footer = doc.sections[0].footer._element
    assert any(t.text == "PAGE" for t in footer.iter(qn("w:instrText")))


def test_every_exemplar_has_a_valid_download(built_site):
    for ex in browse.valid(library.load(ROOT / "docs")):
        path = built_site / ex.url / f"{ex.slug}.docx"
        with zipfile.ZipFile(path) as z:
            assert "word/document.xml" in z.namelist()
        assert Document(path).paragraphs[0].text.replace("【", "").replace("】", "")
