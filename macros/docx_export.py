"""Word (.docx) export of an exemplar in official-document layout (GB/T 9704-2012).

The package is written part by part (no template document), so every style, font and
property in it is ours. Layout:

- A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (§5.2.1).
- 22 lines of 28 characters: every paragraph has an exact line pitch of 579 twips (the text
  height / 22) and no space before or after; the section grid is `type="lines"` with the same
  pitch; characters of 3号 (16 pt) get -0.25 pt spacing so 28 of them fill the 156 mm line.
  `linesAndChars` is not used: LibreOffice gives a 16 pt glyph two cells of that grid.
- Title 2号 方正小标宋简体 centred, a blank line below; 一、 黑体; （一） 楷体; 1. and （1） 仿宋;
  body 3号 仿宋, first line indented two characters, justified; punctuation not compressed and
  no automatic space between Han characters and digits (house style: none is written either),
  so a digit is half a character and every line keeps the 28-character grid.
- Fonts are the names a stock Windows 10/11 has (仿宋, 楷体, 黑体, 宋体); the font table gives
  each an alternate name (仿宋_GB2312, 楷体_GB2312 …), and 方正小标宋简体 falls back to 宋体.
- Page number 4号 宋体 "— 1 —", 7 mm below the text area; odd pages right and even pages
  left, one character in from the edge (§7.5; even/odd footers are switched on in settings).
- Signature and date (§7.3.5.2, no seal): a blank line after the text, the signature two
  characters from the right margin, the date on the next line starting two characters to the
  right of the signature's first character; if the date is the longer, the date keeps two
  characters and the signature moves left. `signoff_indents` computes this; the browser's
  fill-in (docs/assets/javascripts/docx-fill.js) applies the same rule to the filled values.
- Placeholders 【…】 are whole runs of one fixed form, highlighted yellow, so the browser can
  replace them reliably (`PLACEHOLDER_RUN`).
- Properties: title = the document title, language zh-CN, creator = the site's name, created
  and modified = the time of the build (or SOURCE_DATE_EPOCH).
"""
from __future__ import annotations

import os
import re
import zipfile
from datetime import datetime, timezone
from pathlib import Path
from xml.sax.saxutils import escape

SITE_NAME = "工会文稿范文库"
LANG = "zh-CN"

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋"
H1_FONT = "黑体"
H2_FONT = "楷体"
FOOTER_FONT = "宋体"
LATIN_FONT = "Times New Roman"
# name -> (alternate name, panose, pitch); all GB2312 charset (86)
FONT_TABLE = {
    "仿宋": ("仿宋_GB2312", "02010609060101010101", "fixed"),
    "楷体": ("楷体_GB2312", "02010609060101010101", "fixed"),
    "黑体": ("SimHei", "02010609060101010101", "fixed"),
    "宋体": ("SimSun", "02010600030101010101", "variable"),
    "方正小标宋简体": ("宋体", "02000000000000000000", "variable"),
}

TITLE_SIZE = 44   # half-points: 2号 22 pt
BODY_SIZE = 32    # 3号 16 pt
FOOTER_SIZE = 28  # 4号 14 pt
TABLE_SIZE = 28
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28

MM = 1440 / 25.4  # twips per millimetre
PAGE_W, PAGE_H = round(210 * MM), round(297 * MM)
MARGINS = {"top": 37, "bottom": 35, "left": 28, "right": 26}
MARGIN_TWIPS = {k: round(v * MM) for k, v in MARGINS.items()}
TEXT_H = PAGE_H - MARGIN_TWIPS["top"] - MARGIN_TWIPS["bottom"]
TEXT_W = PAGE_W - MARGIN_TWIPS["left"] - MARGIN_TWIPS["right"]
LINE_PITCH = TEXT_H // LINES_PER_PAGE  # 579 twips = 28.95 pt
CHAR_SPACING = -5  # twentieths of a point: 16 pt - 0.25 pt = 15.75 pt, 28 x 15.75 <= 442.25 pt < 29 x
CHAR_PITCH = BODY_SIZE * 10 + CHAR_SPACING  # twips per character, 315
FOOTER_DISTANCE = round(25.5 * MM)  # footer line's middle (the dashes) 7 mm below the text area

ATTR_LINE = re.compile(r"^\{:\s*([^}]*)\}\s*$")
PH = re.compile(r"(【[^【】]{1,12}】)")
MD_INLINE = re.compile(r"\*\*(.+?)\*\*|\*(.+?)\*|`(.+?)`|\[(.+?)\]\([^)]*\)")
SALUTATION = re.compile(r"^[\u4e00-\u9fff、（）]{2,30}：$")
# The one form a placeholder takes in word/document.xml; the browser fill-in matches it.
PLACEHOLDER_RUN = '<w:r><w:rPr><w:highlight w:val="yellow"/></w:rPr><w:t xml:space="preserve">{}</w:t></w:r>'

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
W_NS = f'xmlns:w="{NS["w"]}" xmlns:r="{NS["r"]}"'
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def text_width(text: str) -> float:
    """Width in characters of 3号: ASCII (digits, Latin) is half a character."""
    return sum(0.5 if ord(c) < 0x2E80 else 1 for c in text)


def signoff_indents(names: list[str], date: str | None) -> tuple[float, float | None]:
    """Right indents, in characters, of the signature lines and the date (§7.3.5.2)."""
    n = max((text_width(s) for s in names), default=0)
    if date is None:
        return 2, None
    d = text_width(date)
    if n - d >= 2:
        return 2, n - d
    return d + 4 - n, 2


def _fonts(east_asia: str, latin: str = LATIN_FONT) -> str:
    return f'<w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="{east_asia}" w:cs="{latin}"/>'


def _ind(first_chars: int = 0, right_chars: float | None = None, left_chars: float | None = None, unit: int = CHAR_PITCH) -> str:
    attrs = []
    if left_chars is not None:
        attrs.append(f'w:left="{round(left_chars * unit)}" w:leftChars="{round(left_chars * 100)}"')
    if right_chars is not None:
        attrs.append(f'w:right="{round(right_chars * unit)}" w:rightChars="{round(right_chars * 100)}"')
    attrs.append(f'w:firstLine="{first_chars * BODY_SIZE * 10}" w:firstLineChars="{first_chars * 100}"')
    return "<w:ind " + " ".join(attrs) + "/>"


def _style(sid: str, name: str, ppr: str = "", rpr: str = "", kind: str = "paragraph", default=False, extra: str = "") -> str:
    d = ' w:default="1"' if default else ""
    based = "" if sid == "Normal" or kind != "paragraph" else '<w:basedOn w:val="Normal"/>'
    return (f'<w:style w:type="{kind}"{d} w:styleId="{sid}"><w:name w:val="{name}"/>{based}{extra}<w:qFormat/>'
            + (f"<w:pPr>{ppr}</w:pPr>" if ppr else "") + (f"<w:rPr>{rpr}</w:rPr>" if rpr else "") + "</w:style>")


def styles_xml() -> str:
    exact = f'<w:spacing w:before="0" w:after="0" w:line="{LINE_PITCH}" w:lineRule="exact"/>'
    lang = f'<w:lang w:val="{LANG}" w:eastAsia="{LANG}" w:bidi="ar-SA"/>'
    no_indent = _ind(0)
    styles = [
        _style("Normal", "Normal", f'{_ind(2)}<w:jc w:val="both"/>', default=True),
        _style("Title", "Title", f'<w:keepNext/><w:snapToGrid w:val="0"/>{no_indent}<w:jc w:val="center"/><w:outlineLvl w:val="0"/>',
               f'{_fonts(TITLE_FONT)}<w:sz w:val="{TITLE_SIZE}"/><w:szCs w:val="{TITLE_SIZE}"/>', extra='<w:next w:val="Normal"/>'),
        _style("Heading1", "heading 1", '<w:keepNext/><w:outlineLvl w:val="1"/>',
               f'{_fonts(H1_FONT)}', extra='<w:next w:val="Normal"/>'),
        _style("Heading2", "heading 2", '<w:keepNext/><w:outlineLvl w:val="2"/>',
               f'{_fonts(H2_FONT)}', extra='<w:next w:val="Normal"/>'),
        _style("Heading3", "heading 3", '<w:keepNext/><w:outlineLvl w:val="3"/>',
               f'{_fonts(BODY_FONT)}<w:b/><w:bCs/>', extra='<w:next w:val="Normal"/>'),
        _style("Salutation", "Salutation", f'{no_indent}<w:jc w:val="left"/>'),
        _style("DocNumber", "Document Number", f'{no_indent}<w:jc w:val="center"/>'),
        _style("Byline", "Byline", f'{no_indent}<w:jc w:val="center"/>', f'{_fonts(H2_FONT)}'),
        _style("Signoff", "Signature", f'<w:keepNext/>{no_indent}<w:jc w:val="right"/>'),
        _style("SignDate", "Date", f'{no_indent}<w:jc w:val="right"/>'),
        _style("TableText", "Table Text", f'<w:spacing w:before="0" w:after="0" w:line="360" w:lineRule="exact"/>{no_indent}<w:jc w:val="left"/>',
               f'<w:sz w:val="{TABLE_SIZE}"/><w:szCs w:val="{TABLE_SIZE}"/>'),
        _style("Footer", "footer", f'<w:spacing w:before="0" w:after="0" w:line="{FOOTER_SIZE * 10}" w:lineRule="exact"/>{no_indent}',
               f'{_fonts(FOOTER_FONT, FOOTER_FONT)}<w:sz w:val="{FOOTER_SIZE}"/><w:szCs w:val="{FOOTER_SIZE}"/>'),
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/>'
        '<w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
        '<w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>',
    ]
    return (XML_HEAD + f"<w:styles {W_NS}><w:docDefaults><w:rPrDefault><w:rPr>{_fonts(BODY_FONT)}"
            f'<w:spacing w:val="{CHAR_SPACING}"/><w:kern w:val="0"/><w:sz w:val="{BODY_SIZE}"/><w:szCs w:val="{BODY_SIZE}"/>{lang}</w:rPr></w:rPrDefault>'
            f'<w:pPrDefault><w:pPr><w:widowControl w:val="0"/><w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>{exact}</w:pPr></w:pPrDefault></w:docDefaults>'

            + "".join(styles) + "</w:styles>")


def font_table_xml() -> str:
    fonts = "".join(
        f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:panose1 w:val="{panose}"/><w:charset w:val="86"/>'
        f'<w:family w:val="{"modern" if pitch == "fixed" else "roman"}"/><w:pitch w:val="{pitch}"/></w:font>'
        for name, (alt, panose, pitch) in FONT_TABLE.items()
    ) + (f'<w:font w:name="{LATIN_FONT}"><w:panose1 w:val="02020603050405020304"/><w:charset w:val="00"/>'
         '<w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>')
    return XML_HEAD + f"<w:fonts {W_NS}>{fonts}</w:fonts>"


def settings_xml() -> str:
    return (XML_HEAD + f"<w:settings {W_NS}><w:zoom w:percent=\"100\"/>"
            f'<w:defaultTabStop w:val="{BODY_SIZE * 10}"/><w:evenAndOddHeaders/><w:characterSpacingControl w:val="doNotCompress"/>'
            '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
            f'<w:themeFontLang w:val="{LANG}" w:eastAsia="{LANG}"/>'
            "</w:settings>")


def footer_xml(side: str) -> str:
    """Page number — n —, 4号; `side` right (odd pages) or left (even pages), one character in."""
    ind = _ind(0, right_chars=1, unit=FOOTER_SIZE * 10) if side == "right" else _ind(0, left_chars=1, unit=FOOTER_SIZE * 10)
    run = lambda inner: f"<w:r>{inner}</w:r>"
    field = (run('<w:fldChar w:fldCharType="begin"/>') + run('<w:instrText xml:space="preserve"> PAGE </w:instrText>')
             + run('<w:fldChar w:fldCharType="separate"/>') + run("<w:t>1</w:t>") + run('<w:fldChar w:fldCharType="end"/>'))
    return (XML_HEAD + f'<w:ftr {W_NS}><w:p><w:pPr><w:pStyle w:val="Footer"/>{ind}<w:jc w:val="{side}"/></w:pPr>'
            + run('<w:t xml:space="preserve">— </w:t>') + field + run('<w:t xml:space="preserve"> —</w:t>') + "</w:p></w:ftr>")


def _runs(text: str) -> str:
    out = []
    for piece in PH.split(text):
        if not piece:
            continue
        if PH.fullmatch(piece):
            out.append(PLACEHOLDER_RUN.format(escape(piece)))
        else:
            out.append(f'<w:r><w:t xml:space="preserve">{escape(piece)}</w:t></w:r>')
    return "".join(out)


def _para(text: str = "", style: str = "Normal", ind: str = "") -> str:
    ppr = ("" if style == "Normal" else f'<w:pStyle w:val="{style}"/>') + ind
    return "<w:p>" + (f"<w:pPr>{ppr}</w:pPr>" if ppr else "") + _runs(text) + "</w:p>"


def signoff_paragraphs(lines: list[str]) -> list[str]:
    """The signature line(s) and, if the last line is a date or 【成文日期】, the date, indented per §7.3.5.2."""
    date = lines[-1] if len(lines) > 1 else None
    names = lines[:-1] if date is not None else lines
    name_ind, date_ind = signoff_indents(names, date)
    out = [_para(n, "Signoff", _ind(0, right_chars=name_ind)) for n in names]
    if date is not None:
        out.append(_para(date, "SignDate", _ind(0, right_chars=date_ind)))
    return out


def _plain(text: str) -> str:
    return MD_INLINE.sub(lambda m: next(g for g in m.groups() if g is not None), text).replace("  ", "").strip()


def _table(rows: list[list[str]]) -> str:
    cols = max(len(r) for r in rows)
    width = TEXT_W // cols
    border = "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>' for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    out = [f'<w:tbl><w:tblPr><w:tblW w:w="{width * cols}" w:type="dxa"/><w:jc w:val="center"/><w:tblBorders>{border}</w:tblBorders>'
           '<w:tblLayout w:type="fixed"/><w:tblLook w:val="0000"/></w:tblPr><w:tblGrid>' + f'<w:gridCol w:w="{width}"/>' * cols + "</w:tblGrid>"]
    for i, row in enumerate(rows):
        out.append("<w:tr>" + ("<w:trPr><w:tblHeader/></w:trPr>" if i == 0 else ""))
        for j in range(cols):
            cell = _plain(row[j]) if j < len(row) else ""
            runs = _runs(cell)
            if i == 0:
                runs = runs.replace("<w:r><w:t", "<w:r><w:rPr><w:b/></w:rPr><w:t")
            out.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr><w:p><w:pPr><w:pStyle w:val="TableText"/></w:pPr>{runs}</w:p></w:tc>')
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def body_xml(markdown: str) -> tuple[str, str]:
    """The paragraphs of the document and its title."""
    blocks = [b for b in re.split(r"\n\s*\n", markdown.strip()) if b.strip()]
    out: list[str] = []
    title = ""
    pending_signoff: list[str] = []

    def flush():
        if pending_signoff:
            out.append(_para())  # 正文下空一行
            out.extend(signoff_paragraphs(pending_signoff))
            pending_signoff.clear()

    first_text_block = True
    for block in blocks:
        lines = [l for l in block.split("\n") if l.strip()]
        attrs = lines.pop() if ATTR_LINE.match(lines[-1]) else ""
        if not lines:
            continue
        first = lines[0]
        if "signoff" in attrs:
            pending_signoff.append(_plain(" ".join(l.strip() for l in lines)).replace(" ", ""))
            continue
        flush()
        if "docnum" in attrs:  # 发文字号, centred above the title (GB/T 9704-2012 §7.2.4)
            out.append(_para(_plain(" ".join(l.strip() for l in lines)), "DocNumber"))
            out.append(_para())
            continue
        if "byline" in attrs:  # 题注 of a speech, 述职 or congress report: stays with the title
            par = _para(_plain(" ".join(l.strip() for l in lines)), "Byline")
            if out and out[-1] == _para() and title:
                out.insert(len(out) - 1, par)
            else:
                out.append(par)
            continue
        if first.startswith("|"):
            rows = [[c.strip() for c in l.strip().strip("|").split("|")] for l in lines if not re.match(r"^\|?\s*:?-+", l)]
            out.append(_table(rows))
            # a table must be followed by a paragraph in Word; the next block provides it
            continue
        if first.startswith("#"):
            level = len(first) - len(first.lstrip("#"))
            text = _plain(first.lstrip("#"))
            if level == 1:
                title = title or text
                out.append(_para(text, "Title"))
                out.append(_para())  # 标题下空一行
            else:
                out.append(_para(text, {2: "Heading1", 3: "Heading2"}.get(level, "Heading3")))
            continue
        if first.startswith(("- ", "* ")):
            out.extend(_para(_plain(item[2:])) for item in lines)
            continue
        text = _plain(" ".join(l.strip() for l in lines)).replace(" ", "")
        is_salutation = first_text_block and SALUTATION.match(text)
        first_text_block = False
        out.append(_para(text, "Salutation" if is_salutation else "Normal"))
    flush()
    return "".join(out), title


def document_xml(markdown: str) -> tuple[str, str]:
    body, title = body_xml(markdown)
    m = MARGIN_TWIPS
    sect = (f'<w:sectPr><w:footerReference w:type="default" r:id="rIdFooterOdd"/><w:footerReference w:type="even" r:id="rIdFooterEven"/>'
            f'<w:pgSz w:w="{PAGE_W}" w:h="{PAGE_H}"/>'
            f'<w:pgMar w:top="{m["top"]}" w:right="{m["right"]}" w:bottom="{m["bottom"]}" w:left="{m["left"]}" w:header="851" w:footer="{FOOTER_DISTANCE}" w:gutter="0"/>'
            f'<w:cols w:space="425"/><w:docGrid w:type="lines" w:linePitch="{LINE_PITCH}"/></w:sectPr>')
    return XML_HEAD + f"<w:document {W_NS}><w:body>{body}{sect}</w:body></w:document>", title


def core_xml(title: str, when: datetime) -> str:
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    return (XML_HEAD + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{escape(title)}</dc:title><dc:creator>{SITE_NAME}</dc:creator><cp:lastModifiedBy>{SITE_NAME}</cp:lastModifiedBy>"
            f'<dc:language>{LANG}</dc:language><dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>')


def app_xml() -> str:
    return (XML_HEAD + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            f"<Application>{SITE_NAME}</Application><DocSecurity>0</DocSecurity></Properties>")


CONTENT_TYPES = (XML_HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                 '<Default Extension="xml" ContentType="application/xml"/>'
                 '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
                 '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
                 '<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>'
                 '<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>'
                 '<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>'
                 '<Override PartName="/word/footer2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>'
                 '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
                 '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
                 "</Types>")
ROOT_RELS = (XML_HEAD + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
             f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/>'
             '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
             f'<Relationship Id="rId3" Type="{REL}/extended-properties" Target="docProps/app.xml"/></Relationships>')
DOC_RELS = (XML_HEAD + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rIdStyles" Type="{REL}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rIdSettings" Type="{REL}/settings" Target="settings.xml"/>'
            f'<Relationship Id="rIdFonts" Type="{REL}/fontTable" Target="fontTable.xml"/>'
            f'<Relationship Id="rIdFooterOdd" Type="{REL}/footer" Target="footer1.xml"/>'
            f'<Relationship Id="rIdFooterEven" Type="{REL}/footer" Target="footer2.xml"/></Relationships>')


def build_time() -> datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), timezone.utc)
    return datetime.now(timezone.utc).replace(microsecond=0)


def build(markdown: str, out: Path, when: datetime | None = None) -> Path:
    """Write the document part of an exemplar (macros already expanded) as a .docx file."""
    when = when or build_time()
    document, title = document_xml(markdown)
    parts = [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", ROOT_RELS),
        ("docProps/core.xml", core_xml(title, when)),
        ("docProps/app.xml", app_xml()),
        ("word/document.xml", document),
        ("word/_rels/document.xml.rels", DOC_RELS),
        ("word/styles.xml", styles_xml()),
        ("word/settings.xml", settings_xml()),
        ("word/fontTable.xml", font_table_xml()),
        ("word/footer1.xml", footer_xml("right")),
        ("word/footer2.xml", footer_xml("left")),
    ]
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + f".{os.getpid()}.tmp")
    stamp = max(when, datetime(1980, 1, 1, tzinfo=timezone.utc)).timetuple()[:6]
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts:
            info = zipfile.ZipInfo(name, stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text.encode("utf-8"))
    tmp.replace(out)
    return out
