"""The exemplar library: every page under docs/exemplars/, read once per build."""
from __future__ import annotations

import functools
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import data, frontmatter, guard, phrases

EXEMPLAR_DIR = "exemplars"
REVIEW_MARK = re.compile(r'^!!! tip "写法点评"', re.M)
HAN = re.compile(r"[\u4e00-\u9fff]")
PLACEHOLDER = re.compile(r"【([^【】\n]{1,12})】")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$", re.M)


@dataclass
class Exemplar:
    src: str  # path relative to docs/, with forward slashes
    path: Path
    meta: dict
    body: str
    body_line: int
    key_lines: dict
    text: str = ""  # rendered document part (macros expanded, review removed)
    errors: list = field(default_factory=list)

    @property
    def slug(self) -> str:
        return Path(self.src).stem

    @property
    def url(self) -> str:
        return url_of(self.src)

    @property
    def title(self) -> str:
        return str(self.meta.get("title", self.slug))

    @functools.cached_property
    def han_count(self) -> int:
        return len(HAN.findall(_strip_markup(self.text)))

    @property
    def used_placeholders(self) -> list[str]:
        seen = []
        for name in PLACEHOLDER.findall(self.text):
            if name not in seen:
                seen.append(name)
        return seen

    def outline(self) -> list[tuple[int, str]]:
        """(depth, heading text) of the document's section headings, H2 and below."""
        return [(len(h) - 1, t) for h, t in HEADING.findall(self.text) if len(h) >= 2]

    @property
    def doc_title(self) -> str:
        for h, t in HEADING.findall(self.text):
            if len(h) == 1:
                return t
        return self.title


def url_of(src: str) -> str:
    """Site URL (directory style, relative to the root) of the page built from docs/`src`."""
    return src[: -len("index.md")] if src.endswith("index.md") else src[:-3] + "/"


# How relative addresses in generated HTML are written: "url", from the built page's own address
# (MkDocs leaves raw HTML as written); "source", from the Markdown file's folder (Zensical rewrites
# addresses inside raw HTML as it does Markdown links). See pipeline/generate.py, portable trees.
LINKS = {"base": "url"}


def root_prefix(src: str) -> str:
    """Relative path from the page built from docs/`src` to the site root."""
    if LINKS["base"] == "source":
        return "../" * src.count("/")
    return "../" * url_of(src).count("/")


def _strip_markup(text: str) -> str:
    return re.sub(r"\{:[^}]*\}", "", text)


def document_part(body: str) -> str:
    """The body up to the 写法点评 admonition."""
    m = REVIEW_MARK.search(body)
    return body[: m.start()] if m else body


# Problems that stop every other check of a page: it could not be read or parsed safely.
FATAL = {"F01", "F10", "F11", "S06", "S07", "S08", "S09"}
PAGE_NAME = re.compile(r"[a-z0-9-]+\.md")
DIR_NAME = re.compile(r"[a-z0-9-]+")
ASSET_NAME = re.compile(r"[a-z0-9-]+(?:\.[a-z0-9]+)*")


def name_problem(src: str) -> str | None:
    """Why the path of a page under docs/ is refused, or None. Names end up in URLs and HTML attributes."""
    *dirs, name = src.split("/")
    for d in dirs:
        if not DIR_NAME.fullmatch(d):
            return f"文件夹名“{d}”只能用小写英文字母、数字和连字符"
    if not PAGE_NAME.fullmatch(name):
        return f"文件名“{name}”只能用小写英文字母、数字和连字符，以 .md 结尾，例如 county-annual-summary.md"
    return None


def load_exemplar(path: Path, docs_dir: Path, raw: str | None = None) -> Exemplar:
    src = path.relative_to(docs_dir).as_posix()
    try:
        if raw is None:
            raw = frontmatter.read_source(path)
        parsed = frontmatter.parse(raw)
    except frontmatter.FrontMatterError as exc:
        ex = Exemplar(src, path, {}, raw or "", 1, {})
        ex.errors.append((exc.rule, exc.line, exc.message))
        return ex
    ex = Exemplar(src, path, parsed.meta, parsed.body, parsed.body_line, parsed.key_lines)
    problem = name_problem(src)
    if problem:
        ex.errors.append(("S06", 1, problem))
        return ex
    doc = document_part(parsed.body)
    if guard.check(doc):
        ex.text = doc  # unsafe template code: never rendered; the checks report it
    else:
        try:
            ex.text = phrases.expand(doc, _plain_vars(parsed.meta.get("phrase_vars")), data.ROOT)
        except Exception as exc:  # reported by the checks with the page's name
            ex.text = doc
            ex.errors.append(("S02", parsed.body_line, str(exc)))
    return ex


def _plain_vars(value) -> dict:
    """phrase_vars as text values only; a wrong shape is reported by the schema check."""
    if not isinstance(value, dict):
        return {}
    return {k: v for k, v in value.items() if isinstance(k, str) and isinstance(v, str)}


_cache: dict = {}
CACHE_VERSION = "2"
FIELDS = ("meta", "body", "body_line", "key_lines", "text", "errors")


def _data_version(root: Path) -> str:
    """Changes whenever anything that shapes the expanded text changes."""
    h = hashlib.sha256(CACHE_VERSION.encode())
    for path in sorted((root / "snippets" / "phrases").glob("*.yml")) + [root / "data" / "era.yml"] + [Path(__file__).with_name(n) for n in ("library.py", "phrases.py", "guard.py", "frontmatter.py")]:
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


class _DiskCache:
    """Parsed and expanded exemplars by content hash, in .cache/library.json beside docs/."""

    def __init__(self, path: Path):
        self.path = path
        self.version = _data_version(data.ROOT)
        self.entries: dict = {}
        self.used: set = set()
        try:
            stored = json.loads(path.read_text(encoding="utf-8"))
            if stored.get("version") == self.version:
                self.entries = stored["entries"]
        except (OSError, ValueError):
            pass
        self.dirty = False

    def load(self, path: Path, docs_dir: Path) -> Exemplar:
        try:
            raw = frontmatter.read_source(path)
        except frontmatter.FrontMatterError:
            return load_exemplar(path, docs_dir)  # refused before reading: nothing to cache
        key = hashlib.sha256((path.relative_to(docs_dir).as_posix() + "\0" + raw).encode("utf-8")).hexdigest()[:24]
        self.used.add(key)
        src = path.relative_to(docs_dir).as_posix()
        entry = self.entries.get(key)
        if entry is not None:
            ex = Exemplar(src, path, **{k: entry[k] for k in FIELDS if k != "errors"})
            ex.errors = [tuple(e) for e in entry["errors"]]
            return ex
        ex = load_exemplar(path, docs_dir, raw)
        self.entries[key] = {k: getattr(ex, k) for k in FIELDS}
        self.dirty = True
        return ex

    def save(self):
        if not self.dirty and self.used == set(self.entries):
            return
        keep = {k: v for k, v in self.entries.items() if k in self.used}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(json.dumps({"version": self.version, "entries": keep}, ensure_ascii=False), encoding="utf-8")
        except OSError:
            pass


def pages(folder: Path) -> list[Path]:
    """Every *.md under `folder`, symlinked files included (so they can be refused), symlinked folders not entered."""
    found = []
    for base, dirs, files in os.walk(folder, followlinks=False):
        dirs.sort()
        found += [Path(base) / f for f in files if f.endswith(".md")]
    return sorted(found)


def load(docs_dir: Path) -> list[Exemplar]:
    """All exemplars, sorted by path; cached in memory on names and modification times, on disk by content."""
    docs_dir = Path(docs_dir)
    paths = pages(docs_dir / EXEMPLAR_DIR)
    key = (str(docs_dir), tuple((str(p), os.lstat(p).st_mtime_ns, os.lstat(p).st_size) for p in paths))
    if _cache.get("key") != key:
        disk = _DiskCache(docs_dir.parent / ".cache" / "library.json")
        _cache["key"] = key
        _cache["value"] = [disk.load(p, docs_dir) for p in paths]
        disk.save()
    return _cache["value"]
