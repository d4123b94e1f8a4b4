"""The voice guide file (``brand/<slug>/voice.yaml``): tone, personas, vocabulary, rules.

Every rule shares ``id``, ``kind``, ``level``, ``message``, and the optional
filters ``platforms``, ``locales`` and ``persona``, plus ``examples`` that
run as self-tests when the guide loads. Each kind adds its own keys.

These models validate the file (and describe it: the JSON schema); the linter
reads the plain values of :mod:`toolkit.voice.schema` made from their dump.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from toolkit.files.models import LocaleCode, Model, RequiredText, Text
from toolkit.voice.findings import Level

# The value types are the plain module's: one list of counts, checks and formulas.
from toolkit.voice.schema import Formula, LimitCount, PerPlatform, TypographyCheck

RULE_ID = r"^[a-z0-9]+(?:[._-][a-z0-9]+)*$"

PER_PLATFORM_HELP = "A number, or a number per platform id with an optional 'default'."


class Example(Model):
    """An example with its own context, or with the text its fix must produce."""

    text: str
    fix: str | None = Field(None, description="What --fix must turn this bad example into.")
    platform: str | None = None
    locale: LocaleCode | None = None
    persona: str | None = None
    sponsored: bool | None = None


ExampleItem = str | Example


class Examples(Model):
    bad: list[ExampleItem] = Field([], description="Texts the rule must flag.")
    good: list[ExampleItem] = Field([], description="Texts the rule must leave alone.")


class RuleBase(Model):
    id: str = Field(pattern=RULE_ID, description="Stable id, e.g. 'term.platform-names'.")
    level: Level = "warning"
    message: RequiredText = Field(description="Shown to the writer; {placeholders} per kind.")
    description: Text | None = Field(None, description="Why the rule exists (for people).")
    platforms: list[str] | None = Field(None, description="Only on these platform ids.")
    locales: list[LocaleCode] | None = Field(
        None, description="Only for these languages ('fr') or locales ('fr-CA')."
    )
    persona: str | list[str] | None = Field(None, description="Only for these personas.")
    exceptions: list[str] = Field(
        [], description="Words and phrases this rule never flags (e.g. a quoted title)."
    )
    in_quotes: bool | None = Field(
        None,
        description="Check quoted text too. Default: avoid and case rules leave quotations "
        "(“…”, « … », 「…」) alone; other kinds check them.",
    )
    examples: Examples = Examples()


class TermRule(RuleBase):
    kind: Literal["term"]
    terms: dict[str, list[str]] = Field(
        description="Preferred spelling → other wrong forms; any other casing is caught too.",
        min_length=1,
    )
    ignore_case: bool = Field(True, description="Also catch every other casing of a term.")


class AvoidRule(RuleBase):
    kind: Literal["avoid"]
    words: list[str] = Field([], description="Words and phrases to avoid.")
    replace: dict[str, str | list[str]] = Field(
        {}, description="Word → replacement(s); one replacement makes it auto-fixable."
    )
    patterns: list[str] = Field([], description="Regular expressions (script-aware edges).")
    ignore_case: bool = True
    forms: bool = Field(
        True,
        description="Also catch other forms of single words (plural, gender, tense, Turkish "
        "suffixes) with the Snowball stemmer (en, fr, es, tr); reported, never auto-fixed.",
    )
    fold_accents: bool = Field(
        False, description="Match without accents: 'increible' is 'increíble'."
    )

    @model_validator(mode="after")
    def _something(self) -> AvoidRule:
        if not (self.words or self.replace or self.patterns):
            raise ValueError("an avoid rule needs 'words', 'replace' or 'patterns'")
        return self


class LimitRule(RuleBase):
    kind: Literal["limit"]
    count: LimitCount = Field(
        description="What to count; sentence_* counts per sentence, length as the platform does."
    )
    max: PerPlatform | None = Field(None, description=PER_PLATFORM_HELP)
    min: PerPlatform | None = Field(None, description=PER_PLATFORM_HELP)
    ignore: list[str] = Field([], description="Words not counted (caps_word: acronyms).")

    @model_validator(mode="after")
    def _bounded(self) -> LimitRule:
        if self.max is None and self.min is None:
            raise ValueError("a limit rule needs 'max' or 'min'")
        return self


class EmojiRule(RuleBase):
    kind: Literal["emoji"]
    deny: list[str] = Field([], description="Emoji never to use (skin tones match too).")
    allow: list[str] | None = Field(None, description="If set, the only emoji allowed.")
    max: PerPlatform | None = Field(None, description=PER_PLATFORM_HELP)
    not_at_start: bool = Field(False, description="A post must not open with an emoji.")
    not_in_words: bool = Field(False, description="No emoji glued inside a word.")


class RequireRule(RuleBase):
    kind: Literal["require"]
    any: list[str] | dict[str, list[str]] = Field(
        [],
        description="At least one of these must appear (#tags too); or a list per language "
        "code ('fr': [...]), where a language not listed is not checked.",
    )
    pattern: str | None = Field(None, description="Or: a regular expression that must match.")
    patterns: dict[str, list[str]] = Field(
        {},
        description="Regular expressions per language code, matched in the lower-cased prose "
        "with word edges (imperatives with their clitics: 'desc[aá]rga(?:la|las)?').",
    )
    posts_only: bool = Field(
        True, description="Only texts that are posts (with a platform), not any prose file."
    )
    has: Literal["link", "hashtag", "mention", "emoji", "question"] | None = None
    when: Literal["always", "sponsored"] = Field(
        "always", description="'sponsored': only for paid partnerships (brief or draft)."
    )
    if_any: list[str] = Field([], description="Only when one of these appears.")

    @model_validator(mode="after")
    def _something(self) -> RequireRule:
        if not (self.any or self.pattern or self.patterns or self.has):
            raise ValueError("a require rule needs 'any', 'pattern', 'patterns' or 'has'")
        return self


class ConsistencyRule(RuleBase):
    kind: Literal["consistency"]
    groups: list[Annotated[list[str], Field(min_length=2)]] = Field(
        min_length=1, description="Spellings of the same thing; the first one used wins."
    )
    scope: Literal["post", "campaign"] = Field(
        "post", description="'campaign': the first spelling across every file linted together."
    )


class CaseRule(RuleBase):
    kind: Literal["case"]
    target: Literal["sentences", "hook", "hashtags"]
    style: Literal["sentence", "camel"]
    exceptions: list[str] = Field([], description="Words left as written.")

    @model_validator(mode="after")
    def _pair(self) -> CaseRule:
        wanted = {"sentences": "sentence", "hook": "sentence", "hashtags": "camel"}[self.target]
        if self.style != wanted:
            raise ValueError(f"target '{self.target}' takes style '{wanted}'")
        return self


class ReadabilityTarget(Model):
    formula: Formula | None = Field(None, description="Default: the language's own formula.")
    min: float | None = Field(None, description="Lowest acceptable score.")
    max: float | None = Field(None, description="Highest acceptable score.")

    @model_validator(mode="after")
    def _bounded(self) -> ReadabilityTarget:
        if self.min is None and self.max is None:
            raise ValueError("give 'min' or 'max'")
        return self


class ReadabilityRule(RuleBase):
    kind: Literal["readability"]
    languages: dict[str, ReadabilityTarget] = Field(
        min_length=1, description="Language code → formula and bounds."
    )
    min_words: int = Field(30, ge=1, description="Shorter posts are not scored.")
    min_chars: int = Field(60, ge=1, description="For Japanese: shorter posts are not scored.")


class TypographyRule(RuleBase):
    kind: Literal["typography"]
    check: TypographyCheck
    quotes: tuple[str, str] = Field(
        ("\u201c", "\u201d"), description="straight_quotes: the opening and closing quotes."
    )
    apostrophe: str = Field("\u2019", description="straight_quotes: the apostrophe.")
    single_quotes: tuple[str, str] = Field(
        ("\u2018", "\u2019"), description="straight_quotes: quotes for 'single' quotations."
    )


Rule = Annotated[
    TermRule
    | AvoidRule
    | LimitRule
    | EmojiRule
    | RequireRule
    | ConsistencyRule
    | CaseRule
    | ReadabilityRule
    | TypographyRule,
    Field(discriminator="kind"),
]

RULE_MODELS: dict[str, type[RuleBase]] = {
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


class Tone(Model):
    summary: RequiredText = Field(description="The voice in a sentence or two.")
    traits: list[str] = []
    do: list[str] = []
    dont: list[str] = []


class Persona(Model):
    description: RequiredText
    tone: Text | None = Field(None, description="How this persona shifts the brand's tone.")


class VoiceFile(Model):
    """``brand/<slug>/voice.yaml``."""

    tone: Tone | None = None
    personas: dict[str, Persona] = Field({}, description="The brand's voice and overlays.")
    default_persona: str | None = Field(None, description="Used when no persona is named.")
    vocabulary: list[str] = Field(
        [], description="Names and words case rules leave alone (Ada Lovelace, iPhone)."
    )
    rules: list[Rule] = []
