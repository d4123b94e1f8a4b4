"""The voice guide's rules and settings as the linter reads them: plain frozen values.

``voice.yaml`` is validated by the models of :mod:`toolkit.voice.models`
(pydantic: types, bounds, located errors, the JSON schema). What passed is
turned into these classes, field for field, from the models' JSON dump: the
same dump the compiled-guide cache keeps. So a run that reads the cache never
imports pydantic (its import and validators cost more than a cold lint of one
draft), and a freshly checked guide and a cached one are the same values.
A test keeps each class's fields and defaults equal to its model's.

``from_json`` trusts its input (a dump of a validated model, or a cache entry
whose digest matched): it only rebuilds the nested classes and tuples. A
mapping of another shape raises ``TypeError``, ``KeyError`` or ``ValueError``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Literal, Self

from toolkit.voice.findings import Level

PerPlatform = int | dict[str, int]


class Frozen:
    """Frozen values set by keyword: ``dataclass(frozen=True, kw_only=True)``, made cheaply.

    ``dataclass`` writes and compiles six methods for each class, which made these
    sixteen classes the costliest import of a cold ``toolkit lint``; here they share
    one of each. A field is an annotation of the class or of a base, in order; its
    default is the class attribute of that name (a list or dict default is copied
    for each value, as a ``default_factory`` would); a field without one is required.
    """

    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()
    _required: ClassVar[frozenset[str]] = frozenset()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        names: dict[str, None] = {}
        for klass in reversed(cls.__mro__):
            names.update((n, None) for n in vars(klass).get("__annotations__", {}))
        cls._fields = tuple(n for n in names if not n.startswith("_"))
        cls._required = frozenset(n for n in cls._fields if not hasattr(cls, n))

    def __init__(self, **values: Any) -> None:
        unknown = values.keys() - set(self._fields)
        missing = self._required - values.keys()
        if unknown or missing:
            name = type(self).__name__
            raise TypeError(f"{name}: unknown {sorted(unknown)}, missing {sorted(missing)}")
        for name in self._fields:
            value = values[name] if name in values else getattr(type(self), name)
            if type(value) in (list, dict) and name not in values:
                value = value.copy()
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"cannot assign to field '{name}': {type(self).__name__} is frozen")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field '{name}': {type(self).__name__} is frozen")

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n in self._fields)

    __hash__ = None  # type: ignore[assignment]  # values hold lists, as the models do

    def __repr__(self) -> str:
        shown = ", ".join(f"{n}={getattr(self, n)!r}" for n in self._fields)
        return f"{type(self).__name__}({shown})"

    def to_json(self) -> dict[str, Any]:
        """The value as JSON data: what ``from_json`` (or the class) makes it from."""
        return {n: _json(getattr(self, n)) for n in self._fields}


def _json(value: Any) -> Any:
    if isinstance(value, Frozen):
        return value.to_json()
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    return value


class Example(Frozen):
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


class Examples(Frozen):
    """Texts the rule must flag (``bad``) and must leave alone (``good``)."""

    bad: list[ExampleItem] = []
    good: list[ExampleItem] = []

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Examples:
        return cls(
            bad=[_example(item) for item in data["bad"]],
            good=[_example(item) for item in data["good"]],
        )


class RuleBase(Frozen):
    """What every rule has: its id, level, message, filters, exceptions and examples."""

    id: str
    level: Level = "warning"
    message: str
    description: str | None = None
    platforms: list[str] | None = None
    locales: list[str] | None = None
    persona: str | list[str] | None = None
    exceptions: list[str] = []
    in_quotes: bool | None = None
    examples: Examples = Examples()

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Self:
        values = dict(data)
        values["examples"] = Examples.from_json(values["examples"])
        return cls(**cls._nested(values))

    @classmethod
    def _nested(cls, values: dict[str, Any]) -> dict[str, Any]:
        """``values`` with the kind's own nested classes and tuples rebuilt."""
        return values


class TermRule(RuleBase):
    """Preferred spellings of terms, and their wrong forms."""

    kind: Literal["term"]
    terms: dict[str, list[str]]
    ignore_case: bool = True


class AvoidRule(RuleBase):
    """Words, phrases and patterns to avoid, with replacements."""

    kind: Literal["avoid"]
    words: list[str] = []
    replace: dict[str, str | list[str]] = {}
    patterns: list[str] = []
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


class LimitRule(RuleBase):
    """A bound on a count (exclamations, hashtags, words, length...)."""

    kind: Literal["limit"]
    count: LimitCount
    max: PerPlatform | None = None
    min: PerPlatform | None = None
    ignore: list[str] = []


class EmojiRule(RuleBase):
    """Which emoji, how many and where."""

    kind: Literal["emoji"]
    deny: list[str] = []
    allow: list[str] | None = None
    max: PerPlatform | None = None
    not_at_start: bool = False
    not_in_words: bool = False


class RequireRule(RuleBase):
    """Something a post must have: words, a pattern, a link..."""

    kind: Literal["require"]
    any: list[str] | dict[str, list[str]] = []
    pattern: str | None = None
    patterns: dict[str, list[str]] = {}
    posts_only: bool = True
    has: Literal["link", "hashtag", "mention", "emoji", "question"] | None = None
    when: Literal["always", "sponsored"] = "always"
    if_any: list[str] = []


class ConsistencyRule(RuleBase):
    """One spelling of the same thing per post or campaign."""

    kind: Literal["consistency"]
    groups: list[list[str]]
    scope: Literal["post", "campaign"] = "post"


class CaseRule(RuleBase):
    """Sentence case for sentences and hooks, CamelCase for hashtags."""

    kind: Literal["case"]
    target: Literal["sentences", "hook", "hashtags"]
    style: Literal["sentence", "camel"]


Formula = Literal["flesch", "kandel_moles", "fernandez_huerta", "atesman", "tateisi", "kanji_share"]


class ReadabilityTarget(Frozen):
    """A language's formula and bounds."""

    formula: Formula | None = None
    min: float | None = None
    max: float | None = None


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


class Tone(Frozen):
    """The brand's voice in a sentence or two, with traits, dos and don'ts."""

    summary: str
    traits: list[str] = []
    do: list[str] = []
    dont: list[str] = []


class Persona(Frozen):
    """A voice overlay on the brand's."""

    description: str
    tone: str | None = None


class VoiceSettings(Frozen):
    """The guide's settings: ``voice.yaml`` less its rules."""

    tone: Tone | None = None
    personas: dict[str, Persona] = {}
    default_persona: str | None = None
    vocabulary: list[str] = []

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> VoiceSettings:
        tone = data["tone"]
        return cls(
            tone=Tone(**tone) if tone is not None else None,
            personas={name: Persona(**p) for name, p in data["personas"].items()},
            default_persona=data["default_persona"],
            vocabulary=list(data["vocabulary"]),
        )
