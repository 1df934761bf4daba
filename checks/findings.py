"""A finding: what is wrong, where, under which rule, and how to fix it."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    path: str  # relative to the project root, e.g. docs/exemplars/county/x.md
    line: int
    rule: str
    message: str
    fix: str = ""

    def format(self) -> str:
        text = f"{self.path}:{self.line}: [{self.rule}] {self.message}"
        if self.fix:
            text += f"\n    怎么改：{self.fix}"
        return text
