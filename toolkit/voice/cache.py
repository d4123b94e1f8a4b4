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
safe. The entry keeps the guide's settings and rules as the plain values of
:mod:`toolkit.voice.schema` (the JSON dump of the models that validated them),
so a warm run rebuilds them without pydantic; it also keeps the names and
aliases of the platforms, so a warm run reads no manifest. The folder is the
user's own: the digest guards against damage, not against someone who can
write there.
Failing to write it (a read-only home) only costs the next run its speed.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, get_args

from toolkit.errors import ToolkitError
from toolkit.files.atomic import atomic_write
from toolkit.files.user_cache import cache_root, code_stamp
from toolkit.text.counting import CountingMethod, CountRules, WeightConfig, WeightRange
from toolkit.voice.schema import RuleBase, VoiceSettings, rule_from_json

FORMAT = 4  # bump when the entry's shape changes
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

    voice: VoiceSettings
    rules: list[RuleBase]
    locale: str
    # How each platform counts a post's length (its manifest, loaded once): a cached
    # guide lints without loading the campaign models that read the manifests.
    count_rules: Mapping[str, CountRules] = field(default_factory=dict)
    # Every name or alias a user may type, case-folded, mapped to its platform id.
    platform_names: Mapping[str, str] = field(default_factory=dict)


def read_checked(key: str) -> Checked | None:
    """The validated guide stored under ``key``; None when absent or unusable."""
    try:
        raw = (cache_dir() / f"{key}.json").read_bytes()
        digest, _, body = raw.partition(b"\n")
        if digest.decode("ascii") != hashlib.sha256(body).hexdigest():
            return None  # damaged (or written by hand): check the guide again
        entry = json.loads(body)
        voice = VoiceSettings.from_json(entry["voice"])
        rules = [rule_from_json(rule) for rule in entry["rules"]]
        locale = entry["locale"]
        if not isinstance(locale, str):
            return None
        count_rules = {str(k): _count_rules(v) for k, v in entry["count_rules"].items()}
        names = {str(k): str(v) for k, v in entry["platform_names"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # missing, corrupt or from another shape: check the guide again
    return Checked(voice, rules, locale, count_rules, names)


def write_checked(key: str, checked: Checked) -> None:
    """Store a guide whose checks passed (atomically; silently skipped when impossible)."""
    entry: dict[str, Any] = {
        "locale": checked.locale,
        "voice": checked.voice.to_json(),
        "rules": [rule.to_json() for rule in checked.rules],
        "count_rules": {k: asdict(v) for k, v in checked.count_rules.items()},
        "platform_names": dict(checked.platform_names),
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
