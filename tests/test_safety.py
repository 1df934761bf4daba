"""Snippet inclusion is locked to snippets/, and no symlink can smuggle files in."""
from __future__ import annotations

import os
import subprocess

import yaml

from conftest import ROOT, build, copy_project


class _Loader(yaml.SafeLoader):
    pass


_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def test_snippets_configuration_is_locked_down():
    cfg = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)
    ext = next(e["pymdownx.snippets"] for e in cfg["markdown_extensions"] if isinstance(e, dict) and "pymdownx.snippets" in e)
    assert ext["base_path"] == ["snippets"]
    assert ext["check_paths"] is True and ext["url_download"] is False and ext["restrict_base_path"] is True
    macros = next(p["macros"] for p in cfg["plugins"] if isinstance(p, dict) and "macros" in p)
    assert macros["on_error_fail"] is True and macros["on_undefined"] == "strict" and macros["include_yaml"] == []


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
