"""The compiled-guide cache: a guide that passed its checks is not checked again.

Loading a voice guide validates every rule, compiles it and runs its
examples as self-tests. For an unchanged guide the checks give the same
answer every time, so after they pass once the validated rules are written
to ``$XDG_CACHE_HOME/toolkit/voice/<key>.json`` (``~/.cache`` by default).
The key is a hash of the guide's bytes, the brand file's, the platforms
known and their manifests, the default locale, and the toolkit's own voice
code: change any of them and the guide is checked again. The entry also keeps
each platform's counting rules, so a warm run never loads the manifests.

The cache is plain JSON re-validated on load, never trusted: deleting it is
always safe, and a corrupt or unreadable entry is rebuilt without a word.
Failing to write it (a read-only home) only costs the next run its speed.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, get_args

from pydantic import ValidationError

from toolkit.errors import ToolkitError
from toolkit.files.atomic import atomic_write
from toolkit.files.user_cache import cache_root, code_stamp
from toolkit.text.counting import CountingMethod, CountRules, WeightConfig, WeightRange
from toolkit.voice.schema import RULE_MODELS, RuleBase, VoiceFile

FORMAT = 2  # bump when the entry's shape changes
KEEP = 64  # entries kept (guides and their versions)


def cache_dir() -> Path:
    """Where compiled guides are kept (``$XDG_CACHE_HOME/toolkit/voice``)."""
    return cache_root() / "voice"


@cache
def _code_stamp() -> str:
    # The voice package and the text spans it matches over: an edited rule kind, or a new
    # release, is a new key.
    return code_stamp("voice", "text")


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
        f"{FORMAT}:{sys.version_info[:2]}:{_code_stamp()}".encode(),
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
        entry = json.loads((cache_dir() / f"{key}.json").read_text(encoding="utf-8"))
        voice = VoiceFile.model_validate(entry["voice"])
        rules = [RULE_MODELS[raw["kind"]].model_validate(raw) for raw in entry["rules"]]
        locale = entry["locale"]
        if not isinstance(locale, str):
            return None
        count_rules = {str(k): _count_rules(v) for k, v in entry["count_rules"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError, ValidationError):
        return None  # missing, corrupt or from another shape: check the guide again
    return Checked(voice, rules, locale, count_rules)


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
    data = json.dumps(entry, ensure_ascii=False).encode("utf-8")
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
