"""Command line: python -m checks [options] [files...]

Checks front matter, text and template safety of the Markdown pages in docs/ (all of them,
the files named, or with --changed only those git reports as changed), and with --site the
links of a built site. Prints each finding with file, line, rule id and how to fix it.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import time
from pathlib import Path

from macros import data, frontmatter, library

from . import corpus, lint, links, phrasebank, rules, schema, similarity
from .findings import Finding

ROOT = data.ROOT


def changed_files(base: str | None) -> list[Path]:
    """Files under docs/ that differ from `base` (default: the merge base with main, or HEAD).

    Names are read NUL-separated, so Chinese, quoted and odd file names arrive as they are."""
    def git(*args):
        out = subprocess.run(["git", "-c", "core.quotePath=false", *args], cwd=ROOT, capture_output=True).stdout
        return [n for n in out.decode("utf-8", "surrogateescape").split("\0") if n]
    if base is None:
        mb = subprocess.run(["git", "merge-base", "HEAD", "origin/main"], cwd=ROOT, capture_output=True, text=True).stdout.split()
        base = mb[0] if mb else "HEAD"
    names = set(git("diff", "-z", "--name-only", "--no-renames", base, "--", "docs"))
    names |= set(git("ls-files", "-z", "--others", "--exclude-standard", "--", "docs"))
    return [ROOT / n for n in sorted(names) if os.path.lexists(ROOT / n)]


def _abs(p: Path) -> Path:
    """Absolute path without following symlinks: a symlinked page is reported where it is."""
    return Path(os.path.abspath(p))


def tree_findings(docs: Path) -> list[Finding]:
    """Every entry under docs/ that is not a page: symlinks (S07) and names that are not [a-z0-9-] (S06).
    Pages report their own name, symlink and size problems when they are read."""
    out = []
    for base, dirs, files in os.walk(docs, followlinks=False):
        for name in sorted(dirs) + sorted(f for f in files if not f.endswith(".md")):
            path = Path(base) / name
            rel = "docs/" + path.relative_to(docs).as_posix()
            if path.is_symlink():
                out.append(Finding(rel, 1, "S07", f"这是一个符号链接（指向 {os.readlink(path)}），docs/ 里只能放普通文件和文件夹", rules.get("S07").fix))
            elif not library.ASSET_NAME.fullmatch(name):
                out.append(Finding(rel, 1, "S06", f"名称“{name}”只能用小写英文字母、数字和连字符（文件再加扩展名）", rules.get("S06").fix))
    return out


def check_docs(docs: Path, only: list[Path] | None = None) -> list[Finding]:
    docs = docs.resolve()
    items = library.load(docs)
    wanted = {_abs(p) for p in only} if only is not None else None
    out: list[Finding] = []
    for ex in items:
        if wanted is None or _abs(ex.path) in wanted:
            found = schema.check_exemplar(ex, docs)
            out += found
            if not any(f.rule in library.FATAL for f in found):
                out += lint.lint_exemplar(ex, ROOT)
    good = [ex for ex in items if not any(e[0] in library.FATAL for e in ex.errors)]
    dup = schema.check_library(good)
    out += [f for f in dup if wanted is None or _abs(ROOT / f.path) in wanted]
    out += similar_pages(good, wanted)
    out += corpus.check(good, wanted)
    for ex, i, block_id, count in lint.closing_reuse([ex for ex in good if not ex.errors]):
        if wanted is None or _abs(ex.path) in wanted:
            out.append(Finding("docs/" + ex.src, ex.body_line + i, "S11",
                               f"结语句式 {block_id} 已有{count}篇范文在用（最多{lint.CLOSING_LIMIT}篇）", rules.get("S11").fix))
    out += [f for f in tree_findings(docs) if wanted is None or _abs(docs.parent / f.path) in wanted or _abs(ROOT / f.path) in wanted]
    exemplar_dir = docs / library.EXEMPLAR_DIR
    for page in library.pages(docs):
        if exemplar_dir in _abs(page).parents:
            continue
        if wanted is None or _abs(page) in wanted:
            out += lint.lint_page(page, ROOT, docs)
    if wanted is None:
        out += phrasebank.check(ROOT)
    return out


def similar_pages(items, wanted) -> list[Finding]:
    only = None if wanted is None else {ex.src for ex in items if _abs(ex.path) in wanted}
    if only == set():
        return []
    out = []
    for a, b, sim in similarity.near_duplicates([ex for ex in items if ex.text], only):
        for x, y in ((a, b), (b, a)):
            if only is None or x.src in only:
                out.append(Finding("docs/" + x.src, x.body_line, "C06",
                                   f"与 docs/{y.src} 的相似度为{sim:.0%}（阈值{similarity.THRESHOLD:.0%}）", rules.get("C06").fix))
    return out


def source_of(site_path: str, docs: Path) -> str:
    """docs/ source of a built page, for messages about the site."""
    rel = site_path.removeprefix("site/").removesuffix("index.html").rstrip("/")
    for cand in (f"{rel}.md", f"{rel}/index.md", "index.md" if not rel else None):
        if cand and (docs / cand).exists():
            return f"docs/{cand}"
    return "（生成页面）"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m checks", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="*", type=Path, help="只检查这些文件（默认检查 docs/ 下全部页面）")
    ap.add_argument("--docs", type=Path, default=ROOT / "docs", help="文档目录")
    ap.add_argument("--changed", action="store_true", help="只检查 git 报告有改动的文件")
    ap.add_argument("--base", default=None, help="与 --changed 一起用：和哪个提交比较")
    ap.add_argument("--site", type=Path, default=None, help="同时检查构建好的网站目录里的链接")
    ap.add_argument("--fix", action="store_true", help="自动修正可修正的问题（T01、T02），再检查")
    args = ap.parse_args(argv)

    start = time.perf_counter()
    only = None
    if args.changed:
        only = changed_files(args.base)
        if not only and not args.site:
            print("没有改动的页面需要检查。")
            return 0
    elif args.files:
        only = [f if f.is_absolute() else Path.cwd() / f for f in args.files]
    if args.fix:
        targets = only if only is not None else library.pages(args.docs)
        for path in [p for p in targets if p.suffix == ".md" and not p.is_symlink()]:
            try:
                text = frontmatter.read_source(path)
            except frontmatter.FrontMatterError:
                continue  # reported by the check below
            fixed = lint.fix_text(text)
            if fixed != text:
                path.write_text(fixed, encoding="utf-8")
                print(f"已修正：{path.relative_to(ROOT) if ROOT in path.parents else path}")
    findings = check_docs(args.docs, only)
    if args.site:
        site_url, link_hosts = links.site_settings(ROOT / "mkdocs.yml")
        site_findings = links.check_site(args.site, site_url, link_hosts)
        for f in site_findings:
            src = source_of(f.path, args.docs)
            findings.append(Finding(f.path, f.line, f.rule, f"{f.message}（源文件：{src}）", f.fix))
    for f in sorted(findings, key=lambda f: (f.path, f.line, f.rule)):
        print(f.format())
    checked = len(only) if only is not None else "全部"
    elapsed = time.perf_counter() - start
    if findings:
        print(f"\n发现{len(findings)}个问题（检查范围：{checked}页，用时{elapsed:.1f}秒）。规则说明见网站“文风规范”页面。")
        return 1
    print(f"检查通过（检查范围：{checked}页，用时{elapsed:.1f}秒）。")
    return 0
