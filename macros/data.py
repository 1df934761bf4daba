"""Load the project's data files: taxonomy, placeholders, era wording, phrase bank, schema.

Everything the site, the macros and the checks know about vocabularies comes from here.
"""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
PHRASES = ROOT / "snippets" / "phrases"

# Variables every phrase block may use without declaring them, with their defaults.
STANDARD_VARS = {
    "unit": "【工会名称】",
    "region": "【地区名称】",
    "party": "【同级党委】",
    "superior": "【上级工会】",
    "admin": "【行政方】",
    "year": "【年份】",
    "next_year": "【下一年份】",
    "self": "我会",
}


@dataclass(frozen=True)
class Term:
    slug: str
    label: str
    description: str = ""
    kinds: tuple = ()  # document types only: summary, plan, report, notice, speech, material


@dataclass
class Taxonomy:
    vocabularies: dict[str, list[Term]]

    def terms(self, vocab: str) -> list[Term]:
        return self.vocabularies[vocab]

    def slugs(self, vocab: str) -> list[str]:
        return [t.slug for t in self.vocabularies[vocab]]

    def label(self, vocab: str, slug: str) -> str:
        for t in self.vocabularies[vocab]:
            if t.slug == slug:
                return t.label
        raise KeyError(f"{vocab}: {slug}")

    def term(self, vocab: str, slug: str) -> Term:
        for t in self.vocabularies[vocab]:
            if t.slug == slug:
                return t
        raise KeyError(f"{vocab}: {slug}")


@dataclass
class PhraseBlock:
    id: str
    function: str
    text: str
    themes: list[str] = field(default_factory=list)
    params: dict[str, str] = field(default_factory=dict)
    source: str = ""
    fit: dict = field(default_factory=dict)  # kinds / periods / registers / doctypes it fits; a missing key: any

    def misfit(self, meta: dict, kinds) -> str | None:
        """Why this block does not fit a page with this front matter (None when it fits)."""
        if "kinds" in self.fit and not set(self.fit["kinds"]) & set(kinds):
            return "文种"
        if "doctypes" in self.fit and meta.get("doctype") not in self.fit["doctypes"]:
            return "文种"
        if "periods" in self.fit and meta.get("period") not in self.fit["periods"]:
            return "时段"
        if "registers" in self.fit and meta.get("register", "written") not in self.fit["registers"]:
            return "语体"
        return None

    def fit_label(self) -> str:
        """Where the block fits, in words a writer reads, e.g. 适用：总结、报告；年度；书面材料."""
        tax = taxonomy()
        names = {"summary": "总结", "plan": "计划", "report": "报告", "notice": "通知", "speech": "讲话", "material": "材料"}
        parts = []
        if "doctypes" in self.fit:
            parts.append("、".join(tax.label("doctypes", d) for d in self.fit["doctypes"]))
        elif "kinds" in self.fit:
            parts.append("、".join(names.get(k, k) for k in self.fit["kinds"]))
        for key, vocab in (("periods", "periods"), ("registers", "registers")):
            if key in self.fit:
                parts.append("、".join(tax.label(vocab, s) for s in self.fit[key]))
        return "；".join(parts) if parts else "各类文稿"


@dataclass
class PhraseBank:
    functions: list[Term]
    blocks: dict[str, PhraseBlock]

    def by_function(self, slug: str) -> list[PhraseBlock]:
        return [b for b in self.blocks.values() if b.function == slug]

    def by_theme(self, slug: str) -> list[PhraseBlock]:
        return [b for b in self.blocks.values() if slug in b.themes]


def _load_yaml(path: Path):
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@functools.lru_cache(maxsize=None)
def taxonomy(root: Path = ROOT) -> Taxonomy:
    raw = _load_yaml(root / "data" / "taxonomy.yml")
    vocabs = {
        name: [Term(e["slug"], e["label"], e.get("description", ""), tuple(e.get("kinds") or ())) for e in entries]
        for name, entries in raw.items()
    }
    return Taxonomy(vocabs)


@functools.lru_cache(maxsize=None)
def placeholders(root: Path = ROOT) -> dict[str, dict]:
    """Declared placeholders by name, in file order."""
    return {e["name"]: e for e in _load_yaml(root / "data" / "placeholders.yml")}


@functools.lru_cache(maxsize=None)
def genres(root: Path = ROOT) -> dict:
    """Genre rules: length ranges and register endings (data/genres.yml)."""
    return _load_yaml(root / "data" / "genres.yml")


def length_range(meta: dict, root: Path = ROOT) -> tuple[int, int]:
    """(min, max) Han characters for a page with this front matter; the first matching entry wins."""
    for rule in genres(root)["lengths"]:
        if rule["doctype"] != meta.get("doctype"):
            continue
        if "levels" in rule and meta.get("level") not in rule["levels"]:
            continue
        if "period" in rule and meta.get("period") != rule["period"]:
            continue
        return rule["min"], rule["max"]
    return 800, 5000


@functools.lru_cache(maxsize=None)
def era(root: Path = ROOT) -> dict:
    return _load_yaml(root / "data" / "era.yml")


def official_wording(root: Path = ROOT) -> list[str]:
    """The fixed official formulations of data/era.yml (guiding texts and macro-only terms), which
    every union document shares with every other."""
    e = era(root)
    return [f["text"] for f in e["guiding"].values()] + list(e.get("macro_only", []))


@functools.lru_cache(maxsize=None)
def phrase_bank(root: Path = ROOT) -> PhraseBank:
    folder = root / "snippets" / "phrases"
    functions = [Term(e["slug"], e["label"], e.get("description", "")) for e in _load_yaml(folder / "_functions.yml")]
    blocks: dict[str, PhraseBlock] = {}
    for fn in functions:
        path = folder / f"{fn.slug}.yml"
        if not path.exists():
            continue
        for entry in _load_yaml(path) or []:
            block = PhraseBlock(
                id=entry["id"],
                function=fn.slug,
                text=entry["text"],
                themes=list(entry.get("themes") or []),
                params=dict(entry.get("params") or {}),
                source=str(path.relative_to(root)),
                fit=dict(entry.get("fit") or {}),
            )
            if block.id in blocks:
                raise ValueError(f"{path}: duplicate phrase id {block.id}")
            blocks[block.id] = block
    return PhraseBank(functions, blocks)


@functools.lru_cache(maxsize=None)
def frontmatter_schema(root: Path = ROOT) -> dict:
    """The JSON Schema for exemplar front matter, with enums filled from the taxonomy."""
    schema = json.loads((root / "data" / "frontmatter.schema.json").read_text(encoding="utf-8"))
    tax = taxonomy(root)
    names = list(placeholders(root))

    def fill(node):
        if isinstance(node, dict):
            src = node.pop("x-vocabulary", None)
            if src == "placeholders":
                node["enum"] = names
            elif src:
                node["enum"] = tax.slugs(src)
            for v in node.values():
                fill(v)
        elif isinstance(node, list):
            for v in node:
                fill(v)

    fill(schema)
    return schema
