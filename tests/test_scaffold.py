"""A new contributor's path: scaffold a template, get clear errors, fill it, pass the check."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

from checks import cli
from conftest import ROOT
from macros import data, library
import scaffold

FILLER = ("本单位按照年初确定的目标，一项一项推进落实，全年组织各类活动12场，参加职工860人次。"
          "工作中注重听取职工意见，及时改进服务方式，职工满意度达到92%。")


def fill(text: str, min_chars: int = 0) -> str:
    """What a contributor does: replace every hint with real text (enough of it for the genre's length)."""
    hints = max(len(re.findall(r"〔待填写：", text)), 1)
    repeat = max(1, -(-int(min_chars * 1.5) // (max(hints - 4, 1) * 150)))
    text = text.replace("〔待填写：一句话说明", "测试用范文，说明")
    text = re.sub(r"description: 测试用范文，说明(.*?)。〕", r"description: 测试用范文，说明\1。", text)
    text = re.sub(r"（汇报事项〕|〔待填写：汇报事项〕", "职工服务工作", text)
    text = re.sub(r"〔待填写：事项〕", "职工读书活动", text)
    text = re.sub(r"^(#{2,3} .*?)〔待填写：[^〕]*〕", lambda m: m.group(1) + "抓实重点工作", text, flags=re.M)
    return re.sub(r"〔待填写：[^〕]*〕", (FILLER + FILLER.replace("12场", "8场").replace("860", "540") + FILLER.replace("92%", "95%")) * repeat, text)


@pytest.mark.parametrize("doctype", data.taxonomy().slugs("doctypes"))
def test_scaffold_then_fill_passes_every_check(tmp_path, doctype):
    docs = tmp_path / "docs"
    code = scaffold.main(["--level", "county", "--doctype", doctype, "--themes", "rights,finance",
                          "--title", "测试用区县总工会文稿骨架", "--docs", str(docs)])
    assert code == 0
    path = docs / "exemplars" / "county" / f"{doctype}.md"
    library._cache.clear()
    unfilled = {f.rule for f in cli.check_docs(docs)}
    assert "D06" in unfilled
    low, _ = data.length_range({"doctype": doctype, "level": "county", "period": scaffold.skeletons()[doctype]["period"]})
    path.write_text(fill(path.read_text(encoding="utf-8"), low), encoding="utf-8")
    library._cache.clear()
    findings = cli.check_docs(docs)
    assert findings == [], "\n".join(f.format() for f in findings)


def test_second_scaffold_gets_a_new_name(tmp_path):
    docs = tmp_path / "docs"
    args = ["--level", "school", "--doctype", "plan", "--themes", "training", "--title", "测试用学校工会工作计划", "--docs", str(docs)]
    assert scaffold.main(args) == 0 and scaffold.main(args) == 0
    assert sorted(p.name for p in (docs / "exemplars" / "school").iterdir()) == ["plan-2.md", "plan.md"]


def test_bad_arguments_are_explained(tmp_path, capsys):
    code = scaffold.main(["--level", "city", "--doctype", "essay", "--themes", "poetry", "--title", "短", "--docs", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2
    for word in ("层级“city”不存在", "文种“essay”不存在", "poetry", "标题要在6到40个字之间"):
        assert word in err
    assert not any(tmp_path.rglob("*.md"))


def test_make_new_command_runs(tmp_path):
    """The Makefile target a contributor types, end to end, into a scratch docs folder."""
    result = subprocess.run([sys.executable, "-m", "scaffold", "--level", "organ", "--doctype", "notice", "--themes", "recuperation",
                             "--title", "测试用机关工会通知", "--docs", str(tmp_path / "docs")], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "docs" / "exemplars" / "organ" / "notice.md").exists()
    assert "make check" in result.stdout
