"""Command line: python -m checks [options] [files...]

Checks front matter, text and template safety of the Markdown pages in docs/ (all of them,
the files named, or with --changed only those git reports as changed), and with --site the
links of a built site. Prints each finding with file, line, rule id and how to fix it.
"""
from __future__ import annotations

import argparse
import subprocess
import time
from pathlib import Path

from macros import data, library

from . import lint, links, phrasebank, rules, schema, similarity
from .findings import Finding

ROOT = data.ROOT


def changed_files(base: str | None) -> list[Path]:
    """Markdown files under docs/ that differ from `base` (default: the merge base with main, or HEAD)."""
    def git(*args):
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.split("\n")
    if base is None:
        mb = [l for l in git("merge-base", "HEAD", "origin/main") if l]
        base = mb[0] if mb else "HEAD"
    names = set(git("diff", "--name-only", base, "--", "docs"))
    names |= set(git("ls-files", "--others", "--exclude-standard", "--", "docs"))
    return [ROOT / n for n in sorted(names) if n.endswith(".md") and (ROOT / n).exists()]


def check_docs(docs: Path, only: list[Path] | None = None) -> list[Finding]:
    docs = docs.resolve()
    items = library.load(docs)
    wanted = {p.resolve() for p in only} if only is not None else None
    out: list[Finding] = []
    for ex in items:
        if wanted is None or ex.path.resolve() in wanted:
            found = schema.check_exemplar(ex, docs)
            out += found
            if not any(f.rule == "F01" for f in found):
                out += lint.lint_exemplar(ex, ROOT)
    dup = schema.check_library(items)
    out += [f for f in dup if wanted is None or (ROOT / f.path).resolve() in wanted]
    out += similar_pages(items, wanted)
    for ex, i, block_id, count in lint.closing_reuse([ex for ex in items if not ex.errors]):
        if wanted is None or ex.path.resolve() in wanted:
            out.append(Finding("docs/" + ex.src, ex.body_line + i, "S11",
                               f"结语句式 {block_id} 已有{count}篇范文在用（最多{lint.CLOSING_LIMIT}篇）", rules.get("S11").fix))
    exemplar_dir = (docs / library.EXEMPLAR_DIR).resolve()
    pages = sorted(docs.rglob("*.md"))
    for page in pages:
        if exemplar_dir in page.resolve().parents:
            continue
        if wanted is None or page.resolve() in wanted:
            out += lint.lint_page(page, ROOT, docs)
    if wanted is None:
        out += phrasebank.check(ROOT)
    return out


def similar_pages(items, wanted) -> list[Finding]:
    only = None if wanted is None else {ex.src for ex in items if ex.path.resolve() in wanted}
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
        targets = only if only is not None else sorted(args.docs.rglob("*.md"))
        for path in targets:
            text = path.read_text(encoding="utf-8")
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
