"""Word (.docx) export of an exemplar in official-document layout (GB/T 9704-2012).

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; a grid of 22 lines of 28
characters; title 2号 方正小标宋简体; body 3号 仿宋_GB2312; headings 黑体 (一、) and
楷体_GB2312 (（一）); first-line indent of two characters; page number 4号 in the footer.
Placeholders 【…】 are highlighted so the writer sees what to replace.
"""
from __future__ import annotations

import re
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
H1_FONT = "黑体"
H2_FONT = "楷体_GB2312"
TITLE_SIZE = Pt(22)  # 2号
BODY_SIZE = Pt(16)   # 3号
FOOTER_SIZE = Pt(14)  # 4号
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
MARGINS = {"top": 37, "bottom": 35, "left": 28, "right": 26}

ATTR_LINE = re.compile(r"^\{:\s*([^}]*)\}\s*$")
PH = re.compile(r"(【[^【】]{1,12}】)")
MD_INLINE = re.compile(r"\*\*(.+?)\*\*|\*(.+?)\*|`(.+?)`|\[(.+?)\]\([^)]*\)")


def _set_fonts(run, east_asia: str, size, bold=False):
    run.font.size = size
    run.font.bold = bold
    run.font.name = east_asia
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), east_asia)


def _plain(text: str) -> str:
    return MD_INLINE.sub(lambda m: next(g for g in m.groups() if g is not None), text).replace("  ", "").strip()


def _add_text(par, text: str, font: str, size, bold=False):
    for piece in PH.split(text):
        if not piece:
            continue
        run = par.add_run(piece)
        _set_fonts(run, font, size, bold)
        if PH.fullmatch(piece):
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW


def _indent(par, chars: int = 2):
    par.paragraph_format.first_line_indent = Pt(16 * chars)
    ind = par._p.get_or_add_pPr().find(qn("w:ind"))
    if ind is not None:
        ind.set(qn("w:firstLineChars"), str(chars * 100))


def _page_setup(doc):
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(MARGINS["top"]), Mm(MARGINS["bottom"])
    sec.left_margin, sec.right_margin = Mm(MARGINS["left"]), Mm(MARGINS["right"])
    text_h_twips = round((297 - MARGINS["top"] - MARGINS["bottom"]) / 25.4 * 1440)
    text_w_pt = (210 - MARGINS["left"] - MARGINS["right"]) / 25.4 * 72
    grid = OxmlElement("w:docGrid")
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(text_h_twips // LINES_PER_PAGE))
    grid.set(qn("w:charSpace"), str(round((text_w_pt / CHARS_PER_LINE - 16) * 4096)))
    sect = sec._sectPr
    for old in sect.findall(qn("w:docGrid")):
        sect.remove(old)
    sect.append(grid)
    # footer page number: — 1 —
    par = sec.footer.paragraphs[0]
    par.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_fonts(par.add_run("— "), "宋体", FOOTER_SIZE)
    run = par.add_run()
    _set_fonts(run, "宋体", FOOTER_SIZE)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)
    _set_fonts(par.add_run(" —"), "宋体", FOOTER_SIZE)
    # document defaults: body font
    normal = doc.styles["Normal"]
    normal.font.size = BODY_SIZE
    normal.font.name = BODY_FONT
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)


def _table(doc, rows: list[list[str]]):
    cols = max(len(r) for r in rows)
    table = doc.add_table(rows=len(rows), cols=cols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            par = table.cell(i, j).paragraphs[0]
            _add_text(par, _plain(cell), BODY_FONT, Pt(12), bold=(i == 0))


def build(markdown: str, out: Path) -> Path:
    """Write the document part of an exemplar (macros already expanded) as a .docx file."""
    doc = Document()
    _page_setup(doc)
    blocks = re.split(r"\n\s*\n", markdown.strip())
    for block in blocks:
        lines = [l for l in block.split("\n") if l.strip()]
        if not lines:
            continue
        attrs = ""
        if ATTR_LINE.match(lines[-1]):
            attrs = lines.pop()
        if not lines:
            continue
        first = lines[0]
        if first.startswith("|"):
            rows = [[c.strip() for c in l.strip().strip("|").split("|")] for l in lines if not re.match(r"^\|?\s*:?-+", l)]
            _table(doc, rows)
            continue
        text = _plain(" ".join(l.strip() for l in lines)).replace(" ", "") if not first.startswith("#") else _plain(first.lstrip("#"))
        par = doc.add_paragraph()
        if first.startswith("# "):
            par.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _add_text(par, text, TITLE_FONT, TITLE_SIZE)
            doc.add_paragraph()
        elif first.startswith("## "):
            _indent(par)
            _add_text(par, text, H1_FONT, BODY_SIZE)
        elif first.startswith("### "):
            _indent(par)
            _add_text(par, text, H2_FONT, BODY_SIZE)
        elif first.startswith("#"):
            _indent(par)
            _add_text(par, text, BODY_FONT, BODY_SIZE, bold=True)
        elif "docnum" in attrs:  # 发文字号, centred above the title (GB/T 9704-2012 §7.2.4)
            par.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _add_text(par, text, BODY_FONT, BODY_SIZE)
        elif "byline" in attrs:  # 题注 under the title of a speech, 述职 or congress report
            par.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _add_text(par, text, H2_FONT, BODY_SIZE)
        elif "signoff" in attrs:
            par.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            par.paragraph_format.right_indent = Pt(16 * 4)
            _add_text(par, text, BODY_FONT, BODY_SIZE)
        elif first.startswith("- ") or first.startswith("* "):
            doc._body._body.remove(par._p)
            for item in lines:
                p = doc.add_paragraph()
                _indent(p)
                _add_text(p, _plain(item[2:]), BODY_FONT, BODY_SIZE)
        elif re.match(r"^[\u4e00-\u9fff、]{2,30}：$", text) and block is blocks[1]:
            _add_text(par, text, BODY_FONT, BODY_SIZE)  # salutation or addressee line, no indent
        else:
            _indent(par)
            _add_text(par, text, BODY_FONT, BODY_SIZE)
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(out)
    return out
