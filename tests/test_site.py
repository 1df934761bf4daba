"""The real site: strict build, links, generated pages, search, tags, no third-party hosts."""
from __future__ import annotations

import json
import re
from pathlib import Path

from checks import links
from macros import browse, data, library

ROOT = Path(__file__).resolve().parent.parent


def exemplars():
    return browse.valid(library.load(ROOT / "docs"))


def test_links_anchors_images_and_hosts_all_resolve(built_site):
    site_url, link_hosts = links.site_settings(ROOT / "mkdocs.yml")
    assert link_hosts == ("github.com",)
    assert links.check_site(built_site, site_url, link_hosts) == []


def test_edit_links_only_on_contributor_pages(built_site):
    """The edit pencil serves contributors: not on exemplars (writers on phones), not on generated pages."""
    ex = exemplars()[0]
    html = (built_site / ex.url / "index.html").read_text(encoding="utf-8")
    assert "edit/main/docs/" not in html and 'rel="edit"' not in html
    assert "edit/main/docs/" not in (built_site / "themes" / "rights" / "index.html").read_text(encoding="utf-8")
    assert "edit/main/docs/" not in (built_site / "guides" / "annual-summary" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://github.com/union-templates/union-templates/edit/main/docs/contribute.md"' in (built_site / "contribute" / "index.html").read_text(encoding="utf-8")


def test_no_third_party_host_anywhere_in_the_site(built_site):
    """No resource attribute, CSS url() or @import points at another host; links only to the repository."""
    attr = re.compile(r"""(?:href|src|srcset|action|data|poster)\s*=\s*["']?\s*(?:https?:)?//([^/"' >]+)""", re.I)
    repo_links = re.compile(r'<a [^>]*href="https://github\.com/[^"]*/edit/main/docs/[^"]*"')
    css = re.compile(r"""(?:url\(\s*["']?|@import\s+["'])(?:https?:)?//([^/"')]+)""", re.I)
    offenders = {}
    for path in built_site.rglob("*"):
        if path.suffix in (".html", ".css") and path.is_file():
            text = repo_links.sub("", path.read_text(encoding="utf-8", errors="replace"))
            hosts = set(css.findall(text)) | (set(attr.findall(text)) if path.suffix == ".html" else set())
            hosts = {h for h in hosts if not h.startswith("127.0.0.1:")} - {"www.w3.org"}
            if hosts:
                offenders[str(path.relative_to(built_site))] = sorted(hosts)
    assert offenders == {}


def test_every_exemplar_page_has_card_form_download_and_related(built_site):
    for ex in exemplars():
        html = (built_site / ex.url / "index.html").read_text(encoding="utf-8")
        assert 'class="ex-card"' in html, ex.src
        assert f'href="{ex.slug}.docx"' in html, ex.src
        assert (built_site / ex.url / f"{ex.slug}.docx").stat().st_size > 5000
        assert 'id="related"' in html, ex.src
        for name in ex.meta["placeholders"]:
            assert f'data-ph="{name}"' in html, (ex.src, name)


def test_generated_index_pages_list_every_exemplar(built_site):
    tax = data.taxonomy()
    items = exemplars()
    for t in tax.terms("levels"):
        html = (built_site / "exemplars" / t.slug / "index.html").read_text(encoding="utf-8")
        for ex in items:
            if ex.meta["level"] == t.slug:
                assert f'href="../../{ex.url}"' in html, (t.slug, ex.src)
    for t in tax.terms("doctypes"):
        html = (built_site / "doctypes" / t.slug / "index.html").read_text(encoding="utf-8")
        assert html.count('href="../../exemplars/') >= sum(e.meta["doctype"] == t.slug for e in items)
    for t in tax.terms("themes"):
        html = (built_site / "themes" / t.slug / "index.html").read_text(encoding="utf-8")
        mine = [e for e in items if t.slug in e.meta["themes"]]
        for ex in mine:
            assert f'href="../../{ex.url}"' in html, (t.slug, ex.src)


def test_chinese_headings_get_real_anchors(built_site):
    ex = exemplars()[0]
    page = (built_site / ex.url / "index.html").read_text(encoding="utf-8")
    ids = re.findall(r'<h2 id="([^"]+)"', page)
    assert ids and not any(re.fullmatch(r"_\d*", i) for i in ids), ids


def test_search_index_is_segmented_with_the_user_dictionary(built_site):
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["zh"]
    text = " ".join(d["text"] for d in index["docs"])
    # user-dictionary terms survive as single tokens, separated by the segmenter's spaces
    for term in ("劳动竞赛", "职代会", "厂务公开"):
        assert re.search(rf"(^|[\s\u200b]){term}([\s\u200b]|$)", text), term


def test_tags_come_from_the_theme_vocabulary(built_site):
    tax = data.taxonomy()
    labels = {t.label for t in tax.terms("themes")}
    tags = (built_site / "tags" / "index.html").read_text(encoding="utf-8")
    used = {tax.label("themes", t) for e in exemplars() for t in e.meta["themes"]}
    for label in used:
        assert label in tags
    assert used <= labels


def test_pages_have_descriptions(built_site):
    for path in built_site.rglob("index.html"):
        if "404" in str(path):
            continue
        html = path.read_text(encoding="utf-8")
        m = re.search(r'<meta name="description" content="([^"]*)"', html)
        assert m and len(m.group(1)) >= 10, path.relative_to(built_site)


def test_navigation_is_pruned(built_site):
    """With navigation.prune a page carries only its own branch of the navigation."""
    ex = exemplars()[0]
    html = (built_site / ex.url / "index.html").read_text(encoding="utf-8")
    nav = html[html.index("md-sidebar--primary"): html.index("md-sidebar--secondary")]
    others = [e for e in exemplars() if (e.meta["level"], e.meta["doctype"]) != (ex.meta["level"], ex.meta["doctype"])]
    assert others and not any(o.title in nav for o in others)
    same = [e for e in exemplars() if (e.meta["level"], e.meta["doctype"]) == (ex.meta["level"], ex.meta["doctype"])]
    assert all(s.title in nav for s in same)


def test_search_keys_make_whole_words_findable(built_site):
    from macros import search_keys
    assert search_keys.keys_for("开展\u200b劳动竞赛\u200b和\u200b职代会") == "劳动竞\u200b职代"
    raw = (built_site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "工会" in raw and "\\u5de5" not in raw  # written as UTF-8, not \u escapes
    index = json.loads(raw)
    assert "keys" in index["config"]["fields"]
    with_word = [d for d in index["docs"] if "\u200b劳动竞赛\u200b" in "\u200b" + d["text"] + "\u200b"]
    assert with_word and all("劳动竞" in d.get("keys", "").split("\u200b") for d in with_word)
