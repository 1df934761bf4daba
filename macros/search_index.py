"""Site search with Pagefind: what each page gives the index, and the index itself.

Pagefind (the extended build, which segments Chinese with a jieba dictionary) indexes the built
site after MkDocs has written it; the browser loads its small index chunks only when a reader
searches. This module holds plain functions, called by step 4 of the pipeline (pipeline/post.py):

- ``mark_page`` tells Pagefind what to index on one built page: the article only, a hidden block
  of weighted labels on exemplars (title, level, document type, themes and their aliases from
  ``data/search_aliases.yml``), and only the title of browsing pages;
- ``build`` runs Pagefind on a built site and writes the word list the search box uses to split
  a typed query into the words Pagefind indexed.
"""
from __future__ import annotations

import functools
import gzip
import html
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from macros import data

ROOT = Path(__file__).resolve().parent.parent
ALIASES = ROOT / "data" / "search_aliases.yml"
OUTPUT = "pagefind"
WORDS = "search-words.json"
# Pagefind's own bytes start with this signature; fragments are JSON after it.
SIGNATURE = b"pagefind_dcd"
# Kept out of the index: permalinks, tags, information card, fill-in form, related list, review.
EXCLUDE = [".headerlink", ".md-tags", ".md-content__button", ".ex-card", ".ph-form", "[data-search-exclude]", ".md-source-file"]
ALIAS_WORD = re.compile(r"^[\u4e00-\u9fff0-9A-Za-z]+$")
HAN_WORD = re.compile(r"^[\u4e00-\u9fff]{2,}$")
HAN_RUN = re.compile(r"^[\u4e00-\u9fff]+$")
ARTICLE = '<article class="md-content__inner md-typeset">'
H1 = re.compile(r"<h1\b[^>]*>.*?</h1>", re.S)
VOCABS = ("levels", "doctypes", "themes")
COMMON = 0.9  # share of exemplars a word must be on to count as common


class AliasError(ValueError):
    """A problem in data/search_aliases.yml, with the file, line and rule in Chinese."""


@dataclass(frozen=True)
class Aliases:
    terms: dict  # (vocab, slug) -> tuple of aliases
    synonyms: tuple  # tuple of word groups

    def for_term(self, vocab: str, slug: str) -> tuple:
        return self.terms.get((vocab, slug), ())


def _where(node, path: Path) -> str:
    return f"{path.name} 第{node.start_mark.line + 1}行"


def _words(node, path: Path, what: str) -> list[str]:
    if not isinstance(node, yaml.SequenceNode):
        raise AliasError(f"{_where(node, path)}：{what}应是词语列表，如 [年终总结, 全年工作总结]")
    out = []
    for item in node.value:
        word = item.value if isinstance(item, yaml.ScalarNode) else None
        if not word or not ALIAS_WORD.match(str(word)):
            raise AliasError(f"{_where(item, path)}：别名“{word}”只能是汉字、数字或字母，不带空格和标点")
        out.append(str(word))
    return out


def aliases(path: Path = ALIASES) -> Aliases:
    """Read and check the alias file against the taxonomy; errors name the file, the line and the rule."""
    return _aliases(path, path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=8)
def _aliases(path: Path, mtime: int) -> Aliases:
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = f" 第{mark.line + 1}行" if mark else ""
        raise AliasError(f"{path.name}{line}：YAML格式错误（{getattr(err, 'problem', err)}）") from None
    if root is None:
        return Aliases({}, ())
    if not isinstance(root, yaml.MappingNode):
        raise AliasError(f"{_where(root, path)}：文件顶层应是 levels、doctypes、themes、synonyms 几个分组")
    tax = data.taxonomy()
    terms: dict = {}
    synonyms: list = []
    seen: dict = {}
    for key, value in root.value:
        group = key.value
        if group == "synonyms":
            if not isinstance(value, yaml.SequenceNode):
                raise AliasError(f"{_where(value, path)}：synonyms 应是同义词组的列表")
            for item in value.value:
                words = _words(item, path, "同义词组")
                if len(words) < 2:
                    raise AliasError(f"{_where(item, path)}：同义词组至少要有两个词")
                synonyms.append(tuple(words))
            continue
        if group not in VOCABS:
            raise AliasError(f"{_where(key, path)}：未知分组“{group}”，只能是 levels、doctypes、themes、synonyms")
        if not isinstance(value, yaml.MappingNode):
            raise AliasError(f"{_where(value, path)}：{group} 下应按 slug 列出别名")
        known = set(tax.slugs(group))
        for slug_node, words_node in value.value:
            slug = slug_node.value
            if slug not in known:
                raise AliasError(f"{_where(slug_node, path)}：{group} 里没有“{slug}”，请对照 data/taxonomy.yml")
            words = _words(words_node, path, f"{group}.{slug}")
            for w in words:
                other = seen.get(w)
                if other and other != (group, slug):
                    raise AliasError(f"{_where(words_node, path)}：别名“{w}”已写在 {other[0]}.{other[1]} 下，一个词只能属于一个分类")
                seen[w] = (group, slug)
            terms[(group, slug)] = tuple(words)
    return Aliases(terms, tuple(synonyms))


NAME_VOCABS = ("levels", "doctypes")


def term_token(vocab: str, slug: str) -> str:
    """One indexed word standing for a level or document type (lvcounty, dtannualsummary). The
    index cuts many of their names into single characters (区|县|总工|会), whose index chunks are
    the largest; the search box searches a typed name as this word instead."""
    return ("lv" if vocab == "levels" else "dt") + slug.replace("-", "")


def keys_for(meta: dict, title: str, text: str = "") -> list[str]:
    """The words an exemplar is found by besides its text: title, labels, aliases, synonyms of words
    it uses, and the one-word tokens of its level and document type."""
    tax = data.taxonomy()
    al = aliases()
    keys = [title, term_token("levels", meta["level"]), term_token("doctypes", meta["doctype"])]
    for vocab, field in (("levels", "level"), ("doctypes", "doctype"), ("themes", "themes")):
        slugs = meta.get(field) or []
        for slug in [slugs] if isinstance(slugs, str) else slugs:
            keys.append(tax.label(vocab, slug))
            keys.extend(al.for_term(vocab, slug))
    for group in al.synonyms:
        if any(w in text or w in keys for w in group):
            keys.extend(group)
    return list(dict.fromkeys(keys))


def mark_page(page_html: str, kind: str, title: str, keys: list[str] | None = None) -> str:
    """Tell Pagefind what to index on a built page.

    kind: "exemplar" (the article, with a hidden block of weighted keys), "page" (the article:
    guides, phrase bank, style manual), "browse" (only the title: the lists are exemplars the
    search finds anyway), or "none" (left out).
    """
    if kind == "none" or ARTICLE not in page_html:
        return page_html
    label = {"exemplar": "范文", "page": "指南", "browse": "目录"}[kind]
    attrs = f' data-pagefind-body data-pagefind-filter="kind:{label}" data-pagefind-meta="kind:{label}"'
    if kind == "browse":
        start = page_html.index(ARTICLE) + len(ARTICLE)
        m = H1.search(page_html, start)
        if m is None:
            return page_html
        return page_html[: m.start()] + m.group(0).replace("<h1", "<h1" + attrs, 1) + page_html[m.end():]
    block = f'<div class="pf-keys" hidden><span data-pagefind-ignore data-pagefind-meta="title">{html.escape(title)}</span>'
    if keys:
        # also kept as meta, so the search box can leave the keys out of result snippets
        block += '<span data-pagefind-weight="10" data-pagefind-meta="keys">' + " ".join(html.escape(k) for k in keys) + "</span>"
    block += "</div>"
    opened = ARTICLE.replace("<article", "<article" + attrs, 1)
    return page_html.replace(ARTICLE, opened + block, 1)


def pagefind_command(site: Path) -> list[str]:
    cmd = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", OUTPUT, "--force-language", "zh"]
    for sel in EXCLUDE:
        cmd += ["--exclude-selectors", sel]
    return cmd


def build(site: Path) -> dict:
    """Index a built site with Pagefind, then write the word list; return counts for the build log."""
    try:
        result = subprocess.run(pagefind_command(site), capture_output=True, text=True, timeout=900)
    except FileNotFoundError as err:
        raise RuntimeError(f"找不到Pagefind（{err}），请运行 make serve 或 make build 安装依赖") from None
    if result.returncode != 0 or "Error" in result.stdout:
        hint = "（找不到pagefind模块时，请运行 make serve 或 make build 安装依赖）\n" if "No module named" in result.stderr else ""
        raise RuntimeError(f"Pagefind建立搜索索引失败（{site}）：\n{hint}" + (result.stdout + result.stderr)[-3000:])
    pages = re.search(r"Indexed (\d+) pages?", result.stdout)
    words = write_words(site)
    return {"pages": int(pages.group(1)) if pages else 0, "words": words}


def read_fragment(path: Path) -> dict:
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(SIGNATURE):
        raise ValueError(f"{path}: not a Pagefind fragment")
    return json.loads(raw[len(SIGNATURE):])


def vocabulary(site: Path) -> dict:
    """What the search box needs to split a query as Pagefind split the pages.

    Pagefind's stored text keeps its words separated by zero-width spaces, so it tells exactly
    how the index cut the text. Returns:
    - words: the Chinese words of two or more characters;
    - phrases: every short space-separated phrase (labels, aliases and other keys) with the
      words it was cut into: "总工会" is indexed as 总工|会, so a typed 总工会 is searched as "总工 会";
    - common: words on nearly every exemplar (工会, 职工 …). They do not tell pages apart (their
      weight in the ranking is close to zero) but their index chunks are the largest, so the
      search box leaves them out of a query that has other words.
    """
    words: set[str] = set()
    phrases: dict[str, str] = {}
    df: dict[str, int] = {}
    exemplars = 0
    for frag in sorted((site / OUTPUT / "fragment").glob("*.pf_fragment")):
        page = read_fragment(frag)
        content = page.get("content", "")
        seen: set[str] = set()
        for chunk in content.split(" "):
            tokens = [t for t in chunk.split("\u200b") if t]
            seen.update(t for t in tokens if HAN_RUN.match(t))
            phrase = "".join(tokens)
            if 1 < len(tokens) and len(phrase) <= 12 and HAN_RUN.match(phrase):
                phrases.setdefault(phrase, " ".join(tokens))
        words.update(t for t in seen if len(t) > 1)
        if page.get("meta", {}).get("kind") == "范文":
            exemplars += 1
            for t in seen:
                df[t] = df.get(t, 0) + 1
    common = sorted(t for t, n in df.items() if exemplars >= 20 and n >= COMMON * exemplars)
    return {"words": " ".join(sorted(words)), "phrases": dict(sorted(phrases.items())), "common": " ".join(common),
            "names": name_tokens(), "generic": " ".join(generic_name_words(phrases)), "known": " ".join(known_names())}


def term_names(vocabs=VOCABS):
    """(vocab, slug, name, is_label) for every label and alias of the terms of `vocabs`, aliases
    of a vocabulary before its labels."""
    tax = data.taxonomy()
    al = aliases()
    for vocab in vocabs:
        for t in tax.terms(vocab):
            for name in al.for_term(vocab, t.slug):
                yield vocab, t.slug, name, False
        for t in tax.terms(vocab):
            yield vocab, t.slug, t.label, True


def generic_name_words(phrases: dict) -> list[str]:
    """Words the index cut out of the names of two or more levels (总工 of 省总工会 and 县总工会) or of
    two or more document types (年度 of 年度总结 and 年度计划). The token of a typed name already says
    which one; the search box searches a name's other words (煤矿 of 煤矿工会) beside it, not these."""
    owners: dict[tuple, set] = {}
    for vocab, slug, name, _ in term_names(NAME_VOCABS):
        for word in (phrases.get(name) or name).split(" "):
            owners.setdefault((vocab, word), set()).add(slug)
    return sorted({w for (_, w), slugs in owners.items() if len(slugs) > 1 and len(w) > 1})


def known_names() -> list[str]:
    """Labels and aliases of three characters or more, levels, document types and themes: a typed
    run one character off one of them (送清亮 for 送清凉, 年度计化 for 年度计划) is read as it."""
    return sorted({n for _, _, n, _ in term_names() if len(n) >= 3 and HAN_RUN.match(n)})


def name_tokens() -> dict[str, str]:
    """Every label and alias of a level or document type -> its token (see term_token). A writer's
    区县总工会年度总结 is searched as lvcounty dtannualsummary: two small index chunks, and exactly
    the exemplars of that level and type."""
    found: dict[str, str] = {}
    aliases_first = sorted(term_names(NAME_VOCABS), key=lambda n: n[3])  # a term's own label wins over another's alias
    for vocab, slug, name, _ in aliases_first:
        found[name] = term_token(vocab, slug)
    return dict(sorted(found.items()))


def write_words(site: Path) -> int:
    """The vocabulary as a small JSON file next to Pagefind's own; return the number of words."""
    vocab = vocabulary(site)
    (site / OUTPUT / WORDS).write_text(json.dumps(vocab, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return vocab["words"].count(" ") + 1
