"""Content-Security-Policy of every page: default-src 'self', inline scripts allowed only by hash.

The page template (overrides/main.html) writes PLACEHOLDER as the content of a
<meta http-equiv="Content-Security-Policy"> tag, first in <head>. After the theme has rendered a
page, `apply` hashes every inline script actually present in it and writes the policy.
"""
from __future__ import annotations

import base64
import hashlib
import re

PLACEHOLDER = "@@CONTENT_SECURITY_POLICY@@"
# <script> elements without src whose type makes the browser run them (not JSON data blocks)
SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
SRC_ATTR = re.compile(r"""\ssrc\s*=""", re.I)
TYPE_ATTR = re.compile(r"""\stype\s*=\s*["']?([^"'\s>]*)""", re.I)
JS_TYPES = {"", "text/javascript", "application/javascript", "module", "text/ecmascript", "application/ecmascript"}
CSP_META = re.compile(r"""<meta\s+http-equiv\s*=\s*["']?Content-Security-Policy["']?\s+content\s*=\s*(?:"([^"]*)"|'([^']*)')\s*/?>""", re.I)

# Everything comes from the site itself. Search (Pagefind) runs WebAssembly: 'wasm-unsafe-eval'.
# Styles: the theme's JavaScript and Markdown tables set style attributes; url() in them can
# still only reach the site (img-src, font-src). data: images: the theme's CSS icons.
DIRECTIVES = [
    ("default-src", "'self'"),
    ("script-src", "'self' 'wasm-unsafe-eval'"),
    ("style-src", "'self' 'unsafe-inline'"),
    ("img-src", "'self' data:"),
    ("font-src", "'self'"),
    ("connect-src", "'self'"),
    ("worker-src", "'self'"),
    ("frame-src", "'none'"),
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
]


def is_executable(attrs: str) -> bool:
    """True for an inline <script> the browser runs (no src, JavaScript or module type)."""
    if SRC_ATTR.search(attrs):
        return False
    m = TYPE_ATTR.search(attrs)
    return (m.group(1).lower() if m else "") in JS_TYPES


def inline_scripts(html: str) -> list[str]:
    """Bodies of the inline scripts of a page, in order."""
    return [m.group(2) for m in SCRIPT.finditer(html) if is_executable(m.group(1))]


def digest(body: str) -> str:
    """CSP source expression for one inline script body."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii") + "'"


def policy(hashes) -> str:
    parts = []
    for name, value in DIRECTIVES:
        if name == "script-src" and hashes:
            value += " " + " ".join(sorted(set(hashes)))
        parts.append(f"{name} {value}")
    return "; ".join(parts)


def apply(html: str) -> str:
    """The page with its policy written in place of the placeholder (hashes of its own inline scripts)."""
    if PLACEHOLDER not in html:
        raise ValueError("page has no Content-Security-Policy placeholder (overrides/main.html not used?)")
    return html.replace(PLACEHOLDER, policy(digest(s) for s in inline_scripts(html)), 1)


def parse(policy_text: str) -> dict[str, list[str]]:
    """Directive name -> source expressions."""
    out: dict[str, list[str]] = {}
    for part in policy_text.split(";"):
        words = part.split()
        if words:
            out.setdefault(words[0].lower(), words[1:])
    return out
