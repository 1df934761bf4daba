"""Allowlist for template code in pages.

A page may contain only calls of registered macros with literal arguments, e.g.
{{ phrase("closing-01", self="我院工会") }}. Everything else that Jinja would
execute (block tags, attribute or item access, filters, variables, operators) is
refused, both by the lint and by the build itself (see macros.define_env).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import jinja2
from jinja2 import nodes

# Macro name -> allowed keyword arguments (None: any of the phrase variables).
ALLOWED_MACROS = {
    "phrase": None,
    "guiding": set(),
    "library_stats": set(),
    "level_grid": set(),
    "chooser_form": set(),
}

JINJA_COMMENT = re.compile(r"\{#")
BLOCK_TAG = re.compile(r"\{%")


@dataclass
class Violation:
    line: int
    rule: str
    message: str


_env = jinja2.Environment()


def _literal(node) -> bool:
    return isinstance(node, nodes.Const) and isinstance(node.value, (str, int, float)) and not isinstance(node.value, bool)


def _describe(node) -> str:
    return type(node).__name__


def check(text: str) -> list[Violation]:
    """Return every template construct in `text` that is not an allowed macro call."""
    found: list[Violation] = []
    for m in JINJA_COMMENT.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        found.append(Violation(line, "S03", "出现了“{#”。它在模板里是注释开头，会吞掉后面的文字；属性写成“{: #id }”或“{: .class }”"))
    for m in BLOCK_TAG.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        found.append(Violation(line, "S01", f"不允许使用 {{% %}} 语句。页面里只能调用登记过的宏：{', '.join(sorted(ALLOWED_MACROS))}"))
    if found:
        return found
    try:
        tree = _env.parse(text)
    except jinja2.TemplateSyntaxError as exc:
        return [Violation(exc.lineno or 1, "S01", f"模板语法错误：{exc.message}。宏调用只能写成 {{{{ phrase(\"编号\") }}}} 这样的形式")]
    for node in tree.body:
        if isinstance(node, nodes.Output):
            for child in node.nodes:
                if isinstance(child, nodes.TemplateData):
                    continue
                problem = _check_call(child)
                if problem:
                    found.append(Violation(child.lineno, "S01", problem))
        else:
            found.append(Violation(node.lineno, "S01", f"不允许使用 {{% %}} 语句块（{_describe(node)}）。页面里只能调用登记过的宏：{', '.join(sorted(ALLOWED_MACROS))}"))
    return found


def _check_call(node) -> str | None:
    allowed = ", ".join(sorted(ALLOWED_MACROS))
    if not isinstance(node, nodes.Call) or not isinstance(node.node, nodes.Name):
        return f"{{{{ }}}} 里只能调用登记过的宏（{allowed}），不能写变量、属性、过滤器或运算（发现 {_describe(node)}）"
    name = node.node.name
    if name not in ALLOWED_MACROS:
        return f"“{name}”不是登记过的宏。可用的宏：{allowed}"
    if node.dyn_args is not None or node.dyn_kwargs is not None:
        return f"宏 {name} 不能用 * 或 ** 传参"
    for arg in node.args:
        if not _literal(arg):
            return f"宏 {name} 的参数只能是带引号的文字或数字，不能是 {_describe(arg)}"
    allowed_kw = ALLOWED_MACROS[name]
    for kw in node.kwargs:
        if not _literal(kw.value):
            return f"宏 {name} 的参数 {kw.key} 只能是带引号的文字或数字"
        if allowed_kw is not None and kw.key not in allowed_kw:
            return f"宏 {name} 不接受参数 {kw.key}"
    return None
