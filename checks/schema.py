"""Front-matter checks of exemplars against data/frontmatter.schema.json and the taxonomy."""
from __future__ import annotations

import functools
import re
from collections import defaultdict
from pathlib import Path

import jsonschema

from macros import data, library
from macros.library import Exemplar

from .findings import Finding
from .rules import get


def _path(ex: Exemplar) -> str:
    return "docs/" + ex.src


def _finding(ex, line, rule_id, message) -> Finding:
    return Finding(_path(ex), line, rule_id, message, get(rule_id).fix)


FIELD_NAMES = {
    "title": "标题", "description": "简介", "level": "层级", "doctype": "文种", "themes": "主题",
    "period": "时段", "register": "语体", "reporting_body": "报告主体", "sector": "行业",
    "placeholders": "占位符", "phrase_vars": "句式变量",
}


def check_exemplar(ex: Exemplar, docs_dir: Path | None = None) -> list[Finding]:
    out: list[Finding] = []
    fatal = [e for e in ex.errors if e[0] in library.FATAL]
    if fatal:
        rule_id, line, message = fatal[0]
        return [_finding(ex, line, rule_id, f"头部信息无法解析：{message}" if rule_id == "F01" else message)]
    out += [_finding(ex, line, "F09", msg) for line, msg in plain_text_problems(ex.meta, ex.key_lines)]
    validator = jsonschema.Draft202012Validator(data.frontmatter_schema())
    tax = data.taxonomy()
    for err in sorted(validator.iter_errors(ex.meta), key=lambda e: list(e.path)):
        key = err.path[0] if err.path else None
        line = ex.key_lines.get(key, 2) if key else 2
        name = f"{key}（{FIELD_NAMES.get(key, key)}）" if key else ""
        if err.validator == "pattern":
            continue  # reported as F09 by plain_text_problems, with the character named
        if err.validator == "required":
            missing = err.message.split("'")[1]
            out.append(_finding(ex, 2, "F02", f"缺少必填字段 {missing}（{FIELD_NAMES.get(missing, missing)}）"))
        elif err.validator == "additionalProperties":
            extra = [k for k in (err.instance or {}) if k not in err.schema.get("properties", {})]
            where = ex.key_lines.get(extra[0], line) if extra and not err.path else line
            prefix = f"{name}里" if key else ""
            out.append(_finding(ex, where, "F03", f"{prefix}有未登记的字段：{', '.join(extra)}"))
        elif err.validator == "enum":
            vocab = {"level": "levels", "doctype": "doctypes", "themes": "themes", "period": "periods",
                     "register": "registers", "reporting_body": "reporting_bodies", "sector": "sectors"}.get(key)
            choices = "、".join(f"{t.slug}（{t.label}）" for t in tax.terms(vocab)) if vocab and vocab != "themes" else ""
            hint = f"可选：{choices}" if choices else ("可选值见“按主题浏览”页面" if vocab == "themes" else "名称见 data/placeholders.yml")
            out.append(_finding(ex, line, "F04", f"{name}的取值“{err.instance}”不在词表里。{hint}"))
        else:
            out.append(_finding(ex, line, "F08", f"{name}写法不对：{_plain_error(err)}"))
    level = ex.meta.get("level")
    parts = ex.src.split("/")
    if len(parts) != 3 or parts[0] != "exemplars":
        out.append(_finding(ex, 1, "F05", "范文必须放在 docs/exemplars/<层级编号>/ 下，不能再分子文件夹"))
    elif isinstance(level, str) and parts[1] != level:
        out.append(_finding(ex, ex.key_lines.get("level", 2), "F05", f"文件在 exemplars/{parts[1]}/ 下，但 level 写的是 {level}"))
    if "〔待填写" in str(ex.meta.get("description", "")):
        out.append(_finding(ex, ex.key_lines.get("description", 2), "D06", "description 还是写作提示，没有换成简介"))
    out += check_placeholders(ex)
    for rule_id, line, message in ex.errors:
        if rule_id not in library.FATAL:
            out.append(_finding(ex, line, rule_id, message))
    return out


CHAR_NAMES = {"<": "小于号 <", ">": "大于号 >", '"': "英文双引号 \"", "'": "英文单引号 '"}


@functools.lru_cache(maxsize=1)
def _plaintext() -> re.Pattern:
    return re.compile(data.frontmatter_schema()["$defs"]["plaintext"]["pattern"])


def plain_text_problems(meta, key_lines: dict) -> list[tuple[int, str]]:
    """(line, message) for every front-matter string, at any depth, that is not plain text.

    Titles, descriptions and phrase variables reach HTML pages; the schema allows no <>"'
    and no control or invisible characters in them ($defs/plaintext)."""
    rx = _plaintext()
    out = []

    def walk(value, key, where):
        if isinstance(value, str):
            if not rx.match(value):
                bad = next(c for c in value if not rx.match(c))
                what = CHAR_NAMES.get(bad, f"控制字符或不可见字符 U+{ord(bad):04X}")
                out.append((key_lines.get(key, 2), f"{where}里有{what}。头部信息只能是纯文字，引号请用中文引号“”"))
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(k, key, where)
                walk(v, key, f"{where}.{k}" if where else str(k))
        elif isinstance(value, list):
            for v in value:
                walk(v, key, where)

    if isinstance(meta, dict):
        for k, v in meta.items():
            walk(v, k, str(k))
    return out


def _plain_error(err) -> str:
    v = err.validator
    if v == "type":
        kind = {"array": "列表，例如 [a, b]", "string": "文字", "object": "键值对"}.get(err.validator_value, err.validator_value)
        return f"应当是{kind}"
    if v in ("minLength", "maxLength"):
        return f"长度应在规定范围内（当前{len(err.instance)}个字符）"
    if v in ("minItems", "maxItems"):
        return f"个数应在规定范围内（当前{len(err.instance)}个）"
    if v == "uniqueItems":
        return "有重复的项"
    return err.message


def check_placeholders(ex: Exemplar) -> list[Finding]:
    registry = data.placeholders()
    declared = ex.meta.get("placeholders") or []
    if not isinstance(declared, list) or not all(isinstance(d, str) for d in declared):
        return []
    used = ex.used_placeholders
    out = []
    lines = ex.text.split("\n")

    def line_of(name):
        token = f"【{name}】"
        for i, l in enumerate(lines):
            if token in l:
                return ex.body_line + i
        return ex.key_lines.get("placeholders", 2)

    for name in used:
        if name not in registry:
            out.append(_finding(ex, line_of(name), "F06", f"占位符【{name}】不在登记表 data/placeholders.yml 里"))
        elif name not in declared:
            out.append(_finding(ex, line_of(name), "F06", f"正文用了【{name}】，但 placeholders 里没有列出它"))
    for name in declared:
        if name in registry and name not in used:
            out.append(_finding(ex, ex.key_lines.get("placeholders", 2), "F06", f"placeholders 列出了“{name}”，但正文没有用到"))
    return out


def check_library(items: list[Exemplar]) -> list[Finding]:
    """Checks across pages: duplicate titles."""
    seen = defaultdict(list)
    for ex in items:
        if isinstance(ex.meta.get("title"), str):
            seen[ex.meta["title"]].append(ex)
    out = []
    for title, group in seen.items():
        if len(group) > 1:
            for ex in group:
                others = "、".join("docs/" + o.src for o in group if o is not ex)
                out.append(_finding(ex, ex.key_lines.get("title", 2), "F07", f"标题“{title}”与 {others} 相同"))
    return out
