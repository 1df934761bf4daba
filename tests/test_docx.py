"""Word export: the GB/T 9704-2012 layout, read back from the generated file (styles, spacing,
fonts, language, grid, footers, properties), and the placeholder runs the browser replaces."""
from __future__ import annotations

import re
import zipfile
from datetime import datetime, timezone

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from conftest import ROOT
from macros import browse, docx_export, library

WHEN = datetime(2026, 12, 2, 8, 30, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    ex = next(e for e in browse.valid(library.load(ROOT / "docs")) if "### （" in e.text and "\n|" not in e.text)
    out = docx_export.build(ex.text, tmp_path_factory.mktemp("docx") / "sample.docx", when=WHEN)
    return ex, Document(out), zipfile.ZipFile(out)


def part(sample, name: str) -> str:
    return sample[2].read(name).decode("utf-8")


def style(doc, sid):
    return next(s for s in doc.styles if s.style_id == sid)


def east_asia(rpr):
    return rpr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


def test_page_size_and_margins(sample):
    _, doc, _ = sample
    sec = doc.sections[0]
    mm = lambda v: round(v.mm, 1)
    assert (mm(sec.page_width), mm(sec.page_height)) == (210, 297)
    assert tuple(map(mm, (sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin))) == (37, 35, 28, 26)


def test_grid_is_lines_only_with_the_exact_pitch_of_22_lines(sample):
    _, doc, _ = sample
    grid = doc.sections[0]._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines"  # linesAndChars halves the density in LibreOffice
    text_height_twips = (297 - 37 - 35) / 25.4 * 1440
    pitch = int(grid.get(qn("w:linePitch")))
    assert int(text_height_twips // pitch) == 22 and pitch == docx_export.LINE_PITCH


def test_paragraph_defaults_no_space_and_exact_line_pitch(sample):
    _, doc, _ = sample
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    assert (spacing.get(qn("w:before")), spacing.get(qn("w:after"))) == ("0", "0")
    assert spacing.get(qn("w:lineRule")) == "exact" and spacing.get(qn("w:line")) == str(docx_export.LINE_PITCH)
    # no paragraph or style anywhere overrides it with space or proportional spacing
    for xml in (part(sample, "word/document.xml"), part(sample, "word/styles.xml")):
        for m in re.finditer(r"<w:spacing (w:before[^>]*)/>", xml):
            assert 'w:before="0" w:after="0"' in m.group(0) and 'w:lineRule="exact"' in m.group(0), m.group(0)
    for p in doc.paragraphs:
        fmt = p.paragraph_format
        assert fmt.space_after in (None, 0) and fmt.space_before in (None, 0)
        assert fmt.line_spacing in (None,) or fmt.line_spacing_rule == 4  # exact
    # 28 characters of 3号 with the run spacing fit the 156 mm line, 29 do not
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    char = 16 + int(rpr.find(qn("w:spacing")).get(qn("w:val"))) / 20
    width = (210 - 28 - 26) / 25.4 * 72
    assert 28 * char <= width < 29 * char


def test_fonts_sizes_and_language(sample):
    ex, doc, _ = sample
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert east_asia(rpr) == "仿宋" and rpr.find(qn("w:sz")).get(qn("w:val")) == "32"  # 3号
    lang = rpr.find(qn("w:lang"))
    assert lang.get(qn("w:eastAsia")) == "zh-CN" and lang.get(qn("w:val")) == "zh-CN"
    title = style(doc, "Title")
    assert east_asia(title.element.rPr) == "方正小标宋简体" and title.font.size == Pt(22)  # 2号
    assert east_asia(style(doc, "Heading1").element.rPr) == "黑体"
    assert east_asia(style(doc, "Heading2").element.rPr) == "楷体"
    assert style(doc, "Heading1").font.bold is None and style(doc, "Heading2").font.bold is None
    assert style(doc, "Footer").font.size == Pt(14)  # 4号
    paras = [p for p in doc.paragraphs if p.text]
    assert paras[0].style.style_id == "Title" and paras[0].text == ex.doc_title
    assert next(p for p in paras if p.text.startswith("一、")).style.style_id == "Heading1"
    assert next(p for p in paras if p.text.startswith("（一）")).style.style_id == "Heading2"
    body = next(p for p in paras[1:] if len(p.text) > 60)
    assert body.style.style_id == "Normal"
    ind = style(doc, "Normal").element.pPr.find(qn("w:ind"))
    assert ind.get(qn("w:firstLineChars")) == "200" and ind.get(qn("w:firstLine")) == "640"
    # every font name used is in the font table, each with an alternate that Windows or WPS has
    fonts = part(sample, "word/fontTable.xml")
    used = set(re.findall(r'<w:rFonts [^>]*w:eastAsia="([^"]+)"', part(sample, "word/styles.xml") + part(sample, "word/footer1.xml")))
    assert used == {"仿宋", "黑体", "楷体", "宋体", "方正小标宋简体"}
    for name in used:
        m = re.search(rf'<w:font w:name="{name}"><w:altName w:val="([^"]+)"/>.*?<w:charset w:val="86"/>', fonts)
        assert m, name
    assert '<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"/>' in fonts
    assert "_GB2312" not in part(sample, "word/styles.xml")  # not on a stock Windows: only as alternates


def test_punctuation_not_compressed_and_even_odd_footers(sample):
    settings = part(sample, "word/settings.xml")
    assert "<w:evenAndOddHeaders/>" in settings and 'w:characterSpacingControl w:val="doNotCompress"' in settings
    _, doc, _ = sample
    sec = doc.sections[0]
    assert sec.even_page_footer is not None
    odd, even = sec.footer._element, sec.even_page_footer._element
    for footer, side, attr in ((odd, "right", "w:rightChars"), (even, "left", "w:leftChars")):
        p = footer.find(qn("w:p"))
        assert p.pPr.find(qn("w:jc")).get(qn("w:val")) == side
        assert p.pPr.find(qn("w:ind")).get(qn(attr)) == "100"  # one character in from the edge
        assert any(t.text.strip() == "PAGE" for t in footer.iter(qn("w:instrText")))
        text = "".join(t.text for t in footer.iter(qn("w:t")))
        assert text == "— 1 —"
    # footer distance puts the page number's middle 7 mm below the text area
    footer_mm = sec.footer_distance.mm
    assert abs(footer_mm + 14 / 72 * 25.4 / 2 - (35 - 7)) < 0.6


def test_document_properties_are_the_documents_own(sample):
    ex, doc, z = sample
    props = doc.core_properties
    assert props.title == ex.doc_title
    assert props.language == "zh-CN"
    assert props.author == "工会文稿范文库" and props.last_modified_by == "工会文稿范文库"
    assert props.created == WHEN and props.modified == WHEN
    everything = b"".join(z.read(n) for n in z.namelist())
    for word in (b"python-docx", b"2013", b"Calibri", b"Cambria", b"theme1.xml", b"asciiTheme"):
        assert word not in everything, word
    assert "<Application>工会文稿范文库</Application>" in part(sample, "docProps/app.xml")


def test_build_time_is_used_when_no_time_is_given(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    out = docx_export.build("# 标题\n\n正文。", tmp_path / "a.docx")
    assert Document(out).core_properties.created == datetime(2026, 1, 1, tzinfo=timezone.utc)


def test_placeholders_are_whole_highlighted_runs(sample):
    ex, doc, _ = sample
    xml = part(sample, "word/document.xml")
    runs = re.findall(r"<w:r>.*?</w:r>", xml)
    with_bracket = [r for r in runs if "【" in r or "】" in r]
    assert with_bracket
    for run in with_bracket:
        name = re.search(r"【([^【】]+)】", run).group(1)
        assert run == docx_export.PLACEHOLDER_RUN.format(f"【{name}】"), run
    text = "".join(p.text for p in doc.paragraphs)
    assert len(re.findall("【", text)) == len(with_bracket)
    han = lambda s: "".join(c for c in s if "\u4e00" <= c <= "\u9fff")
    assert len(han(text)) >= ex.han_count * 0.97


@pytest.mark.parametrize("name,date,expected", [
    ("【工会名称】", "【成文日期】", (4, 2)),           # date as long as the name: date two in, name moved left
    ("阳光市第一人民医院工会", "2026年12月20日", (2, 4)),  # name longer: name two in, date starts two to the right
    ("某某工会", "2026年12月20日", (7, 2)),
])
def test_signature_and_date_follow_gbt9704_7352(name, date, expected):
    names, date_ind = docx_export.signoff_indents([name], date)
    assert (names, date_ind) == expected
    n, d = docx_export.text_width(name), docx_export.text_width(date)
    sig_start, date_start = -(names + n), -(date_ind + d)  # left edges, characters from the right margin
    assert date_start - sig_start == 2  # the date's first character two to the right of the signature's
    assert min(names, date_ind) == 2


def test_signoff_paragraphs_in_the_file(sample):
    _, doc, _ = sample
    sign = [p for p in doc.paragraphs if p.style.style_id in ("Signoff", "SignDate")]
    assert [p.style.style_id for p in sign] == ["Signoff", "SignDate"]
    assert all(style(doc, s).paragraph_format.alignment == 2 for s in ("Signoff", "SignDate"))  # right
    paras = doc.paragraphs
    before = paras[next(i for i, p in enumerate(paras) if p.style.style_id == "Signoff") - 1]
    assert before.text == ""  # a blank line after the text
    rights = [p._p.pPr.find(qn("w:ind")).get(qn("w:rightChars")) for p in sign]
    expected = docx_export.signoff_indents([sign[0].text], sign[1].text)
    assert rights == [str(round(expected[0] * 100)), str(round(expected[1] * 100))]


def test_every_exemplar_has_a_valid_download(built_site):
    for ex in browse.valid(library.load(ROOT / "docs")):
        path = built_site / ex.url / f"{ex.slug}.docx"
        with zipfile.ZipFile(path) as z:
            assert z.testzip() is None and "word/document.xml" in z.namelist()
        doc = Document(path)
        first = doc.paragraphs[2] if doc.paragraphs[0].style.name == "Document Number" else doc.paragraphs[0]  # 发文字号 above the title
        assert first.style.name == "Title" and first.text == ex.doc_title and doc.core_properties.title == ex.doc_title


def test_document_number_above_the_title_and_byline_below_it(tmp_path):
    """GB/T 9704: the 发文字号 is centred above the title; a speech's 题注 sits centred under its title."""
    from macros import docx_export
    md = "【文号】\n{: .docnum }\n\n# 关于召开代表大会的请示\n\n正文。\n\n【工会名称】\n{: .signoff }\n\n【成文日期】\n{: .signoff }"
    doc = Document(docx_export.build(md, tmp_path / "a.docx"))
    styles = [(p.style.name, p.text) for p in doc.paragraphs if p.text]
    assert styles[0] == ("Document Number", "【文号】") and styles[1] == ("Title", "关于召开代表大会的请示")
    md = "# 在大会上的讲话\n\n（【成文日期】）\n{: .byline }\n\n同志们：\n\n正文。"
    doc = Document(docx_export.build(md, tmp_path / "b.docx"))
    names = [(p.style.name, p.text) for p in doc.paragraphs]
    assert names[0] == ("Title", "在大会上的讲话") and names[1] == ("Byline", "（【成文日期】）") and names[2][1] == ""
    assert doc.styles["Byline"].paragraph_format.alignment == 1 and doc.styles["Document Number"].paragraph_format.alignment == 1  # centred
