"""Macros and the template allowlist: plain functions, and the build refusing unsafe pages."""
from __future__ import annotations


import pytest

from conftest import ROOT, build, copy_project
from macros import data, guard, phrases


def test_phrase_fills_defaults_page_vars_and_arguments():
    bank = data.phrase_bank()
    block = bank.blocks["closing-01"]
    assert "{self}" in block.text and "{party}" in block.text
    text = phrases.render_phrase("closing-01")
    assert "我会" in text and "【同级党委】" in text and "{" not in text
    text = phrases.render_phrase("closing-01", {"self": "我院工会"}, party="院党委")
    assert "我院工会" in text and "院党委" in text and "【同级党委】" not in text


def test_phrase_errors_explain_the_fix():
    with pytest.raises(phrases.PhraseError, match="没有编号"):
        phrases.render_phrase("no-such-id")
    with pytest.raises(phrases.PhraseError, match="不接受参数"):
        phrases.render_phrase("closing-01", colour="红")
    with_params = next(b for b in data.phrase_bank().blocks.values() if b.params)
    with pytest.raises(phrases.PhraseError, match="需要参数"):
        phrases.render_phrase(with_params.id)
    filled = phrases.render_phrase(with_params.id, **{p: "12" for p in with_params.params})
    assert "{" not in filled


def test_phrase_bank_size_and_functions():
    bank = data.phrase_bank()
    assert len(bank.blocks) >= 150
    general = [f for f in bank.functions if f.slug != "theme"]
    assert len(general) >= 12
    for fn in general:
        assert len(bank.by_function(fn.slug)) >= 5, fn.slug
    assert len({t for b in bank.by_function("theme") for t in b.themes}) >= 25


def test_guiding_reads_the_era_file():
    assert phrases.guiding() == data.era()["guiding"]["full"]["text"]
    assert phrases.guiding("short") == data.era()["guiding"]["short"]["text"]
    with pytest.raises(phrases.PhraseError):
        phrases.guiding("old")


@pytest.mark.parametrize("text", [
    "{{ phrase(\"closing-01\") }}", "{{ guiding() }}", "{{ guiding(\"short\") }}",
    "{{ phrase(\"closing-01\", self=\"我校工会\") }}", "没有模板代码的正文。",
])
def test_guard_allows_registered_calls_with_literals(text):
    assert guard.check(text) == []


@pytest.mark.parametrize("text", [
    "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ config }}", "{{ page.meta }}", "{{ phrase(x) }}", "{{ phrase('a')|safe }}",
    "{{ phrase(*args) }}", "{{ guiding(form=1) }}", "{{ 7*7 }}", "{{ range(3) }}",
    "{% set x = 1 %}", "{% include 'mkdocs.yml' %}", "{% raw %}{{ x }}{% endraw %}",
    "## 标题 {#id}", "{{ phrase('a').__class__ }}", "{{ now() }}", "{{ macros_info() }}",
])
def test_guard_refuses_everything_else(text):
    assert guard.check(text), text


@pytest.fixture(scope="module")
def attacked(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("attack") / "project")
    marker = project / "PWNED"
    payload = "{{ lipsum.__globals__['os'].popen('touch " + str(marker) + "').read() }}"
    return project, marker, payload


@pytest.mark.parametrize("where", ["exemplar", "guide", "title"])
def test_build_refuses_shell_payload_and_never_runs_it(attacked, where):
    project, marker, payload = attacked
    base = (ROOT / "tests" / "fixtures" / "good" / "base.md").read_text(encoding="utf-8")
    pages = {
        "exemplar": ("exemplars/branch/evil.md", base.replace("{: .signoff }\n\n【成文日期】", "{: .signoff }\n\n" + payload + "\n\n【成文日期】", 1)),
        "guide": ("evil-guide.md", "---\ntitle: 说明\ndescription: 一个带攻击代码的普通页面。\n---\n\n# 说明\n\n" + payload + "\n"),
        "title": ("evil-title.md", "---\ntitle: \"" + payload.replace('"', "'") + "\"\ndescription: 标题里带攻击代码的页面。\n---\n\n正文。\n"),
    }
    rel, text = pages[where]
    path = project / "docs" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    try:
        result = build(project, project / "site")
    finally:
        path.unlink()
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert not marker.exists(), "the payload ran"
    # a title is refused even earlier, as front matter that is not plain text (F09: its quotes)
    assert ("S01" in output or (where == "title" and "[F09]" in output)) and rel in output, output[-2000:]


def test_a_fix_to_a_phrase_block_reaches_every_page_that_uses_it(tmp_path):
    """Edit one block in snippets/, rebuild: every exemplar calling it shows the new wording (no stale cache)."""
    import collections
    import re
    project = copy_project(tmp_path / "project")
    pages = list((project / "docs" / "exemplars").rglob("*.md"))
    calls = collections.Counter(i for p in pages for i in set(re.findall(r'phrase\("([a-z-]+-\d+)"', p.read_text(encoding="utf-8"))))
    block_id = calls.most_common(1)[0][0]  # the block used by the most exemplars
    users = [p for p in pages if f'phrase("{block_id}"' in p.read_text(encoding="utf-8")]
    assert len(users) >= 2
    assert build(project, project / "site").returncode == 0
    block = data.phrase_bank().blocks[block_id]
    phrases_file = project / block.source
    text = phrases_file.read_text(encoding="utf-8")
    old = block.text
    phrases_file.write_text(text.replace(old, "{self}将总结经验、补齐短板，把每一项承诺落到实处，让职工看得见、摸得着。"), encoding="utf-8")
    result = build(project, project / "site")
    assert result.returncode == 0, result.stdout[-2000:]
    for page in users:
        rel = page.relative_to(project / "docs").as_posix()[:-3]
        html = (project / "site" / rel / "index.html").read_text(encoding="utf-8")
        assert "让职工看得见、摸得着" in html, rel
