"""Text normalisation done before every text rule, so look-alike and invisible characters cannot hide a finding.

Two views of a line, both without zero-width and bidi control characters:
- typo_view: NFKC for everything except the full-width punctuation of Chinese typography
  (which NFKC would turn into ASCII and so hide T01-T05); full-width digits and letters become ASCII.
- plain_view: full NFKC, for the privacy rules (a full-width ＠ or ． is still an e-mail).
Line numbers never change: nothing here adds or removes a line break.
"""
from __future__ import annotations

import re
import unicodedata

# Zero-width, bidi controls, joiners, variation selectors, tag characters, Hangul fillers, soft hyphen.
INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f"
    "\u3164\ufe00-\ufe0f\ufeff\uffa0\U000e0000-\U000e007f]"
)
INVISIBLE_NAMES = {
    "\u200b": "零宽空格", "\u200c": "零宽非连接符", "\u200d": "零宽连接符", "\u2060": "零宽不换行空格", "\ufeff": "零宽不换行空格（BOM）",
    "\u00ad": "软连字符", "\u200e": "从左到右标记", "\u200f": "从右到左标记", "\u061c": "阿拉伯字母标记",
    "\u202a": "双向控制符", "\u202b": "双向控制符", "\u202c": "双向控制符", "\u202d": "双向控制符", "\u202e": "双向控制符（反转文字方向）",
    "\u2066": "双向隔离符", "\u2067": "双向隔离符", "\u2068": "双向隔离符", "\u2069": "双向隔离符",
}
# Characters left alone by typo_view: CJK symbols and punctuation, full-width punctuation, ellipsis, dashes, quotes.
_KEEP = "\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2014\u2015\u2018-\u201f\u2026\u00b7"
# Runs that may change under NFKC: anything outside ASCII, common Han and the kept punctuation.
_CHANGEABLE = re.compile(f"[^\x00-\x7f\u4e00-\u9fff{_KEEP}]+")


def strip_invisible(text: str) -> str:
    return INVISIBLE.sub("", text)


def typo_view(line: str) -> str:
    if line.isascii():
        return line
    line = INVISIBLE.sub("", line)
    return _CHANGEABLE.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)).replace("\n", " "), line)


def plain_view(line: str) -> str:
    if line.isascii():
        return line
    return unicodedata.normalize("NFKC", INVISIBLE.sub("", line)).replace("\n", " ")


def plain_text(text: str) -> str:
    """Whole-text plain view (line breaks kept): near-duplicate shingles and the corpus overlap use it."""
    return "\n".join(plain_view(line) for line in text.split("\n"))


def invisible_chars(line: str) -> list[str]:
    return INVISIBLE.findall(line)


def describe_invisible(ch: str) -> str:
    return f"{INVISIBLE_NAMES.get(ch, '不可见字符')}（U+{ord(ch):04X}）"
