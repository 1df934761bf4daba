"""Text rules over Markdown pages. Each function yields (line_index, rule_id, message)."""
from __future__ import annotations

import functools
import re
from pathlib import Path

import yaml

from macros import data, guard, library
from macros.library import Exemplar

from .findings import Finding
from .rules import get

HAN = "\u4e00-\u9fff"
CN_NUM = "一二三四五六七八九十"


@functools.lru_cache(maxsize=1)
def traditional_chars() -> frozenset[str]:
    """Characters OpenCC's t2s table converts to a different Simplified character."""
    import opencc
    table = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    chars = set()
    for line in table.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 2 and len(parts[0]) == 1 and parts[1].split()[0] != parts[0]:
            chars.add(parts[0])
    return frozenset(chars)


@functools.lru_cache(maxsize=1)
def denylist() -> dict:
    return yaml.safe_load((data.DATA / "denylist.yml").read_text(encoding="utf-8"))


# --- preparing lines -------------------------------------------------------

INLINE_CODE = re.compile(r"`[^`\n]*`")
LINK_URL = re.compile(r"\]\([^)\n]*\)")
ATTR = re.compile(r"\{:[^}\n]*\}")
MACRO = re.compile(r"\{\{.*?\}\}")


def prose_lines(text: str) -> list[str | None]:
    """Lines with code, link targets and attribute lists blanked; None for lines inside fences."""
    out: list[str | None] = []
    fence = None
    for line in text.split("\n"):
        stripped = line.strip()
        m = re.match(r"^(`{3,}|~{3,})", stripped)
        if fence:
            out.append(None)
            if m and stripped.startswith(fence):
                fence = None
            continue
        if m:
            fence = m.group(1)
            out.append(None)
            continue
        for pattern in (INLINE_CODE, LINK_URL, ATTR, MACRO):
            line = pattern.sub("\x00", line)
        out.append(line)
    return out


# --- typography ---------------------------------------------------------------

T01 = re.compile(rf"[{HAN}“”‘’（）《》][,;:!?()]|[,;:!?()][{HAN}“”‘’（）《》]|[{HAN}]\.(?=\s|$)")
CJKP = HAN + "，。；：、！？“”‘’（）《》【】〔〕…"
T02 = re.compile(rf"[{CJKP}][ \t\u00a0]+(?=[0-9A-Za-z{CJKP}])|(?<=[0-9A-Za-z%])[ \t\u00a0]+(?=[{CJKP}])|\u3000")
T03 = re.compile(r"。，|，，|。。|，。|；。|、。|、、|：。|！！|？？|、等|、和|、及|、或|，；|。；")
T05 = re.compile(rf"\.{{3,}}|(?<!…)…(?!…)|(?<=[{HAN}])-{{2,}}|-{{2,}}(?=[{HAN}])")
T07 = re.compile(rf"[{HAN}]\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")
T08 = re.compile("[\u2e80-\u2eff\u2f00-\u2fdf\uf900-\ufaff\U0002f800-\U0002fa1f]")
T09 = re.compile(r"××|[Xx×]{2,}|20[Xx×＊*]{2}|二〇[Xx×]{2}|201_|_{2,}|＿{2,}|\*\*(?=[年月日号届次人名个家元])|(?<=第)\*\*")
PAIRS = {"“": "”", "‘": "’", "《": "》", "（": "）", "【": "】", "〔": "〕"}
CLOSERS = {v: k for k, v in PAIRS.items()}
QUOTED_MARK = re.compile("“[“”‘’《》（）【】〔〕]”|‘[“”‘’《》（）【】〔〕]’")

C01 = re.compile(r"小编|本站|学习啦|读友吧|范文网|免责声明|相关推荐|热门推荐|相关热词|本文由|浏览量|点击数|来源：网络|【篇\d+】|以下内容供参考|下面是.{0,8}整理的")
C02 = re.compile(r"进取(开展|协助|宣传|推动|融入|作为|筹备|争取|参与|配合|引导)|贴合(条件|申领|要求|规定)|(了解|缴交|基本|工会|实际)情景|情景调研|较为梦想|团体协商|团体合同|异常是|主动主动")
C04 = {
    "步署": "部署", "截止目前": "截至目前", "截止到目前": "截至目前", "详实": "翔实", "一如继往": "一如既往",
    "防范未然": "防患未然", "拔付": "拨付", "做为": "作为", "律已": "律己", "布臵": "布置", "记录片": "纪录片",
    "形式和任务": "形势和任务", "再接再励": "再接再厉", "迫不急待": "迫不及待", "按步就班": "按部就班",
}
C04_RE = re.compile("|".join(map(re.escape, C04)) + r"|做(了)?(工作|专题|述职)?报告")
C05 = re.compile(r"(?<![第周一二三四五六七八九十])[一二三四五六七八九十两][十百千][一二三四五六七八九十百千]*(?:人次|万元|元|户|名|家|场|个)"
                 r"|(?:慰问金|资金|经费|补助金|奖金|金额|款项)(?:共计|合计|总计|达到|达|为)?\d+(?:\.\d+)?(?![\d.]*(?:万|亿)?元|[\d.]*%)"
                 r"|\d、\d+(?:\.\d+)?(?:万元|元|%|人|个)|[\[［(（]20\d\d[\]］)）]\s*\d+号|[壹贰叁肆伍陆柒捌玖][拾佰仟万亿元圆]|[拾佰仟][壹贰叁肆伍陆柒捌玖元圆]|二0|〇0")

P01 = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
P02 = re.compile(r"(?<!\d)0\d{2,3}-\d{7,8}(?!\d)")
P03 = re.compile(r"(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])")
P04 = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
P05 = re.compile(r"(?<!\d)\d{16,19}(?!\d)")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
P06_NAME = re.compile(rf"(?<![{HAN}])?[{SURNAMES}][{HAN}]{{1,2}}(?:同志|师傅|老师傅|大姐|阿姨|老人)")
P06_HARDSHIP = re.compile(r"白血病|癌|重病|大病|伤残|残疾|截肢|病逝|去世|住院|低保|离异|绝症|尿毒症|工亡|死亡")
HTML_TAG = re.compile(r"<\s*/?\s*[A-Za-z!][^>\n]*>|javascript:", re.I)
SNIPPET = re.compile(r"^\s*-{1,3}8<-{1,3}\s*(.*)$")


def id_checksum_ok(num: str) -> bool:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(num[:17], weights))
    return "10X98765432"[total % 11] == num[17].upper()


def luhn_ok(num: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(num)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


PATTERN_RULES = [
    ("T01", T01, lambda m, line: f"“{m.group(0)}”里用了半角标点，中文里应改为全角"),
    ("T02", T02, lambda m, line: f"“{line[max(0, m.start() - 4): m.end() + 4].replace(chr(0), '').strip()}”附近有多余的空格"),
    ("T03", T03, lambda m, line: f"“{m.group(0)}”是错误的标点连用"),
    ("T05", T05, lambda m, line: f"“{m.group(0)}”应写成“……”或“——”"),
    ("T07", T07, lambda m, line: f"“{m.group(0)}”夹带了拼音注音"),
    ("T08", T08, lambda m, line: f"“{m.group(0)}”（U+{ord(m.group(0)):04X}）是康熙部首或兼容汉字"),
]


def typography(lines: list[str | None]):
    """Rules for every page: T01-T08."""
    trad_set = traditional_chars()
    stack: list[tuple[str, int]] = []

    def flush_pairs():
        for ch, idx in stack:
            yield idx, "T04", f"“{ch}”没有配对的“{PAIRS[ch]}”"

    for i, line in enumerate(lines):
        if line is None or not line.strip():
            yield from flush_pairs()
            stack = []
            continue
        for rule_id, rx, say in PATTERN_RULES:
            m = rx.search(line)
            if m:
                yield i, rule_id, say(m, line)
        trad = [c for c in line if c in trad_set]
        if trad:
            yield i, "T06", f"出现繁体字：{''.join(dict.fromkeys(trad))}"
        for ch in QUOTED_MARK.sub("“”", line):  # a mark quoted on its own, like “【”, is a mention
            if ch in PAIRS:
                stack.append((ch, i))
            elif ch in CLOSERS:
                if stack and PAIRS[stack[-1][0]] == ch:
                    stack.pop()
                else:
                    yield i, "T04", f"“{ch}”前面缺少配对的“{CLOSERS[ch]}”"
    yield from flush_pairs()


def content(lines: list[str | None]):
    """Rules for every page: C01, C02, C04, C05, P01-P06."""
    deny = denylist()
    names = re.compile("|".join(map(re.escape, deny["people"] + deny["places"])))
    for i, line in enumerate(lines):
        if not line:
            continue
        for rule, rx in (("C01", C01), ("C02", C02)):
            m = rx.search(line)
            if m:
                yield i, rule, f"“{m.group(0)}”" + ("是网页残留文字" if rule == "C01" else "是洗稿式替换留下的错词")
        m = C04_RE.search(line)
        if m:
            right = C04.get(m.group(0), "作报告")
            yield i, "C04", f"“{m.group(0)}”应写作“{right}”"
        m = C05.search(line)
        if m:
            yield i, "C05", f"“{m.group(0)}”数字写法不规范"
        if P01.search(line):
            yield i, "P01", "出现了手机号码"
        if P02.search(line):
            yield i, "P02", "出现了固定电话号码"
        ids = [m.group(0) for m in P03.finditer(line) if id_checksum_ok(m.group(0))]
        if ids:
            yield i, "P03", "出现了身份证号码"
        if P04.search(line):
            yield i, "P04", "出现了电子邮箱"
        cards = [m.group(0) for m in P05.finditer(line) if luhn_ok(m.group(0)) and m.group(0) not in ids]
        if cards:
            yield i, "P05", "出现了银行卡号"
        m = names.search(line)
        if m:
            yield i, "P06", f"“{m.group(0)}”是真实人名或可识别的单位、地名"
        else:
            for m in P06_NAME.finditer(line):
                window = line[max(0, m.start() - 40): m.end() + 40]
                if P06_HARDSHIP.search(window):
                    yield i, "P06", f"“{m.group(0)}”点了名，又写了疾病或困难情况"
                    break


def safety(raw_lines: list[str], prose: list[str | None], root: Path, exemplar: bool):
    """S04 (exemplars only) and S05 (every page)."""
    snippets = root / "snippets"
    for i, line in enumerate(raw_lines):
        m = SNIPPET.match(line)
        if m:
            target = m.group(1).strip().strip("\"'")
            full = snippets / target
            bad = (not target or "://" in target or target.startswith("/") or ".." in Path(target).parts
                   or not full.is_file() or full.is_symlink() or snippets.resolve() not in full.resolve().parents)
            if bad:
                yield i, "S05", f"片段引用“{target}”不是 snippets/ 里存在的文件"
        if exemplar and prose[i] is not None:
            m = HTML_TAG.search(line)
            if m:
                yield i, "S04", f"“{m.group(0)[:40]}”是HTML或脚本"


# --- structure (exemplars) ----------------------------------------------------

def cn_number(text: str) -> int | None:
    vals = {c: i + 1 for i, c in enumerate(CN_NUM)}
    if not text or any(c not in vals for c in text):
        return None
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + vals[text[1]] if len(text) == 2 else None
    if len(text) == 1:
        return vals[text]
    if len(text) == 2 and text[1] == "十":
        return vals[text[0]] * 10
    if len(text) == 3 and text[1] == "十":
        return vals[text[0]] * 10 + vals[text[2]]
    return None


H2_NUM = re.compile(rf"^##\s+([{CN_NUM}]+)、")
H3_NUM = re.compile(rf"^###\s+（([{CN_NUM}]+)）")
P3_NUM = re.compile(r"^(\d+)\.(?!\d)")
P4_NUM = re.compile(r"^（(\d+)）")
WRONG_FORMS = [
    (re.compile(rf"^#{{2,4}}\s+（[{CN_NUM}]+）、"), "“（一）”后面不加顿号"),
    (re.compile(r"^(#{2,4}\s+)?\d+、"), "第三层序号写成“1.”，不用“1、”"),
    (re.compile(r"^(#{2,4}\s+)?\d+\s*[.．]\s+\S"), "“1.”后面不加空格（加了空格会变成列表）"),
    (re.compile(rf"^#{{2,4}}\s+[{CN_NUM}]+[.．]"), "第一层序号写成“一、”"),
    (re.compile(r"^(#{2,4}\s+)?\(\d+\)|^(#{2,4}\s+)?\([一二三四五六七八九十]+\)"), "括号序号用全角括号“（）”"),
    (re.compile(rf"^###\s+[{CN_NUM}]+、"), "“一、”是第一层，应写成“## 一、”"),
    (re.compile(rf"^##\s+（[{CN_NUM}]+）"), "“（一）”是第二层，应写成“### （一）”"),
]


def numbering(lines: list[str | None]):
    """D04: hierarchy 一、 → （一） → 1. → （1）, sequential within each parent."""
    counters = [0, 0, 0, 0]

    def step(level: int, value: int, i: int, label: str):
        expected = counters[level] + 1
        if value != expected:
            kind = "重号" if value <= counters[level] else "跳号"
            yield i, "D04", f"序号“{label}”{kind}：这里应是第{expected}个"
        counters[level] = value
        for deeper in range(level + 1, 4):
            counters[deeper] = 0

    for i, line in enumerate(lines):
        if not line:
            continue
        s = line.strip() if not line.startswith("    ") else ""
        if not s:
            continue
        for rx, msg in WRONG_FORMS:
            if rx.search(s):
                yield i, "D04", msg
                break
        m = H2_NUM.match(s)
        if m:
            n = cn_number(m.group(1))
            if n:
                yield from step(0, n, i, m.group(1) + "、")
            continue
        m = H3_NUM.match(s)
        if m:
            n = cn_number(m.group(1))
            if counters[0] == 0:
                yield i, "D04", f"“（{m.group(1)}）”前面没有“一、”一级标题"
            if n:
                yield from step(1, n, i, f"（{m.group(1)}）")
            continue
        if s.startswith("#"):
            continue
        m = P3_NUM.match(s)
        if m:
            yield from step(2, int(m.group(1)), i, m.group(1) + ".")
            continue
        m = P4_NUM.match(s)
        if m:
            if counters[2] == 0:
                yield i, "D04", f"“（{m.group(1)}）”前面没有“1.”层级"
            yield from step(3, int(m.group(1)), i, f"（{m.group(1)}）")


def structure(ex: Exemplar, doc_lines: list[str | None]):
    nonempty = [l for l in ex.text.split("\n") if l.strip()]
    if len(nonempty) > 2 and DOCNUM_LINE.match(nonempty[1].strip()):
        nonempty = nonempty[2:]  # a 发文字号 line sits above the title (GB/T 9704-2012 §7.2.4)
    if not nonempty or not nonempty[0].startswith("# "):
        yield 0, "D01", "正文第一行不是“# ”开头的文稿标题"
    yield from ending(ex, doc_lines)
    if not library.REVIEW_MARK.search(ex.body):
        yield max(len(doc_lines) - 1, 0), "D03", "没有写法点评（!!! tip \"写法点评\"）"
    for i, line in enumerate(doc_lines):
        if line and "〔待填写" in line:
            yield i, "D06", "这里还是写作提示，没有换成正文"
    n = ex.han_count
    low, high = data.length_range(ex.meta)
    if not low <= n <= high:
        yield 0, "D05", f"正文有{n}个汉字，这一层级的{_doctype_label(ex)}应在{low}到{high}字之间（见 data/genres.yml）"


def _doctype_label(ex: Exemplar) -> str:
    try:
        return data.taxonomy().label("doctypes", ex.meta.get("doctype"))
    except KeyError:
        return "文稿"


DOCNUM_LINE = re.compile(r"^\{:\s*\.docnum\s*\}\s*$")
SIGNOFF_LINE = re.compile(r"^\{:\s*\.signoff\s*\}\s*$")
BYLINE_LINE = re.compile(r"^\{:\s*\.byline\s*\}\s*$")


def ending(ex: Exemplar, doc_lines: list[str | None]):
    """D02: the ending the register asks for (data/genres.yml): a 落款 for written material,
    a 题注 under the title for speeches, 述职 and congress reports."""
    kind = data.genres()["endings"].get(ex.meta.get("register", "written"), "signoff")
    lines = ex.text.split("\n")
    signoffs = [i for i, l in enumerate(lines) if SIGNOFF_LINE.match(l.strip())]
    bylines = [i for i, l in enumerate(lines) if BYLINE_LINE.match(l.strip())]
    last = max(len(doc_lines) - 1, 0)
    if kind == "signoff":
        if len(signoffs) < 2:
            yield last, "D02", "书面材料末尾要有落款：发文单位和成文日期各占一段，各带 {: .signoff }"
        if bylines:
            yield bylines[0], "D02", "书面材料不用标题下的题注 {: .byline }，日期写在文末落款里"
        return
    if signoffs:
        yield signoffs[0], "D02", "讲话、述职、口头汇报和大会报告不写文末落款；日期（和讲话人）写在标题下的题注里，带 {: .byline }"
    head = [i for i, l in enumerate(lines) if l.strip()][:6]
    if not any(i in head for i in bylines):
        yield 0, "D02", "讲话、述职、口头汇报和大会报告的标题下要有题注，写日期（和讲话人、会议），带 {: .byline }，例如“（【成文日期】）”"


def era_rules(raw_lines: list[str | None]):
    era = data.era()
    dated = era["dated"] + era.get("macro_only", [])
    rx = re.compile("|".join(map(re.escape, dated)) + r"|党的[十二]{1,2}[一二三四五六七八九]?大|[二十][十一二三四五六七八九]?届[一二三四五六七八九]中全会")
    for i, line in enumerate(raw_lines):
        if line:
            m = rx.search(line)
            if m:
                yield i, "C03", f"“{m.group(0)}”是有时代性的提法，不要写死在正文里"


def era_expiry(body: str, today=None):
    """C07: a guiding() form whose validity in data/era.yml has ended."""
    import datetime
    from macros import phrases
    for i, form, until in phrases.expired_forms(body, today or datetime.date.today()):
        yield i, "C07", f"guiding(\"{form}\") 的表述已过有效期（{until}），请改用现行表述或更新 data/era.yml"


PHRASE_CALL = re.compile(r"\{\{\s*phrase\(\s*[\"']([^\"']+)[\"']")
CLOSING_LIMIT = 4  # no closing block may end more than this many exemplars (rule S11)


def phrase_calls(body: str) -> list[tuple[int, str]]:
    """(line index, block id) of every phrase() call in a page body."""
    return [(body.count("\n", 0, m.start()), m.group(1)) for m in PHRASE_CALL.finditer(body)]


def phrase_fit(ex: Exemplar):
    """S10: a phrase block whose tags (kinds, period, register, doctype) do not fit the page."""
    bank = data.phrase_bank()
    try:
        kinds = data.taxonomy().term("doctypes", ex.meta.get("doctype")).kinds
    except KeyError:
        return
    for i, block_id in phrase_calls(library.document_part(ex.body)):
        block = bank.blocks.get(block_id)
        if block is None:
            continue
        why = block.misfit(ex.meta, kinds)
        if why:
            yield i, "S10", f"句式 {block_id} 的{why}与本篇不符（它适用于：{block.fit_label()}），读起来像硬塞进来的"


def closing_reuse(items) -> list[tuple[object, int, str, int]]:
    """S11: (page, line index, block id, count) for closing blocks that end more than CLOSING_LIMIT exemplars."""
    bank = data.phrase_bank()
    users: dict = {}
    for ex in items:
        for i, block_id in phrase_calls(library.document_part(ex.body)):
            block = bank.blocks.get(block_id)
            if block is not None and block.function == "closing":
                users.setdefault(block_id, []).append((ex, i))
    return [(ex, i, block_id, len(pages)) for block_id, pages in users.items() if len(pages) > CLOSING_LIMIT for ex, i in pages]


def template_rules(text: str):
    for v in guard.check(text):
        yield v.line - 1, v.rule, v.message


# --- entry points -----------------------------------------------------------------

def _finding(path: str, line: int, rule_id: str, message: str) -> Finding:
    return Finding(path, line, rule_id, message, get(rule_id).fix)


def lint_exemplar(ex: Exemplar, root: Path = data.ROOT) -> list[Finding]:
    path = "docs/" + ex.src
    doc_raw = library.document_part(ex.body)
    rest = ex.body[len(doc_raw):]
    full = ex.text + rest  # macros expanded in the document part; line count unchanged
    prose = prose_lines(full)
    raw_prose = prose_lines(ex.body)
    found = []
    off = ex.body_line
    found += [(i, r, m) for i, r, m in template_rules(ex.body)]
    found += list(typography(prose))
    found += list(content(prose))
    found += list(safety(ex.body.split("\n"), raw_prose, root, exemplar=True))
    doc_prose = prose_lines(ex.text)
    found += list(numbering(doc_prose))
    found += list(structure(ex, doc_prose))
    found += list(era_rules(raw_prose))
    found += list(era_expiry(ex.body))
    found += list(phrase_fit(ex))
    for i, line in enumerate(prose):
        if line:
            m = T09.search(line)
            if m:
                found.append((i, "T09", f"“{m.group(0)}”不是规定的占位写法"))
    return sorted({_finding(path, off + i, r, m) for i, r, m in found}, key=lambda f: (f.line, f.rule))


def lint_page(path: Path, root: Path = data.ROOT, docs: Path | None = None) -> list[Finding]:
    """Rules for hand-written pages outside docs/exemplars/ (guides, home, contribution pages)."""
    from macros import frontmatter
    docs = docs or root / "docs"
    rel = "docs/" + path.resolve().relative_to(docs.resolve()).as_posix()
    raw = path.read_text(encoding="utf-8")
    try:
        parsed = frontmatter.parse(raw)
    except frontmatter.FrontMatterError as exc:
        return [_finding(rel, exc.line, "F01", f"头部信息无法解析：{exc.message}")]
    body, off = parsed.body, parsed.body_line
    prose = prose_lines(body)
    found = []
    if parsed.meta.get("render_macros") is not False:
        found += list(template_rules(body))
    found += list(typography(prose))
    found += list(content(prose))
    found += list(safety(body.split("\n"), prose, root, exemplar=False))
    return sorted({_finding(rel, off + i, r, m) for i, r, m in found}, key=lambda f: (f.line, f.rule))


# --- auto-fix -----------------------------------------------------------------------

WIDTH = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）"}
FIX_PAREN = re.compile(r"\(([^()\n]*)\)")


def fix_line(line: str) -> str:
    """Make punctuation next to Han full-width and remove spaces around Han (T01, T02)."""
    protected = []

    def protect(m):
        protected.append(m.group(0))
        return f"\x01{len(protected) - 1}\x02"

    work = re.sub(r"`[^`\n]*`|\]\([^)\n]*\)|\{:[^}\n]*\}|\{\{.*?\}\}|https?://\S+", protect, line)
    line_for_paren = work

    def paren_sub(m):
        inner = m.group(1)
        before = line_for_paren[m.start() - 1] if m.start() else ""
        after = line_for_paren[m.end()] if m.end() < len(line_for_paren) else ""
        if re.search(f"[{HAN}]", inner) or (before and re.match(f"[{HAN}，。、；：]", before)) or (after and re.match(f"[{HAN}，。、；：]", after)):
            return f"（{inner}）"
        return m.group(0)

    work = FIX_PAREN.sub(paren_sub, work)
    work = re.sub(rf"(?<=[{HAN}“”（）》])([,;:!?])", lambda m: WIDTH[m.group(1)], work)
    work = re.sub(rf"([,;:!?])(?=[{HAN}“（《])", lambda m: WIDTH[m.group(1)], work)
    work = re.sub(rf"(?<=[{HAN}])\.(?=\s*$)", "。", work)
    work = re.sub(rf"(?<=[{CJKP}])[ \t\u00a0]+(?=[0-9A-Za-z{CJKP}])", "", work)
    work = re.sub(rf"(?<=[0-9A-Za-z%])[ \t\u00a0]+(?=[{CJKP}])", "", work)
    work = work.replace("\u3000", "")
    return re.sub(r"\x01(\d+)\x02", lambda m: protected[int(m.group(1))], work)


def fix_text(text: str) -> str:
    """Apply fix_line to prose lines, leaving front matter and fenced code untouched."""
    lines = text.split("\n")
    start = 0
    if lines and lines[0].strip() == "---":
        for j in range(1, len(lines)):
            if lines[j].strip() in ("---", "..."):
                start = j + 1
                break
    fence = None
    for i in range(start, len(lines)):
        s = lines[i].strip()
        m = re.match(r"^(`{3,}|~{3,})", s)
        if fence:
            if m and s.startswith(fence):
                fence = None
            continue
        if m:
            fence = m.group(1)
            continue
        indent = re.match(r"^\s*", lines[i]).group(0)
        lines[i] = indent + fix_line(lines[i][len(indent):])
    return "\n".join(lines)
