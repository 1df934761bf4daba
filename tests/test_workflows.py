"""The GitHub pipeline parses and keeps its safety properties."""
from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest
import yaml

from conftest import ROOT

GH = ROOT / ".github"
PINNED = re.compile(r"^[A-Za-z0-9-]+/[A-Za-z0-9._-]+@[0-9a-f]{40}$")


def load(name):
    data = yaml.safe_load((GH / "workflows" / name).read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def steps(wf):
    return [s for job in wf["jobs"].values() for s in job.get("steps", [])]


@pytest.mark.parametrize("name", ["test.yml", "deploy.yml"])
def test_every_action_is_pinned_by_commit_sha(name):
    text = (GH / "workflows" / name).read_text(encoding="utf-8")
    uses = [s["uses"] for s in steps(load(name)) if "uses" in s]
    assert uses
    for u in uses:
        assert PINNED.match(u), u
        line = next(l for l in text.splitlines() if u in l)
        assert re.search(r"# v\d+\.\d+\.\d+$", line), line  # the tag the SHA was taken from


def test_pull_request_workflow_is_safe():
    wf = load("test.yml")
    text = (GH / "workflows" / "test.yml").read_text(encoding="utf-8")
    assert "pull_request" in wf["on"] and "pull_request_target" not in wf["on"]
    assert "pull_request_target" not in text
    assert wf["permissions"] == {"contents": "read"}
    assert "secrets." not in text
    for job in wf["jobs"].values():
        assert "permissions" not in job or job["permissions"] == {"contents": "read"}
        for step in job["steps"]:
            if step.get("uses", "").startswith("actions/checkout"):
                assert step["with"]["persist-credentials"] is False
            assert "${{ github.event" not in step.get("run", ""), "event data only through env, never in a script"
    runs = [s.get("run", "") for s in wf["jobs"]["test"]["steps"]]
    assert "make test" in runs, "the pipeline runs the README test command"
    assert any(r.startswith("make check") for r in runs)
    assert wf["jobs"]["zensical"]["continue-on-error"] is True


def test_deploy_builds_without_write_permissions():
    wf = load("deploy.yml")
    assert set(wf["on"]) <= {"push", "workflow_dispatch"}
    assert wf["on"]["push"]["branches"] == ["main"]
    assert wf["permissions"] == {}
    jobs = wf["jobs"]
    assert jobs["build"]["permissions"] == {"contents": "read"}
    runs = [s.get("run", "") for s in jobs["build"]["steps"]]
    assert "make build" in runs
    assert any(s.get("uses", "").startswith("actions/upload-pages-artifact@") for s in jobs["build"]["steps"])
    assert jobs["deploy"]["needs"] == "build"
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    # the job that can write runs no project code: no checkout, no run step
    assert [s["uses"].split("@")[0] for s in jobs["deploy"]["steps"]] == ["actions/deploy-pages"]
    for name, job in jobs.items():
        writes = {k for k, v in job.get("permissions", {}).items() if v == "write"}
        assert not writes or name == "deploy", name
        if any("run" in s or s.get("uses", "").startswith("actions/checkout") for s in job["steps"]):
            assert not writes, name


def test_codeowners_and_pr_template():
    owners = (GH / "CODEOWNERS").read_text(encoding="utf-8")
    rules = [l.split() for l in owners.splitlines() if l.strip() and not l.startswith("#")]
    assert rules[0][0] == "*" and rules[0][1].startswith("@"), "a default owner for every path"
    for path in ("/docs/", "/pytest.ini", "/tests/conftest.py", "/docs/assets/javascripts/writer.js",
                 "/macros/", "/snippets/", "/mkdocs.yml", "/.github/", "/tests/"):
        assert re.search(rf"^{re.escape(path)}\s+@\S+", owners, re.M), path
    assert all(len(r) >= 2 for r in rules), "no rule that removes the owners of a path"
    template = (GH / "pull_request_template.md").read_text(encoding="utf-8")
    assert "投稿人自查" in template and "审阅人检查" in template
    assert template.count("- [ ]") >= 10


# The policy job, run for real on a throw-away repository ------------------------------------------------

def policy_script() -> str:
    job = load("test.yml")["jobs"]["policy"]
    assert job["if"] == "github.event_name == 'pull_request'"
    return next(s["run"] for s in job["steps"] if "run" in s)


@pytest.fixture
def repo(tmp_path):
    git = lambda *a: subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *a],
                                    cwd=tmp_path, capture_output=True, text=True, check=True).stdout.strip()
    git("init", "-q", "-b", "main")
    (tmp_path / "docs" / "exemplars" / "branch").mkdir(parents=True)
    (tmp_path / "docs" / "exemplars" / "branch" / "a.md").write_text("a\n", encoding="utf-8")
    git("add", "-A")
    git("commit", "-q", "-m", "base")
    return tmp_path, git


def run_policy(path, base, head, association="CONTRIBUTOR", approved="false"):
    env = {**os.environ, "BASE_SHA": base, "HEAD_SHA": head, "AUTHOR_ASSOCIATION": association,
           "APPROVED": approved, "RUNNER_TEMP": str(path.parent)}
    return subprocess.run(["bash", "-c", policy_script()], cwd=path, env=env, capture_output=True, text=True, timeout=60)


def commit(repo, files: dict[str, str]) -> tuple[str, str]:
    path, git = repo
    base = git("rev-parse", "HEAD")
    for rel, text in files.items():
        (path / rel).parent.mkdir(parents=True, exist_ok=True)
        (path / rel).write_text(text, encoding="utf-8")
    git("add", "-A")
    git("commit", "-q", "-m", "change")
    return base, git("rev-parse", "HEAD")


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash")
def test_policy_passes_content_only_changes(repo):
    base, head = commit(repo, {"docs/exemplars/branch/读书活动.md": "x\n", "docs/assets/images/a.png": "png"})
    result = run_policy(repo[0], base, head)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("rel", ["docx.py", "rjieba.py", "docs/index.md", "docs/exemplars.md", "pytest.ini",
                                 "tests/conftest.py", "docs/assets/javascripts/writer.js", ".github/workflows/test.yml",
                                 "docs/guides/读书 \"指南\".md"])
def test_policy_lists_other_paths_and_fails_without_a_maintainer(repo, rel):
    base, head = commit(repo, {"docs/exemplars/branch/b.md": "b\n", rel: "x\n"})
    result = run_policy(repo[0], base, head)
    assert result.returncode == 1
    assert f"  {rel}" in result.stdout.splitlines(), result.stdout
    assert "docs/exemplars/branch/b.md" not in result.stdout
    assert run_policy(repo[0], base, head, approved="true").returncode == 0
    assert run_policy(repo[0], base, head, association="MEMBER").returncode == 0
