"""Phrase-bank rendering: the plain functions behind the phrase() and guiding() macros."""
from __future__ import annotations

import re
from pathlib import Path

import jinja2

from . import data

VAR = re.compile(r"\{(\w+)\}")


class PhraseError(Exception):
    pass


def render_phrase(block_id: str, page_vars: dict | None = None, root: Path = data.ROOT, **kwargs) -> str:
    """Return the text of phrase block `block_id` with its variables filled.

    Variables come, in rising priority, from the standard defaults, the page's
    `phrase_vars` front matter and the call's keyword arguments.
    """
    bank = data.phrase_bank(root)
    block = bank.blocks.get(block_id)
    if block is None:
        raise PhraseError(f"句式库里没有编号为“{block_id}”的句式，请到“句式库”页面核对编号")
    allowed = set(data.STANDARD_VARS) | set(block.params)
    for key in kwargs:
        if key not in allowed:
            raise PhraseError(f"句式“{block_id}”不接受参数 {key}；可用参数：{', '.join(sorted(allowed))}")
    values = {**data.STANDARD_VARS, **(page_vars or {}), **{k: str(v) for k, v in kwargs.items()}}
    missing = [p for p in block.params if p not in values]
    if missing:
        raise PhraseError(
            f"句式“{block_id}”需要参数 {', '.join(missing)}（{', '.join(block.params[p] for p in missing)}），"
            f"例如 {{{{ phrase(\"{block_id}\", {missing[0]}=\"…\") }}}}"
        )
    return VAR.sub(lambda m: values.get(m.group(1), m.group(0)), block.text)


def guiding(form: str = "full", root: Path = data.ROOT) -> str:
    """The current guiding-ideology wording from data/era.yml (no final 。)."""
    forms = data.era(root)["guiding"]
    if form not in forms:
        raise PhraseError(f"guiding() 的写法只能是 {', '.join(forms)}，不能是“{form}”")
    return forms[form]["text"]


GUIDING_CALL = re.compile(r"\{\{\s*guiding\(\s*(?:\"([^\"]*)\"|'([^']*)')?\s*\)\s*\}\}")


def expired_forms(text: str, today, root: Path = data.ROOT) -> list[tuple[int, str, str]]:
    """(line index, form, until) of every guiding() call in `text` whose form is no longer valid on `today`."""
    forms = data.era(root)["guiding"]
    found = []
    for m in GUIDING_CALL.finditer(text):
        form = m.group(1) or m.group(2) or "full"
        entry = forms.get(form)
        end = entry and entry.get("valid_until")
        if end and today > end:
            found.append((text.count("\n", 0, m.start()), form, str(entry.get("until", ""))))
    return found


_ENV = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True, autoescape=False)


def expand(text: str, page_vars: dict | None = None, root: Path = data.ROOT) -> str:
    """Render the (already allowlisted) macro calls in `text`, keeping line numbers."""
    if "{{" not in text:
        return text
    return _ENV.from_string(text).render(
        phrase=lambda block_id, **kw: render_phrase(block_id, page_vars, root, **kw),
        guiding=lambda form="full": guiding(form, root),
    )
