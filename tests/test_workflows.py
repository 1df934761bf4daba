"""The GitHub pipeline parses and keeps its safety properties."""
from __future__ import annotations

import re

import yaml

from conftest import ROOT

GH = ROOT / ".github"


def load(name):
    data = yaml.safe_load((GH / "workflows" / name).read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


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
            if "uses" in step:
                assert re.match(r"^actions/[a-z-]+@v\d+$", step["uses"]), step["uses"]
    runs = [s.get("run", "") for s in wf["jobs"]["test"]["steps"]]
    assert "make test" in runs, "the pipeline runs the README test command"
    assert any(r.startswith("make check") for r in runs)
    assert wf["jobs"]["zensical"]["continue-on-error"] is True


def test_deploy_workflow_only_from_main():
    wf = load("deploy.yml")
    assert set(wf["on"]) <= {"push", "workflow_dispatch"}
    assert wf["on"]["push"]["branches"] == ["main"]
    assert wf["permissions"]["contents"] == "read"
    runs = [s.get("run", "") for s in wf["jobs"]["build"]["steps"]]
    assert "make build" in runs


def test_codeowners_and_pr_template():
    owners = (GH / "CODEOWNERS").read_text(encoding="utf-8")
    for path in ("/macros/", "/snippets/", "/mkdocs.yml", "/.github/", "/tests/"):
        assert re.search(rf"^{re.escape(path)}\s+@\S+", owners, re.M), path
    template = (GH / "pull_request_template.md").read_text(encoding="utf-8")
    assert "投稿人自查" in template and "审阅人检查" in template
    assert template.count("- [ ]") >= 10
