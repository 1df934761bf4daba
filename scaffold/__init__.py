"""Write a new exemplar skeleton: `python -m scaffold --level … --doctype … --themes … --title …`.

The file lands in docs/exemplars/<level>/, with valid front matter and the document type's
skeleton from data/skeletons.yml. Every 〔待填写：…〕 hint must be replaced before the page passes
the checks (rule D06).
"""
from __future__ import annotations

import os as _os
import sys as _sys

# `python -m scaffold` puts the checkout first on sys.path: move it behind site-packages before any import.
_ROOT = _os.path.dirname(_os.path.dirname(_os.path.abspath(__file__)))
_sys.path[:] = [p for p in _sys.path if _os.path.abspath(p or ".") != _ROOT] + [_ROOT]

import argparse
import json
import re
import sys
from pathlib import Path

import yaml

from macros import data, library

CN = "一二三四五六七八九十"


class ScaffoldError(Exception):
    pass


def skeletons(root: Path = data.ROOT) -> dict:
    return yaml.safe_load((root / "data" / "skeletons.yml").read_text(encoding="utf-8"))


def render(level: str, doctype: str, themes: list[str], title: str, description: str | None = None) -> str:
    tax = data.taxonomy()
    problems = []
    if level not in tax.slugs("levels"):
        problems.append(f"层级“{level}”不存在。可选：{', '.join(tax.slugs('levels'))}")
    if doctype not in tax.slugs("doctypes"):
        problems.append(f"文种“{doctype}”不存在。可选：{', '.join(tax.slugs('doctypes'))}")
    unknown = [t for t in themes if t not in tax.slugs("themes")]
    if unknown:
        problems.append(f"主题{'、'.join(unknown)}不存在。可选：{', '.join(tax.slugs('themes'))}")
    if not themes or len(themes) > 6:
        problems.append("主题要写1到6个，用逗号分开")
    if not 6 <= len(title) <= 40:
        problems.append("标题要在6到40个字之间，说明单位类型和文种，例如“区县总工会年度工作总结”")
    if problems:
        raise ScaffoldError("\n".join(problems))
    sk = skeletons()[doctype]
    ending = data.genres()["endings"].get(sk["register"], "signoff")
    lines = [f"# {sk['title']}", ""]
    if ending == "byline":  # speeches, 述职 and congress reports: the date goes under the title
        lines += [sk.get("byline", "（【成文日期】）"), "{: .byline }", ""]
    lines += [sk["opening"], ""]
    for i, sec in enumerate(sk["sections"]):
        lines += [f"## {CN[i]}、{sec['heading']}", ""]
        subs = sec.get("subs") or []
        for j, sub in enumerate(subs):
            lines += [f"### （{CN[j]}）{sub}", "", "〔待填写：这一部分的具体做法、数字和成效。第三层序号写成“1.”，后面不加空格。〕", ""]
        if not subs:
            lines += ["〔待填写：这一部分的内容。有数字的写清数字，分项数字要能加总。〕", ""]
    lines += [sk["closing"], ""]
    if ending == "signoff":
        lines += [sk.get("signoff", "【工会名称】"), "{: .signoff }", "", "【成文日期】", "{: .signoff }", ""]
    lines += ['!!! tip "写法点评"', "",
              "    - 为什么这样写：〔待填写：这篇范文的结构和写法有什么可取之处。〕",
              "    - 改写时注意：〔待填写：读者改成自己单位时要替换或调整的地方。〕",
              "    - 常见错误：〔待填写：这类文稿常见的毛病。〕", ""]
    body = "\n".join(lines)
    used = list(dict.fromkeys(library.PLACEHOLDER.findall(body)))
    front = {
        "title": title,
        "description": description or f"〔待填写：一句话说明这篇{tax.label('doctypes', doctype)}的特点和适用场景。〕",
        "level": level,
        "doctype": doctype,
        "themes": themes,
        "period": sk["period"],
        "register": sk["register"],
        "placeholders": used,
    }
    fm = "\n".join(f"{k}: {json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v}" for k, v in front.items())
    return f"---\n{fm}\n---\n\n{body}"


def target_path(docs: Path, level: str, doctype: str, slug: str | None) -> Path:
    folder = docs / "exemplars" / level
    if slug:
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug):
            raise ScaffoldError("文件名只能用小写字母、数字和连字符，例如 annual-summary-coal")
        path = folder / f"{slug}.md"
        if path.exists():
            raise ScaffoldError(f"{path} 已经存在，请换一个 SLUG")
        return path
    path, n = folder / f"{doctype}.md", 2
    while path.exists():
        path, n = folder / f"{doctype}-{n}.md", n + 1
    return path


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m scaffold", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--level", required=True)
    ap.add_argument("--doctype", required=True)
    ap.add_argument("--themes", required=True, help="主题编号，用逗号分开")
    ap.add_argument("--title", required=True)
    ap.add_argument("--slug", default=None, help="文件名（不含 .md），默认按文种命名")
    ap.add_argument("--docs", type=Path, default=data.ROOT / "docs")
    args = ap.parse_args(argv)
    themes = [t.strip() for t in re.split(r"[,，]", args.themes) if t.strip()]
    try:
        text = render(args.level.strip(), args.doctype.strip(), themes, args.title.strip())
        path = target_path(args.docs, args.level.strip(), args.doctype.strip(), args.slug)
    except ScaffoldError as exc:
        print(f"没有生成文件：\n{exc}", file=sys.stderr)
        return 2
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"已生成：{path}\n下一步：把文中每个〔待填写：……〕换成正文，然后运行 make check 检查。")
    return 0
