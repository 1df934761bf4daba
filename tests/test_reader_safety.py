"""Readers are safe: no contributed page runs script or makes the browser call another host.

Three layers, each tested on its own and then together:
- the allowlist sanitiser (safety.sanitize) and the built-site check (safety.verify, safety.urls,
  checks.links) on small HTML fixtures, one per attack form of issue 10;
- hostile pages dropped into a throw-away copy of the project: each is refused by the build with
  a rule id, or built into pages with nothing executable (safety.verify) that run nothing in
  headless chromium (no dialog, document.title unchanged, no request off 127.0.0.1, no CSP report);
- the Content-Security-Policy of the real site: no violation on real pages of every type, and an
  injected inline handler is blocked.
"""
from __future__ import annotations

import functools
import html as html_lib
import http.server
import re
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from checks import links
from conftest import ROOT, SITE_PORT, _free_port, build, copy_project
from safety import csp, sanitize, sources, urls, verify
from safety import rules as safety_rules
from browser_wait import wait_js

BASE = (ROOT / "tests" / "fixtures" / "good" / "base.md").read_text(encoding="utf-8")
SIGNOFF = "【单位名称】\n{: .signoff }"
JS = "document.title=/PWNED/.source;alert(1)"  # what every payload tries to run (no quotes: fits any quoting)
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
EXECUTABLE = {"H05", "H06", "H07", "H08", "L04"}
ARTIFACTS = ROOT / "test-artifacts"


# --- the sanitiser ---------------------------------------------------------------------------

@pytest.mark.parametrize("dirty", [
    f'<img src="../../assets/images/favicon.svg" alt="图" onload="{JS}">',
    f'<p tabindex="0" autofocus="" onfocus="{JS}">正文</p>',
    f'<p onclick="{JS}" onmouseover="{JS}">正文</p>',
    f'<a href="javascript:{JS}">链接</a>',
    f'<a href=" jav&#x09;ascript:{JS}">链接</a>',
    '<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">链接</a>',
    f'<script>{JS}</script>',
    f'<svg><script>{JS}</script></svg>',
    f'<iframe srcdoc="<script>{JS}</script>"></iframe>',
    f'<object data="javascript:{JS}"></object>',
    f'<form action="https://example.org/"><button formaction="javascript:{JS}" type="submit">提交</button></form>',
    '<div style="background:url(https://example.org/a.png)">x</div>',
    '<a href="#a" ping="https://example.org/p">x</a>',
    f'<details open ontoggle="{JS}"><summary>x</summary></details>',
    f'<math><mtext><table><mglyph><style><img src=x onerror="{JS}">',
    f'<noscript><p title="</noscript><img src=x onerror={JS}>">',
    f'<base href="https://example.org/"><meta http-equiv="refresh" content="0;url=https://example.org/">',
])
def test_sanitiser_leaves_nothing_executable(dirty):
    clean = sanitize.clean(dirty)
    page = "<html><head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; object-src 'none'; base-uri 'self'\"></head><body>" + clean + "</body></html>"
    found = [p for p in verify.check_page(page, "x.html") if p.rule in EXECUTABLE]
    assert found == [], (dirty, clean)
    assert not re.search(r"<(script|iframe|object|svg|math|style|base|meta)\b|\son\w+\s*=|javascript:|https://example", clean, re.I), clean


def test_sanitiser_keeps_what_the_site_needs():
    kept = [
        '<div class="admonition tip" data-search-exclude="true"><p class="admonition-title">写法点评</p></div>',
        '<h2 id="一工作回顾">一、工作回顾<a class="headerlink" href="#一工作回顾" title="Permanent link">¶</a></h2>',
        '<table><thead><tr><th style="text-align:center">层级</th></tr></thead><tbody><tr><td>县</td></tr></tbody></table>',
        '<details class="ph-form" hidden=""><summary>填写</summary><form><label for="ph-0">单位名称</label>'
        '<input id="ph-0" type="text" data-ph="单位名称" placeholder="例如：某某" autocomplete="off">'
        '<button class="md-button ph-reset" type="button">清空</button></form></details>',
        '<a class="md-button ex-download" href="x.docx" download="标题.docx">下载Word</a>',
        '<select name="level"><option value="county" selected="">县</option></select>',
        '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>',
        '<img src="../../assets/images/favicon.svg" alt="图" width="32">',
        '<div class="highlight"><pre><span></span><code><span class="n">x</span></code></pre></div>',
        '<abbr title="职工代表大会">职代会</abbr><dl><dt>术语</dt><dd>解释</dd></dl>',
        '<h6 id="tags.md:139-160/slug">x</h6>',  # the tags plugin's listing marker
        # the chooser's no-JavaScript form and the fill-in form's numeric fields
        '<form class="chooser" method="get" action="../find/"><select id="cz-level" name="level" aria-label="层级">'
        '<option value="county">县</option></select><button class="md-button" type="submit">找范文</button></form>',
        '<input id="ph-1" type="text" data-ph="年份" inputmode="numeric" data-derive="年份+1" aria-describedby="ph-1-hint">',
    ]
    for html in kept:
        assert sanitize.clean(html) == html


@pytest.mark.parametrize("action", ["https://example.org/", "//example.org/", "/\\example.org/", "javascript:alert(1)", " java\nscript:alert(1)"])
def test_forms_submit_only_to_the_site(action):
    assert sanitize.clean(f'<form action="{action}" method="post"><button type="submit">x</button></form>') == '<form><button type="submit">x</button></form>'


def test_sanitiser_refuses_ids_and_attributes_the_theme_acts_upon():
    out = sanitize.clean('<h2 id="__config" data-md-component="search-query" data-ph="单位名称">x</h2>')
    assert out == '<h2 data-ph="单位名称">x</h2>'


# --- what a browser fetches ------------------------------------------------------------------

THIRD_PARTY_FORMS = {
    "image-set": '<div style="background-image:image-set(&quot;https://a.example/x.png&quot; 1x)">x</div>',
    "webkit-image-set in <style>": "<style>p{background:-webkit-image-set(url(//b.example/y.png) 1x)}</style>",
    "entity in style attribute": '<p style="background:url(&#104;ttps://c.example/z.png)">x</p>',
    "css escape": r"<style>p{background:url(\68ttps://d.example/z.png)}</style>",
    "css escape in url function name": r"<style>p{background:u\72l(https://e.example/z.png)}</style>",
    "quoted url": "<style>p{background:url( \"https://f.example/z.png\" )}</style>",
    "@import": "<style>@import 'https://g.example/a.css';</style>",
    "ping": '<a href="#top" id="top" ping="https://h.example/p">x</a>',
    "srcset": '<img src="a.png" srcset="a.png 1x, https://i.example/b.png 2x" alt="">',
    "poster": '<video poster="https://j.example/a.jpg"></video>',
    "form action": '<form action="https://k.example/"></form>',
    "formaction": '<button formaction="//l.example/">x</button>',
    "object data": '<object data="https://m.example/o.swf"></object>',
    "background attribute": '<table background="https://n.example/t.png"></table>',
    "svg xlink:href": '<svg><image xlink:href="https://o.example/i.png"/></svg>',
    "meta refresh": '<meta http-equiv="refresh" content="0; url=https://p.example/">',
    "stylesheet link": '<link rel="stylesheet" href="https://q.example/a.css">',
    "tab inside scheme": '<img src="ht\ttps://r.example/a.png" alt="">',
    "backslashes": '<img src="\\\\s.example/a.png" alt="">',
}


@pytest.mark.parametrize("form", THIRD_PARTY_FORMS, ids=str)
def test_third_party_url_is_found_in_every_form(tmp_path, form):
    site = tmp_path / "site"
    site.mkdir()
    (site / "a.png").write_bytes(b"png")
    (site / "index.html").write_text("<html><head></head><body>\n" + THIRD_PARTY_FORMS[form] + "\n</body></html>", encoding="utf-8")
    found = [f for f in links.check_site(site) if f.rule == "L04"]
    assert len(found) == 1 and found[0].line == 2, found
    assert [p for p in verify.verify_site(site) if p.rule == "L04"], form


def test_own_and_relative_urls_are_not_third_party(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "a.png").write_bytes(b"png")
    (site / "index.html").write_text(
        '<html><head><link rel="canonical" href="http://127.0.0.1:8000/"><style>p{background:url("a.png")}</style></head>'
        '<body><img src="a.png" srcset="a.png 1x, /a.png 2x" alt=""><p style="background:url(data:image/png;base64,AA==)">x</p>'
        '<img src="http://127.0.0.1:8000/a.png" alt=""></body></html>', encoding="utf-8")
    (site / "x.css").write_text("p{background:url(a.png)} q{background:url('data:image/svg+xml;charset=utf-8,<svg/>')}", encoding="utf-8")
    assert [f for f in links.check_site(site, "http://127.0.0.1:8000/") if f.rule == "L04"] == []
    assert [p for p in verify.verify_site(site, ("127.0.0.1",)) if p.rule == "L04"] == []
    (site / "x.css").write_text("@font-face{src:url(https://fonts.example/f.woff2)}", encoding="utf-8")
    assert [f.path for f in links.check_site(site, "http://127.0.0.1:8000/") if f.rule == "L04"] == ["site/x.css"]


def test_css_escapes_and_comments_are_read_like_a_browser():
    assert urls.css_urls(r"a{b:url(\000068ttps://x.example/)}") == ["https://x.example/"]
    assert urls.css_urls("a{b:url(x.png)/* url(https://y.example/) */}") == ["x.png"]
    assert urls.off_site(" \n//z.example/a") and not urls.off_site("/a") and not urls.off_site("a/b:c")


# --- the built-site check and the policy -----------------------------------------------------

def _page(body: str, scripts: tuple[str, ...] = (), policy: str | None = None) -> str:
    head = "".join(f"<script>{s}</script>" for s in scripts)
    text = f'<html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="{csp.PLACEHOLDER}">{head}</head><body>{body}</body></html>'
    return csp.apply(text) if policy is None else text.replace(csp.PLACEHOLDER, policy)


def test_policy_hashes_every_inline_script_and_nothing_else():
    page = _page("<p>x</p>", scripts=("var a=1", "var b=2"))
    policy = csp.parse(csp.CSP_META.search(page).group(1))
    assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"] and policy["form-action"] == ["'self'"]
    assert "'wasm-unsafe-eval'" in policy["script-src"] and "'unsafe-inline'" not in policy["script-src"]
    assert {s for s in policy["script-src"] if s.startswith("'sha256-")} == {csp.digest("var a=1"), csp.digest("var b=2")}
    assert verify.check_page(page, "p.html") == []


@pytest.mark.parametrize("body,rule", [
    (f'<img src="a.png" onerror="{JS}">', "H05"),
    (f'<a href="javascript:{JS}">x</a>', "H06"),
    ('<a href="data:text/html,x">x</a>', "H06"),
    ('<iframe src="a.html"></iframe>', "H08"),
    ('<base href="/">', "H08"),
    (f"<script>{JS}</script>", "H07"),
    ('<img src="https://cdn.example/a.png">', "L04"),
])
def test_verify_finds_what_could_run_or_call_out(body, rule):
    clean = _page("<p>x</p>")
    # the policy was written before the attack was added: any inline script is unhashed
    page = clean.replace("<p>x</p>", body)
    assert rule in {p.rule for p in verify.check_page(page, "p.html")}


def test_verify_refuses_a_missing_or_weak_policy():
    assert {p.rule for p in verify.check_page("<html><head></head><body></body></html>", "p.html")} == {"H07"}
    weak = _page("<p>x</p>", policy="default-src 'self'; script-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'self'")
    assert [p.message for p in verify.check_page(weak, "p.html")] == ["script-src 放行了 'unsafe-inline'"]
    late = "<html><head><script>var a=1</script>" + _page("")[len("<html><head>"):]
    assert "H07" in {p.rule for p in verify.check_page(late, "p.html")}


def test_the_real_site_passes_the_check(built_site):
    from conftest import SITE_URL
    assert verify.verify_site(built_site, (urlsplit(SITE_URL).hostname,)) == []
    index = (built_site / "index.html").read_text(encoding="utf-8")
    head = index[index.index("<head>"): index.index("</head>")]
    assert head.index("Content-Security-Policy") < head.index("<script")  # first, before any script
    assert csp.PLACEHOLDER not in (built_site / "404.html").read_text(encoding="utf-8")


def test_verify_command_line(tmp_path, built_site, capsys):
    from safety.__main__ import main
    assert main(["verify", str(built_site), "--site-url", "http://127.0.0.1/"]) == 0
    (tmp_path / "bad.html").write_text(f'<html><head></head><body><p onclick="{JS}">x</p></body></html>', encoding="utf-8")
    assert main(["verify", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "bad.html:1: [H05]" in out and "bad.html:1: [H07]" in out


# --- docs/ sources ---------------------------------------------------------------------------

def test_docs_file_names_types_and_symlinks(tmp_path):
    docs = tmp_path / "docs"
    (docs / "assets" / "images").mkdir(parents=True)
    (docs / "assets" / "javascripts").mkdir(parents=True)
    (docs / "guides").mkdir()
    ok = {"index.md": "# x", "guides/plan.md": "# x", "assets/images/a.png": "x", "assets/javascripts/writer.js": "x",
          "assets/images/logo.svg": '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><path d="M0 0h8v8z" fill="#c00"/></svg>'}
    for rel, text in ok.items():
        (docs / rel).write_text(text, encoding="utf-8")
    (docs / ".editor-swap").write_text("x", encoding="utf-8")  # dot files are never published
    assert sources.problems(docs, ["assets/javascripts/writer.js"]) == []
    bad = {
        'guides/x"onfocus="alert(1)"autofocus="".md': "H01", "guides/Plan.md": "H01", "guides/计划.md": "H01",
        "guides/extra.html": "H02", "guides/extra.js": "H02", "assets/javascripts/other.js": "H02",
        "guides/pic.svg": "H02", "guides/pic.png": "H02",
        "assets/images/evil.svg": "H04", "assets/images/ref.svg": "H04", "assets/images/bomb.svg": "H04",
    }
    for rel in bad:
        (docs / rel).write_text("x", encoding="utf-8")
    (docs / "assets/images/evil.svg").write_text(f'<svg xmlns="http://www.w3.org/2000/svg" onload="{JS}"><script>{JS}</script></svg>', encoding="utf-8")
    (docs / "assets/images/ref.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><use xlink:href="https://x.example/a.svg#i"/></svg>', encoding="utf-8")
    (docs / "assets/images/bomb.svg").write_text('<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>', encoding="utf-8")
    (docs / "guides" / "link.md").symlink_to(ROOT / "mkdocs.yml")
    (docs / "linked").symlink_to(ROOT / "docs" / "guides", target_is_directory=True)
    found = {p.path.removeprefix("docs/"): p.rule for p in sources.problems(docs, ["assets/javascripts/writer.js"])}
    assert found == {**bad, "guides/link.md": "H03", "linked": "H03"}


def test_the_real_docs_folder_is_clean():
    import yaml

    class Loader(yaml.SafeLoader):
        pass
    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    cfg = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    own = cfg["extra_css"] + cfg["extra_javascript"] + (cfg.get("extra", {}).get("lazy_assets") or [])
    assert sources.problems(ROOT / "docs", own) == []


def test_style_page_lists_the_reader_safety_rules(built_site):
    html = (built_site / "style" / "index.html").read_text(encoding="utf-8")
    for r in safety_rules.RULES:
        assert f"{r.id} {r.title}" in html, r.id


# --- hostile pages, built -----------------------------------------------------------------------

def exemplar(title="测试用攻击页面", description="测试夹具：一篇带有攻击代码的短范文，用来确认读者不受影响。", extra_front="", paragraph=""):
    text = BASE.replace("title: 测试用工会小组季度工作小结", f"title: {title}", 1)
    text = text.replace("description: 测试夹具：一篇结构完整、符合全部规则的短范文，其他夹具都在它的基础上只改一处。", f"description: {description}", 1)
    if extra_front:
        text = text.replace("\n---\n", "\n" + extra_front + "\n---\n", 1)
    if paragraph:
        text = text.replace(SIGNOFF, paragraph + "\n\n" + SIGNOFF, 1)
    return text


GUIDE = "---\ntitle: 测试指南\ndescription: 测试夹具：一篇写作指南页面，用来确认读者不受影响。\n---\n\n# 测试指南\n\n正文。\n"


@dataclass
class Attack:
    name: str
    files: dict  # path relative to docs/ -> text (str) or bytes
    pages: list  # built pages to open (URL paths) when the build accepts the attack
    symlink: tuple | None = None
    changes: dict = field(default_factory=dict)  # path relative to docs/ -> (old, new) edit of a real page


ATTACKS = [
    Attack("attribute-lists", {"exemplars/branch/attack-attrs.md": exemplar(paragraph=(
        f'![图](../../assets/images/favicon.svg){{: onload="{JS}" }}\n\n'
        f'本季度读书活动如期完成。\n{{: tabindex="0" autofocus="" onfocus="{JS}" }}\n\n'
        f'参加人数有所增加。\n{{: onclick="{JS}" onmouseover="{JS}" }}'))}, ["exemplars/branch/attack-attrs/"]),
    Attack("title-html", {"exemplars/branch/attack-title.md": exemplar(title='"<img src=x onerror=alert(1)>读书活动"')},
           ["exemplars/branch/attack-title/", "exemplars/branch/campaign-summary/", "exemplars/branch/"]),
    Attack("description-breakout", {"exemplars/branch/attack-desc.md": exemplar(description=f"'\"><script>{JS}</script>测试夹具：描述里的引号和脚本'")},
           ["exemplars/branch/attack-desc/"]),
    Attack("title-and-description-html-on-a-guide", {"guides/attack-meta.md": (
        f"---\ntitle: \"<img src=x onerror={JS}>指南\"\ndescription: '\"><script>{JS}</script>'\n---\n\n正文。\n")},
           ["guides/attack-meta/"]),
    Attack("hostile-file-name", {'exemplars/branch/x"onfocus="alert(1)"autofocus="".md': exemplar()}, []),
    Attack("phrase-vars-html", {"exemplars/branch/attack-vars.md": exemplar(
        paragraph='{{ phrase("closing-02", self="\\u003cimg src=x onerror=' + JS + '\\u003e") }}')
        .replace("  self: 本小组", f"  self: '<img src=x onerror=\"{JS}\">'")}, ["exemplars/branch/attack-vars/"]),
    Attack("script-in-guide", {"guides/attack.md": GUIDE + f"\n<script>{JS}</script>\n\n## 小标题 <img src=x onerror=\"{JS}\">\n\n"
                                                  f'<div style="background:image-set(\'https://a.example/x.png\' 1x)">x</div>\n\n'
                                                  f'<p style="background:url(&#104;ttps://b.example/y.png)">y</p>\n\n'
                                                  f"<style>p{{background:url(\\68ttps://c.example/z.png)}}</style>\n\n"
                                                  f'<a href="#x" ping="https://d.example/p">z</a> <a href="javascript:{JS}">w</a>\n'},
           ["guides/attack/"]),
    Attack("attribute-list-on-home", {}, [""], changes={"index.md": (
        "{{ level_grid() }}", "{{ level_grid() }}\n\n欢迎使用。\n{: onmouseover=\"" + JS + "\" onclick=\"" + JS + "\" }")}),
    Attack("front-matter-after-indented-dashes", {"guides/attack-fm.md": (
        "---\ntitle: 测试指南\ndescription: 测试夹具：缩进的分隔线之后还有字段。\n  ---\n"
        f"title: \"<img src=x onerror={JS}>\"\nhide: [navigation]\n---\n\n正文。\n")}, ["guides/attack-fm/"]),
    Attack("theme-template-key", {"guides/attack-tpl.md": GUIDE.replace("---\n\n#", f"template: redirect.html\nlocation: \"javascript:{JS}\"\n---\n\n#", 1)}, []),
    Attack("svg-in-docs", {"assets/images/evil.svg": f'<svg xmlns="http://www.w3.org/2000/svg" onload="{JS}"><script>{JS}</script></svg>'}, []),
    Attack("html-in-docs", {"guides/evil.html": f"<html><body><script>{JS}</script></body></html>"}, []),
    Attack("js-in-docs", {"assets/javascripts/evil.js": JS}, []),
    Attack("symlink-in-docs", {}, [], symlink=("guides/leak.md", "mkdocs.yml")),
]
KEEP = {"exemplars/branch/annual-summary.md", "exemplars/branch/campaign-summary.md", "exemplars/county/annual-summary.md"}


def small_project(dest: Path) -> Path:
    """The project with three exemplars: the build is the real one, only shorter (links from the
    guides to removed exemplars are left dangling, so these builds are not --strict)."""
    project = copy_project(dest)
    for page in (project / "docs" / "exemplars").rglob("*.md"):
        if page.relative_to(project / "docs").as_posix() not in KEEP and page.name != "index.md":
            page.unlink()
    return project


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """Every attack built in its own copy of the project: name -> (build result, site folder)."""
    out = {}
    for attack in ATTACKS:
        project = small_project(tmp_path_factory.mktemp(attack.name) / "project")
        docs = project / "docs"
        for rel, text in attack.files.items():
            (docs / rel).parent.mkdir(parents=True, exist_ok=True)
            (docs / rel).write_text(text, encoding="utf-8")
        for rel, (old, new) in attack.changes.items():
            page = (docs / rel).read_text(encoding="utf-8")
            assert old in page
            (docs / rel).write_text(page.replace(old, new, 1), encoding="utf-8")
        if attack.symlink:
            (docs / attack.symlink[0]).symlink_to(project / attack.symlink[1])
        site = project / "site"
        out[attack.name] = (build(project, site, strict=False), site)
    return out


# rule ids accepted: the checker's own rules for names (S06) and symlinks (S07) when it has them
REFUSED = {"hostile-file-name": {"H01", "S06"}, "theme-template-key": {"H09"}, "svg-in-docs": {"H04"}, "html-in-docs": {"H02"},
           "js-in-docs": {"H02"}, "symlink-in-docs": {"H03", "S07"}}


@pytest.mark.parametrize("attack", ATTACKS, ids=lambda a: a.name)
def test_attack_is_refused_with_a_rule_or_built_inert(hostile, attack):
    result, site = hostile[attack.name]
    output = result.stdout + result.stderr
    if result.returncode != 0:
        assert "Traceback" not in output, output
        named = list(attack.files) + ([attack.symlink[0]] if attack.symlink else []) + list(attack.changes)
        assert re.search(r"\b[A-Z]\d\d\b", output), output  # a rule id
        assert any(f"docs/{rel}" in output for rel in named), output
        if attack.name in REFUSED:
            assert any(re.search(rf"\b{r}\b", output) for r in REFUSED[attack.name]), output
        return
    assert attack.name not in REFUSED, f"the build should have refused {attack.name}"
    problems = [p for p in verify.verify_site(site, ("127.0.0.1",)) if p.rule in EXECUTABLE | {"H03", "H04"}]
    assert problems == [], [p.format() for p in problems]
    for url in attack.pages:
        html = (site / url / "index.html").read_text(encoding="utf-8")
        assert "<script>document.title" not in html, url
        assert not re.search(r"<[a-zA-Z][^<>]*\son[a-z]+\s*=", html), url  # no tag with a handler, in any form


def test_title_html_is_shown_as_text(hostile):
    result, site = hostile["title-html"]
    if result.returncode != 0:
        pytest.skip("the front matter was refused (the schema forbids markup in titles)")
    page = (site / "exemplars" / "branch" / "attack-title" / "index.html").read_text(encoding="utf-8")
    assert "<title>&lt;img src=x onerror=alert(1)&gt;读书活动 - " in page, page[:2000]
    sibling = (site / "exemplars" / "branch" / "campaign-summary" / "index.html").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=" in sibling and "<img src=x" not in sibling


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _serve(folder: Path, port: int = 0):
    handler = functools.partial(_Quiet, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright
    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is not installed: run ./scripts/system-deps.sh (make test does)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sample || '')));
"""


class Watched:
    """A browser page that records dialogs, requests, console errors and CSP violations."""

    def __init__(self, browser, **options):
        self.context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}, **options)
        self.context.add_init_script(WATCH)
        self.page = self.context.new_page()
        self.dialogs, self.requests, self.console = [], [], []
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: self.console.append(m.text) if m.type in ("error", "warning") else None)

    def violations(self) -> list[str]:
        return self.page.evaluate("window.__csp || []")

    def outside(self) -> list[str]:
        return [u for u in self.requests if urlsplit(u).scheme in ("http", "https", "ws", "wss") and urlsplit(u).hostname != "127.0.0.1"]

    def close(self):
        self.context.close()


def poke(pg):
    """Do what a reader does, so that any handler that survived would fire."""
    pg.wait_for_timeout(300)
    for el in pg.locator("article img, article p, article h2, article span, article div").all()[:60]:
        try:
            el.hover(timeout=500)
        except Exception:
            pass
    for el in pg.locator("article p, article img").all()[:30]:
        try:
            el.click(timeout=500, trial=False, no_wait_after=True)
        except Exception:
            pass
    for _ in range(8):
        pg.keyboard.press("Tab")
    pg.wait_for_timeout(300)


@pytest.mark.browser
@pytest.mark.parametrize("attack", [a for a in ATTACKS if a.pages], ids=lambda a: a.name)
def test_attack_pages_run_nothing_in_chromium(hostile, chromium, attack):
    result, site = hostile[attack.name]
    if result.returncode != 0:
        pytest.skip("refused by the build (see test_attack_is_refused_with_a_rule_or_built_inert)")
    httpd = _serve(site)
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    w = Watched(chromium)
    try:
        for url in attack.pages:
            built = (site / url / "index.html").read_text(encoding="utf-8")
            title = html_lib.unescape(re.search(r"<title>(.*?)</title>", built, re.S).group(1)).strip()
            w.page.goto(base + url)
            poke(w.page)
            assert w.page.title() == title, url  # shown as text, never changed by a payload
        ARTIFACTS.mkdir(exist_ok=True)
        w.page.screenshot(path=str(ARTIFACTS / f"attack-{attack.name}.png"))
        assert w.dialogs == [], w.dialogs
        assert w.outside() == [], w.outside()
        assert w.violations() == [], w.violations()  # nothing got as far as the policy
    finally:
        w.close()
        httpd.shutdown()


# --- the policy on the real site -----------------------------------------------------------------

@pytest.fixture(scope="module")
def real_site(built_site):
    httpd = _serve(built_site, SITE_PORT)  # the port the site was built for: instant navigation works
    yield f"http://127.0.0.1:{SITE_PORT}/"
    httpd.shutdown()


def _real_pages():
    from macros import browse, library
    ex = browse.valid(library.load(ROOT / "docs"))[0]
    return {"home": "", "exemplar": ex.url, "guide": "guides/annual-summary/", "browse": "exemplars/county/",
            "doctype": "doctypes/annual-summary/", "theme": "themes/rights/", "phrases": "phrases/closing/",
            "style": "style/", "tags": "tags/", "contribute": "contribute/", "not-found": "404.html"}


@pytest.mark.browser
def test_no_policy_violation_on_real_pages(chromium, real_site):
    w = Watched(chromium, accept_downloads=True)
    try:
        for kind, url in _real_pages().items():
            w.page.goto(real_site + url)
            w.page.wait_for_load_state("load")
            w.page.wait_for_timeout(200)
            assert w.violations() == [], (kind, w.violations())
        # the writer's tools and the theme's own scripts still work under the policy
        ex_url = _real_pages()["exemplar"]
        w.page.goto(real_site + ex_url)
        ARTIFACTS.mkdir(exist_ok=True)
        w.page.screenshot(path=str(ARTIFACTS / "csp-exemplar.png"))
        assert w.page.locator(".ph-form").is_visible() and w.page.locator(".ex-copy").is_visible()
        w.page.locator(".ph-form summary").click()
        field = w.page.locator("input[data-ph]").first
        field.fill("东城区总工会")
        field.press("Enter")  # the form is never sent
        w.page.wait_for_timeout(200)
        assert urlsplit(w.page.url).path.endswith(ex_url) and "?" not in w.page.url
        w.page.locator(".pf-open").click()  # Pagefind (WebAssembly) under the policy
        w.page.locator("#pf-input").fill("劳动竞赛")
        wait_js(w.page, "document.getElementById('pf-results').getAttribute('data-query') === '劳动竞赛'", timeout=15000)
        w.page.wait_for_selector("#pf-results a.pf-result", timeout=15000)
        w.page.evaluate("window.__same = true")
        before = w.page.url
        w.page.locator("#pf-results a.pf-result").first.click()  # instant navigation to the hit
        wait_js(w.page, f"location.href !== {before!r}")
        w.page.wait_for_timeout(500)
        assert w.page.evaluate("window.__same === true")
        w.page.keyboard.press("Escape")
        w.page.locator(".md-tabs__link").nth(2).click()  # and on to another section
        w.page.wait_for_timeout(800)
        assert w.page.evaluate("window.__same === true")
        assert w.violations() == [], w.violations()
        blocked = [c for c in w.console if "Content Security Policy" in c]
        assert blocked == [], blocked
        assert w.outside() == [] and w.dialogs == []
    finally:
        w.close()


@pytest.mark.browser
def test_injected_inline_handler_and_script_are_blocked(chromium, real_site):
    w = Watched(chromium)
    try:
        w.page.goto(real_site + _real_pages()["exemplar"])
        title = w.page.title()
        w.page.evaluate("""() => {
            document.body.insertAdjacentHTML('beforeend', '<img id="inj" src="no-such.png" onerror="document.title=\\'PWNED\\'">');
            const s = document.createElement('script'); s.textContent = "document.title='PWNED'"; document.body.appendChild(s);
            const a = document.createElement('a'); a.href = "javascript:document.title='PWNED'"; a.id = 'jsl'; a.textContent = 'x'; document.body.appendChild(a);
        }""")
        w.page.locator("#jsl").click()
        w.page.wait_for_timeout(500)
        assert w.page.title() == title and "PWNED" not in w.page.title()
        seen = " | ".join(w.violations())
        assert "script-src-attr" in seen or "script-src" in seen, seen
        assert "script-src-elem" in seen, seen
        assert len(w.violations()) >= 3, seen  # handler, inline script and javascript: link each reported
    finally:
        w.close()
