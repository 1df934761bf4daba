"""Text rules over Markdown pages. Each function yields (line_index, rule_id, message)."""
from __future__ import annotations

import functools
import html
import re
from pathlib import Path

import yaml

from macros import data, guard, library
from macros.library import Exemplar

from . import text
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

# Privacy patterns run on the plain (NFKC) view, so full-width digits and look-alikes match too.
SEP = r"[ \-.·]?"
P01 = re.compile(rf"(?<![\d])(?:(?:\+|00)86{SEP})?1[3-9]\d{SEP}\d{{4}}{SEP}\d{{4}}(?!\d)")
P02 = re.compile(r"(?<![\d])(?<!\d[ -])(?:\(0\d{2,3}\)[ -]?|0\d{2,3}[ -]|(?:\+|00)86[ -]?\(?0?\d{2,3}\)?[ -]?)\d{3,4}[ -]?\d{4}(?!\d)")
P03 = re.compile(r"(?<![0-9A-Za-z])\d{6}[ -]?\d{4}[ -]?\d{4}[ -]?\d{3}[0-9Xx](?![0-9A-Za-z])")
# The look-behind lets a match start only at the beginning of a word: linear even on a 120,000-letter word.
P04 = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
P05 = re.compile(r"(?<![\d])\d{16,19}(?!\d)")
P05_GROUPED = re.compile(r"(?<![\d])\d{4}(?:[ -]\d{4}){3}(?:[ -]?\d{1,3})?(?![\d])|(?<![\d])\d{6}[ -]\d{10,13}(?![\d])")
P07 = re.compile(r"(?<![A-Za-z])(?:微信号?|微信账号|wechat|weixin|wx|vx|v信|qq号?|qq群|扣扣)\s*(?:号码?|账号)?\s*[:=是为]?\s*([A-Za-z0-9][-_A-Za-z0-9]{4,19})(?![-_A-Za-z0-9])", re.I)
PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
P08 = re.compile(rf"[{PROVINCES}][A-HJ-NP-Z][ ·.\-]?(?=[A-HJ-NP-Z0-9]*\d)[A-HJ-NP-Z0-9]{{5,6}}(?![A-Za-z0-9])")
HAN_NUM = "一二三四五六七八九十百零〇"
P09 = re.compile(rf"[{HAN}]{{1,8}}(?:路|街|大道|大街|巷|弄|胡同)(?:\d+|[{HAN_NUM}]+)(?:-\d+)?号"
                 r"|\d+(?:栋|幢|号楼)\d+(?:单元|室)|\d+单元\d+室")  # not 一栋28层: a building's height is no address
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
COMPOUND_SURNAMES = "欧阳|司马|诸葛|上官|东方|夏侯|皇甫|令狐|公孙|慕容|长孙|宇文|司徒|尉迟"
P06_NAME = re.compile(rf"[{SURNAMES}][{HAN}]{{1,2}}(?:同志|师傅|老师傅|大姐|阿姨|老人)")
# A person named with a title of address or office: 李建国同志, 王芳主席, 欧阳明书记.
TITLE_WORDS = "同志|主席|副主席|书记|副书记|厂长|局长|处长|科长|经理|师傅|老师傅|大姐|阿姨"
TITLE_RX = re.compile(TITLE_WORDS)
COMPOUND = set(COMPOUND_SURNAMES.split("|"))
# Given-name parts that are words of office, quantity or grammar (任工会主席, 向全体同志), or placeholders (张某同志).
NOT_GIVEN = re.compile("[工会员职代委班组队部处科局厅室长主副总全体各位有关其他们这那些的了和与及等中省市区县乡镇村街厂校院所司某党团支协经审劳模先进优秀青女男老小广大基层离退休一二三四五六七八九十两多名位个向对为由被把将从在]")
P06_HARDSHIP = re.compile(r"白血病|癌|重病|大病|伤残|残疾|截肢|病逝|去世|住院|低保|离异|绝症|尿毒症|工亡|死亡")
HTML_TAG = re.compile(r"<\s*/?\s*[A-Za-z!?]|(?:java|vb)\s*script\s*:|data\s*:\s*text/html", re.I)
ALLOWED_HTML = re.compile(r"<!--\s*material/tags\s*-->")  # the tags plugin's marker on docs/tags.md
# Attribute lists ({: .class #id } or { .class }): only classes and ids, never key=value (onclick=, style=, href=).
ATTR_LIST = re.compile(r"\{:?[ \t]*([^{}\n]*)\}")
ATTR_KEY = re.compile(r"(?<![\w.#-])([A-Za-z_:][-\w:.]*)\s*=")
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
]


def kangxi(raw_prose: list[str | None]):
    """T08 on the raw lines: the normalised view has already turned these look-alikes into ordinary Han."""
    for i, line in enumerate(raw_prose):
        m = T08.search(line) if line else None
        if m:
            yield i, "T08", f"“{m.group(0)}”（U+{ord(m.group(0)):04X}）是康熙部首或兼容汉字"


def typography(lines: list[str | None]):
    """Rules for every page: T01-T07 (lines in the typographic view)."""
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


HAN_ONLY = re.compile(f"[{HAN}]+")
PRIVACY_HINT = re.compile(r"\d|@|[微信扣号室]|qq|wx|vx|wechat|weixin", re.I)


def titled_names(line: str):
    """Names (2-3 Han characters, a surname first) directly before a title of address or office."""
    for m in TITLE_RX.finditer(line):
        p = m.start()
        for n in (3, 2, 4):
            cand = line[max(p - n, 0):p]
            if len(cand) != n or not HAN_ONLY.fullmatch(cand):
                continue
            k = 2 if cand[:2] in COMPOUND else 1
            if (k == 1 and cand[0] not in SURNAMES) or not 1 <= n - k <= 2 or NOT_GIVEN.search(cand[k:]):
                continue
            yield cand + m.group(0)
            break


def privacy(line: str):
    """P01-P05, P07-P09 on the plain (NFKC) view of one line: (rule, message)."""
    if not PRIVACY_HINT.search(line):
        return
    if P01.search(line):
        yield "P01", "出现了手机号码"
    if P02.search(line):
        yield "P02", "出现了固定电话号码"
    ids = [m.group(0) for m in P03.finditer(line) if id_checksum_ok(re.sub(r"[ -]", "", m.group(0)))]
    if ids:
        yield "P03", "出现了身份证号码"
    if "@" in line and P04.search(line):
        yield "P04", "出现了电子邮箱"
    cards = [m.group(0) for m in P05.finditer(line) if luhn_ok(m.group(0)) and m.group(0) not in ids]
    if cards or P05_GROUPED.search(line):
        yield "P05", "出现了银行卡号"
    m = P07.search(line)
    if m:
        yield "P07", f"“{m.group(0)}”是微信号或QQ号"
    m = P08.search(line)
    if m:
        yield "P08", f"“{m.group(0)}”是车牌号"
    m = P09.search(line)
    if m:
        yield "P09", f"“{m.group(0)}”是具体地址"


def content(lines: list[str | None]):
    """Rules for every page: C01, C02, C04, C05, P01-P09 (lines already in the typographic view)."""
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
        plain = text.plain_view(line)
        for rule, message in privacy(plain):
            yield i, rule, message
        m = names.search(plain)
        if m:
            yield i, "P06", f"“{m.group(0)}”是真实人名或可识别的单位、地名"
            continue
        named = next(titled_names(plain), None)
        if named:
            yield i, "P06", f"“{named}”点了真实姓名；范文里的人名一律写成【姓名】或不点名"
            continue
        for m in P06_NAME.finditer(plain):
            window = plain[max(0, m.start() - 40): m.end() + 40]
            if P06_HARDSHIP.search(window):
                yield i, "P06", f"“{m.group(0)}”点了名，又写了疾病或困难情况"
                break


def html_lines(source: str) -> list[str]:
    """Lines as the HTML rule sees them: macro calls blanked (their output is checked expanded), entities decoded."""
    out = []
    for line in source.split("\n"):
        line = MACRO.sub("\x00", line)
        if "&" in line:
            line = html.unescape(line)
        out.append(text.typo_view(line))
    return out


def html_rule(lines: list[str], allow_tags_marker: bool = False):
    """S04 on every line, code included: raw HTML, script URLs and attribute lists with key=value."""
    for i, line in enumerate(lines):
        if allow_tags_marker:
            line = ALLOWED_HTML.sub("", line)
        m = HTML_TAG.search(line)
        if m:
            yield i, "S04", f"“{line[m.start():m.start() + 40]}”是HTML或脚本"
            continue
        for a in ATTR_LIST.finditer(line):
            k = ATTR_KEY.search(a.group(1))
            if k:
                yield i, "S04", f"属性列表“{a.group(0)[:40]}”里写了 {k.group(1)}=；属性列表只能写 .类名 或 #编号"
                break


def invisible(raw_lines: list[str]):
    """T10: zero-width and bidi control characters, which hide text from readers and from the rules."""
    for i, line in enumerate(raw_lines):
        found = text.invisible_chars(line)
        if found:
            yield i, "T10", "有不可见字符：" + "、".join(dict.fromkeys(text.describe_invisible(c) for c in found))


def safety(raw_lines: list[str], prose: list[str | None], root: Path, exemplar: bool):
    """S05 on the raw lines (snippet includes); S04 is html_rule."""
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


def normalised(lines: list[str | None]) -> list[str | None]:
    return [text.typo_view(l) if l else l for l in lines]


def text_rules(source: str, raw_prose: list[str | None] | None = None) -> list[tuple[int, str, str]]:
    """Typography, content and privacy rules over (expanded) Markdown, after normalisation."""
    raw_prose = prose_lines(source) if raw_prose is None else raw_prose
    prose = normalised(raw_prose)
    return list(typography(prose)) + list(kangxi(raw_prose)) + list(content(prose))


def lint_exemplar(ex: Exemplar, root: Path = data.ROOT) -> list[Finding]:
    path = "docs/" + ex.src
    doc_raw = library.document_part(ex.body)
    rest = ex.body[len(doc_raw):]
    full = ex.text + rest  # macros expanded in the document part; line count unchanged
    raw_lines = ex.body.split("\n")
    full_prose = prose_lines(full)
    body_prose = prose_lines(ex.body)
    found = []
    off = ex.body_line
    found += [(i, r, m) for i, r, m in template_rules(ex.body)]
    found += text_rules(full, full_prose)
    found += list(invisible(raw_lines))
    found += list(html_rule(html_lines(ex.body)))
    if full != ex.body:
        found += list(html_rule(html_lines(full)))  # what the macros and phrase variables produced
    found += list(safety(raw_lines, body_prose, root, exemplar=True))
    doc_prose = normalised(prose_lines(ex.text))
    found += list(numbering(doc_prose))
    found += list(structure(ex, doc_prose))
    found += list(era_rules(normalised(body_prose)))
    found += list(era_expiry(ex.body))
    found += list(phrase_fit(ex))
    for i, line in enumerate(normalised(full_prose)):
        if line:
            m = T09.search(line)
            if m:
                found.append((i, "T09", f"“{m.group(0)}”不是规定的占位写法"))
    return sorted({_finding(path, off + i, r, m) for i, r, m in found}, key=lambda f: (f.line, f.rule))


def expand_for_lint(body: str, meta: dict) -> str | None:
    """A hand-written page's text with phrase() and guiding() expanded; the home page's other macros
    write generated HTML, so they become a neutral word. None if the template code is not allowed."""
    from macros import phrases
    if "{{" not in body or guard.check(body):
        return None
    stubs = {name: (lambda *a, **k: "宏") for name in guard.ALLOWED_MACROS if name not in ("phrase", "guiding")}
    page_vars = library._plain_vars(meta.get("phrase_vars"))
    try:
        return phrases._ENV.from_string(body).render(
            phrase=lambda block_id, **kw: phrases.render_phrase(block_id, page_vars, data.ROOT, **kw),
            guiding=lambda form="full": phrases.guiding(form, data.ROOT), **stubs)
    except Exception:
        return None  # reported as S02 by the build; the raw text is still checked


def lint_page(path: Path, root: Path = data.ROOT, docs: Path | None = None) -> list[Finding]:
    """Rules for hand-written pages outside docs/exemplars/ (guides, home, contribution pages)."""
    import os
    from macros import frontmatter
    from .schema import plain_text_problems
    docs = docs or root / "docs"
    src = Path(os.path.abspath(path)).relative_to(Path(os.path.abspath(docs))).as_posix()
    rel = "docs/" + src
    problem = library.name_problem(src)
    if problem:
        return [_finding(rel, 1, "S06", problem)]
    try:
        parsed = frontmatter.parse(frontmatter.read_source(path))
    except frontmatter.FrontMatterError as exc:
        return [_finding(rel, exc.line, exc.rule, f"头部信息无法解析：{exc.message}" if exc.rule == "F01" else exc.message)]
    body, off = parsed.body, parsed.body_line
    found = [(line - off, "F09", msg) for line, msg in plain_text_problems(parsed.meta, parsed.key_lines)]
    expanded = None
    if parsed.meta.get("render_macros") is not False:
        found += list(template_rules(body))
        expanded = expand_for_lint(body, parsed.meta)
    found += text_rules(expanded or body)
    found += list(invisible(body.split("\n")))
    tags_marker = src == "tags.md"
    found += list(html_rule(html_lines(body), tags_marker))
    if expanded and expanded != body:
        found += list(html_rule(html_lines(expanded), tags_marker))
    found += list(safety(body.split("\n"), prose_lines(body), root, exemplar=False))
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
