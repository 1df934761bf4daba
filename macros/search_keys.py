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
from pathlib import Path

SEP = re.compile(r"[\s\u200b\u3000\-、。，．？！；：“”‘’（）《》【】]+")
HAN_WORD = re.compile(r"^[\u4e00-\u9fff]{3,}$")


def keys_for(text: str) -> str:
    tokens = {t for t in SEP.split(text) if HAN_WORD.match(t)}
    return "\u200b".join(sorted({t[:-1] for t in tokens}))


def add_keys(index_path: Path, field: str = "keys") -> int:
    """Add the key field to every document of a built search_index.json; return the number of keys."""
    data = json.loads(index_path.read_text(encoding="utf-8"))
    total = 0
    for doc in data["docs"]:
        keys = keys_for(doc.get("title", "") + "\u200b" + doc.get("text", ""))
        if keys:
            doc[field] = keys
            total += keys.count("\u200b") + 1
    index_path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return total
