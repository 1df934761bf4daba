"""Checks of the phrase bank: ids, variables and the text rules for each block."""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from macros import data
from macros.phrases import VAR

from .findings import Finding
from . import lint
from .rules import get


KINDS = {"summary", "plan", "report", "notice", "speech", "material"}


def _line_of(path: Path, block_id: str) -> int:
    for i, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        if re.search(rf"id:\s*{re.escape(block_id)}\s*$", line):
            return i
    return 1


def check(root: Path) -> list[Finding]:
    out = []
    try:
        bank = data.phrase_bank(root)
    except (yaml.YAMLError, ValueError, KeyError) as exc:
        return [Finding("snippets/phrases", 1, "F01", f"句式库文件无法读取：{exc}", get("F01").fix)]
    themes = set(data.taxonomy(root).slugs("themes"))
    for b in bank.blocks.values():
        path = root / b.source
        line = _line_of(path, b.id)
        rel = b.source
        for name in VAR.findall(b.text):
            if name not in data.STANDARD_VARS and name not in b.params:
                out.append(Finding(rel, line, "S02", f"句式 {b.id} 用了未声明的变量 {{{name}}}", "在 params 里声明它，或改用标准变量。"))
        for t in b.themes:
            if t not in themes:
                out.append(Finding(rel, line, "F04", f"句式 {b.id} 的主题“{t}”不在词表里", get("F04").fix))
        for key, vocab in (("kinds", None), ("periods", "periods"), ("registers", "registers"), ("doctypes", "doctypes")):
            allowed = KINDS if vocab is None else set(data.taxonomy(root).slugs(vocab))
            for value in b.fit.get(key, []):
                if value not in allowed:
                    out.append(Finding(rel, line, "F04", f"句式 {b.id} 的适用范围 {key} 里的“{value}”不在词表里", get("F04").fix))
        unknown = set(b.fit) - {"kinds", "periods", "registers", "doctypes"}
        if unknown:
            out.append(Finding(rel, line, "F03", f"句式 {b.id} 的适用范围里有未知的键：{', '.join(sorted(unknown))}", get("F03").fix))
        found = lint.text_rules(b.text) + list(lint.invisible(b.text.split("\n"))) + list(lint.html_rule(lint.html_lines(b.text)))
        for _, rule, msg in found:
            out.append(Finding(rel, line, rule, f"句式 {b.id}：{msg}", get(rule).fix))
        if "【" in b.text or lint.T09.search(b.text):
            out.append(Finding(rel, line, "T09", f"句式 {b.id} 直接写了占位符，请改用 {{unit}} 等变量", get("T09").fix))
    return out
