"""The fixture corpus: each malformed page, dropped into docs/, is rejected with its rule id.

And the real library passes every check with zero findings.
"""
from __future__ import annotations


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
    assert {c["rule"] for c in MANIFEST} == {r.id for r in rules.RULES if r.id not in ("F07", "L04")}


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
        (project / "docs" / "exemplars" / "branch" / case["file"].lower()).write_text(
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
