"""Which files docs/ may hold: the build refuses anything else before reading a page.

- names: pages and folders match [a-z0-9-]+ (pages end in .md), assets [a-z0-9][a-z0-9_.-]*;
- types: Markdown anywhere; raster images under assets/images/; SVG there only when svg_problems()
  finds nothing; .css and .js only when mkdocs.yml lists them (extra_css, extra_javascript);
- no symlinks, to files or folders.
Dot files are skipped (MkDocs never publishes them).
"""
from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

PAGE_NAME = re.compile(r"[a-z0-9-]+\.md")
FOLDER_NAME = re.compile(r"[a-z0-9-]+")
ASSET_NAME = re.compile(r"[a-z0-9][a-z0-9_.-]*")
# Front-matter keys the theme acts upon (template choice, icons, text printed into the navigation):
# no page of the site uses them, so the build refuses them on every page (H09).
THEME_KEYS = ("template", "icon", "status", "subtitle", "location", "author")
IMAGE_TYPES = {".png", ".jpg", ".jpeg", ".gif", ".webp"}
IMAGE_DIR = "assets/images/"
SVG_MAX = 200_000

SVG_NS = "{http://www.w3.org/2000/svg}"
SVG_ELEMENTS = {"svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "title",
                "desc", "defs", "lineargradient", "radialgradient", "stop", "clippath", "mask", "symbol"}
SVG_ATTRIBUTES = {"xmlns", "viewbox", "width", "height", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r",
                  "rx", "ry", "d", "points", "fill", "fill-rule", "fill-opacity", "stroke", "stroke-width",
                  "stroke-linecap", "stroke-linejoin", "stroke-opacity", "stroke-dasharray", "opacity",
                  "transform", "id", "class", "offset", "stop-color", "stop-opacity", "gradientunits",
                  "gradienttransform", "clip-path", "clip-rule", "mask", "preserveaspectratio", "version",
                  "role", "aria-label", "aria-hidden", "focusable"}
LOCAL_REF = re.compile(r"^\s*url\(\s*#[A-Za-z][\w.-]*\s*\)\s*$")


@dataclass(frozen=True)
class Problem:
    path: str  # e.g. docs/guides/x.html
    rule: str
    message: str

    def format(self) -> str:
        return f"{self.path}:1: [{self.rule}] {self.message}"


def svg_problems(data: bytes) -> list[str]:
    """What makes an SVG file unsafe to publish (empty when it is plain shapes)."""
    if len(data) > SVG_MAX:
        return [f"文件过大（{len(data)}字节，上限{SVG_MAX}）"]
    text = data.decode("utf-8", errors="replace")
    if re.search(r"<!(DOCTYPE|ENTITY)", text, re.I):
        return ["含有 DOCTYPE 或 ENTITY 声明"]
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        return [f"不是有效的 SVG：{exc}"]
    out = []
    for el in root.iter():
        tag = el.tag.split("}")[-1].lower() if isinstance(el.tag, str) else ""
        if not (isinstance(el.tag, str) and el.tag.startswith(SVG_NS) or el.tag == "svg") or tag not in SVG_ELEMENTS:
            out.append(f"不允许的元素 <{tag or el.tag}>")
            continue
        for name, value in el.attrib.items():
            local = name.split("}")[-1].lower()
            if local not in SVG_ATTRIBUTES:
                out.append(f"<{tag}> 有不允许的属性 {local}")
            elif local in ("fill", "stroke", "clip-path", "mask") and "url(" in value.lower() and not LOCAL_REF.match(value):
                out.append(f"<{tag} {local}> 引用了外部内容")
    return out


def problems(docs: Path, extra_assets=()) -> list[Problem]:
    """Everything in docs/ the build must refuse. `extra_assets`: paths relative to docs/ that
    mkdocs.yml lists as the site's own stylesheets and scripts."""
    docs = Path(docs)
    own = {a.replace("\\", "/").lstrip("/") for a in extra_assets}
    out: list[Problem] = []
    for dirpath, dirnames, filenames in os.walk(docs):
        rel_dir = os.path.relpath(dirpath, docs).replace(os.sep, "/")
        rel_dir = "" if rel_dir == "." else rel_dir + "/"
        for d in list(dirnames):
            if d.startswith("."):
                dirnames.remove(d)
                continue
            shown = f"docs/{rel_dir}{d}"
            if os.path.islink(os.path.join(dirpath, d)):
                out.append(Problem(shown, "H03", "是符号链接，构建不会跟随它"))
                dirnames.remove(d)
            elif not FOLDER_NAME.fullmatch(d):
                out.append(Problem(shown, "H01", "文件夹名只能用小写字母、数字和连字符"))
        for f in filenames:
            if f.startswith("."):
                continue
            rel = rel_dir + f
            shown = f"docs/{rel}"
            full = os.path.join(dirpath, f)
            ext = os.path.splitext(f)[1].lower()
            if os.path.islink(full):
                out.append(Problem(shown, "H03", "是符号链接，可能把仓库外的文件发布出去"))
            elif ext == ".md":
                if not PAGE_NAME.fullmatch(f):
                    out.append(Problem(shown, "H01", "页面文件名只能用小写字母、数字和连字符，以 .md 结尾"))
            elif not ASSET_NAME.fullmatch(f):
                out.append(Problem(shown, "H01", "文件名只能用小写字母、数字、连字符、下划线和点"))
            elif rel in own and ext in (".css", ".js"):
                continue
            elif ext in IMAGE_TYPES and rel.startswith(IMAGE_DIR):
                continue
            elif ext == ".svg" and rel.startswith(IMAGE_DIR):
                with open(full, "rb") as fh:
                    found = svg_problems(fh.read())
                if found:
                    out.append(Problem(shown, "H04", "SVG 图片不安全：" + "；".join(found[:3])))
            else:
                where = "（图片要放在 docs/assets/images/ 下）" if ext in IMAGE_TYPES | {".svg"} else ""
                out.append(Problem(shown, "H02", f"不允许的文件类型 {ext or '（无扩展名）'}{where}：docs/ 里只能放 Markdown 页面和图片"))
    return out
