#!/usr/bin/env python3
"""Render exemplar Word files with LibreOffice (headless) and measure the 公文 grid.

For each page of the PDF, `pdftotext -bbox-layout` gives the text lines with their boxes.
Lines inside the text area are counted (lines per page, with the pitch between them); a line
that reaches the right margin is a full line, and its width in characters (ASCII counts half)
is its character count. The page number's position is read from the footer line.

Run as a script it writes bench/docx-grid.md and bench/docx-page1.png (page 1 at 80 dpi) for
two exemplars; the render test (tests/test_docx_render.py) uses the same functions.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from macros import docx_export  # noqa: E402

PT_PER_MM = 72 / 25.4
TEXT_TOP = docx_export.MARGINS["top"] * PT_PER_MM
TEXT_BOTTOM = (297 - docx_export.MARGINS["bottom"]) * PT_PER_MM
TEXT_LEFT = docx_export.MARGINS["left"] * PT_PER_MM
TEXT_RIGHT = (210 - docx_export.MARGINS["right"]) * PT_PER_MM
LINE = re.compile(r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</line>', re.S)
WORD = re.compile(r"<word [^>]*>(.*?)</word>", re.S)
PAGE = re.compile(r"<page [^>]*>(.*?)</page>", re.S)
SAMPLES = ["exemplars/hospital/annual-summary.md", "exemplars/county/annual-summary.md"]


@dataclass
class Line:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str

    @property
    def width_chars(self) -> float:
        return docx_export.text_width(self.text)


@dataclass
class Page:
    number: int
    lines: list[Line] = field(default_factory=list)  # inside the text area
    footer: list[Line] = field(default_factory=list)  # below it


def soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        raise SystemExit("LibreOffice is not installed: run ./scripts/system-deps.sh (make test does)")
    return exe


# The Windows face names in the file, mapped to the CJK faces installed here (fonts-noto-cjk), so
# the picture shows serif body text and a sans 黑体; the grid does not depend on this.
ALIASES = {"仿宋": "Noto Serif CJK SC", "仿宋_GB2312": "Noto Serif CJK SC", "楷体": "Noto Serif CJK SC",
           "宋体": "Noto Serif CJK SC", "方正小标宋简体": "Noto Serif CJK SC", "黑体": "Noto Sans CJK SC"}


def fontconfig(folder: Path) -> Path:
    conf = folder / "fonts.conf"
    aliases = "".join(f"<alias binding=\"same\"><family>{k}</family><prefer><family>{v}</family></prefer></alias>" for k, v in ALIASES.items())
    conf.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                    f'<include ignore_missing="yes">/etc/fonts/fonts.conf</include>{aliases}</fontconfig>', encoding="utf-8")
    return conf


def to_pdf(docx: Path, outdir: Path) -> Path:
    """docx -> PDF with LibreOffice headless, using a throw-away user profile."""
    profile = Path(tempfile.mkdtemp(prefix="lo-profile-"))
    env = {**os.environ, "FONTCONFIG_FILE": str(fontconfig(profile))}
    try:
        subprocess.run([soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                        "--convert-to", "pdf", "--outdir", str(outdir), str(docx)],
                       check=True, capture_output=True, timeout=240, env=env)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    pdf = outdir / (docx.stem + ".pdf")
    if not pdf.exists():
        raise RuntimeError(f"LibreOffice wrote no PDF for {docx}")
    return pdf


def pages(pdf: Path) -> list[Page]:
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    out = []
    for n, body in enumerate(PAGE.findall(xml), start=1):
        page = Page(n)
        for x0, y0, x1, y1, inner in LINE.findall(body):
            line = Line(float(x0), float(y0), float(x1), float(y1), "".join(unescape(w) for w in WORD.findall(inner)))
            (page.lines if float(y1) <= TEXT_BOTTOM + 2 else page.footer).append(line)
        out.append(page)
    return out


def slots(page: Page) -> int:
    """Line slots from the top of the text area down to the page's last line (blank lines count)."""
    if not page.lines:
        return 0
    return round((max(l.y1 for l in page.lines) - TEXT_TOP) / (docx_export.LINE_PITCH / 20))


def full_lines(page: Page) -> list[Line]:
    """Body lines that run from the left margin to the right margin."""
    return [l for l in page.lines if abs(l.x0 - TEXT_LEFT) < 3 and TEXT_RIGHT - l.x1 < 8 and 14 < l.y1 - l.y0 < 26]


def full_pages(ps: list[Page]) -> list[Page]:
    """Pages broken inside a paragraph: the next page starts with a continued line (at the left
    margin, where no paragraph or heading starts). Pages ending early because a heading keeps
    with its text, or before a table, are not full."""
    return [p for p, nxt in zip(ps, ps[1:]) if p.lines and nxt.lines and abs(nxt.lines[0].x0 - TEXT_LEFT) < 3]


def measure(pdf: Path) -> dict:
    ps = pages(pdf)
    full_pages_ = full_pages(ps)
    pitches = []
    for p in ps:
        ys = sorted(l.y0 for l in p.lines if 14 < l.y1 - l.y0 < 26)
        pitches += [b - a for a, b in zip(ys, ys[1:]) if b - a < 35]
    widths = [l.width_chars for p in full_pages_ for l in full_lines(p)]
    # lines of Han characters and full-width punctuation only: their count is exact
    han = [len(l.text) for p in full_pages_ for l in full_lines(p) if not re.search(r"[\x00-\x7f]", l.text)]
    return {
        "pages": len(ps),
        "full_pages": [p.number for p in full_pages_],
        "lines_per_full_page": [len(p.lines) for p in full_pages_],
        "slots_per_full_page": [slots(p) for p in full_pages_],
        "line_pitch_pt": round(sum(pitches) / len(pitches), 2) if pitches else None,  # mean: pdftotext rounds to 0.1 pt
        "chars_per_full_line": median(widths) if widths else None,
        "full_line_range": (min(widths), max(widths)) if widths else None,
        "full_lines": len(widths),
        "chars_per_han_line": median(han) if han else None,
        "han_line_range": (min(han), max(han)) if han else None,
        "han_lines": len(han),
        "first_line_top_mm": round(min(l.y0 for l in ps[1].lines) / PT_PER_MM, 1) if len(ps) > 1 else None,
        "page_numbers": [(p.number, " ".join(l.text for l in p.footer), round(min(l.x0 for l in p.footer) / PT_PER_MM, 1),
                          round(max(l.x1 for l in p.footer) / PT_PER_MM, 1), round((p.footer[0].y0 + p.footer[0].y1) / 2 / PT_PER_MM, 1))
                         for p in ps if p.footer],
    }


def png(pdf: Path, out: Path, dpi: int = 80) -> Path:
    stem = out.with_suffix("")
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)], check=True)
    return out


def main() -> int:
    from macros import browse, library
    items = {e.src: e for e in browse.valid(library.load(ROOT / "docs"))}
    bench = ROOT / "bench"
    rows = []
    version = subprocess.run([soffice(), "--version"], capture_output=True, text=True).stdout.strip()
    with tempfile.TemporaryDirectory() as tmp:
        for i, src in enumerate(SAMPLES):
            ex = items[src]
            docx = docx_export.build(ex.text, Path(tmp) / f"{ex.meta['level']}-{ex.slug}.docx")
            pdf = to_pdf(docx, Path(tmp))
            m = measure(pdf)
            rows.append((src, m))
            if i == 0:
                png(pdf, bench / "docx-page1.png")
    lines = ["# Word files on the 公文 grid, as LibreOffice renders them", "",
             f"Made by `bench/docx_grid.py` with {version}; fonts here are Noto CJK (LibreOffice substitutes the",
             "Windows names 仿宋, 黑体, 楷体, 方正小标宋简体). Target: 22 lines of 28 characters (GB/T 9704-2012 §5.2.2).",
             "A full page is one broken inside a paragraph (the next page starts with a continued line); a full line runs",
             "margin to margin. Characters are counted on lines of Han characters and full-width punctuation only, and as",
             "cell widths (ASCII half) on all full lines.", "",
             "| exemplar | pages | full pages | text lines per full page | line slots used | line pitch | characters per full Han line (median, range, lines) | cells per full line (median, range) | page numbers (text, left–right mm, middle mm from top) |",
             "|---|---|---|---|---|---|---|---|---|"]
    for src, m in rows:
        nums = "; ".join(f"p{n} “{t}” {a}–{b}, {c}" for n, t, a, b, c in m["page_numbers"][:2])
        lo, hi = m["full_line_range"]
        hlo, hhi = m["han_line_range"]
        lines.append(f"| `{src}` | {m['pages']} | {', '.join(map(str, m['full_pages']))} | {', '.join(map(str, m['lines_per_full_page']))} | {', '.join(map(str, m['slots_per_full_page']))} "
                     f"| {m['line_pitch_pt']} pt | {m['chars_per_han_line']} ({hlo}–{hhi}, {m['han_lines']} lines) | {m['chars_per_full_line']} ({lo}–{hi}) | {nums} |")
    lines += ["", "Page 1 holds the title and the blank line below it, so it has 21 lines of text in its 22 slots.",
              "Page 1 of the first exemplar: [docx-page1.png](docx-page1.png).", "",
              f"Expected: pitch {docx_export.LINE_PITCH / 20} pt (text height 225 mm / 22); text area {TEXT_LEFT / PT_PER_MM:.0f}–{TEXT_RIGHT / PT_PER_MM:.0f} mm across,",
              f"bottom at {TEXT_BOTTOM / PT_PER_MM:.0f} mm; page number middle 7 mm below it ({TEXT_BOTTOM / PT_PER_MM + 7:.0f} mm), odd pages 1 character (4.9 mm) from the right edge",
              f"of the text area ({TEXT_RIGHT / PT_PER_MM - 4.9:.1f} mm), even pages from the left ({TEXT_LEFT / PT_PER_MM + 4.9:.1f} mm)."]
    (bench / "docx-grid.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
