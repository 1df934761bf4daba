"""Read a Markdown page and split it into YAML front matter and body, keeping line numbers.

This is the only front-matter parser of the project: the checker uses it, and the build
feeds MkDocs the metadata it returns (pipeline/generate.py re-serialises it for every page), so the two can
never disagree. It is strict where MkDocs is lenient: a delimiter that is `---` only after
stripping spaces, metadata without delimiters, anchors, aliases, tags, deep nesting,
duplicate or non-text keys are refused with a rule id instead of being guessed at.
"""
from __future__ import annotations

import functools
import json
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

import yaml

SCHEMA = Path(__file__).resolve().parent.parent / "data" / "frontmatter.schema.json"


class FrontMatterError(Exception):
    """A page that cannot be read or whose front matter is refused: rule id, 1-based line, message."""

    def __init__(self, message: str, line: int, rule: str = "F01"):
        super().__init__(message)
        self.message = message
        self.line = line
        self.rule = rule


@dataclass
class Parsed:
    meta: dict
    body: str
    body_line: int  # 1-based line number of the first body line
    key_lines: dict = field(default_factory=dict)  # top-level key -> 1-based line


@functools.lru_cache(maxsize=1)
def limits() -> dict:
    """Size limits of a page, from data/frontmatter.schema.json (x-limits)."""
    return json.loads(SCHEMA.read_text(encoding="utf-8"))["x-limits"]


# What MkDocs (mkdocs.utils.meta) would take for metadata on a page without `---` front matter.
MULTIMARKDOWN_META = re.compile(r"^[ ]{0,3}[A-Za-z0-9_-]+:")
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


def symlinked(path: Path, base: Path) -> bool:
    """Is `path`, or any folder between `base` and it, a symlink?"""
    base = Path(os.path.abspath(base))
    p = Path(os.path.abspath(path))
    while p != base and base in p.parents:
        if p.is_symlink():
            return True
        p = p.parent
    return False


def read_source(path: Path, base: Path | None = None) -> str:
    """The text of a page, refused with a rule id when it is not a small regular UTF-8 file.
    With `base`, a symlinked folder between base and the page is refused too."""
    lim = limits()
    if base is not None and symlinked(path.parent, base):
        raise FrontMatterError("页面所在的文件夹是符号链接，docs/ 里只能放普通文件和文件夹", 1, "S07")
    try:
        st = os.lstat(path)
    except OSError as exc:
        raise FrontMatterError(f"无法读取文件：{exc.strerror}", 1, "S09") from None
    if stat.S_ISLNK(st.st_mode):
        raise FrontMatterError(f"这是一个符号链接（指向 {os.readlink(path)}），页面必须是普通文件", 1, "S07")
    if not stat.S_ISREG(st.st_mode):
        raise FrontMatterError("这不是普通文件", 1, "S07")
    if st.st_size > lim["page_bytes"]:
        raise FrontMatterError(f"文件有{st.st_size:,}字节，超过上限{lim['page_bytes']:,}字节", 1, "S08")
    with open(path, "rb") as fh:
        raw = fh.read(lim["page_bytes"] + 1)
    return decode(raw)


def decode(raw: bytes) -> str:
    """Strict UTF-8 without BOM; line ends normalised as MkDocs does; line limits enforced."""
    lim = limits()
    if raw.startswith(b"\xef\xbb\xbf"):
        raise FrontMatterError("文件开头有BOM（EF BB BF）。请用“UTF-8（无BOM）”格式保存", 1, "S09")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise FrontMatterError(f"第{line}行有不是UTF-8编码的字节（0x{raw[exc.start]:02X}）。请用“UTF-8（无BOM）”格式保存", line, "S09") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    n = text.count("\n") + 1
    if n > lim["page_lines"]:
        raise FrontMatterError(f"文件有{n:,}行，超过上限{lim['page_lines']:,}行", lim["page_lines"] + 1, "S08")
    for i, line in enumerate(text.split("\n"), 1):
        if len(line) > lim["line_chars"]:
            raise FrontMatterError(f"第{i}行有{len(line):,}个字符，超过上限{lim['line_chars']:,}个；段落之间请空一行", i, "S08")
        m = CONTROL.search(line)
        if m:
            raise FrontMatterError(f"第{i}行有控制字符 U+{ord(m.group(0)):04X}，多半是从别处复制带来的，请删掉", i, "S09")
    return text


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps dates as the text written (MkDocs gets that text, not a date object)."""


_Loader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)

_OPEN = (yaml.BlockMappingStartToken, yaml.BlockSequenceStartToken, yaml.FlowMappingStartToken, yaml.FlowSequenceStartToken)
_CLOSE = (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)


def _scan(raw: str) -> None:
    """Refuse anchors, aliases, tags and deep nesting before anything recursive touches the YAML."""
    depth = 0
    max_depth = limits()["frontmatter_depth"]
    for tok in yaml.scan(raw, Loader=_Loader):
        line = tok.start_mark.line + 2
        if isinstance(tok, (yaml.AnchorToken, yaml.AliasToken)):
            raise FrontMatterError("头部信息不能用 & 锚点和 * 引用，请把值直接写出来", line, "F11")
        if isinstance(tok, yaml.TagToken):
            raise FrontMatterError("头部信息不能用 ! 类型标记", line, "F11")
        if isinstance(tok, _OPEN):
            depth += 1
            if depth > max_depth:
                raise FrontMatterError(f"头部信息嵌套超过{max_depth}层", line, "F11")
        elif isinstance(tok, _CLOSE):
            depth -= 1


def _check_keys(node) -> None:
    """Keys are plain text and appear once per mapping (PyYAML would keep the last one silently)."""
    if isinstance(node, yaml.MappingNode):
        seen = set()
        for key, value in node.value:
            line = key.start_mark.line + 2
            if not isinstance(key, yaml.ScalarNode) or key.tag != "tag:yaml.org,2002:str":
                raise FrontMatterError(f"字段名“{getattr(key, 'value', '?')}”必须是英文字母组成的名称，不能是数字、日期、true/false 或列表", line, "F11")
            if key.value in seen:
                raise FrontMatterError(f"字段 {key.value} 写了两次", line, "F11")
            seen.add(key.value)
            _check_keys(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _check_keys(item)


def split(text: str) -> tuple[list[str], int] | None:
    """(front-matter lines, index of the closing line), None without front matter. Refuses ambiguity."""
    lines = text.split("\n")
    first = lines[0] if lines else ""
    if first != "---":
        if first.strip() in ("---", "..."):
            raise FrontMatterError("第1行的“---”前后不能有空格或其他字符", 1, "F10")
        if MULTIMARKDOWN_META.match(first):
            raise FrontMatterError("第1行像“名称: 值”的头部信息，但上面没有“---”。头部信息必须写在两行“---”之间", 1, "F10")
        return None
    for end in range(1, len(lines)):
        if lines[end] in ("---", "..."):
            if end == len(lines) - 1:
                raise FrontMatterError("结束的“---”后面要换行并写正文", end + 1, "F10")
            return lines[1:end], end
        if lines[end].strip() in ("---", "...") or re.fullmatch(r"(---|\.\.\.)[ \t]+", lines[end]):
            raise FrontMatterError("这一行去掉空格后是“---”：头部信息的分隔线必须顶格、单独一行，别处不能出现这样的行", end + 1, "F10")
    raise FrontMatterError("头部信息以“---”开始，但没有结束的“---”", 1, "F01")


def parse(text: str) -> Parsed:
    """Parse `---` delimited YAML front matter. Raises FrontMatterError with a rule and a line number."""
    found = split(text)
    if found is None:
        return Parsed({}, text, 1)
    fm_lines, end = found
    raw = "\n".join(fm_lines)
    lim = limits()
    if len(raw.encode("utf-8")) > lim["frontmatter_bytes"]:
        raise FrontMatterError(f"头部信息超过{lim['frontmatter_bytes']:,}字节", 2, "S08")
    try:
        _scan(raw)
        loader = _Loader(raw)
        try:
            node = loader.get_single_node()
            if node is not None:
                _check_keys(node)
            meta = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 2 if mark else 1
        problem = getattr(exc, "problem", None) or str(exc)
        raise FrontMatterError(f"YAML does not parse: {problem}", line) from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise FrontMatterError("front matter must be a mapping of key: value lines", 2)
    key_lines = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            key_lines[key_node.value] = key_node.start_mark.line + 2
    lines = text.split("\n")
    return Parsed(meta, "\n".join(lines[end + 1:]), end + 2, key_lines)


def canonical(parsed: Parsed) -> str:
    """Source to hand MkDocs: our metadata re-serialised, then the body, so MkDocs reads what we read."""
    head = yaml.safe_dump(parsed.meta, allow_unicode=True, sort_keys=False, default_flow_style=False) if parsed.meta else "{}\n"
    return "---\n" + head + "---\n" + parsed.body
