"""Placeholder exact matcher (replaced by the transliteration-aware matcher)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .models import Entity, Hit


class Matcher:
    def __init__(self, patterns):
        self.patterns = patterns

    @classmethod
    def compile(cls, entities: Sequence[Entity]) -> Matcher:
        pats = []
        for e in entities:
            for alias in e.names:
                pats.append((re.compile(r"\b" + re.escape(alias) + r"\b", re.I), e, alias))
        return cls(pats)

    def match(self, text: str) -> list[Hit]:
        hits = []
        for pat, e, alias in self.patterns:
            for m in pat.finditer(text):
                hits.append(Hit(e.id, e.name, m.start(), m.end(), m.group(), alias, 100.0))
        return sorted(hits, key=lambda h: h.start)
