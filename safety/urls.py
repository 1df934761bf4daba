"""Every URL a browser would fetch from an HTML page or a stylesheet, the way the browser reads it.

HTML: resource attributes (src, srcset, imagesrcset, poster, data, codebase, background, action,
formaction, ping, manifest, href of <link>, <base>, SVG href/xlink:href), <meta http-equiv=refresh>,
and CSS in style="" attributes and <style> elements. Attribute values are entity-decoded by the
parser (lxml), as a browser does. CSS: comments removed, escapes decoded (\\68ttps → https),
then url(…) quoted or not, image-set(…)/image(…)/cross-fade(…) strings and @import.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

# (tag or "*", attribute): the browser fetches the URL in it without the reader clicking
FETCH_ATTRS = {
    ("*", "src"), ("*", "srcset"), ("*", "imagesrcset"), ("*", "poster"), ("*", "background"),
    ("*", "ping"), ("*", "action"), ("*", "formaction"), ("*", "manifest"), ("*", "lowsrc"),
    ("*", "dynsrc"), ("*", "longdesc"), ("object", "data"), ("object", "codebase"), ("applet", "codebase"),
    ("object", "archive"), ("link", "href"), ("base", "href"), ("image", "href"), ("use", "href"),
    ("feimage", "href"), ("image", "xlink:href"), ("use", "xlink:href"), ("feimage", "xlink:href"),
    ("script", "href"), ("script", "xlink:href"),
}
XLINK = "{http://www.w3.org/1999/xlink}href"
CSS_COMMENT = re.compile(r"/\*.*?(\*/|$)", re.S)
CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})[ \t\n\r\f]?|\\(.)", re.S)
CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)""", re.I)
CSS_IMPORT = re.compile(r"""@import\s+(?:"([^"]*)"|'([^']*)')""", re.I)
CSS_IMAGE_FN = re.compile(r"""(?:-webkit-|-moz-)?(?:image-set|image|cross-fade)\s*\(""", re.I)
CSS_STRING = re.compile(r""""([^"]*)"|'([^']*)'""")
REFRESH_URL = re.compile(r"""^\s*\d*\s*[;,]?\s*(?:url\s*=\s*)?["']?([^"']*)""", re.I)
STRIP = re.compile(r"[\t\n\r]")
# <link rel=…> values a browser does not fetch
NOT_FETCHED_RELS = {"canonical", "prev", "next", "alternate", "author", "license", "bookmark", "me", "help"}


@dataclass(frozen=True)
class Ref:
    line: int
    tag: str
    attr: str  # attribute name, "style" (style attribute), "css" (<style> or .css) or "refresh"
    url: str


def _unescape_css(text: str) -> str:
    def sub(m):
        if m.group(1):
            code = int(m.group(1), 16)
            return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"
        return "" if m.group(2) == "\n" else m.group(2)
    return CSS_ESCAPE.sub(sub, text)


def css_urls(css: str) -> list[str]:
    """URLs a stylesheet (or a style attribute) makes the browser fetch."""
    text = _unescape_css(CSS_COMMENT.sub(" ", css))
    found = [a or b or c for a, b, c in CSS_URL.findall(text)]
    found += [a or b for a, b in CSS_IMPORT.findall(text)]
    for m in CSS_IMAGE_FN.finditer(text):
        depth, i = 1, m.end()
        while i < len(text) and depth:  # the function's arguments, up to its closing parenthesis
            depth += {"(": 1, ")": -1}.get(text[i], 0)
            i += 1
        found += [a or b for a, b in CSS_STRING.findall(text[m.end():i])]
    return [u for u in found if u.strip()]


def _srcset(value: str) -> list[str]:
    return [part.strip().split()[0] for part in value.split(",") if part.strip()]


def html_refs(text: str) -> list[Ref]:
    """Every fetched URL of an HTML page, with its line."""
    import lxml.html
    if not text.strip():
        return []
    try:
        root = lxml.html.document_fromstring(text)
    except Exception:  # not HTML lxml can read: fall back to reading it as a stylesheet
        return [Ref(1, "", "css", u) for u in css_urls(text)]
    out: list[Ref] = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        tag = el.tag.rsplit("}", 1)[-1].lower()
        line = el.sourceline or 1
        for name, value in el.attrib.items():
            attr = "xlink:href" if name == XLINK else name.lower()
            if attr == "style":
                out += [Ref(line, tag, "style", u) for u in css_urls(value)]
            elif tag == "link" and attr == "href" and set((el.get("rel") or "").lower().split()) <= NOT_FETCHED_RELS and el.get("rel"):
                continue
            elif ("*", attr) in FETCH_ATTRS or (tag, attr) in FETCH_ATTRS:
                urls = _srcset(value) if attr.endswith("srcset") else value.split() if attr in ("ping", "archive") else [value]
                out += [Ref(line, tag, attr, u) for u in urls]
        if tag == "meta" and (el.get("http-equiv") or "").lower() == "refresh":
            m = REFRESH_URL.match(el.get("content") or "")
            if m and m.group(1).strip():
                out.append(Ref(line, tag, "refresh", m.group(1)))
        if tag == "style" and el.text:
            # raw text in HTML, entity-decoded inside SVG: read it both ways
            found = dict.fromkeys(css_urls(el.text) + css_urls(html.unescape(el.text)))
            out += [Ref(line, tag, "css", u) for u in found]
    return out


def normalise(url: str) -> str:
    """The URL as the browser's URL parser sees it: tabs and newlines removed, ends trimmed, \\ as /."""
    url = STRIP.sub("", url).strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
    return url.replace("\\", "/")


def off_site(url: str, own_hosts=()) -> bool:
    """True when fetching `url` would contact a host other than the site's own."""
    url = normalise(url)
    low = url.lower()
    if low.startswith(("data:", "blob:", "about:", "#")):
        return False
    if url.startswith("//"):
        return (urlsplit("http:" + url).hostname or "") not in own_hosts
    scheme = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*):", url)
    if not scheme:
        return False  # relative: the site itself
    host = urlsplit(url).hostname
    return not host or host not in own_hosts
