"""Text copied from the reference corpus (rule C08), checked without the corpus itself.

data/seed-runs.bin holds a 6-byte BLAKE2b digest of every run of RUN consecutive kept characters
(Han, Latin letters, digits; lower case) of the reference pages, after the same normalisation as
every other text rule (NFKC, invisible characters removed, pinyin annotations removed). It holds
no corpus text. It is made from the corpus by `python scripts/seed_hashes.py`, where the corpus
is present (`../shared/seeds`); on GitHub, where it is absent, this check still runs.
The local tool `python3 ../shared/tools/seed_overlap.py` reports the copied text itself.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import re
from pathlib import Path

from macros import data

from . import text
from .findings import Finding
from .rules import get

RUN = 15
DIGEST = 6
MAGIC = b"SEEDRUN1"
HASHES = data.DATA / "seed-runs.bin"
CACHE = data.ROOT / ".cache" / "corpus.json"
KEEP = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff0-9A-Za-z]")
PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")


def kept(source: str) -> tuple[str, list[int]]:
    """The characters the overlap is measured on and, for each, the 1-based line it came from."""
    chars, lines = [], []
    for n, line in enumerate(text.plain_text(source).split("\n"), 1):
        for ch in PINYIN.sub("", line):
            if KEEP.match(ch):
                chars.append(ch.lower())
                lines.append(n)
    return "".join(chars), lines


def digest(run: str) -> bytes:
    return hashlib.blake2b(run.encode("utf-8"), digest_size=DIGEST, person=b"seed-runs").digest()


def build(seed_files: list[Path]) -> bytes:
    """The hash file for these reference pages: header, then sorted digests."""
    found = set()
    for f in seed_files:
        chars, _ = kept(f.read_text(encoding="utf-8", errors="replace"))
        found.update(digest(chars[i:i + RUN]) for i in range(len(chars) - RUN + 1))
    return MAGIC + bytes([RUN, DIGEST]) + b"".join(sorted(found))


def seed_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.txt")) + sorted((folder / "simplified").glob("*.txt"))


def corpus_dir() -> Path | None:
    """The reference corpus, where it is present: $SEEDS_DIR, or shared/seeds beside the checkout."""
    for cand in (os.environ.get("SEEDS_DIR"), data.ROOT.parent / "shared" / "seeds", data.ROOT.parent.parent / "shared" / "seeds"):
        if cand and Path(cand).is_dir() and seed_files(Path(cand)):
            return Path(cand)
    return None


@functools.lru_cache(maxsize=4)
def load(path: Path = HASHES) -> frozenset[bytes]:
    raw = path.read_bytes()
    if raw[:8] != MAGIC or raw[8] != RUN or raw[9] != DIGEST or (len(raw) - 10) % DIGEST:
        raise ValueError(f"{path}: not a seed-run hash file")
    return frozenset(raw[i:i + DIGEST] for i in range(10, len(raw), DIGEST))


def copied_runs(source: str, hashes: frozenset[bytes]) -> list[tuple[int, int, int]]:
    """(first line, last line, length) of every maximal run of RUN+ characters whose RUN-grams are all known."""
    chars, lines = kept(source)
    out = []
    i = 0
    while i <= len(chars) - RUN:
        if digest(chars[i:i + RUN]) not in hashes:
            i += 1
            continue
        j = i + RUN
        while j < len(chars) and digest(chars[j - RUN + 1:j + 1]) in hashes:
            j += 1
        out.append((lines[i], lines[j - 1], j - i))
        i = j
    return out


class _Cache:
    """Results by text hash and hash-file version, so an unchanged page is not hashed again."""

    def __init__(self, path: Path | None, version: str):
        self.path, self.version, self.store, self.dirty = path, version, {}, False
        try:
            stored = json.loads(path.read_text(encoding="utf-8")) if path else {}
            if stored.get("version") == version:
                self.store = stored["entries"]
        except (OSError, ValueError):
            pass

    def runs(self, source: str, hashes) -> list:
        key = hashlib.sha256(source.encode("utf-8")).hexdigest()[:24]
        if key not in self.store:
            self.store[key] = copied_runs(source, hashes)
            self.dirty = True
        return self.store[key]

    def save(self):
        if self.path and self.dirty:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self.path.write_text(json.dumps({"version": self.version, "entries": self.store}), encoding="utf-8")
            except OSError:
                pass


def without_official_wording(source: str) -> str:
    """The text with the era macros' official wording (data/era.yml) cut out: the name of the guiding
    thought and of congresses is the one text every union document shares, so it is not a copy."""
    for phrase in sorted(data.official_wording(), key=len, reverse=True):
        source = source.replace(phrase, "／")
    return source


def check(items, wanted=None, hashes_path: Path = HASHES, cache: Path | None = CACHE) -> list[Finding]:
    """C08 for every exemplar: the expanded document (phrase blocks and phrase variables included) and
    the review, with the era macros' official wording left out (see without_official_wording)."""
    from macros import library
    if not hashes_path.exists():
        return [Finding("data/" + hashes_path.name, 1, "C08", "缺少参考语料的哈希文件，无法检查抄袭；请运行 python scripts/seed_hashes.py", get("C08").fix)]
    hashes = load(hashes_path)
    store = _Cache(cache, hashlib.sha256(hashes_path.read_bytes()).hexdigest()[:16])
    out = []
    for ex in items:
        if wanted is not None and Path(os.path.abspath(ex.path)) not in wanted:
            continue
        full = without_official_wording(ex.text + ex.body[len(library.document_part(ex.body)):])
        for first, last, n in store.runs(full, hashes):
            where = f"第{first}行" if first == last else f"第{first}到{last}行"
            out.append(Finding("docs/" + ex.src, ex.body_line + first - 1, "C08",
                               f"正文{where}有连续{n}个字与参考语料相同（{RUN}个字以上即算抄袭）", get("C08").fix))
    store.save()
    return out
