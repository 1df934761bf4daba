"""Extra search keys so whole Chinese words typed into the search box find their pages.

Material's search worker splits a Han query against the index vocabulary but never looks up
the query as a whole (the last character is treated as still being typed), so "劳动竞赛"
becomes the prefix query "劳动*". Indexing each word of three or more characters also without
its last character ("劳动竞") turns the query into "劳动竞*", which matches exactly the pages
that contain the word. The keys go into a field of their own, so result previews are unchanged.
"""
from __future__ import annotations

import json
import re

SEP = re.compile(r"[\s\u200b\u3000\-、。，．？！；：“”‘’（）《》【】]+")
HAN_WORD = re.compile(r"^[\u4e00-\u9fff]{3,}$")


def keys_for(text: str) -> str:
    tokens = {t for t in SEP.split(text) if HAN_WORD.match(t)}
    return "\u200b".join(sorted({t[:-1] for t in tokens}))


def add_keys(entries: list[dict], field: str = "keys") -> int:
    """Add the key field to search index entries (dicts with title and text); return the number of keys."""
    total = 0
    for doc in entries:
        keys = keys_for(doc.get("title", "") + "\u200b" + doc.get("text", ""))
        if keys:
            doc[field] = keys
            total += keys.count("\u200b") + 1
    return total


class Utf8Json:
    """Stand-in for the json module inside Material's search plugin: the same dumps, but
    writing characters as UTF-8 instead of \\u escapes, which makes a Chinese index about a quarter smaller."""

    @staticmethod
    def dumps(obj, **kwargs):
        return json.dumps(obj, ensure_ascii=False, **kwargs)
