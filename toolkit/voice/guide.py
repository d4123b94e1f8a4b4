"""A loaded voice guide: compiled rules, selected and cached per platform, locale and persona."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.campaign.names import resolve_platform
from toolkit.errors import InputError, did_you_mean
from toolkit.text.casing import lang_of
from toolkit.voice.findings import Level
from toolkit.voice.kinds import Check, CompileContext, Hit, LintContext, compiler
from toolkit.voice.kinds.phrases import PhraseSet
from toolkit.voice.matching import Post, overlaps, within
from toolkit.voice.schema import Persona, RuleBase, Tone

if TYPE_CHECKING:
    from toolkit.text.counting import CountRules


class Deferred:
    """A rule's check compiled when first called: a post in English never pays for Japanese."""

    def __init__(self, spec: RuleBase, cc: CompileContext) -> None:
        self._spec = spec
        self._cc = cc
        self.compiled: Check | None = None
        self.owner: CompiledRule | None = None  # takes the compiled check in place of this

    def __call__(self, post: Post, ctx: LintContext) -> list[Hit]:
        if self.compiled is None:
            self.compiled = compiler(getattr(self._spec, "kind", ""))(self._spec, self._cc)
            if self.owner is not None:
                # from now on the rule calls its check directly: one call less per post
                object.__setattr__(self.owner, "check", self.compiled)
        return self.compiled(post, ctx)


@dataclass(frozen=True)
class CompiledRule:
    id: str
    kind: str
    level: Level
    message: str
    check: Check
    platforms: frozenset[str] | None
    locales: tuple[str, ...] | None
    personas: frozenset[str] | None
    spec: RuleBase
    exceptions: PhraseSet[str] | None = None  # the rule's exceptions: never flagged
    in_quotes: bool = True  # False: quoted text is someone else's words, left alone
    # Whether hits are filtered (quotations, exceptions): most rules' are not.
    filters: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "filters", not self.in_quotes or self.exceptions is not None)
        if isinstance(self.check, Deferred):
            self.check.owner = self

    def hits(self, post: Post, ctx: LintContext) -> list[Hit]:
        """The check's hits, less those in quotations (when so configured) and exceptions."""
        found = self.check(post, ctx)
        if found and self.filters:
            return self.keep(post, found)
        return found

    def keep(self, post: Post, found: list[Hit]) -> list[Hit]:
        """``found`` less the hits in quotations (when so configured) and exceptions."""
        if not self.in_quotes and post.quoted:
            quoted = post.quoted
            found = [h for h in found if h.start == h.end or not within(h.start, h.end, quoted)]
        if self.exceptions is not None and found:
            spans = [(m.start, m.end) for m in self.exceptions.finditer(post)]
            if spans:
                found = [h for h in found if not overlaps(h.start, max(h.end, h.start + 1), spans)]
        return found

    def applies(self, platform: str | None, locale: str, persona: str | None) -> bool:
        if self.platforms is not None and platform not in self.platforms:
            return False
        if self.personas is not None and persona not in self.personas:
            return False
        if self.locales is not None:
            lang = lang_of(locale)
            return any(loc == locale if "-" in loc else loc == lang for loc in self.locales)
        return True

    def format(self, values: Mapping[str, object]) -> str:
        if "{" not in self.message:
            return self.message
        try:
            return self.message.format_map(values)  # the usual case: every value given
        except KeyError:
            return self.message.format_map(_Blank(values))


class _Blank(dict[str, object]):
    def __missing__(self, key: str) -> object:
        return ""


@dataclass(frozen=True)
class Guide:
    """A brand's voice: tone, personas and compiled rules (use :func:`load_guide`)."""

    path: Path | None
    rules: tuple[CompiledRule, ...]
    default_locale: str = "en-US"
    default_persona: str | None = None
    personas: dict[str, Persona] = field(default_factory=dict)
    tone: Tone | None = None
    platform_ids: tuple[str, ...] = ()
    platform_names: Mapping[str, str] = field(default_factory=dict)  # name or alias → id
    count_rules: Callable[[str], CountRules | None] = lambda _platform: None
    # Per guide, never passed in: a copy made with ``dataclasses.replace`` (other rules,
    # other platforms) starts with caches of its own, not its original's answers.
    _cache: dict[tuple[str | None, str, str | None], tuple[CompiledRule, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _platforms: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)

    @cached_property
    def context(self) -> LintContext:
        """The context of a text linted on its own (no campaign): made once per guide."""
        return LintContext(count_rules=self.count_rules)

    @property
    def rule_ids(self) -> tuple[str, ...]:
        return tuple(rule.id for rule in self.rules)

    def rule(self, rule_id: str) -> CompiledRule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def persona(self, name: str | None) -> str | None:
        """``name`` checked against the guide's personas; the default when None."""
        if name is None:
            return self.default_persona
        if name not in self.personas:
            where = f" in {self.path}" if self.path else ""
            raise InputError(
                f"unknown persona '{name}'",
                hint=did_you_mean(name, self.personas)
                or f"the voice guide{where} defines no personas",
            )
        return name

    def platform(self, name: str | None) -> str | None:
        """``name`` (an id or alias, any case) as the platform's id."""
        if name is None or not self.platform_ids:
            return name
        found = self._platforms.get(name)  # every post of a batch names its platform
        if found is None:
            names = self.platform_names or {i: i for i in self.platform_ids}
            found = resolve_platform(name, names)
            if len(self._platforms) >= 256:
                self._platforms.clear()  # bounded, whatever the names
            self._platforms[name] = found
        return found

    def rules_for(
        self, platform: str | None, locale: str, persona: str | None
    ) -> tuple[CompiledRule, ...]:
        """The rules that apply, computed once per (platform, locale, persona)."""
        key = (platform, locale, persona)
        found = self._cache.get(key)
        if found is None:
            found = tuple(r for r in self.rules if r.applies(platform, locale, persona))
            self._cache[key] = found
        return found
