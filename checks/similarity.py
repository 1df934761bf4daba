"""Near-duplicate detection between exemplars (rule C06).

Each page's document text is cut into words with jieba's dictionary (rjieba) and turned into a set of hashed word
4-gram shingles. An inverted index from shingle to pages counts the shingles every pair shares,
so only pairs with something in common are compared; pairs whose Jaccard similarity reaches
THRESHOLD are reported. Shingle sets are cached by content hash, so checking one changed page
against the whole library stays fast.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from itertools import chain, combinations
import json
import re
from pathlib import Path

from macros import data
from macros.library import Exemplar

from . import text

THRESHOLD = 0.5      # Jaccard similarity of word 4-gram shingles that counts as a near-duplicate
COMMON = 0.2        # shingles found in more than this share of pages are boilerplate, not evidence
N = 4
HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
CACHE = data.ROOT / ".cache" / "similarity.json"


def shingles(source: str) -> set[int]:
    """Word 4-gram shingles of the normalised text (invisible characters removed, NFKC), so neither
    zero-width characters nor look-alikes hide a copy. Words come from rjieba, the Rust port of
    jieba's segmenter (same dictionary, ~10x faster)."""
    import rjieba
    words = [w for run in HAN_RUN.findall(text.plain_text(source)) for w in rjieba.cut(run)]
    return {int.from_bytes(hashlib.blake2b("\x1f".join(words[i:i + N]).encode(), digest_size=8).digest(), "big")
            for i in range(max(len(words) - N + 1, 0))}


_SETS: dict[str, frozenset] = {}  # shingle sets already read in this process (the contributor loop)


class Fingerprints:
    """Shingle sets and SimHashes of exemplars, cached on disk by the text's hash."""

    def __init__(self, cache: Path | None = CACHE):
        self.cache_path = cache
        self.store: dict = {}
        if cache and cache.exists():
            try:
                self.store = json.loads(cache.read_text(encoding="utf-8"))
            except ValueError:
                self.store = {}
        self.dirty = False

    def get(self, source: str) -> frozenset[int]:
        key = hashlib.sha256(("v2\0" + source).encode("utf-8")).hexdigest()[:20]
        if key in _SETS:
            return _SETS[key]
        entry = self.store.get(key)
        if entry is None:
            entry = sorted(shingles(source))
            self.store[key] = entry
            self.dirty = True
        _SETS[key] = frozenset(entry)
        return _SETS[key]

    def save(self):
        if self.cache_path and self.dirty:
            self.cache_path.parent.mkdir(parents=True, exist_ok=True)
            self.cache_path.write_text(json.dumps(self.store), encoding="utf-8")


def jaccard(a: set[int], b: set[int]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def near_duplicates(items: list[Exemplar], only: set[str] | None = None, cache: Path | None = CACHE):
    """Pairs (a, b, similarity) at or above THRESHOLD; with `only`, pairs that involve those sources."""
    fp = Fingerprints(cache)
    sets = [fp.get(ex.text) for ex in items]
    fp.save()
    limit = max(2, int(COMMON * len(items)))
    if only is not None:
        return _involving(items, sets, only, limit)
    postings: dict[int, list[int]] = {}
    for i, sh in enumerate(sets):
        for h in sh:
            postings.setdefault(h, []).append(i)
    shared = Counter(chain.from_iterable(combinations(docs, 2) for docs in postings.values() if 1 < len(docs) <= limit))
    found = []
    for (i, j), n in shared.items():
        a, b = items[i], items[j]
        if only is not None and a.src not in only and b.src not in only:
            continue
        sim = n / (len(sets[i]) + len(sets[j]) - n)
        if sim >= THRESHOLD:
            found.append((a, b, sim))
    return sorted(found, key=lambda t: -t[2])


def _involving(items, sets, only: set[str], limit: int):
    """The pairs of near_duplicates that involve one of `only`, without counting every pair of the
    library: set intersections with the few changed pages (what the contributor loop checks)."""
    mine = [i for i, ex in enumerate(items) if ex.src in only]
    if not mine:
        return []
    target = frozenset().union(*(sets[i] for i in mine))
    inter = [s & target for s in sets]
    df = Counter(chain.from_iterable(inter))
    boiler = {h for h, n in df.items() if n > limit}
    found, seen = [], set()
    for i in mine:
        evidence = sets[i] - boiler
        for j, common in enumerate(inter):
            if j == i or (min(i, j), max(i, j)) in seen:
                continue
            n = len(common & evidence)
            if not n:
                continue
            seen.add((min(i, j), max(i, j)))
            sim = n / (len(sets[i]) + len(sets[j]) - n)
            if sim >= THRESHOLD:
                a, b = (items[i], items[j]) if i < j else (items[j], items[i])
                found.append((a, b, sim))
    return sorted(found, key=lambda t: -t[2])
