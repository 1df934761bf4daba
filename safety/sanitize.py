"""Allowlist sanitiser for the content HTML of every page (nh3, the binding of Rust's ammonia).

Step 4 of the pipeline (pipeline/post.py) runs it on the whole content of every page, after the
site generator's rendering *and* after the project's own decoration (exemplar card, fill-in form, related list,
index tables): trusted HTML made by our Python code passes through it too, so the allowlist
covers forms, inputs, selects, buttons, details and data-* attributes. What it removes:
elements not listed (script, style, iframe, object, svg, math … with their content), every
attribute not listed (so every on* handler, style except text-align, autofocus, tabindex,
srcdoc, formaction, ping …), form actions other than the site's own relative URLs, URLs whose scheme is not http, https, mailto or tel (so javascript:,
data:, vbscript:), ids and names that could clobber the theme's own (starting with "__" or
"md-"), and data-md-* attributes the theme's JavaScript would act upon. Comments are dropped.

The theme's own chrome (header, navigation, footer, inline scripts) is not content and does
not pass here; it is escaped by the templates in overrides/ and verified by safety.verify.
"""
from __future__ import annotations

import re

import nh3

# Elements the site's pages use: Python-Markdown and its extensions (tables, footnotes, abbr,
# def_list, admonition, details, attr_list, md_in_html, toc permalinks, pymdownx.highlight) and
# the HTML the project generates (macros/pagekit.py, macros/browse.py).
TAGS = {
    "a", "abbr", "article", "aside", "b", "blockquote", "br", "button", "caption", "cite", "code",
    "col", "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "fieldset", "figcaption",
    "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "i", "img", "input",
    "ins", "kbd", "label", "legend", "li", "mark", "nav", "ol", "optgroup", "option", "output", "p",
    "pre", "q", "s", "samp", "section", "select", "small", "span", "strong", "sub", "summary", "sup",
    "table", "tbody", "td", "textarea", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
    "datalist", "meter", "progress",
}
# Removed together with everything inside them.
DROP_WITH_CONTENT = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "noscript",
    "noembed", "noframes", "template", "svg", "math", "xmp", "title", "head", "base", "link", "meta",
    "video", "audio", "source", "track", "picture", "canvas", "portal", "dialog",
}
ATTRIBUTES = {
    "*": {"id", "class", "title", "lang", "dir", "hidden", "role"},
    "a": {"href", "download"},
    "img": {"src", "alt", "width", "height", "loading", "decoding"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "td": {"colspan", "rowspan", "style"},
    "th": {"colspan", "rowspan", "scope", "style"},
    "col": {"span"},
    "colgroup": {"span"},
    "details": {"open"},
    "label": {"for"},
    "input": {"type", "name", "value", "placeholder", "autocomplete", "checked", "disabled",
              "readonly", "maxlength", "minlength", "size", "min", "max", "step", "required",
              "inputmode", "enterkeyhint", "spellcheck", "autocapitalize", "pattern", "list"},
    "select": {"name", "multiple", "disabled", "required", "size"},
    "option": {"value", "selected", "disabled", "label"},
    "optgroup": {"label", "disabled"},
    "textarea": {"name", "rows", "cols", "placeholder", "disabled", "readonly", "maxlength", "required"},
    "button": {"type", "name", "value", "disabled"},
    "fieldset": {"disabled", "name"},
    "output": {"for", "name"},
    "form": {"name", "autocomplete", "novalidate", "action", "method"},  # a no-JavaScript fallback may submit to our own page
    "time": {"datetime"},
    "q": {"cite"},
    "blockquote": {"cite"},
    "del": {"datetime"},
    "ins": {"datetime"},
    "abbr": set(),
}
PREFIXES = {"data-", "aria-"}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
STYLE_PROPERTIES = {"text-align"}  # Markdown tables write column alignment as style="text-align: …"
INPUT_TYPES = {"text", "search", "checkbox", "radio", "number", "date", "month", "email", "tel", "hidden", "reset", "button"}
BUTTON_TYPES = {"button", "reset", "submit"}
RELATIVE = re.compile(r"^(?![a-zA-Z][a-zA-Z0-9+.-]*:|\s|[/\\]{2})[^\s]*$")  # no scheme, not //host
RESERVED_ID = re.compile(r"^(__|md-|md_)", re.I)  # the theme's own ids (__config, __search, __drawer…)
SAFE_STYLE_VALUE = re.compile(r"^\s*text-align\s*:\s*(left|right|center|justify|start|end)\s*;?\s*$", re.I)


def _filter(element: str, attribute: str, value: str) -> str | None:
    if attribute in ("id", "for", "name") and RESERVED_ID.match(value):
        return None
    if attribute.startswith("data-md-"):
        return None
    if attribute == "style" and not SAFE_STYLE_VALUE.match(value):
        return None
    if element == "input" and attribute == "type" and value.lower() not in INPUT_TYPES:
        return None
    if element == "button" and attribute == "type" and value.lower() not in BUTTON_TYPES:
        return "button"
    if element == "form" and attribute == "method" and value.lower() != "get":
        return None
    if element == "form" and attribute == "action" and not RELATIVE.match(value):
        return None  # forms go to the site's own pages only (the policy says form-action 'self' too)
    return value


_CLEANER = nh3.Cleaner(  # built once: setting up the allowlist costs more than cleaning a page
    tags=TAGS,
    clean_content_tags=DROP_WITH_CONTENT,
    attributes=ATTRIBUTES,
    attribute_filter=_filter,
    strip_comments=True,
    link_rel=None,
    generic_attribute_prefixes=PREFIXES,
    url_schemes=URL_SCHEMES,
    filter_style_properties=STYLE_PROPERTIES,
)


def clean(html: str) -> str:
    """The content HTML with everything outside the allowlist removed."""
    return _CLEANER.clean(html)
