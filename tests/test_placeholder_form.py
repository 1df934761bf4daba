"""The fill-in form's fields come from data/placeholders.yml: hint, numeric keypad, derived value;
a registry entry the form cannot use stops the build with the file, the line and what to write."""
from __future__ import annotations

import re

import pytest
from mkdocs.exceptions import PluginError

from conftest import ROOT
from macros import browse, data, library, pagekit


def registry_copy(tmp_path, old: str, new: str):
    (tmp_path / "data").mkdir()
    text = (ROOT / "data" / "placeholders.yml").read_text(encoding="utf-8")
    assert old in text
    (tmp_path / "data" / "placeholders.yml").write_text(text.replace(old, new, 1), encoding="utf-8")
    data.placeholders.cache_clear()
    return tmp_path


@pytest.fixture(autouse=True)
def _fresh_registry():
    yield
    data.placeholders.cache_clear()
    pagekit._checked.clear()


def test_real_registry_is_usable():
    assert pagekit.registry_problems() == []
    registry = data.placeholders()
    assert registry["下一年份"]["derive"] == "年份+1"
    assert {n for n, e in registry.items() if e.get("input") == "numeric"} >= {"年份", "下一年份"}


@pytest.mark.parametrize("old,new,words", [
    ("  input: numeric\n  derive: 年份+1", "  input: keypad\n  derive: 年份+1", ["input 只能是 numeric", "keypad"]),
    ("  derive: 年份+1", "  derive: 年度+1", ["derive", "年度+1"]),
    ("  derive: 年份+1", "  derive: 年份加一", ["derive", "年份加一"]),
    ("  hint: 计划所属的下一年份", "  hint: ''\n  old_hint: 计划所属的下一年份", ["缺少一行说明"]),
])
def test_bad_registry_entry_is_reported_with_file_and_line(tmp_path, old, new, words):
    root = registry_copy(tmp_path, old, new)
    problems = pagekit.registry_problems(root)
    assert len(problems) == 1, problems
    line = next(i for i, l in enumerate((root / "data" / "placeholders.yml").read_text(encoding="utf-8").splitlines(), 1)
                if l == "- name: 下一年份")
    assert problems[0].startswith(f"data/placeholders.yml:{line}: 占位符“下一年份”")
    for w in words:
        assert w in problems[0]


def test_bad_registry_stops_the_build_with_a_message(tmp_path, monkeypatch):
    root = registry_copy(tmp_path, "  input: numeric\n  derive: 年份+1", "  input: keypad\n  derive: 年份+1")
    monkeypatch.setattr(pagekit.registry_problems, "__defaults__", (root,))
    ex = next(e for e in browse.valid(library.load(ROOT / "docs")) if "下一年份" in e.meta["placeholders"])
    with pytest.raises(PluginError) as err:
        pagekit.fill_form(ex)
    assert "占位符登记表有错误" in str(err.value) and "data/placeholders.yml:" in str(err.value)


def test_form_fields_carry_hint_keypad_and_derivation():
    ex = next(e for e in browse.valid(library.load(ROOT / "docs")) if {"年份", "下一年份", "工会名称"} <= set(e.meta["placeholders"]))
    form = pagekit.fill_form(ex)
    registry = data.placeholders()
    fields = re.findall(r'<div class="ph-field">(.*?)</div>', form)
    assert len(fields) == len(ex.meta["placeholders"])
    for field in fields:
        name = re.search(r'data-ph="([^"]+)"', field).group(1)
        fid = re.search(r'<input id="([^"]+)"', field).group(1)
        assert f'aria-describedby="{fid}-hint"' in field
        assert f'<small id="{fid}-hint">{registry[name]["hint"]}</small>' in field
        assert ('inputmode="numeric"' in field) == (registry[name].get("input") == "numeric"), name
        assert ("data-derive=" in field) == ("derive" in registry[name]), name
    assert 'data-derive="年份+1"' in form
    assert not re.search(r"\son[a-z]+=", form), "no inline event handlers"
