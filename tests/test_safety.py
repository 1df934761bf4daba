"""Snippet inclusion is locked to snippets/, and no symlink can smuggle files in."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
import yaml

from conftest import ENV, MKDOCS, ROOT, build, copy_project


class _Loader(yaml.SafeLoader):
    pass


_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def test_snippets_configuration_is_locked_down():
    cfg = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)
    ext = next(e["pymdownx.snippets"] for e in cfg["markdown_extensions"] if isinstance(e, dict) and "pymdownx.snippets" in e)
    assert ext["base_path"] == ["snippets"]
    assert ext["check_paths"] is True and ext["url_download"] is False and ext["restrict_base_path"] is True
    # no template engine at render time: the pipeline expands the allowed macros itself (pipeline/generate.py)
    assert not [p for p in cfg["plugins"] if (next(iter(p)) if isinstance(p, dict) else p) == "macros"]


def test_no_symlinks_in_the_repository():
    tracked = subprocess.run(["git", "ls-files", "-s"], cwd=ROOT, capture_output=True, text=True).stdout
    assert [l for l in tracked.splitlines() if l.startswith("120000")] == []
    # also files not committed yet, unless git ignores them (tool folders such as .venv)
    candidates = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True, text=True).stdout
    assert [p for p in candidates.splitlines() if os.path.islink(ROOT / p)] == []


def test_build_refuses_snippet_outside_snippets(tmp_path):
    project = copy_project(tmp_path / "project")
    page = project / "docs" / "leak.md"
    page.write_text("---\ntitle: 测试\ndescription: 试图读取仓库里其他文件的页面。\n---\n\n# 测试\n\n--8<-- \"../mkdocs.yml\"\n", encoding="utf-8")
    result = build(project, project / "site")
    assert result.returncode != 0
    assert "leak.md" in result.stdout + result.stderr or "mkdocs.yml" in result.stdout + result.stderr
    assert not (project / "site" / "leak" / "index.html").exists() or "site_name" not in (project / "site" / "leak" / "index.html").read_text(encoding="utf-8")


def test_build_refuses_snippet_through_a_symlink(tmp_path):
    project = copy_project(tmp_path / "project")
    (project / "snippets" / "shared" / "secret.md").symlink_to(project / "mkdocs.yml")
    page = project / "docs" / "leak.md"
    page.write_text("---\ntitle: 测试\ndescription: 通过符号链接读取仓库里其他文件的页面。\n---\n\n# 测试\n\n--8<-- \"shared/secret.md\"\n", encoding="utf-8")
    result = build(project, project / "site", strict=False)
    assert result.returncode != 0
    assert "snippets/shared/secret.md" in result.stdout + result.stderr
    assert not (project / "site" / "leak" / "index.html").exists()


# One front-matter reader: MkDocs never sees keys the checker did not ---------------------------------

DELIMITERS = ["---", "  ---", "--- ", "---\t", "\t---", "...", " ...", "----", "- - -", "---x"]
PAYLOAD = "title: 第二个标题\nrender_macros: true\nhide: [navigation]\nsearch:\n  exclude: true\n"


def _variants():
    head = "---\ntitle: 测试页面\ndescription: 一个测试页面。\n"
    for d in DELIMITERS:
        yield f"{head}{d}\n{PAYLOAD}---\n\n# 正文\n"
        yield f"{d}\n{PAYLOAD}---\n\n# 正文\n"
    yield "title: 多级标记\nrender_macros: true\n\n# 正文\n"  # MultiMarkdown-style metadata
    yield f"{head}---"  # closing line without a line break
    yield f"{head}---\r\n{PAYLOAD}"


@pytest.mark.parametrize("source", list(_variants()))
def test_checker_and_mkdocs_read_the_same_metadata(source):
    """Either our reader refuses the page, or MkDocs, given the same text, finds exactly our keys;
    and what the build hands MkDocs (frontmatter.canonical) gives MkDocs exactly our metadata."""
    from mkdocs.utils.meta import get_data
    from macros import frontmatter
    try:
        parsed = frontmatter.parse(frontmatter.decode(source.encode("utf-8")))
    except frontmatter.FrontMatterError as exc:
        assert exc.rule in ("F01", "F10", "F11") and exc.line >= 1
        return
    mk_body, mk_meta = get_data(source.replace("\r\n", "\n"))
    assert set(mk_meta) == set(parsed.meta), (mk_meta, parsed.meta)
    assert get_data(frontmatter.canonical(parsed)) == (parsed.body.lstrip("\n"), parsed.meta)


def test_keys_after_an_indented_delimiter_refuse_the_build(tmp_path):
    project = copy_project(tmp_path / "project")
    page = project / "docs" / "guides" / "differential.md"
    page.write_text("---\ntitle: 测试指南\ndescription: 一篇写作指南。\n  ---\ntitle: 另一个标题\nrender_macros: true\n"
                    "hide: [navigation]\nsearch:\n  exclude: true\n---\n\n# 测试指南\n", encoding="utf-8")
    result = build(project, project / "site")
    out = result.stdout + result.stderr
    assert result.returncode != 0
    assert "docs/guides/differential.md:4: [F10]" in out, out
    assert not (project / "site" / "guides" / "differential" / "index.html").exists()


def test_build_refuses_symlinked_page_and_bad_name(tmp_path):
    project = copy_project(tmp_path / "project")
    (project / "docs" / "guides" / "linked.md").symlink_to(project / "docs" / "guides" / "index.md")
    result = build(project, project / "site")
    assert result.returncode != 0 and "docs/guides/linked.md" in result.stdout + result.stderr
    assert "S07" in result.stdout + result.stderr or "H03" in result.stdout + result.stderr  # H03: the same refusal by safety.sources
    (project / "docs" / "guides" / "linked.md").unlink()
    bad = project / "docs" / "guides" / 'x"onfocus="alert(1)"autofocus="".md'
    bad.write_text("---\ntitle: 测试\ndescription: 测试。\n---\n\n# 测试\n", encoding="utf-8")
    result = build(project, project / "site")
    assert result.returncode != 0 and ("[S06]" in result.stdout + result.stderr or "[H01]" in result.stdout + result.stderr)


def test_checker_refuses_symlinks_anywhere_under_docs(tmp_path):
    from checks import cli
    from helpers import BASE, docs_with
    docs = docs_with(tmp_path, {"exemplars/branch/test-page.md": BASE})
    (docs / "exemplars" / "branch" / "linked.md").symlink_to("/etc/hostname")
    (docs / "assets").mkdir()
    (docs / "assets" / "images").symlink_to("/etc", target_is_directory=True)
    found = {(f.path, f.rule) for f in cli.check_docs(docs)}
    assert ("docs/exemplars/branch/linked.md", "S07") in found
    assert ("docs/assets/images", "S07") in found


# The project root is not first on sys.path ------------------------------------------------------------

HOSTILE = ("docx", "rjieba", "yaml", "jsonschema", "opencc", "jinja2", "markdown")


def test_stray_modules_in_the_checkout_are_never_imported(tmp_path):
    """A pull request that adds docx.py, rjieba.py or yaml.py at the root must not run it during
    the check, the build (as `make build` and as the tests run it) or the test suite."""
    project = copy_project(tmp_path / "project")
    for name in HOSTILE:
        (project / f"{name}.py").write_text(
            f"import pathlib\npathlib.Path(__file__).with_name('RAN-{name}').write_text('ran')\nraise SystemExit('hostile {name}')\n",
            encoding="utf-8")
    bindir = os.path.dirname(sys.executable)
    runs = [
        [sys.executable, "-m", "checks"],                                            # make check / make fix
        [sys.executable, "-m", "scaffold", "--help"],                                # make new
        [os.path.join(bindir, "python"), "-m", "pipeline", "build", "--site", str(project / "site")],  # make build, the tests' build()
        [os.path.join(bindir, "mkdocs"), "build", "--strict", "-d", str(project / "site2")],  # mkdocs itself, through the hook adapter
        [sys.executable, "-P", "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_corpus.py", "-k", "well_formed"],  # make test
    ]
    for cmd in runs:
        result = subprocess.run(cmd, cwd=project, capture_output=True, text=True, env=ENV, timeout=900)
        assert result.returncode == 0, (cmd, result.stdout[-2000:], result.stderr[-2000:])
    assert sorted(p.name for p in project.glob("RAN-*")) == []
    assert (project / "site" / "index.html").exists()


def test_make_targets_do_not_put_the_checkout_first():
    make = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "$(BIN)/python -P -m pytest" in make
    assert "$(BIN)/python -m pipeline build" in make and "$(BIN)/python -m pipeline serve" in make
    for module in ("hooks/site.py", "pipeline/__init__.py"):  # the project's folder goes last, never first
        assert "sys.path.insert(0" not in (ROOT / module).read_text(encoding="utf-8")


# make check sees Chinese, quoted and spaced file names --------------------------------------------------

def test_make_check_handles_chinese_and_quoted_file_names(tmp_path):
    project = copy_project(tmp_path / "project")
    git = lambda *a: subprocess.run(["git", *a], cwd=project, capture_output=True, text=True, check=True)
    git("init", "-q", "-b", "main")
    git("-c", "user.name=t", "-c", "user.email=t@example.invalid", "add", "-A")
    git("-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", "base")
    base = (ROOT / "tests" / "fixtures" / "good" / "base.md").read_text(encoding="utf-8")
    names = ["读书活动.md", 'say "hi".md', "with space.md"]
    for n in names:
        (project / "docs" / "exemplars" / "branch" / n).write_text(base.replace("测试用工会小组季度工作小结", "测试用" + str(len(n)) + "工会小组季度工作小结"), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "checks", "--changed", "--base", "HEAD"], cwd=project, capture_output=True, text=True, env=ENV, timeout=600)
    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    assert "没有改动" not in out
    for n in names:
        assert f"docs/exemplars/branch/{n}:1: [S06]" in out, out
    git("-c", "user.name=t", "-c", "user.email=t@example.invalid", "add", "-A")
    git("-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", "names")
    result = subprocess.run([sys.executable, "-m", "checks", "--changed", "--base", "HEAD~1"], cwd=project, capture_output=True, text=True, env=ENV, timeout=600)
    assert all(f"docs/exemplars/branch/{n}:1: [S06]" in result.stdout for n in names), result.stdout
