"""Small frozen values that flow through the pipeline.

Nothing here imports a third-party library or another module of ours, so every stage can
depend on these without depending on each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

ENTITY_TYPES = ("person", "place", "org", "other")


@dataclass(frozen=True, slots=True)
class Entity:
    """One watchlist entry, validated."""

    id: str
    name: str
    type: str = "other"
    aliases: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    threshold: float | None = None  # minimum score for a hit of this entity (0-100)
    exact: bool = False  # only exact (normalised) matches of name and aliases
    exclude: tuple[str, ...] = ()  # phrases whose matches are never hits (user look-alikes)

    @property
    def names(self) -> tuple[str, ...]:
        """The canonical name followed by the aliases, without repeats."""
        return tuple(dict.fromkeys((self.name, *self.aliases)))

    def as_tuple(self) -> tuple:
        """The fields in order: Entity(*e.as_tuple()) == e. (The compiled-watchlist cache
        stores entities so; dataclasses.astuple would copy each field deeply.)"""
        return (self.id, self.name, self.type, self.aliases, self.tags, self.threshold,
                self.exact, self.exclude)

    def __reduce__(self):
        # (the dataclass default looks its fields up for every entity, three times slower)
        return Entity, self.as_tuple()


class Hit(NamedTuple):
    """One mention of a watched entity in a text.

    start/end are Python str offsets into the decoded text; `text` is text[start:end].
    A named tuple rather than a frozen dataclass: a 100k-name watchlist makes hundreds of
    thousands per MB of text, and a tuple is made several times faster.
    """

    entity_id: str
    name: str  # the entity's canonical name
    start: int
    end: int
    text: str
    alias: str  # the watchlist name or alias this mention matched
    score: float  # 0-100
    method: str = "exact"  # exact | translit | inflection | fuzzy | ...
    detail: str = ""  # a short human explanation, e.g. "edit distance 1"

    def as_dict(self) -> dict:
        return {
            "entity_id": self.entity_id,
            "name": self.name,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "alias": self.alias,
            "score": round(self.score, 1),
            "method": self.method,
            "detail": self.detail,
        }


@dataclass(frozen=True, slots=True)
class Document:
    """A decoded document, identified by the SHA-256 of its bytes."""

    path: str
    sha256: str
    text: str
    encoding: str
    size: int


@dataclass(frozen=True, slots=True)
class Mention:
    """A hit as an alert shows it: the words, a snippet of context around them."""

    text: str
    alias: str
    score: float
    method: str
    detail: str
    start: int
    end: int
    before: str  # context before the matched words
    after: str  # context after the matched words


@dataclass(frozen=True, slots=True)
class Alert:
    """What one notification says about one entity in one document."""

    entity_id: str
    entity_name: str
    entity_type: str
    tags: tuple[str, ...]
    path: str
    sha256: str
    found_at: str  # ISO 8601, UTC
    mentions: tuple[Mention, ...] = field(default_factory=tuple)

    @property
    def best_score(self) -> float:
        return max((m.score for m in self.mentions), default=0.0)


@dataclass(frozen=True, slots=True)
class Rollup:
    """Mentions of an entity held back by a cooldown, counted in the next message."""

    entity_id: str
    mentions: int
    documents: int
    since: str  # ISO 8601, UTC: the first held mention
