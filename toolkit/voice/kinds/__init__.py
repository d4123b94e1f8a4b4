"""The nine rule kinds: each module compiles its rule into a check over a :class:`Post`."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any

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

# Each kind's module is imported when a rule of that kind is first compiled: a
# cached guide linting one English draft never loads the Japanese readability
# formulas or the typography checks it does not use.
KINDS = (
    "term",
    "avoid",
    "limit",
    "emoji",
    "require",
    "consistency",
    "case",
    "readability",
    "typography",
)


def _module(kind: str) -> Any:
    if kind not in KINDS:
        raise KeyError(kind)
    return import_module(f"{__name__}.{kind}")


def compiler(kind: str) -> Callable[[Any, CompileContext], Check]:
    compile_rule: Callable[[Any, CompileContext], Check] = _module(kind).compile_rule
    return compile_rule


def placeholders(kind: str) -> frozenset[str]:
    names: frozenset[str] = _module(kind).PLACEHOLDERS
    return names
