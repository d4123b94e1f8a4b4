"""The limits a copy template renders within, and the per-render budget that enforces them.

Templates are untrusted (clients and agencies share them), so every render has
a budget: wall time, loop iterations, call depth, include depth, output size
and the total text it may build. Single operations that could allocate a lot
(``~``, ``*``, ``%``, ``center``…) are checked *before* they allocate, against
``MAX_STRING_CHARS`` and ``MAX_ITEMS``; see ``toolkit.sandbox.guards``.

A budget starts with a template's top-level render and is shared by the
templates it includes, imports or extends. It lives in a context variable, so
threads never share one.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterator, Mapping, MappingView, Sized
from contextvars import ContextVar
from typing import Any, Final

import jinja2
from jinja2.utils import Namespace

MAX_TEMPLATE_CHARS: Final = 50_000  # source of one template file or card field
MAX_OUTPUT_CHARS: Final = 50_000  # what one render may output
MAX_STRING_CHARS: Final = 100_000  # any one string a template builds
MAX_BUILT_CHARS: Final = 2_000_000  # all the text and list items one render builds
MAX_ITEMS: Final = 10_000  # items in a list or range a template builds
MAX_WIDTH: Final = 1_000  # widths and precisions: center, indent, "%10s", "{:>10}", strftime
MAX_INT_DIGITS: Final = 1_000  # digits of a number built by * or **
MAX_LOOP_ITERATIONS: Final = 100_000  # loop iterations in one render, all loops together
MAX_CALL_DEPTH: Final = 50  # macros and calls nested in one another
MAX_INCLUDE_DEPTH: Final = 10  # templates including, importing or extending each other
MAX_NESTING: Final = 50  # lists and dicts nested in one another, when printed
MAX_RENDER_SECONDS: Final = 2.0  # CPU time of one render (a busy machine does not count)


class LimitError(jinja2.TemplateRuntimeError):
    """A template went past one of the limits above."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


TOO_BIG_HINT = "copy templates build short texts; a loop or repetition here makes far too much"


class Budget:
    """What one render has spent so far."""

    __slots__ = (
        "built",
        "call_depth",
        "deadline",
        "include_depth",
        "iterations",
        "output",
        "running",
        "seconds",
    )

    def __init__(self, seconds: float = MAX_RENDER_SECONDS) -> None:
        # CPU time of this thread, not the wall clock: on a loaded machine a render waits for
        # a core without spending its budget, so the same template meets the same limit.
        self.seconds = seconds
        self.deadline = time.thread_time() + seconds
        self.iterations = 0
        self.built = 0
        self.output = 0
        self.call_depth = 0
        self.include_depth = 1  # the template being rendered
        self.running = False

    def check_time(self) -> None:
        if time.thread_time() > self.deadline:
            raise LimitError(
                f"template took more than {self.seconds} s to render",
                "look for loops or macros that call themselves",
            )

    def spend(self, amount: int) -> None:
        self.built += amount
        if self.built > MAX_BUILT_CHARS:
            raise LimitError(
                f"template built more than {MAX_BUILT_CHARS:,} characters and list items in one "
                "render",
                TOO_BIG_HINT,
            )


_ACTIVE: ContextVar[Budget | None] = ContextVar("toolkit_template_budget", default=None)


def live() -> Budget | None:
    """The budget of the render running now, if any.

    Outside a render (a macro called from Python, say) only the per-operation
    size checks apply.
    """
    budget = _ACTIVE.get()
    return budget if budget is not None and budget.running else None


def tick() -> None:
    """Called by every template call and filter: stop when time is up."""
    budget = _ACTIVE.get()
    if budget is not None and budget.running:
        budget.check_time()


def loop_tick() -> bool:
    """Called on every loop iteration (and loop filter test); always true."""
    budget = _ACTIVE.get()
    if budget is not None and budget.running:
        budget.iterations += 1
        if budget.iterations > MAX_LOOP_ITERATIONS:
            raise LimitError(
                f"loops ran more than {MAX_LOOP_ITERATIONS:,} times in one render",
                "loop over the brief's lists, not over big ranges",
            )
        budget.check_time()
    return True


def spend(amount: int) -> None:
    budget = _ACTIVE.get()
    if budget is not None and budget.running:
        budget.spend(amount)


OBJECT_COST: Final = 8  # what one new string or list costs beyond its length (its header)


def spend_on(value: object) -> None:
    """Count a value a template built (text or a collection) against the budget."""
    kind = type(value)
    if kind is str or kind is list or kind is tuple or kind is dict or kind is bytes:
        spend(OBJECT_COST + len(value))  # type: ignore[arg-type]
    elif isinstance(value, str):  # Markup
        spend(OBJECT_COST + len(value))


def counted(value: Any) -> Any:
    """A list, tuple or dict literal, or a slice, the template just built: counted."""
    spend(OBJECT_COST + (len(value) if isinstance(value, Sized) else 0))
    return value


def check_string(size: int, what: str = "text") -> None:
    if size > MAX_STRING_CHARS:
        raise LimitError(
            f"{what} would be longer than {MAX_STRING_CHARS:,} characters", TOO_BIG_HINT
        )


def check_items(size: int, what: str = "list") -> None:
    if size > MAX_ITEMS:
        raise LimitError(f"{what} would have more than {MAX_ITEMS:,} items", TOO_BIG_HINT)


def check_width(value: object, what: str = "width") -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        return 0
    if abs(value) > MAX_WIDTH:
        raise LimitError(f"a {what} of {value:,} is more than {MAX_WIDTH:,}", TOO_BIG_HINT)
    return max(value, 0)


# ----------------------------------------------------------------- sizes of printed values


def _str_repr_size(text: str) -> int:
    # repr() escapes what is not printable: at most ten characters for one (\U0001f600).
    return len(text) + 2 if text.isprintable() else 10 * len(text) + 2


def text_size(value: object, limit: int = MAX_STRING_CHARS) -> int:
    """How long ``str(value)`` would be, at least up to ``limit`` (then it may stop counting).

    Never builds the text: lists, dicts, tuples and namespaces are walked, so
    ``str([s] * 10_000)`` is refused before it allocates.
    """
    if isinstance(value, str):  # and Markup
        return len(value)
    if isinstance(value, bool | float) or value is None:
        return 24
    if isinstance(value, int):
        return value.bit_length() * 3 // 10 + 2
    if isinstance(value, jinja2.Undefined):
        return 0  # printing it raises the undefined-variable error
    return _walk(value, limit)


def _children(value: object) -> tuple[int, Iterator[object]] | None:
    """(overhead, items) of a value whose repr() lists its items, else None."""
    if isinstance(value, list | tuple | set | frozenset):
        return 2 + 2 * len(value), iter(value)
    if isinstance(value, Mapping):
        return 2 + 4 * len(value), (x for pair in value.items() for x in pair)
    if isinstance(value, MappingView):
        return 13 + 2 * len(value), iter(value)  # type: ignore[call-overload]
    if isinstance(value, Namespace):
        attrs: dict[str, Any] = object.__getattribute__(value, "_Namespace__attrs")
        return 13 + 4 * len(attrs), (x for pair in attrs.items() for x in pair)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = dataclasses.fields(value)
        overhead = len(type(value).__name__) + 2 + sum(len(f.name) + 3 for f in fields)
        return overhead, (getattr(value, f.name) for f in fields)
    return None


def _walk(value: object, limit: int) -> int:
    total = 0
    stack: list[tuple[Iterator[object], int]] = []
    on_path: list[int] = []
    current: object = value
    while True:
        kids = _children(current)
        if kids is None:
            if isinstance(current, str):
                total += _str_repr_size(current)
            elif isinstance(current, bytes):
                total += 4 * len(current) + 3
            elif type(current) in (int, float, bool) or current is None:
                total += text_size(current)
            else:
                total += len(str(current))
        elif id(current) in on_path:
            total += 5  # repr() prints a list that contains itself as [...]
        else:
            if len(stack) >= MAX_NESTING:
                raise LimitError(
                    f"a value nested more than {MAX_NESTING} deep cannot be printed", TOO_BIG_HINT
                )
            overhead, items = kids
            total += overhead
            stack.append((items, id(current)))
            on_path.append(id(current))
        if total > limit:
            return total
        while stack:
            items, _ = stack[-1]
            nxt = next(items, _END)
            if nxt is not _END:
                current = nxt
                break
            stack.pop()
            on_path.pop()
        else:
            return total


_END = object()


def to_text(value: object, what: str = "text") -> str:
    """``str(value)``, refused before it is built when it would be too long."""
    if isinstance(value, str):
        check_string(len(value), what)
        return value
    check_string(text_size(value), what)
    return str(value)


# ----------------------------------------------------------------- one render


def _top_run(gen: Iterator[str], budget: Budget, max_output: int) -> Iterator[str]:
    """A template's top-level render, within ``budget`` (time, output, everything below)."""
    if _ACTIVE.get() is not budget:
        _ACTIVE.set(budget)
    budget.running = True  # while template code runs; the caller's code runs between chunks
    try:
        for chunk in gen:
            budget.running = False
            budget.output += len(chunk)
            if budget.output > max_output:
                raise LimitError(
                    f"template output passed {max_output:,} characters",
                    "a loop or repetition in the template is producing far too much text",
                )
            if time.thread_time() > budget.deadline:
                budget.check_time()
            yield chunk
            if _ACTIVE.get() is not budget:
                _ACTIVE.set(budget)
            budget.running = True
    except (RecursionError, MemoryError) as exc:
        raise LimitError(
            "template nests too deeply (macros calling themselves?)"
            if isinstance(exc, RecursionError)
            else "template ran out of memory",
            "look for macros or includes that call themselves",
        ) from exc
    except LookupError as exc:
        if isinstance(exc, KeyError | IndexError | jinja2.TemplateError):
            raise
        raise jinja2.TemplateRuntimeError(f"{type(exc).__name__}: {exc}") from exc
    finally:
        budget.running = False


def _nested_run(gen: Iterator[str], budget: Budget) -> Iterator[str]:
    """An included, imported or extended template: the including render's budget, one deeper."""
    budget.include_depth += 1
    try:
        if budget.include_depth > MAX_INCLUDE_DEPTH:
            raise LimitError(
                f"templates include, import or extend each other more than "
                f"{MAX_INCLUDE_DEPTH} deep",
                "does a template include itself?",
            )
        yield from gen
    finally:
        budget.include_depth -= 1


def guard_root(root: Callable[[Any], Iterator[str]]) -> Callable[[Any], Iterator[str]]:
    """A template's root render function, run within the budget of the render in progress
    (an include, import or extends) or, when none is, within a new one."""

    def guarded_root(context: Any) -> Iterator[str]:
        budget = _ACTIVE.get()
        if budget is not None and budget.running:
            return _nested_run(root(context), budget)
        # An environment may allow a longer output (the preview page), or a shorter time (the
        # tests of the time limit, which would otherwise spend it); nothing else changes.
        env = context.environment
        max_output = getattr(env, "max_output", MAX_OUTPUT_CHARS)
        seconds = getattr(env, "render_seconds", MAX_RENDER_SECONDS)
        return _top_run(root(context), Budget(seconds), max_output)

    return guarded_root
