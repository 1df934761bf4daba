"""Split a Markdown file into YAML front matter and body, keeping line numbers."""
from __future__ import annotations

from dataclasses import dataclass, field

import yaml


class FrontMatterError(Exception):
    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass
class Parsed:
    meta: dict
    body: str
    body_line: int  # 1-based line number of the first body line
    key_lines: dict = field(default_factory=dict)  # top-level key -> 1-based line


def parse(text: str) -> Parsed:
    """Parse `---` delimited YAML front matter. Raises FrontMatterError with a line number."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return Parsed({}, text, 1)
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            break
    else:
        raise FrontMatterError("front matter opened with --- but never closed", 1)
    raw = "\n".join(lines[1:end])
    try:
        loader = yaml.SafeLoader(raw)
        try:
            node = loader.get_single_node()
            meta = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 2 if mark else 1
        problem = getattr(exc, "problem", None) or str(exc)
        raise FrontMatterError(f"YAML does not parse: {problem}", line) from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise FrontMatterError("front matter must be a mapping of key: value lines", 2)
    key_lines = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            key_lines[key_node.value] = key_node.start_mark.line + 2
    return Parsed(meta, "\n".join(lines[end + 1:]), end + 2, key_lines)
