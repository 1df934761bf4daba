"""Step 1: load the library and check it. Nothing the checks refuse reaches the later steps.

Plain code over the project's files: it does not depend on the site generator or its plugins.
Refused are (always) the docs/ file allowlist, symlinks out of snippets/, front matter that cannot
be read safely or is not plain text, template code outside the macro allowlist, theme-only
front-matter keys and a broken alias file; with strict, every other finding of the checker too.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from checks import cli as checker
from checks import rules, schema
from checks.findings import Finding
from macros import browse, frontmatter, guard, library, search_index
from safety import rules as safety_rules
from safety import sources

from . import config as cfg

# Rules about reading a page at all, its front matter, template code, HTML and files: never only a
# warning. S10 (phrase fit) and S11 (closing reuse) are editorial: they stop only a strict build.
EDITORIAL = {"S10", "S11"}


def blocking(rule: str) -> bool:
    return rule.startswith(("F", "H")) or (rule.startswith("S") and rule not in EDITORIAL)


class Refused(Exception):
    """The library cannot be built; the message says which file, which line, which rule and how to fix it."""


@dataclass
class Library:
    root: Path
    docs: Path
    config: dict
    items: list  # valid exemplars (macros.library.Exemplar), macros already expanded
    pages: dict  # docs-relative path of every other Markdown page -> frontmatter.Parsed
    guides: set
    warnings: list = field(default_factory=list)  # findings that did not stop the build


def _refuse(title: str, findings: list) -> None:
    raise Refused(title + "\n" + "\n".join("  " + (f.format() if hasattr(f, "format") else str(f)).replace("\n", "\n  ") for f in findings))


def snippet_escapes(folder: Path) -> list[str]:
    """Symlinks in snippets/, or files that resolve outside it: pymdownx.snippets would follow them."""
    base = folder.resolve()
    return [f"{path.relative_to(folder.parent)} -> {path.resolve()}" for path in folder.rglob("*")
            if path.is_symlink() or base not in path.resolve().parents]


_READ: dict = {}  # (path, mtime, size) -> result of page_problems, for the contributor loop


def page_problems(path: Path, docs: Path) -> tuple[frontmatter.Parsed | None, list[Finding]]:
    """Read one hand-written page as the generate step will: the rules that make it unsafe to go on.
    Cached for an unchanged file (same modification time and size), so a rebuild re-reads only edits."""
    try:
        st = os.lstat(path)
        key = (str(path), str(docs), st.st_mtime_ns, st.st_size, st.st_mode)
    except OSError:
        key = None
    if key is not None and key in _READ:
        return _READ[key]
    result = _page_problems(path, docs)
    if key is not None:
        _READ[key] = result
    return result


def _page_problems(path: Path, docs: Path) -> tuple[frontmatter.Parsed | None, list[Finding]]:
    src = path.relative_to(docs).as_posix()
    where = "docs/" + src

    def finding(line, rule, message):
        r = rules.BY_ID.get(rule) or safety_rules.get(rule)
        return Finding(where, line, rule, message, r.fix if r else "")

    problem = library.name_problem(src)
    if problem:
        return None, [finding(1, "S06", problem)]
    try:
        parsed = frontmatter.parse(frontmatter.read_source(path, docs))
    except frontmatter.FrontMatterError as exc:
        return None, [finding(exc.line, exc.rule, exc.message)]
    found = [finding(line, "F09", msg) for line, msg in schema.plain_text_problems(parsed.meta, parsed.key_lines)]
    keys = [k for k in sources.THEME_KEYS if k in parsed.meta]
    if keys:
        found.append(finding(1, "H09", f"头部信息用了主题专用字段 {'、'.join(keys)}"))
    if parsed.meta.get("render_macros") is True or src.startswith(library.EXEMPLAR_DIR + "/"):
        off = parsed.body_line - 1
        found += [finding(v.line + off, v.rule, v.message) for v in guard.check(parsed.body)]
        title = parsed.meta.get("title")
        if isinstance(title, str):
            found += [finding(1, v.rule, "标题里" + v.message) for v in guard.check(title)]
    return parsed, found


def run(root: Path, strict: bool = True, only: list[Path] | None = None) -> Library:
    """Check and load the library. With `only` (the contributor loop), the checker's text rules run on
    those pages alone; the reading, allowlist and schema checks always cover every page."""
    root = Path(root).resolve()
    docs = root / "docs"
    conf = cfg.load(root / "mkdocs.yml")
    refused = sources.problems(docs, cfg.own_assets(conf), page_names="S06" not in rules.BY_ID, symlinks="S07" not in rules.BY_ID)
    if refused:
        _refuse("docs/ 里有不允许发布的文件，已停止构建：", [p.format() + f"\n怎么改：{safety_rules.get(p.rule).fix}" for p in refused])
    escapes = snippet_escapes(root / "snippets")
    if escapes:
        _refuse("snippets/ 里有符号链接，可能把仓库外的文件带进页面，已停止构建：", escapes)
    pages, unsafe = {}, []
    for path in library.pages(docs):
        parsed, found = page_problems(path, docs)
        unsafe += found
        if parsed is not None:
            pages[path.relative_to(docs).as_posix()] = parsed
    if unsafe:
        _refuse("页面无法安全读取或含有不允许的写法，已停止构建：", unsafe)
    try:
        search_index.aliases()
    except search_index.AliasError as err:
        raise Refused(f"搜索别名文件有错误，请改正后再构建：data/{err}") from None
    findings = checker.check_docs(docs, only)
    unsafe = [f for f in findings if blocking(f.rule)]
    if unsafe or (strict and findings):
        shown = findings if strict else unsafe
        _refuse(f"检查发现{len(shown)}处问题，已停止构建（逐条改正后再构建；make check 可以只检查改过的页面）：", shown)
    loaded = library.load(docs)
    items = browse.valid(loaded)
    exemplar_srcs = {e.src for e in loaded}
    pages = {src: p for src, p in pages.items() if src not in exemplar_srcs}
    guides = {p.stem for p in (docs / "guides").glob("*.md")} - {"index"}
    return Library(root, docs, conf, items, pages, guides, [f for f in findings if f not in unsafe])
