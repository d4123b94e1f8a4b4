"""The nine rule kinds: each module compiles its rule into a check over a :class:`Post`."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

from toolkit.voice.kinds import (
    avoid,
    case,
    consistency,
    emoji,
    limit,
    readability,
    require,
    term,
    typography,
)
from toolkit.voice.kinds.base import Check, CompileContext, Hit, LintContext, RuleCompileError

__all__ = [
    "KINDS",
    "Check",
    "CompileContext",
    "Hit",
    "LintContext",
    "RuleCompileError",
    "compiler",
    "placeholders",
]

_MODULES: dict[str, ModuleType] = {
    "term": term,
    "avoid": avoid,
    "limit": limit,
    "emoji": emoji,
    "require": require,
    "consistency": consistency,
    "case": case,
    "readability": readability,
    "typography": typography,
}
KINDS = tuple(_MODULES)


def compiler(kind: str) -> Callable[[Any, CompileContext], Check]:
    compile_rule: Callable[[Any, CompileContext], Check] = _MODULES[kind].compile_rule
    return compile_rule


def placeholders(kind: str) -> frozenset[str]:
    names: frozenset[str] = _MODULES[kind].PLACEHOLDERS
    return names
