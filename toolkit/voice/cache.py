"""The compiled-guide cache: a guide that passed its checks is not checked again.

Loading a voice guide validates every rule, compiles it and runs its
examples as self-tests. For an unchanged guide the checks give the same
answer every time, so after they pass once the validated rules are written
to ``$XDG_CACHE_HOME/toolkit/voice/<key>.json`` (``~/.cache`` by default).
The key is a hash of the guide's bytes, the brand file's, the platforms
known and their manifests, the default locale, and the toolkit's own voice
code: change any of them and the guide is checked again. The entry also keeps
each platform's counting rules, so a warm run never loads the manifests.

An entry is the SHA-256 of its JSON on the first line, then the JSON: a
damaged entry (the digest does not match, the JSON does not parse or has
another shape) is rebuilt without a word, and deleting the cache is always
safe. An entry whose digest matches is the dump of models that passed
validation, so they are rebuilt without validating them again (pydantic
builds each model's validator on first use, which costs more than linting
one draft). The folder is the user's own: the digest guards against damage,
not against someone who can write there.
Failing to write it (a read-only home) only costs the next run its speed.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from types import UnionType
from typing import Any, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from toolkit.errors import ToolkitError
from toolkit.files.atomic import atomic_write
from toolkit.files.user_cache import cache_root, code_stamp
from toolkit.text.counting import CountingMethod, CountRules, WeightConfig, WeightRange
from toolkit.voice.schema import RULE_MODELS, RuleBase, VoiceFile

FORMAT = 3  # bump when the entry's shape changes
KEEP = 64  # entries kept (guides and their versions)


def cache_dir() -> Path:
    """Where compiled guides are kept (``$XDG_CACHE_HOME/toolkit/voice``)."""
    return cache_root() / "voice"


def cache_key(
    guide: bytes,
    brand: bytes,
    platforms: Sequence[str],
    locale: str,
    manifests: Sequence[bytes] = (),
) -> str:
    """The hash of everything a guide's checks depend on (and the platforms' counting rules)."""
    digest = hashlib.sha256()
    for part in (
        # The voice package and the text spans it matches over: an edited rule kind, or
        # a new release, is a new key.
        f"{FORMAT}:{sys.version_info[:2]}:{code_stamp('voice', 'text')}".encode(),
        guide,
        brand,
        "\0".join(platforms).encode(),
        locale.encode(),
        *manifests,
    ):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


@dataclass(frozen=True)
class Checked:
    """A guide whose checks passed: its settings, its rules, its default locale."""

    voice: VoiceFile
    rules: list[RuleBase]
    locale: str
    # How each platform counts a post's length (its manifest, loaded once): a cached
    # guide lints without loading the campaign models that read the manifests.
    count_rules: Mapping[str, CountRules] = field(default_factory=dict)


def read_checked(key: str) -> Checked | None:
    """The validated guide stored under ``key``; None when absent or unusable."""
    try:
        raw = (cache_dir() / f"{key}.json").read_bytes()
        digest, _, body = raw.partition(b"\n")
        if digest.decode("ascii") != hashlib.sha256(body).hexdigest():
            return None  # damaged (or written by hand): check the guide again
        entry = json.loads(body)
        voice = _construct(VoiceFile, entry["voice"])
        rules = [_construct(RULE_MODELS[rule["kind"]], rule) for rule in entry["rules"]]
        locale = entry["locale"]
        if not isinstance(locale, str):
            return None
        count_rules = {str(k): _count_rules(v) for k, v in entry["count_rules"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError, ValidationError):
        return None  # missing, corrupt or from another shape: check the guide again
    return Checked(voice, rules, locale, count_rules)


M = TypeVar("M", bound=BaseModel)


def _construct(model: type[M], data: Any) -> M:
    """``model`` from the dump of one this code validated, without validating it again.

    Pydantic builds a model's validator on its first use, which costs more than a
    cold lint of one draft; the entry's digest (checked by the caller) says the
    data is what was written after the guide passed its checks.
    """
    if not isinstance(data, dict):
        raise TypeError(f"{model.__name__}: expected a mapping")
    values = {name: convert(data[name]) for name, convert in _fields(model) if name in data}
    return model.model_construct(**values)


Convert = Callable[[Any], Any]


@cache
def _fields(model: type[BaseModel]) -> tuple[tuple[str, Convert], ...]:
    """Each field of ``model`` with how to rebuild its value (worked out once per model:
    a guide has dozens of rules of a few kinds)."""
    return tuple((name, _converter(info.annotation)) for name, info in model.model_fields.items())


def _same(value: Any) -> Any:
    return value


def _converter(annotation: Any) -> Convert:
    """How to make a value of ``annotation`` from its JSON: models made models again."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        model = annotation
        return lambda value: _construct(model, value)
    origin, args = get_origin(annotation), get_args(annotation)
    if origin in (Union, UnionType):
        models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
        containers = [
            (get_origin(a), _converter(a)) for a in args if get_origin(a) in (list, dict, tuple)
        ]
        if not models and not containers:
            return _same
        first = models[0] if models else None

        def union(value: Any) -> Any:
            if first is not None and isinstance(value, dict):
                return _construct(first, value)  # one model per union in the schema
            for kind, convert in containers:
                if isinstance(value, kind) or (kind is tuple and isinstance(value, list)):
                    return convert(value)
            return value

        return union
    if origin is list:
        item = _converter(args[0])
        if item is _same:
            return lambda value: list(value) if isinstance(value, list) else value
        return lambda value: [item(v) for v in value] if isinstance(value, list) else value
    if origin is dict:
        entry = _converter(args[1])
        if entry is _same:
            return lambda value: dict(value) if isinstance(value, dict) else value
        return lambda value: (
            {k: entry(v) for k, v in value.items()} if isinstance(value, dict) else value
        )
    if origin is tuple:
        return lambda value: tuple(value) if isinstance(value, list) else value
    return _same


def write_checked(key: str, checked: Checked) -> None:
    """Store a guide whose checks passed (atomically; silently skipped when impossible)."""
    voice = checked.voice
    rules = checked.rules
    entry: dict[str, Any] = {
        "locale": checked.locale,
        "voice": voice.model_dump(mode="json", exclude={"rules"}),
        "rules": [rule.model_dump(mode="json") for rule in rules],
        "count_rules": {k: asdict(v) for k, v in checked.count_rules.items()},
    }
    folder = cache_dir()
    body = json.dumps(entry, ensure_ascii=False).encode("utf-8")
    data = hashlib.sha256(body).hexdigest().encode("ascii") + b"\n" + body
    try:
        atomic_write(folder / f"{key}.json", data)
        _prune(folder)
    except (ToolkitError, OSError):
        return  # a read-only or full disk: the next run checks the guide again


def _count_rules(raw: Any) -> CountRules:
    """A platform's counting rules from their JSON (TypeError or ValueError when damaged)."""
    weights = dict(raw["weights"])
    weights["ranges"] = tuple(WeightRange(**r) for r in weights["ranges"])
    rules = CountRules(raw["method"], raw["url_length"], WeightConfig(**weights))
    if rules.method not in get_args(CountingMethod):
        raise ValueError(f"unknown counting method {rules.method!r}")
    return rules


def _prune(folder: Path) -> None:
    """Keep the most recent entries: every edit of a guide adds one."""
    entries = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEEP:]:
        old.unlink(missing_ok=True)
