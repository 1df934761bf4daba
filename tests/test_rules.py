"""Every rule, by its stable id: a bad example that triggers it and a good one that does not."""
from __future__ import annotations

import pytest

from checks import lint, rules
from helpers import BASE, ROOT, insert_paragraph, replace_front, rules_for

# C06 compares pages; C07 needs corpus text (tests/test_corpus.py); S06-S09 are about the file, not its text
# (tests/test_bad_input.py).
NOT_BODY = {"C06", "C07", "S06", "S07", "S08", "S09"}
BODY_RULES = [r for r in rules.RULES if r.group in ("T", "C", "P", "S") and r.id not in NOT_BODY]


def test_base_fixture_is_clean(tmp_path):
    assert rules_for(tmp_path, BASE) == set()


@pytest.mark.parametrize("rule", BODY_RULES, ids=lambda r: r.id)
def test_body_rule_bad_example_is_caught(tmp_path, rule):
    assert rule.id in rules_for(tmp_path, insert_paragraph(BASE, rule.bad))


@pytest.mark.parametrize("rule", BODY_RULES, ids=lambda r: r.id)
def test_body_rule_good_example_passes(tmp_path, rule):
    assert rule.id not in rules_for(tmp_path, insert_paragraph(BASE, rule.good))


# Front matter -------------------------------------------------------------------

def test_F01_yaml_that_does_not_parse(tmp_path):
    assert "F01" in rules_for(tmp_path, replace_front(BASE, "themes: [culture-sports, training]", "themes: [culture-sports, training"))
    assert "F01" not in rules_for(tmp_path, BASE)


def test_F02_missing_required_field(tmp_path):
    assert "F02" in rules_for(tmp_path, replace_front(BASE, "period: quarter\n", ""))
    assert "F02" not in rules_for(tmp_path, BASE)


def test_F03_unknown_field(tmp_path):
    assert "F03" in rules_for(tmp_path, replace_front(BASE, "period: quarter\n", "period: quarter\ntags: [维权]\n"))
    assert "F03" in rules_for(tmp_path, replace_front(BASE, "  self: 本小组", "  self: 本小组\n  boss: 主任"))
    assert "F03" not in rules_for(tmp_path, BASE)


@pytest.mark.parametrize("old,new", [
    ("level: branch", "level: city"),
    ("doctype: campaign-summary", "doctype: essay"),
    ("themes: [culture-sports, training]", "themes: [culture-sports, poetry]"),
    ("period: quarter", "period: decade"),
    ("placeholders: [单位名称, 年份, 上级工会, 成文日期]", "placeholders: [单位名称, 年份, 上级工会, 成文日期, 厂长姓名]"),
])
def test_F04_value_outside_vocabulary(tmp_path, old, new):
    assert "F04" in rules_for(tmp_path, replace_front(BASE, old, new))


def test_F04_good_values_pass(tmp_path):
    assert "F04" not in rules_for(tmp_path, replace_front(BASE, "level: branch", "level: branch\nsector: manufacturing"))


def test_F05_folder_must_match_level(tmp_path):
    assert "F05" in rules_for(tmp_path, BASE, rel="exemplars/county/test-page.md")
    assert "F05" in rules_for(tmp_path, BASE, rel="exemplars/branch/extra/test-page.md")
    assert "F05" not in rules_for(tmp_path, BASE, rel="exemplars/branch/test-page.md")


def test_F06_placeholders_declared_and_registered(tmp_path):
    undeclared = insert_paragraph(BASE, "本季度由【职工人数】名职工参加。")
    assert "F06" in rules_for(tmp_path, undeclared)
    unregistered = insert_paragraph(BASE, "由【车间主任】负责。")
    assert "F06" in rules_for(tmp_path, unregistered)
    unused = replace_front(BASE, "成文日期]", "成文日期, 会员人数]")
    assert "F06" in rules_for(tmp_path, unused)
    declared = replace_front(undeclared, "成文日期]", "成文日期, 职工人数]")
    assert "F06" not in rules_for(tmp_path, declared)


def test_F07_duplicate_titles(tmp_path):
    from helpers import docs_with
    from checks import cli
    docs = docs_with(tmp_path, {"exemplars/branch/a.md": BASE, "exemplars/branch/b.md": BASE})
    assert "F07" in {f.rule for f in cli.check_docs(docs)}
    other = BASE.replace("title: 测试用工会小组季度工作小结", "title: 测试用工会小组季度工作小结（二）")
    docs = docs_with(tmp_path, {"exemplars/branch/a.md": BASE, "exemplars/branch/b.md": other})
    assert "F07" not in {f.rule for f in cli.check_docs(docs)}


def test_F08_wrong_type(tmp_path):
    assert "F08" in rules_for(tmp_path, replace_front(BASE, "themes: [culture-sports, training]", "themes: culture-sports"))
    assert "F08" in rules_for(tmp_path, replace_front(BASE, "title: 测试用工会小组季度工作小结", "title: 小结"))
    assert "F08" not in rules_for(tmp_path, BASE)


# Structure ------------------------------------------------------------------------

def test_D01_document_title(tmp_path):
    assert "D01" in rules_for(tmp_path, BASE.replace("# 【单位名称】工会小组", "【单位名称】工会小组", 1))
    assert "D01" not in rules_for(tmp_path, BASE)


def test_D02_signoff(tmp_path):
    assert "D02" in rules_for(tmp_path, BASE.replace("{: .signoff }", ""))
    assert "D02" not in rules_for(tmp_path, BASE)


def test_D03_review(tmp_path):
    assert "D03" in rules_for(tmp_path, BASE.replace('!!! tip "写法点评"', '!!! note "说明"'))
    assert "D03" not in rules_for(tmp_path, BASE)


@pytest.mark.parametrize("old,new", [
    ("## 二、取得的效果", "## 三、取得的效果"),          # gap
    ("## 三、存在的不足", "## 二、存在的不足"),          # repeat
    ("### （二）交流形式多样", "### （三）交流形式多样"),  # gap at level 2
    ("2.建立流动书箱", "3.建立流动书箱"),                # gap at level 3
    ("2.建立流动书箱", "2、建立流动书箱"),               # wrong form
    ("### （二）交流形式多样", "### （二）、交流形式多样"),  # extra 顿号
    ("## 四、下一步打算", "### 四、下一步打算"),          # level jump
])
def test_D04_numbering(tmp_path, old, new):
    assert "D04" in rules_for(tmp_path, BASE.replace(old, new, 1))


def test_D04_numbering_restarts_under_each_parent(tmp_path):
    # level 3 restarts under every level 2 heading in the base page
    assert "D04" not in rules_for(tmp_path, BASE)


def test_D05_length(tmp_path):
    short = BASE.split("## 一、主要做法")[0] + "【单位名称】\n{: .signoff }\n\n【成文日期】\n{: .signoff }\n\n" + BASE[BASE.index('!!! tip'):]
    short = short.replace("placeholders: [单位名称, 年份, 上级工会, 成文日期]", "placeholders: [单位名称, 年份, 上级工会, 成文日期]")
    assert "D05" in rules_for(tmp_path, short)
    assert "D05" not in rules_for(tmp_path, BASE)


# Auto-fix -------------------------------------------------------------------------

def test_fix_is_idempotent_and_keeps_every_han_character():
    messy = BASE.replace("本季度，在", "本季度 ,在 ").replace("参加6次", "参加 6 次") + "\n活动(读书会)效果好!下一步:继续 搞好.\n"
    fixed = lint.fix_text(messy)
    han = lambda s: [c for c in s if "\u4e00" <= c <= "\u9fff"]
    assert han(fixed) == han(messy)
    assert lint.fix_text(fixed) == fixed
    assert "活动（读书会）效果好！下一步：继续搞好。" in fixed
    assert "本季度，在" in fixed


def test_fix_clears_T01_and_T02(tmp_path):
    messy = insert_paragraph(BASE, "今年以来,我们开展了(3项)活动 , 参加 120 人.")
    assert {"T01", "T02"} <= rules_for(tmp_path, messy)
    assert not {"T01", "T02"} & rules_for(tmp_path, lint.fix_text(messy))


def test_fix_leaves_front_matter_code_and_links_alone():
    text = "---\ntitle: a, b\n---\n\n见[说明](../a,b.md)和`x, y`。\n\n```\n中文, 代码\n```\n"
    assert lint.fix_text(text) == text


def test_style_page_lists_every_rule():
    page = rules.style_page()
    for r in rules.RULES:
        assert f"### {r.id} {r.title}" in page


def test_C06_near_duplicate_pair_is_flagged_with_similarity(tmp_path):
    from helpers import docs_with
    from checks import cli
    copy = BASE.replace("title: 测试用工会小组季度工作小结", "title: 测试用工会小组季度读书小结").replace("76册次", "81册次")
    docs = docs_with(tmp_path, {"exemplars/branch/a.md": BASE, "exemplars/branch/b.md": copy})
    found = [f for f in cli.check_docs(docs) if f.rule == "C06"]
    assert {f.path for f in found} == {"docs/exemplars/branch/a.md", "docs/exemplars/branch/b.md"}
    assert all("相似度为" in f.message and "%" in f.message for f in found)


def test_C06_distinct_pages_pass(tmp_path):
    from helpers import docs_with
    from checks import cli
    real = (ROOT / "docs" / "exemplars" / "branch" / "campaign-summary.md").read_text(encoding="utf-8")
    docs = docs_with(tmp_path, {"exemplars/branch/a.md": BASE, "exemplars/branch/campaign-summary.md": real})
    assert "C06" not in {f.rule for f in cli.check_docs(docs)}


@pytest.mark.parametrize("bad,good", [
    ("全年走访慰问三十二户困难职工。", "全年走访慰问32户困难职工。"),
    ("发放慰问金12万，惠及职工。", "发放慰问金12万元，惠及职工。"),
    ("依据区工发（2025）3号文件。", "依据区工发〔2025〕3号文件。"),
    ("筹集资金合计35.5用于帮扶。", "筹集资金合计35.5万元用于帮扶。"),
])
def test_C05_number_style_variants(tmp_path, bad, good):
    assert "C05" in rules_for(tmp_path, insert_paragraph(BASE, bad))
    assert "C05" not in rules_for(tmp_path, insert_paragraph(BASE, good))
