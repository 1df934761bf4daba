"""The exemplar library: every page under docs/exemplars/, read once per build."""
from __future__ import annotations

import functools
import hashlib
import json
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


def root_prefix(src: str) -> str:
    """Relative path from the page built from docs/`src` to the site root."""
    return "../" * url_of(src).count("/")


def _strip_markup(text: str) -> str:
    return re.sub(r"\{:[^}]*\}", "", text)


def document_part(body: str) -> str:
    """The body up to the 写法点评 admonition."""
    m = REVIEW_MARK.search(body)
    return body[: m.start()] if m else body


def load_exemplar(path: Path, docs_dir: Path) -> Exemplar:
    src = path.relative_to(docs_dir).as_posix()
    raw = path.read_text(encoding="utf-8")
    try:
        parsed = frontmatter.parse(raw)
    except frontmatter.FrontMatterError as exc:
        ex = Exemplar(src, path, {}, raw, 1, {})
        ex.errors.append(("F01", exc.line, exc.message))
        return ex
    ex = Exemplar(src, path, parsed.meta, parsed.body, parsed.body_line, parsed.key_lines)
    doc = document_part(parsed.body)
    if guard.check(doc):
        ex.text = doc  # unsafe template code: never rendered; the checks report it
    else:
        try:
            ex.text = phrases.expand(doc, parsed.meta.get("phrase_vars") or {}, data.ROOT)
        except Exception as exc:  # reported by the checks with the page's name
            ex.text = doc
            ex.errors.append(("S02", parsed.body_line, str(exc)))
    return ex


_cache: dict = {}
CACHE_VERSION = "1"
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
        raw = path.read_bytes()
        key = hashlib.sha256(raw).hexdigest()[:24]
        self.used.add(key)
        src = path.relative_to(docs_dir).as_posix()
        entry = self.entries.get(key)
        if entry is not None:
            ex = Exemplar(src, path, **{k: entry[k] for k in FIELDS if k != "errors"})
            ex.errors = [tuple(e) for e in entry["errors"]]
            return ex
        ex = load_exemplar(path, docs_dir)
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


def load(docs_dir: Path) -> list[Exemplar]:
    """All exemplars, sorted by path; cached in memory on names and modification times, on disk by content."""
    docs_dir = Path(docs_dir)
    paths = sorted((docs_dir / EXEMPLAR_DIR).rglob("*.md"))
    key = (str(docs_dir), tuple((str(p), p.stat().st_mtime_ns) for p in paths))
    if _cache.get("key") != key:
        disk = _DiskCache(docs_dir.parent / ".cache" / "library.json")
        _cache["key"] = key
        _cache["value"] = [disk.load(p, docs_dir) for p in paths]
        disk.save()
    return _cache["value"]
