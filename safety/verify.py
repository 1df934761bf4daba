"""Check a built site folder for anything that could run script or call another host.

Independent of MkDocs and of the build hooks: it reads only the files in the folder, so it can
run on any built site (a CI artifact before deployment: python -m safety verify site/).
For every .html file: a Content-Security-Policy meta tag first in <head> with default-src 'self',
object-src 'none', base-uri 'self', no 'unsafe-inline' or 'unsafe-eval' for scripts, and the
hash of every inline script; no event-handler attribute; no javascript:/vbscript: URL and no
data: URL except raster images; no iframe, frame, object, embed, applet, base or meta refresh;
no fetched URL (safety.urls) off the site's own hosts. Every .css file: no off-site URL.
Every .svg file: plain shapes only (safety.sources.svg_problems).
"""
from __future__ import annotations

import html
import os
import re
from dataclasses import dataclass
from pathlib import Path

from . import csp, sources, urls

EMBEDDING = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal"}
SCRIPT_SCHEMES = ("javascript:", "vbscript:", "livescript:")
DATA_IMAGE = re.compile(r"^data:image/(png|jpeg|gif|webp)[;,]", re.I)
HEAD_START = re.compile(r"<head\b[^>]*>", re.I)
FIRST_SCRIPT = re.compile(r"<script\b", re.I)
URL_ATTRS = {"href", "src", "action", "formaction", "data", "poster", "background", "ping", "xlink:href",
             "srcset", "codebase", "cite", "longdesc", "manifest", "lowsrc", "dynsrc"}
REQUIRED = {"default-src": "'self'", "object-src": "'none'", "base-uri": "'self'"}


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    rule: str
    message: str

    def format(self) -> str:
        return f"{self.path}:{self.line}: [{self.rule}] {self.message}"


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def check_policy(text: str, name: str) -> list[Problem]:
    """The page's Content-Security-Policy: present, first in <head>, strict, covering its inline scripts."""
    metas = list(csp.CSP_META.finditer(text))
    if not metas:
        return [Problem(name, 1, "H07", "没有 Content-Security-Policy")]
    meta = metas[0]
    head = HEAD_START.search(text)
    script = FIRST_SCRIPT.search(text)
    out = []
    if head is None or meta.start() < head.end() or (script and script.start() < meta.start()):
        out.append(Problem(name, _line(text, meta.start()), "H07", "Content-Security-Policy 不在 <head> 开头、所有脚本之前"))
    policy = csp.parse(html.unescape(meta.group(1) if meta.group(1) is not None else meta.group(2)))
    for directive, value in REQUIRED.items():
        if policy.get(directive) != [value]:
            out.append(Problem(name, _line(text, meta.start()), "H07", f"Content-Security-Policy 的 {directive} 应为 {value}"))
    scripts = policy.get("script-src", policy.get("default-src", []))
    weak = {"'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:", "'unsafe-hashes'"} & set(scripts)
    if weak:
        out.append(Problem(name, _line(text, meta.start()), "H07", "script-src 放行了 " + " ".join(sorted(weak))))
    allowed = set(scripts)
    for m in csp.SCRIPT.finditer(text):
        if csp.is_executable(m.group(1)) and csp.digest(m.group(2)) not in allowed:
            out.append(Problem(name, _line(text, m.start()), "H07", "内联脚本的哈希不在 Content-Security-Policy 里：" + m.group(2).strip()[:60]))
    return out


def check_page(text: str, name: str, own_hosts=()) -> list[Problem]:
    """Problems of one built HTML page."""
    import lxml.html
    out = check_policy(text, name)
    try:
        root = lxml.html.document_fromstring(text) if text.strip() else None
    except Exception as exc:
        return out + [Problem(name, 1, "H07", f"无法解析的 HTML：{exc}")]
    if root is not None:
        for el in root.iter():
            if not isinstance(el.tag, str):
                continue
            tag = el.tag.rsplit("}", 1)[-1].lower()
            line = el.sourceline or 1
            if tag in EMBEDDING:
                out.append(Problem(name, line, "H08", f"页面里有 <{tag}>"))
            if tag == "meta" and (el.get("http-equiv") or "").lower() == "refresh":
                out.append(Problem(name, line, "H08", "页面里有自动跳转（meta refresh）"))
            for attr, value in el.attrib.items():
                attr = "xlink:href" if attr.endswith("}href") else attr.lower()
                if attr.startswith("on"):
                    out.append(Problem(name, line, "H05", f"<{tag}> 有事件属性 {attr}"))
                elif attr in URL_ATTRS or attr == "srcdoc":
                    for value_url in ([value] if attr != "srcset" else [p.strip().split(" ")[0] for p in value.split(",") if p.strip()]):
                        u = urls.normalise(value_url).lower()
                        if attr == "srcdoc" or u.startswith(SCRIPT_SCHEMES):
                            out.append(Problem(name, line, "H06", f"<{tag} {attr}> 是脚本网址：{value_url.strip()[:60]}"))
                        elif u.startswith("data:") and not (tag in ("img", "source") and attr in ("src", "srcset") and DATA_IMAGE.match(u)):
                            out.append(Problem(name, line, "H06", f"<{tag} {attr}> 是 data: 网址：{value_url.strip()[:60]}"))
    for ref in urls.html_refs(text):
        if urls.off_site(ref.url, own_hosts):
            out.append(Problem(name, ref.line, "L04", f"<{ref.tag} {ref.attr}> 会让浏览器访问外部网址 {ref.url.strip()[:80]}"))
    return out


def verify_site(site: Path, own_hosts=()) -> list[Problem]:
    """Problems of every page, stylesheet and SVG image of a built site folder."""
    site = Path(site)
    out: list[Problem] = []
    for dirpath, _, filenames in os.walk(site):
        for f in sorted(filenames):
            path = Path(dirpath) / f
            name = path.relative_to(site).as_posix()
            ext = path.suffix.lower()
            if path.is_symlink():
                out.append(Problem(name, 1, "H03", "网站里有符号链接"))
            elif ext in (".html", ".htm", ".xhtml"):
                out += check_page(path.read_text(encoding="utf-8", errors="replace"), name, own_hosts)
            elif ext == ".css":
                text = path.read_text(encoding="utf-8", errors="replace")
                out += [Problem(name, 1, "L04", f"样式表会让浏览器访问外部网址 {u[:80]}") for u in urls.css_urls(text) if urls.off_site(u, own_hosts)]
            elif ext == ".svg":
                out += [Problem(name, 1, "H04", p) for p in sources.svg_problems(path.read_bytes())]
    return sorted(out, key=lambda p: (p.path, p.line, p.rule))
