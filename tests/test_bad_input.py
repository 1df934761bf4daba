"""The fixture corpus: each malformed page, dropped into docs/, is rejected with its rule id.

And the real library passes every check with zero findings.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from checks import cli, links
from conftest import FIXTURES, ROOT, build, copy_project
from helpers import docs_with

MANIFEST = yaml.safe_load((FIXTURES / "bad" / "manifest.yml").read_text(encoding="utf-8"))
TEXT_CASES = [c for c in MANIFEST if not c.get("build")]
BUILD_CASES = [c for c in MANIFEST if c.get("build")]


def test_corpus_is_large_and_covers_every_rule():
    from checks import rules
    assert len(MANIFEST) >= 40
    # C07 depends on the date and S11 on five pages: both are proved in tests/test_rules.py;
    # C08 in tests/test_corpus.py (no corpus text in the repo); the file rules by generated cases below
    generated = {rule for rule, *_ in GENERATED.values()} | {"C08"}
    assert {c["rule"] for c in MANIFEST} | generated == {r.id for r in rules.RULES if r.id not in ("F07", "L04", "C07", "S11")}


def test_real_library_has_zero_findings():
    findings = cli.check_docs(ROOT / "docs")
    assert findings == [], "\n".join(f.format() for f in findings)


@pytest.mark.parametrize("case", TEXT_CASES, ids=lambda c: c["file"][:-3])
def test_malformed_page_is_rejected_with_file_line_and_rule(tmp_path, capsys, case):
    rel = case.get("rel") or f"exemplars/{case.get('folder', 'branch')}/{case['file'].lower()}"  # page names are lower case (S06)
    pages = {rel: (FIXTURES / "bad" / case["file"]).read_text(encoding="utf-8")}
    if case.get("alongside"):
        pages["exemplars/branch/existing.md"] = (FIXTURES / case["alongside"]).read_text(encoding="utf-8")
    docs = docs_with(tmp_path, pages)
    assert cli.main(["--docs", str(docs)]) == 1
    out = capsys.readouterr().out
    assert f"docs/{rel}:" in out and f"[{case['rule']}]" in out, out
    assert "怎么改：" in out


@pytest.fixture(scope="module")
def broken_project(tmp_path_factory):
    """The real project with every link fixture dropped in, built without --strict."""
    project = copy_project(tmp_path_factory.mktemp("broken") / "project")
    (project / "docs" / "exemplars" / "branch").mkdir(parents=True, exist_ok=True)
    for case in BUILD_CASES:
        (project / "docs" / "exemplars" / "branch" / case["file"].lower()).write_text(  # page names are lower case (H01)
            (FIXTURES / "bad" / case["file"]).read_text(encoding="utf-8").replace(
                "title: 测试用工会小组季度工作小结", f"title: 测试用{case['file'][:-3]}"), encoding="utf-8")
    strict = build(project, project / "site-strict")
    loose = build(project, project / "site", strict=False)
    assert loose.returncode == 0, loose.stderr
    return project, strict


@pytest.mark.parametrize("case", BUILD_CASES, ids=lambda c: c["file"][:-3])
def test_link_fixture_fails_strict_build_and_link_check(broken_project, capsys, case):
    project, strict = broken_project
    assert strict.returncode != 0
    assert case["file"].lower() in strict.stdout + strict.stderr
    code = cli.main(["--docs", str(project / "docs"), "--site", str(project / "site")])
    out = capsys.readouterr().out
    assert code == 1
    src = f"docs/exemplars/branch/{case['file'].lower()}"
    lines = [l for l in out.splitlines() if f"[{case['rule']}]" in l and src in l]
    assert lines, out


def test_link_checker_flags_third_party_resources(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(
        '<html><head><link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto"></head>'
        '<body><img src="//cdn.example.net/a.png"><a href="https://example.net/">x</a>'
        '<div style="background:url(https://example.net/b.png)"></div><a href="#top" id="top">t</a></body></html>',
        encoding="utf-8")
    found = links.check_site(site)
    assert [f.rule for f in found] == ["L04", "L04", "L04", "L04"]
    (site / "index.html").write_text('<html><body><a href="#top" id="top">t</a><img src="a.png"></body></html>', encoding="utf-8")
    (site / "a.png").write_bytes(b"png")
    assert links.check_site(site) == []


def test_link_checker_in_worker_processes_finds_the_same(tmp_path, monkeypatch):
    site = tmp_path / "site"
    for i in range(12):
        page = site / f"p{i}" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(f'<html><body><h2 id="a{i}">x</h2><a href="../p{(i + 1) % 12}/#a{(i + 1) % 12}">next</a>'
                        f'<a href="../p{i}/missing.html">broken</a><a href="../p0/#nope">bad anchor</a></body></html>', encoding="utf-8")
    serial = links.check_site(site)
    monkeypatch.setattr(links, "PARALLEL_MIN_PAGES", 0)
    parallel = links.check_site(site)
    assert sorted(serial, key=lambda f: (f.path, f.rule)) == sorted(parallel, key=lambda f: (f.path, f.rule))
    assert [f.rule for f in parallel].count("L01") == 12 and [f.rule for f in parallel].count("L02") == 12


# Generated at test time: too large to commit, or not expressible as a text file --------------------

BASE_TEXT = (FIXTURES / "good" / "base.md").read_text(encoding="utf-8")


def _big_page() -> bytes:
    return (BASE_TEXT + ("本季度组织职工读书活动，效果良好。\n\n" * 450_000)).encode("utf-8")[: 20 * 1024 * 1024]


GENERATED = {
    # name: (rule, line, bytes of the page or None for a special file, where under docs/)
    "invalid-utf8": ("S09", 16, BASE_TEXT.replace("本季度，在", "本季度\n\xff在").encode("utf-8").replace(b"\xc3\xbf", b"\xff"), None),
    "gbk-encoded": ("S09", 2, BASE_TEXT.encode("gbk"), None),
    "bom": ("S09", 1, b"\xef\xbb\xbf" + BASE_TEXT.encode("utf-8"), None),
    "control-character": ("S09", 15, BASE_TEXT.replace("本季度，在", "本季度\x08，在").encode("utf-8"), None),
    "page-of-20-mb": ("S08", 1, None, None),
    "page-of-200000-lines": ("S08", 1, (BASE_TEXT + "\n" * 200_000).encode("utf-8"), None),  # over the byte limit first
    "page-of-5000-lines": ("S08", 3001, (BASE_TEXT + "\n" * 5_000).encode("utf-8"), None),
    "word-of-120000-letters": ("S08", 15, BASE_TEXT.replace("本季度，在", "a" * 120_000, 1).encode("utf-8"), None),
    "yaml-5000-deep": ("S08", 7, BASE_TEXT.replace("period: quarter", "period: " + "[" * 5000 + "]" * 5000).encode("utf-8"), None),
    "yaml-60-deep": ("F11", 7, BASE_TEXT.replace("period: quarter", "period: " + "[" * 60 + "]" * 60).encode("utf-8"), None),
    "symlinked-page": ("S07", 1, None, None),
    "symlinked-folder": ("S07", 1, None, None),
    "name-with-quotes": ("S06", 1, BASE_TEXT.encode("utf-8"), 'exemplars/branch/x"onfocus="alert(1)"autofocus="".md'),
    "name-with-chinese": ("S06", 1, BASE_TEXT.encode("utf-8"), "exemplars/branch/读书活动.md"),
    "folder-with-space": ("S06", 1, BASE_TEXT.encode("utf-8"), "exemplars/branch/my guides/a.md"),
    "asset-name-with-quote": ("S06", 1, None, 'assets/images/a"b.png'),
}


def make_case(tmp_path: Path, name: str) -> tuple[Path, str]:
    """docs/ holding one generated bad page; returns (docs, path of the page relative to the project)."""
    rule, line, content, where = GENERATED[name]
    docs = tmp_path / "docs"
    folder = docs / "exemplars" / "branch"
    folder.mkdir(parents=True)
    rel = where or f"exemplars/branch/{name}.md"
    page = docs / rel
    page.parent.mkdir(parents=True, exist_ok=True)
    if name == "page-of-20-mb":
        page.write_bytes(_big_page())
    elif name == "symlinked-page":
        page.symlink_to(ROOT / "tests" / "fixtures" / "good" / "base.md")
    elif name == "symlinked-folder":
        (tmp_path / "outside").mkdir()
        (tmp_path / "outside" / "a.md").write_text(BASE_TEXT, encoding="utf-8")
        page = folder / "linked"
        page.symlink_to(tmp_path / "outside", target_is_directory=True)
        rel = "exemplars/branch/linked"
    elif name == "asset-name-with-quote":
        page.write_bytes(b"\x89PNG")
    else:
        page.write_bytes(content)
    return docs, "docs/" + rel


@pytest.mark.parametrize("name", list(GENERATED))
def test_generated_bad_input_is_refused_with_file_line_and_rule(tmp_path, name):
    """Through the real command line, in a subprocess: a clear finding, never a traceback or a hang
    (the timeout only guards against a hang; bench/bad_input.py measures the time)."""
    rule, line, _, _ = GENERATED[name]
    docs, rel = make_case(tmp_path, name)
    result = subprocess.run([sys.executable, "-m", "checks", "--docs", str(docs)], cwd=ROOT, capture_output=True,
                            text=True, timeout=120, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    assert "Traceback" not in out, out
    assert f"{rel}:{line}: [{rule}]" in out, out
    assert "怎么改：" in out


def test_generated_cases_cover_the_file_rules():
    assert {"S06", "S07", "S08", "S09", "F11"} <= {rule for rule, *_ in GENERATED.values()}
