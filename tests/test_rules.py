"""Every rule, by its stable id: a bad example that triggers it and a good one that does not."""
from __future__ import annotations

import re

import pytest

from checks import lint, rules
from helpers import BASE, ROOT, insert_paragraph, replace_front, rules_for

# C06 and S11 compare pages; C07 depends on the date; C08 needs corpus text (tests/test_corpus.py);
# S06-S09 are about the file, not its text (tests/test_bad_input.py).
NOT_BODY = {"C06", "C07", "C08", "S06", "S07", "S08", "S09", "S11"}
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


def _oral(page: str) -> str:
    """BASE as an oral report: no closing 落款, a 题注 under the title."""
    page = replace_front(page, "period: quarter\n", "period: quarter\nregister: oral\n")
    head, sep, rest = page.partition("\n# ")
    title, nl, body = rest.partition("\n")
    return head + sep + title + "\n\n（【成文日期】）\n{: .byline }\n" + body


def test_D02_ending_depends_on_the_register(tmp_path):
    oral = _oral(BASE)
    assert "D02" in rules_for(tmp_path, oral)  # still carries the written 落款
    no_signoff = re.sub(r"\n[^\n]+\n\{: \.signoff \}\n", "\n", oral)
    assert "{: .signoff }" not in no_signoff
    assert "D02" not in rules_for(tmp_path, no_signoff)
    assert "D02" in rules_for(tmp_path, no_signoff.replace("{: .byline }", ""))  # no 题注


def test_D02_written_page_with_a_byline_is_refused(tmp_path):
    head, sep, rest = BASE.partition("\n# ")
    title, nl, body = rest.partition("\n")
    assert "D02" in rules_for(tmp_path, head + sep + title + "\n\n（【成文日期】）\n{: .byline }\n" + body)


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


# Era wording ----------------------------------------------------------------------

def test_C07_expired_era_form_is_refused():
    import datetime
    body = '今年的工作{{ guiding("plan-start") }}。\n\n{{ guiding("short") }}。'
    after = list(lint.era_expiry(body, datetime.date(2027, 1, 1)))
    assert [(i, r) for i, r, _ in after] == [(0, "C07")]
    assert list(lint.era_expiry(body, datetime.date(2026, 6, 1))) == []


def test_every_era_form_is_valid_on_the_reviewed_date():
    import datetime
    from macros import data
    era = data.era()
    reviewed = era["reviewed"]
    assert isinstance(reviewed, datetime.date)
    for name, entry in era["guiding"].items():
        assert entry["text"] and not entry["text"].endswith("。"), name
        assert entry["valid_from"] <= reviewed, name
        assert entry["valid_until"] is None or entry["valid_until"] >= reviewed, name
        assert entry.get("until"), name


def test_era_wording_is_current():
    """The 2026 framing: the plenums of the 20th CC, the union congress, the 15th plan."""
    from macros import data
    forms = {k: v["text"] for k, v in data.era()["guiding"].items()}
    assert "习近平新时代中国特色社会主义思想" in forms["full"] and "二十届历次全会" in forms["full"]
    assert "工人阶级和工会工作的重要论述" in forms["union"] and "十八大" in forms["union"]
    assert "十五五" in forms["plan"] and "中国式现代化" in forms["mission"]
    assert "中国特色社会主义工会发展道路" in forms["road"] and "政治性、先进性、群众性" in forms["nature"]
    for old in ("坚持以党的创新理论为指导", "全面贯彻党的二十大精神"):
        assert old in data.era()["dated"] and all(old not in v for v in forms.values())


def test_C03_macro_only_wording_inline_is_refused(tmp_path):
    assert "C03" in rules_for(tmp_path, insert_paragraph(BASE, "今年是“十五五”规划开局之年。"))


def test_D01_allows_a_document_number_above_the_title(tmp_path):
    head, sep, rest = BASE.partition("\n# ")
    with_number = head + "\n【文号】\n{: .docnum }\n" + sep + rest
    assert "D01" not in rules_for(tmp_path, with_number.replace("placeholders: [", "placeholders: [文号, "))
    assert "D01" in rules_for(tmp_path, head + "\n【文号】\n" + sep + rest)


# Phrase blocks that fit the page ----------------------------------------------------

def test_S06_block_tagged_for_another_period_register_or_kind(tmp_path):
    # BASE is a quarterly written campaign summary of a 工会小组
    assert "S10" in rules_for(tmp_path, insert_paragraph(BASE, '{{ phrase("overall-results-01") }}'))  # 一年来: year only
    assert "S10" in rules_for(tmp_path, insert_paragraph(BASE, '{{ phrase("closing-05") }}'))  # congress reports only
    assert "S10" in rules_for(tmp_path, insert_paragraph(BASE, '{{ phrase("transition-06") }}'))  # oral only
    assert "S10" not in rules_for(tmp_path, insert_paragraph(BASE, '{{ phrase("problems-02") }}'))


def test_every_phrase_block_is_tagged_with_known_values():
    from checks import phrasebank
    from macros import data
    bank = data.phrase_bank()
    assert all(b.fit.get("kinds") for b in bank.blocks.values())
    assert [f for f in phrasebank.check(ROOT) if f.rule in ("F03", "F04")] == []


def test_S07_closing_block_used_by_more_than_four_pages(tmp_path):
    from checks import cli
    from macros import library
    docs = tmp_path / "docs" / "exemplars" / "branch"
    docs.mkdir(parents=True)
    closing = "{{ phrase(\"closing-06\") }}"
    for n in range(5):
        page = insert_paragraph(BASE, closing).replace("title: 测试用工会小组季度工作小结", f"title: 测试用工会小组季度工作小结{n}")
        (docs / f"page-{n}.md").write_text(page, encoding="utf-8")
    library._cache.clear()
    five = [f for f in cli.check_docs(tmp_path / "docs") if f.rule == "S11"]
    assert len(five) == 5 and "5篇" in five[0].message
    (docs / "page-4.md").unlink()
    library._cache.clear()
    assert [f for f in cli.check_docs(tmp_path / "docs") if f.rule == "S11"] == []


def test_phrase_pages_tell_writers_where_each_block_fits():
    from macros import browse, data
    src, md = browse.phrase_function_page("closing")
    block = data.phrase_bank().blocks["closing-08"]
    assert "适用：述职报告；口头汇报" in md and block.fit_label() == "述职报告；口头汇报"
    assert md.count('class="phrase-fit"') == len(data.phrase_bank().by_function("closing"))
# Front matter is plain text, read one way only (F09-F11) ------------------------------------------

@pytest.mark.parametrize("old,new", [
    ("title: 测试用工会小组季度工作小结", 'title: "<img src=x onerror=alert(1)>读书活动小结"'),
    ("title: 测试用工会小组季度工作小结", "title: 测试用工会小组季度\"工作\"小结"),
    ("title: 测试用工会小组季度工作小结", 'title: "测试用工会小组\\u0007季度工作小结"'),
    ("title: 测试用工会小组季度工作小结", 'title: "测试用工会小组\\u200b季度工作小结"'),
    ("  self: 本小组", "  self: '<img src=x onerror=\"alert(1)\">'"),
    ("themes: [culture-sports, training]", "themes: [culture-sports, \"training'\"]"),
])
def test_F09_front_matter_strings_are_plain_text(tmp_path, old, new):
    assert "F09" in rules_for(tmp_path, replace_front(BASE, old, new))


def test_F09_chinese_quotes_pass(tmp_path):
    assert "F09" not in rules_for(tmp_path, replace_front(BASE, "title: 测试用工会小组季度工作小结", "title: 测试用工会小组“读书月”活动小结"))


@pytest.mark.parametrize("text", [
    BASE.replace("period: quarter\n", "period: quarter\n  ---\ntitle: 第二个标题\n", 1),
    BASE.replace("period: quarter\n", "period: quarter\n\t...\nhide: [navigation]\n", 1),
    BASE.replace("---\n", "--- \n", 1),
    BASE.replace("---\n", "  ---\n", 1),
    "title: 没有分隔线\n\n# 标题\n",
    BASE.rstrip("\n").split("\n---\n")[0] + "\n---",  # closing line is the last line: MkDocs would not see the front matter
])
def test_F10_ambiguous_delimiters(tmp_path, text):
    assert "F10" in rules_for(tmp_path, text)


@pytest.mark.parametrize("extra", [
    "a: &x 工会\nb: *x\n",
    "sector: !!python/name:os.system\n",
    "sector: [[[[manufacturing]]]]\n",
    "1: 数字字段名\n",
    "true: 布尔字段名\n",
    "2024-01-01: 日期字段名\n",
    "level: branch\n",
])
def test_F11_yaml_features_refused(tmp_path, extra):
    assert "F11" in rules_for(tmp_path, replace_front(BASE, "period: quarter\n", "period: quarter\n" + extra))


def test_F11_plain_front_matter_passes(tmp_path):
    assert not {"F10", "F11"} & rules_for(tmp_path, BASE)


def test_dates_stay_text_and_do_not_crash(tmp_path):
    from macros import frontmatter
    parsed = frontmatter.parse(replace_front(BASE, "period: quarter\n", "period: quarter\ndate: 2024-01-01\n"))
    assert parsed.meta["date"] == "2024-01-01"
    assert "F03" in rules_for(tmp_path, replace_front(BASE, "period: quarter\n", "period: quarter\ndate: 2024-01-01\n"))


# Privacy with separators and look-alikes; legitimate 公文 text passes ---------------------------------

@pytest.mark.parametrize("rule,bad", [
    ("P01", "电话138-1234-5678。"), ("P01", "电话+86 138 1234 5678。"), ("P01", "电话138 1234 5678。"),
    ("P01", "电话１３８１２３４５６７８。"), ("P01", "电话138\u200b1234\u200d5678。"), ("P01", "电话0086-13812345678。"),
    ("P02", "电话（0755）8888 8888。"), ("P02", "电话(0755)88888888。"), ("P02", "电话0755 8888 8888。"), ("P02", "电话010-12345678。"),
    ("P03", "身份证号110105 19491231 002X。"), ("P03", "身份证号１１０１０５１９４９１２３１００２Ｘ。"),
    ("P04", "邮箱ｚｈａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ。"),
    ("P05", "卡号6222 0212 3456 7890。"), ("P05", "卡号6222-0202-0011-2233-446。"),
    ("P07", "微信：zhang_gh88。"), ("P07", "QQ：12345678。"), ("P07", "加ＱＱ群８８６６５５４４。"), ("P07", "VX：abc12345。"),
    ("P08", "车牌粤B12345。"), ("P08", "车牌京A·D1234。"), ("P08", "车牌川A 88888。"),
    ("P09", "地址是人民路88号。"), ("P09", "在中山大道一百二十号。"), ("P09", "住3栋2单元。"), ("P09", "家住5号楼301室。"),
    ("P06", "李建国同志带头参加。"), ("P06", "王芳主席讲话。"), ("P06", "欧阳明书记到会。"), ("P06", "由张伟厂长主持。"),
])
def test_privacy_variants_are_caught(tmp_path, rule, bad):
    assert rule in rules_for(tmp_path, insert_paragraph(BASE, bad))


@pytest.mark.parametrize("good", [
    "依据区工发〔2025〕3号文件，全年走访困难职工32户。",
    "向全体同志致以崇高敬意，各位代表、同志们：",
    "任工会主席、经审委员会主任，向会员代表大会报告工作。",
    "由工会主席主持，【姓名】同志作报告，【单位名称】主席团审议。",
    "全年发放慰问金12.5万元，覆盖职工1860人次，开展活动15场。",
    "截至2025年12月31日，会员人数3215人，入会率98.6%。",
    "组织开展“安康杯”竞赛，评选出优秀班组8个、先进个人26名。",
    "通过微信公众号和工会小程序发布通知，QQ群和微信群同步转发。",
    "在第12号会议室召开，第三季度完成率100%。",
    "职工之家设在一栋28层的办公楼里，共有3栋宿舍楼。",
    "张某同志和某某同志的事迹不具名介绍。",
    "邀请劳动模范、大国工匠进车间，开展“师带徒”活动。",
])
def test_legitimate_text_is_not_a_privacy_finding(tmp_path, good):
    found = rules_for(tmp_path, insert_paragraph(BASE, good))
    assert not {r for r in found if r.startswith("P")}, found


# Normalisation before every text rule ---------------------------------------------------------------

def test_invisible_characters_are_flagged_and_seen_through(tmp_path):
    text = insert_paragraph(BASE, "下面是小\u200b编整\u2060理的总结。")
    found = rules_for(tmp_path, text)
    assert {"T10", "C01"} <= found  # flagged, and C01 still sees 小编 through the zero-width space


def test_full_width_punctuation_is_kept_for_typography(tmp_path):
    assert "T05" in rules_for(tmp_path, insert_paragraph(BASE, "送温暖、送清凉..."))
    assert "T05" not in rules_for(tmp_path, insert_paragraph(BASE, "送温暖、送清凉……"))
    assert "T08" in rules_for(tmp_path, insert_paragraph(BASE, "⼯会组织"))


def test_C06_sees_through_invisible_characters(tmp_path):
    from helpers import docs_with
    from checks import cli
    doc_start = BASE.index("# 【单位名称】")
    body = BASE[doc_start:]
    sneaky = "".join(ch + "\u200b" if "\u4e00" <= ch <= "\u9fff" else ch for ch in body)
    copy = BASE[:doc_start].replace("title: 测试用工会小组季度工作小结", "title: 测试用工会小组季度读书小结") + sneaky
    docs = docs_with(tmp_path, {"exemplars/branch/a.md": BASE, "exemplars/branch/b.md": copy})
    assert "C06" in {f.rule for f in cli.check_docs(docs)}


def test_email_pattern_is_linear_on_a_long_word():
    # the old pattern needed ~34 s here (bench/bad-input.md); a generous bound only guards against a hang
    import time
    start = time.perf_counter()
    assert lint.P04.search("a" * 120_000) is None
    assert time.perf_counter() - start < 30
