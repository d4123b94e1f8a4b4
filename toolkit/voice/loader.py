"""Load ``brand/<slug>/voice.yaml``: validate, compile every rule, run its examples.

Every mistake in the file is a located :class:`~toolkit.errors.InputError`
(``voice.yaml:line:col``) with a hint: an unknown kind or key (did you
mean ...?), a bad regular expression, an unknown platform or persona, a
message placeholder the kind does not fill, and an example that fails its
rule (a bad example that raises nothing, a good one that raises something).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import replace
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.campaign.names import platform_ids, platform_names
from toolkit.errors import InputError, ToolkitError, did_you_mean
from toolkit.files.workspace import Workspace, find_file
from toolkit.text.counting import CountRules
from toolkit.voice.cache import Checked, cache_key, read_checked, write_checked
from toolkit.voice.guide import CompiledRule, Deferred, Guide
from toolkit.voice.kinds import (
    KINDS,
    Check,
    CompileContext,
    RuleCompileError,
    compiler,
    placeholders,
)
from toolkit.voice.kinds.phrases import PhraseSet
from toolkit.voice.schema import RuleBase, TermRule, VoiceSettings, rule_from_json

if TYPE_CHECKING:
    from toolkit.files.yaml_reader import Marks

# What only a changed guide needs (YAML with positions, the pydantic models that
# validate it, the brief's models, the self-tests) is imported where it is used: a
# cached guide loads without them.

GUIDE_FILE = "voice.yaml"
# Kinds that leave quotations alone unless a rule says ``in_quotes: true``.
QUOTE_EXEMPT_KINDS = frozenset({"avoid", "case"})
RESERVED_PREFIX = "ignore."  # ids of the findings about suppressions


def load_guide(brand_folder: Path, *, locale: str | None = None) -> Guide:
    """The voice guide of the brand in ``brand_folder`` (no rules when it has no voice.yaml).

    ``locale`` is the default for texts that do not say theirs; by default
    the brand's own locale (``brand.yaml``).
    """
    path = brand_folder / GUIDE_FILE
    stamp = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None
    return _load(brand_folder.resolve(), stamp, locale)


@lru_cache(maxsize=32)
def _load(folder: Path, stamp: str | None, locale: str | None) -> Guide:
    del stamp  # part of the cache key: an edited file is loaded again
    workspace = Workspace.find(folder)
    roots = tuple(workspace.template_roots(folder.name))
    ids = tuple(platform_ids(roots))

    @cache
    def count_rules(platform: str) -> CountRules | None:
        from toolkit.campaign.loader import load_platform

        return load_platform(roots, platform).rules() if platform in ids else None

    path = folder / GUIDE_FILE
    if not path.is_file():
        locale = locale or _brand_locale(folder)
        names = platform_names(roots)
        return Guide(
            None, (), locale, platform_ids=ids, platform_names=names, count_rules=count_rules
        )
    brand_file = folder / "brand.yaml"
    brand_bytes = brand_file.read_bytes() if brand_file.is_file() else b""
    manifests = [_manifest(roots, platform) for platform in ids]
    key = cache_key(path.read_bytes(), brand_bytes, ids, locale or "", manifests)
    checked = read_checked(key)
    if checked is not None:
        # Checked before, unchanged since: rules compile when first used, no self-tests.
        known = checked.count_rules

        def cached_rules(platform: str) -> CountRules | None:
            found = known.get(platform)
            return found if found is not None else count_rules(platform)

        return _guide(path, checked, ids, checked.platform_names, cached_rules, lazy=True)
    names = platform_names(roots)
    checked, guide = _check(path, ids, names, locale or _brand_locale(folder), count_rules)
    known = _known_rules(ids, count_rules)
    write_checked(key, replace(checked, count_rules=known, platform_names=names))
    return guide


def _manifest(roots: tuple[Path, ...], platform: str) -> bytes:
    found = find_file(list(roots), f"{platform}/platform.yaml")
    return found.read_bytes() if found is not None else b""


def _known_rules(
    ids: tuple[str, ...], count_rules: Callable[[str], CountRules | None]
) -> dict[str, CountRules]:
    """Every platform's counting rules; one whose manifest is broken is left to lint to say."""
    known = {}
    for platform in ids:
        try:
            rules = count_rules(platform)
        except ToolkitError:
            continue
        if rules is not None:
            known[platform] = rules
    return known


def _check(
    path: Path,
    ids: tuple[str, ...],
    names: Mapping[str, str],
    locale: str,
    count_rules: Callable[[str], CountRules | None],
) -> tuple[Checked, Guide]:
    """Validate the guide, compile every rule and run its examples; every error located."""
    from toolkit.files.validation import validate
    from toolkit.files.yaml_reader import Document, load_yaml
    from toolkit.voice.models import VoiceFile
    from toolkit.voice.selftest import run_examples

    doc = load_yaml(path)
    if doc.data is not None and not isinstance(doc.data, dict):
        raise InputError("the voice guide must be a mapping", location=doc.marks.at(()))
    data = dict(doc.data or {})
    raw_rules = data.pop("rules", None) or []
    model = validate(VoiceFile, Document(data, doc.marks), what="voice guide")
    # The plain values the linter reads, made from the models' dump as a cached guide is.
    voice = VoiceSettings.from_json(model.model_dump(mode="json", exclude={"rules"}))
    if not isinstance(raw_rules, list):
        raise InputError("rules must be a list", location=doc.marks.at(("rules",)))
    specs = [_validate_rule(raw, i, doc.marks) for i, raw in enumerate(raw_rules)]
    personas = set(voice.personas)
    if voice.default_persona is not None and voice.default_persona not in personas:
        raise InputError(
            f"default_persona '{voice.default_persona}' is not one of the personas",
            location=doc.marks.at(("default_persona",)),
            hint=did_you_mean(voice.default_persona, personas),
        )
    cc = CompileContext(vocabulary=_vocabulary(voice.vocabulary, specs))
    seen: dict[str, int] = {}
    compiled: list[CompiledRule] = []
    for i, spec in enumerate(specs):
        _check_references(spec, i, doc.marks, ids, personas, seen)
        try:
            compiled.append(_compile(spec, cc))
        except RuleCompileError as exc:
            raise InputError(
                exc.message, location=doc.marks.at(("rules", i, *exc.key)), hint=exc.hint
            ) from None
    checked = Checked(voice, specs, locale)
    guide = _guide(path, checked, ids, names, count_rules, rules=tuple(compiled))
    for i, rule in enumerate(compiled):
        run_examples(guide, rule, doc.marks, ("rules", i))
    return checked, guide


def _guide(
    path: Path,
    checked: Checked,
    ids: tuple[str, ...],
    names: Mapping[str, str],
    count_rules: Callable[[str], CountRules | None],
    *,
    rules: tuple[CompiledRule, ...] | None = None,
    lazy: bool = False,
) -> Guide:
    voice = checked.voice
    if rules is None:
        cc = CompileContext(vocabulary=_vocabulary(voice.vocabulary, checked.rules), checked=lazy)
        rules = tuple(_compile(spec, cc, lazy=lazy) for spec in checked.rules)
    return Guide(
        path=path,
        rules=rules,
        default_locale=checked.locale,
        default_persona=voice.default_persona,
        personas=dict(voice.personas),
        tone=voice.tone,
        platform_ids=ids,
        platform_names=names,
        count_rules=count_rules,
    )


def _brand_locale(folder: Path) -> str:
    brand_file = folder / "brand.yaml"
    if not brand_file.is_file():
        return "en-US"
    from toolkit.campaign.brand import Brand
    from toolkit.files.validation import validate
    from toolkit.files.yaml_reader import load_yaml

    return validate(Brand, load_yaml(brand_file), what="brand").locale


def _validate_rule(raw: Any, index: int, marks: Marks) -> RuleBase:
    from pydantic import ValidationError

    from toolkit.voice.models import RULE_MODELS

    where = ("rules", index)
    if not isinstance(raw, dict):
        raise InputError(
            "a rule must be a mapping with id, kind, message", location=marks.at(where)
        )
    kind = raw.get("kind")
    if kind is None:
        raise InputError(
            "rule has no 'kind'",
            location=marks.at(where),
            hint="add 'kind:' with one of: " + ", ".join(KINDS),
        )
    if kind not in RULE_MODELS:
        raise InputError(
            f"unknown rule kind '{kind}'",
            location=marks.at((*where, "kind")),
            hint=did_you_mean(str(kind), KINDS),
        )
    model = RULE_MODELS[kind]
    try:
        valid = model.model_validate(raw)
    except ValidationError as exc:
        from toolkit.files.validation import located_error

        raise located_error(exc, model, raw, marks, what=f"{kind} rule", prefix=where) from None
    return rule_from_json(valid.model_dump(mode="json"))


def _vocabulary(words: list[str], specs: list[RuleBase]) -> tuple[str, ...]:
    entries = list(words)
    for spec in specs:
        if isinstance(spec, TermRule):
            entries.extend(spec.terms)
    return tuple(dict.fromkeys(entries))


def _check_references(
    spec: RuleBase,
    index: int,
    marks: Marks,
    platforms: tuple[str, ...],
    personas: set[str],
    seen: dict[str, int],
) -> None:
    where = ("rules", index)
    if spec.id in seen:
        raise InputError(
            f"duplicate rule id '{spec.id}' (first used by rule {seen[spec.id] + 1})",
            location=marks.at((*where, "id")),
            hint="every rule needs its own id",
        )
    if spec.id.startswith(RESERVED_PREFIX):
        raise InputError(
            f"rule ids starting with '{RESERVED_PREFIX}' are reserved",
            location=marks.at((*where, "id")),
        )
    seen[spec.id] = index
    for k, platform in enumerate(spec.platforms or []):
        _known_platform(platform, platforms, marks, (*where, "platforms", k))
    for key in ("max", "min"):
        value = getattr(spec, key, None)
        if isinstance(value, Mapping):
            for platform in value:
                if platform != "default":
                    _known_platform(platform, platforms, marks, (*where, key, platform), key=True)
    names = [spec.persona] if isinstance(spec.persona, str) else spec.persona or []
    for k, name in enumerate(names):
        if name not in personas:
            loc = (*where, "persona") if isinstance(spec.persona, str) else (*where, "persona", k)
            raise InputError(
                f"unknown persona '{name}'",
                location=marks.at(loc),
                hint=did_you_mean(name, personas) or "define it under 'personas:'",
            )
    _check_message(spec, marks, where)


def _known_platform(
    platform: str,
    known: tuple[str, ...],
    marks: Marks,
    loc: tuple[str | int, ...],
    key: bool = False,
) -> None:
    if known and platform not in known:
        raise InputError(
            f"unknown platform '{platform}'",
            location=marks.at(loc, key=key),
            hint=did_you_mean(platform, known),
        )


def _check_message(spec: RuleBase, marks: Marks, where: tuple[str | int, ...]) -> None:
    import string  # only a changed guide is checked (the module compiles a pattern)

    kind = getattr(spec, "kind", "")
    allowed = placeholders(kind)
    location = marks.at((*where, "message"))
    try:
        fields = [
            name for _, name, _, _ in string.Formatter().parse(spec.message) if name is not None
        ]
    except ValueError:
        raise InputError(
            "message has an unmatched '{' or '}'",
            location=location,
            hint="write {{ and }} for literal braces",
        ) from None
    for name in fields:
        if name not in allowed:
            raise InputError(
                f"message placeholder '{{{name}}}' is not filled by {kind} rules",
                location=location,
                hint="available: " + ", ".join(f"{{{p}}}" for p in sorted(allowed)),
            )


def _compile(spec: RuleBase, cc: CompileContext, *, lazy: bool = False) -> CompiledRule:
    """The rule, compiled now (errors raise :class:`RuleCompileError`) or on first use."""
    kind = getattr(spec, "kind", "")
    check: Check = Deferred(spec, cc) if lazy else compiler(kind)(spec, cc)
    personas = [spec.persona] if isinstance(spec.persona, str) else spec.persona
    exceptions = PhraseSet([(e, e) for e in spec.exceptions]) if spec.exceptions else None
    return CompiledRule(
        id=spec.id,
        kind=kind,
        level=spec.level,
        message=spec.message,
        check=check,
        platforms=frozenset(spec.platforms) if spec.platforms is not None else None,
        locales=tuple(spec.locales) if spec.locales is not None else None,
        personas=frozenset(personas) if personas is not None else None,
        spec=spec,
        exceptions=exceptions,
        in_quotes=spec.in_quotes if spec.in_quotes is not None else kind not in QUOTE_EXEMPT_KINDS,
    )
