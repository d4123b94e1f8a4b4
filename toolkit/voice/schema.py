"""The voice guide's rules and settings as the linter reads them: plain frozen values.

``voice.yaml`` is validated by the models of :mod:`toolkit.voice.models`
(pydantic: types, bounds, located errors, the JSON schema). What passed is
turned into these classes, field for field, from the models' JSON dump: the
same dump the compiled-guide cache keeps. So a run that reads the cache never
imports pydantic (its import and validators cost more than a cold lint of one
draft), and a freshly checked guide and a cached one are the same values.
A test keeps each class's fields and defaults equal to its model's. Each class has
a docstring: without one, ``dataclass`` computes its signature for a generated one,
which costs a cold run more than making the class.

``from_json`` trusts its input (a dump of a validated model, or a cache entry
whose digest matched): it only rebuilds the nested classes and tuples. A
mapping of another shape raises ``TypeError``, ``KeyError`` or ``ValueError``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Self

from toolkit.voice.findings import Level

PerPlatform = int | dict[str, int]


@dataclass(frozen=True, slots=True, kw_only=True)
class Example:
    """An example with its own context, or with the text its fix must produce."""

    text: str
    fix: str | None = None
    platform: str | None = None
    locale: str | None = None
    persona: str | None = None
    sponsored: bool | None = None


ExampleItem = str | Example


def _example(item: Any) -> ExampleItem:
    if isinstance(item, str):
        return item
    return Example(**item)


@dataclass(frozen=True, slots=True, kw_only=True)
class Examples:
    """Texts the rule must flag (``bad``) and must leave alone (``good``)."""

    bad: list[ExampleItem] = field(default_factory=list)
    good: list[ExampleItem] = field(default_factory=list)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Examples:
        return cls(
            bad=[_example(item) for item in data["bad"]],
            good=[_example(item) for item in data["good"]],
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleBase:
    """What every rule has: its id, level, message, filters, exceptions and examples."""

    id: str
    level: Level = "warning"
    message: str
    description: str | None = None
    platforms: list[str] | None = None
    locales: list[str] | None = None
    persona: str | list[str] | None = None
    exceptions: list[str] = field(default_factory=list)
    in_quotes: bool | None = None
    examples: Examples = field(default_factory=Examples)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Self:
        values = dict(data)
        values["examples"] = Examples.from_json(values["examples"])
        return cls(**cls._nested(values))

    @classmethod
    def _nested(cls, values: dict[str, Any]) -> dict[str, Any]:
        """``values`` with the kind's own nested classes and tuples rebuilt."""
        return values


@dataclass(frozen=True, slots=True, kw_only=True)
class TermRule(RuleBase):
    """Preferred spellings of terms, and their wrong forms."""

    kind: Literal["term"]
    terms: dict[str, list[str]]
    ignore_case: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class AvoidRule(RuleBase):
    """Words, phrases and patterns to avoid, with replacements."""

    kind: Literal["avoid"]
    words: list[str] = field(default_factory=list)
    replace: dict[str, str | list[str]] = field(default_factory=dict)
    patterns: list[str] = field(default_factory=list)
    ignore_case: bool = True
    forms: bool = True
    fold_accents: bool = False


LimitCount = Literal[
    "exclamation",
    "question",
    "emoji",
    "hashtag",
    "mention",
    "link",
    "caps_word",
    "word",
    "sentence_words",
    "sentence_chars",
    "length",
    "lines",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class LimitRule(RuleBase):
    """A bound on a count (exclamations, hashtags, words, length...)."""

    kind: Literal["limit"]
    count: LimitCount
    max: PerPlatform | None = None
    min: PerPlatform | None = None
    ignore: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True, kw_only=True)
class EmojiRule(RuleBase):
    """Which emoji, how many and where."""

    kind: Literal["emoji"]
    deny: list[str] = field(default_factory=list)
    allow: list[str] | None = None
    max: PerPlatform | None = None
    not_at_start: bool = False
    not_in_words: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class RequireRule(RuleBase):
    """Something a post must have: words, a pattern, a link..."""

    kind: Literal["require"]
    any: list[str] | dict[str, list[str]] = field(default_factory=list)
    pattern: str | None = None
    patterns: dict[str, list[str]] = field(default_factory=dict)
    posts_only: bool = True
    has: Literal["link", "hashtag", "mention", "emoji", "question"] | None = None
    when: Literal["always", "sponsored"] = "always"
    if_any: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True, kw_only=True)
class ConsistencyRule(RuleBase):
    """One spelling of the same thing per post or campaign."""

    kind: Literal["consistency"]
    groups: list[list[str]]
    scope: Literal["post", "campaign"] = "post"


@dataclass(frozen=True, slots=True, kw_only=True)
class CaseRule(RuleBase):
    """Sentence case for sentences and hooks, CamelCase for hashtags."""

    kind: Literal["case"]
    target: Literal["sentences", "hook", "hashtags"]
    style: Literal["sentence", "camel"]


Formula = Literal["flesch", "kandel_moles", "fernandez_huerta", "atesman", "tateisi", "kanji_share"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadabilityTarget:
    """A language's formula and bounds."""

    formula: Formula | None = None
    min: float | None = None
    max: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadabilityRule(RuleBase):
    """A readability score within bounds, per language."""

    kind: Literal["readability"]
    languages: dict[str, ReadabilityTarget]
    min_words: int = 30
    min_chars: int = 60

    @classmethod
    def _nested(cls, values: dict[str, Any]) -> dict[str, Any]:
        values["languages"] = {k: ReadabilityTarget(**v) for k, v in values["languages"].items()}
        return values


TypographyCheck = Literal[
    "french_spacing",
    "japanese_punctuation",
    "halfwidth_katakana",
    "straight_quotes",
    "double_space",
    "spanish_inverted",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class TypographyRule(RuleBase):
    """One typographic convention (spacing, quotes, punctuation)."""

    kind: Literal["typography"]
    check: TypographyCheck
    quotes: tuple[str, str] = ("\u201c", "\u201d")
    apostrophe: str = "\u2019"
    single_quotes: tuple[str, str] = ("\u2018", "\u2019")

    @classmethod
    def _nested(cls, values: dict[str, Any]) -> dict[str, Any]:
        for key in ("quotes", "single_quotes"):
            opening, closing = values[key]  # a pair, or the entry is damaged
            values[key] = (opening, closing)
        return values


RULE_SPECS: dict[str, type[RuleBase]] = {
    "term": TermRule,
    "avoid": AvoidRule,
    "limit": LimitRule,
    "emoji": EmojiRule,
    "require": RequireRule,
    "consistency": ConsistencyRule,
    "case": CaseRule,
    "readability": ReadabilityRule,
    "typography": TypographyRule,
}


def rule_from_json(data: Mapping[str, Any]) -> RuleBase:
    """The rule of a validated rule model's JSON dump (``KeyError`` for an unknown kind)."""
    return RULE_SPECS[data["kind"]].from_json(data)


@dataclass(frozen=True, slots=True, kw_only=True)
class Tone:
    """The brand's voice in a sentence or two, with traits, dos and don'ts."""

    summary: str
    traits: list[str] = field(default_factory=list)
    do: list[str] = field(default_factory=list)
    dont: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True, kw_only=True)
class Persona:
    """A voice overlay on the brand's."""

    description: str
    tone: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class VoiceSettings:
    """The guide's settings: ``voice.yaml`` less its rules."""

    tone: Tone | None = None
    personas: dict[str, Persona] = field(default_factory=dict)
    default_persona: str | None = None
    vocabulary: list[str] = field(default_factory=list)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> VoiceSettings:
        tone = data["tone"]
        return cls(
            tone=Tone(**tone) if tone is not None else None,
            personas={name: Persona(**p) for name, p in data["personas"].items()},
            default_persona=data["default_persona"],
            vocabulary=list(data["vocabulary"]),
        )
