"""What every rule kind shares: hits, the compile context, per-platform numbers."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, cast

from toolkit.text.casing import capitalize_first
from toolkit.text.counting import CountRules
from toolkit.voice.findings import Edit
from toolkit.voice.kinds.phrases import PhraseSet
from toolkit.voice.matching import Post


@dataclass(frozen=True, slots=True)
class Hit:
    """A rule matched ``text[start:end]``; ``values`` fill the rule's message.

    ``certain`` is False when the kind's fix is a guess (a word matched by its
    stem, a name that may be lower-cased): shown by ``--diff``, never applied.
    """

    start: int
    end: int
    values: Mapping[str, Any] = field(default_factory=dict)
    suggestion: str | None = None
    edits: tuple[Edit, ...] = ()
    certain: bool = True


class _NewHit:
    """Makes a :class:`Hit` 4× faster than its frozen ``__init__`` (see
    :func:`toolkit.voice.findings.new_finding`)."""

    __slots__ = Hit.__slots__

    def __init__(
        self,
        start: int,
        end: int,
        values: Mapping[str, Any] | None = None,
        suggestion: str | None = None,
        edits: tuple[Edit, ...] = (),
        certain: bool = True,
    ) -> None:
        self.start = start
        self.end = end
        self.values = {} if values is None else values
        self.suggestion = suggestion
        self.edits = edits
        self.certain = certain
        self.__class__ = Hit  # type: ignore[assignment]


if TYPE_CHECKING:

    def new_hit(
        start: int,
        end: int,
        values: Mapping[str, Any] | None = None,
        suggestion: str | None = None,
        edits: tuple[Edit, ...] = (),
        certain: bool = True,
    ) -> Hit:
        """``Hit(...)``, made faster."""

else:
    new_hit = _NewHit  # called directly: no Python call in between


@dataclass(frozen=True)
class LintContext:
    """What a check may need beyond the post itself."""

    count_rules: Callable[[str], CountRules | None] = lambda _platform: None
    # rule id → group index → the spelling used first across a campaign
    campaign_forms: Mapping[str, Mapping[int, str]] = field(default_factory=dict)


Check = Callable[[Post, LintContext], list[Hit]]


@dataclass(frozen=True)
class CompileContext:
    # names and words that case and capitals rules leave alone, wherever they appear
    vocabulary: tuple[str, ...] = ()
    # The guide passed its checks before (the compiled-guide cache): what a kind
    # validates up front may instead be compiled when a text first needs it.
    checked: bool = False

    @cached_property
    def _vocabulary(self) -> PhraseSet[str]:
        return PhraseSet([(v, v) for v in self.vocabulary])

    def kept(self, post: Post) -> list[tuple[int, int]]:
        """Spans of ``post`` covered by the vocabulary (computed once per post)."""
        found = post.memo.get("vocabulary")
        if found is None:
            found = [(m.start, m.end) for m in self._vocabulary.matches(post)]
            post.memo["vocabulary"] = found
        return cast("list[tuple[int, int]]", found)


def covered(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= start and end <= b for a, b in spans)


def per_platform(value: int | Mapping[str, int] | None, platform: str | None) -> int | None:
    """``max: 3`` or ``max: {default: 3, instagram: 5}`` for ``platform``."""
    if value is None or isinstance(value, int):
        return value
    if platform is not None and platform in value:
        return value[platform]
    return value.get("default")


def quoted(values: list[str]) -> str:
    return " or ".join(f"'{v}'" for v in values)


def match_case(replacement: str, original: str, locale: str = "en") -> str:
    """Give ``replacement`` the capitalised first letter of ``original`` when it had one."""
    if original[:1].isupper() and replacement[:1].islower():
        return capitalize_first(replacement, locale)
    return replacement


class RuleCompileError(Exception):
    """A rule's value cannot be used; ``key`` names it inside the rule (for the location)."""

    def __init__(self, message: str, key: tuple[str | int, ...] = (), hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.key = key
        self.hint = hint
