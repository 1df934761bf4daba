"""Helpers to check a page as if it were dropped into docs/exemplars/."""
from __future__ import annotations

import shutil
from pathlib import Path

from checks import cli
from macros import library

ROOT = Path(__file__).resolve().parent.parent
BASE = (ROOT / "tests" / "fixtures" / "good" / "base.md").read_text(encoding="utf-8")
SIGNOFF = "【单位名称】\n{: .signoff }"


def docs_with(tmp_path: Path, pages: dict[str, str]) -> Path:
    """A docs/ folder holding only the given pages (paths relative to docs/)."""
    docs = tmp_path / "docs"
    if docs.exists():
        shutil.rmtree(docs)
    for rel, text in pages.items():
        path = docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    library._cache.clear()
    return docs


def findings_for(tmp_path: Path, text: str, rel: str = "exemplars/branch/test-page.md"):
    docs = docs_with(tmp_path, {rel: text})
    return cli.check_docs(docs)


def rules_for(tmp_path: Path, text: str, rel: str = "exemplars/branch/test-page.md") -> set[str]:
    return {f.rule for f in findings_for(tmp_path, text, rel)}


def insert_paragraph(text: str, paragraph: str) -> str:
    """Base page with one paragraph added before the 落款."""
    return text.replace(SIGNOFF, paragraph + "\n\n" + SIGNOFF, 1)


def replace_front(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


from browser_wait import wait_js  # noqa: E402,F401  (re-exported for the browser tests)
