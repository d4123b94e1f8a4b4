"""Checked versions of the template operations that can allocate a lot.

Each check runs *before* the allocation: ``"%999999999s" % x``, ``s.center(10**9)``,
``[s] * 10_000 | join`` or ``l.extend(l)`` are refused while they are still
cheap. The limits live in ``toolkit.sandbox.budget``.
"""

from __future__ import annotations

import functools
import itertools
import re
import types
from collections.abc import Callable, Iterable, Mapping, Sized
from datetime import date, time
from string import Formatter
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedFormatter
from jinja2.utils import generate_lorem_ipsum
from markupsafe import EscapeFormatter, Markup

from toolkit.sandbox.budget import (
    MAX_INT_DIGITS,
    MAX_ITEMS,
    MAX_STRING_CHARS,
    LimitError,
    check_items,
    check_string,
    check_width,
    spend,
    text_size,
)

# ----------------------------------------------------------------- helpers


def take(iterable: Iterable[Any], limit: int, what: str) -> list[Any]:
    """The items of ``iterable`` as a list, refused past ``limit`` items."""
    if isinstance(iterable, Sized):
        check_items(len(iterable) if len(iterable) <= limit else limit + 1, what)
    items = list(itertools.islice(iterable, limit + 1))
    check_items(len(items) if len(items) <= limit else limit + 1, what)
    return items


def arg(
    args: tuple[Any, ...], kwargs: Mapping[str, Any], index: int, name: str, default: Any
) -> Any:
    """A call's argument by position or by name."""
    if len(args) > index:
        return args[index]
    return kwargs.get(name, default)


def _digits(value: int) -> int:
    return value.bit_length() * 3 // 10 + 1


# ----------------------------------------------------------------- operators


def checked_binop(op: str, left: Any, right: Any) -> None:
    """Refuse ``+``, ``*``, ``**`` and ``%`` whose result would be too big."""
    if op == "*":
        for seq, n in ((left, right), (right, left)):
            if isinstance(seq, str | bytes | list | tuple) and isinstance(n, int):
                size = len(seq) * max(n, 0)
                if isinstance(seq, str | bytes):
                    check_string(size, "repetition")
                else:
                    check_items(size, "repetition")
                spend(size)
                return
        big = isinstance(left, int) and isinstance(right, int)
        if big and _digits(abs(left)) + _digits(abs(right)) > MAX_INT_DIGITS:
            raise LimitError(f"a number with more than {MAX_INT_DIGITS:,} digits")
    elif op == "+":
        if isinstance(left, str | bytes) and isinstance(right, str | bytes):
            check_string(len(left) + len(right))
            spend(len(left) + len(right))
        elif isinstance(left, list | tuple) and isinstance(right, list | tuple):
            check_items(len(left) + len(right))
            spend(len(left) + len(right))
    elif op == "**":
        if isinstance(right, int | float) and abs(right) > 100:
            raise LimitError("exponent too large")
        if isinstance(left, int | float) and abs(left) > 10**9:
            raise LimitError("base too large")
    elif op == "%" and isinstance(left, str):
        size = printf_size(left, right)
        spend(size)


_SPEC = re.compile(
    r"%(?:\((?P<key>[^()]*)\))?[-+ #0]*(?P<width>\*|\d+)?(?:\.(?P<prec>\*|\d*))?[hlL]?(?P<conv>.?)",
    re.S,
)
_CONVERSIONS = frozenset("diouxXeEfFgGcrsa%")


Spec = tuple[str | None, int | None, int | None, str]  # key, width, precision (None: "*"), type


def _parse_printf(fmt: str) -> tuple[Spec, ...]:
    specs: list[Spec] = []
    index = fmt.find("%")
    while index >= 0:
        spec = _SPEC.match(fmt, index)
        conv = spec["conv"] if spec is not None else ""
        if spec is None or not conv or conv not in _CONVERSIONS:
            raise LimitError(f"unsupported format '{fmt[index : index + 12]}'")
        width, prec = spec["width"], spec["prec"]
        specs.append(
            (
                spec["key"],
                None if width == "*" else check_width(int(width or 0)),
                None if prec == "*" else check_width(int(prec or 0), "precision"),
                conv,
            )
        )
        index = fmt.find("%", spec.end())
    return tuple(specs)


_parse_short_printf = functools.lru_cache(maxsize=512)(_parse_printf)  # catalogs repeat these


def printf_size(fmt: str, values: Any) -> int:
    """How long ``fmt % values`` could be; refuses star or huge widths first."""
    specs = _parse_short_printf(fmt) if len(fmt) <= 200 else _parse_printf(fmt)
    mapping = values if isinstance(values, Mapping) else None
    positional = values if isinstance(values, tuple) else (values,)
    escape = 6 if isinstance(fmt, Markup) else 1
    total = len(fmt)
    used = 0
    for key, width, prec, conv in specs:
        if width is None:
            width = check_width(positional[used] if used < len(positional) else 0)
            used += 1
        if prec is None:
            prec = check_width(positional[used] if used < len(positional) else 0, "precision")
            used += 1
        if conv == "%":
            continue
        if key is not None:
            value = mapping.get(key) if mapping is not None else None
        else:
            value = positional[used] if used < len(positional) else None
            used += 1
        if conv in "sra":
            piece = text_size(value) * (10 if conv in "ra" and isinstance(value, str) else 1)
        elif conv == "c":
            piece = 1
        else:
            piece = prec + (330 if isinstance(value, float) else text_size(value))
        total += max(width, piece * escape)
        check_string(total, "formatted text")
    return total


def join_parts(autoescape: bool, parts: tuple[Any, ...]) -> str:
    """``a ~ b ~ c``: sizes checked before the text is built."""
    size = 0
    for part in parts:
        size += text_size(part, MAX_STRING_CHARS - size + 1)
        check_string(size * (6 if autoescape else 1), "joined text")
    spend(size)
    if autoescape:
        return jinja2.runtime.markup_join(parts)
    return "".join([part if type(part) is str else str(part) for part in parts])


def checked_concat(parts: Iterable[str]) -> str:
    """Joins a macro's, block's or ``{% set %}``'s output, refusing it past the string limit."""
    if type(parts) is list:  # a buffer: its parts exist already, only the join would allocate
        size = sum(map(len, parts))
        check_string(size, "the output of a macro, block or set")
        spend(size)
        return "".join(parts)
    size = 0
    buffer = []
    for part in parts:
        size += len(part)
        check_string(size, "the output of a macro, block or set")
        buffer.append(part)
    spend(size)
    return "".join(buffer)


# ----------------------------------------------------------------- str.format


class CheckedFormatter(SandboxedFormatter):
    """``"{0:>10}".format(x)``: the sandbox's attribute rules plus size checks."""

    _total = 0

    def vformat(self, format_string: str, args: Any, kwargs: Any) -> str:
        self._total = len(format_string)
        check_string(self._total, "format string")
        return super().vformat(format_string, args, kwargs)

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if conversion is not None:  # !s, !r and !a build the text here, before format_field
            check_string(text_size(value) * (1 if conversion == "s" else 10), "formatted value")
        return super().convert_field(value, conversion)

    def format_field(self, value: Any, format_spec: str) -> Any:
        widths = [check_width(int(d)) for d in re.findall(r"\d+", format_spec)]
        piece = max(widths, default=0) + 2 * text_size(value) + 25 * len(format_spec) + 32
        self._total += piece
        check_string(self._total, "formatted text")
        return super().format_field(value, format_spec)


class CheckedEscapeFormatter(CheckedFormatter, EscapeFormatter):
    pass


def checked_format(env: jinja2.Environment, method: Any) -> Callable[..., str]:
    """A sandboxed, size-checked stand-in for ``s.format`` or ``s.format_map``."""
    text: str = method.__self__
    formatter: Formatter = (
        CheckedEscapeFormatter(env, escape=text.escape)
        if isinstance(text, Markup)
        else CheckedFormatter(env)
    )
    kind = type(text)

    def format_text(*args: Any, **kwargs: Any) -> str:
        if method.__name__ == "format_map":
            if kwargs or len(args) != 1:
                raise TypeError("format_map() takes exactly one argument")
            return kind(formatter.vformat(text, (), args[0]))
        return kind(formatter.vformat(text, args, kwargs))

    return functools.update_wrapper(format_text, method)


# ----------------------------------------------------------------- methods of builtins


def _padded(obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    width = check_width(arg(args, kwargs, 0, "width", 0))
    check_string(max(len(obj), width))


def _expandtabs(obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    size = check_width(arg(args, kwargs, 0, "tabsize", 8), "tab size")
    check_string(len(obj) + obj.count("\t" if isinstance(obj, str) else b"\t") * size)


def replace_size(text: Any, old: Any, new: Any, count: Any) -> int:
    if not isinstance(old, str | bytes) or not isinstance(new, str | bytes):
        return len(text)
    hits = text.count(old) if old else len(text) + 1
    if isinstance(count, int) and count >= 0:
        hits = min(hits, count)
    return len(text) + hits * max(len(new) - len(old), 0)


def _replace(obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    old, new = arg(args, kwargs, 0, "old", ""), arg(args, kwargs, 1, "new", "")
    check_string(replace_size(obj, old, new, arg(args, kwargs, 2, "count", -1)))


def _translate(obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    table = arg(args, kwargs, 0, "table", None)
    values = table.values() if isinstance(table, Mapping) else table
    if not isinstance(values, Iterable) or isinstance(values, str | bytes):
        longest = 1
    else:
        longest = max((len(v) if isinstance(v, str | bytes) else 1 for v in values), default=1)
    check_string(len(obj) * longest)


def _strftime(obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    fmt = arg(args, kwargs, 0, "format", "")
    if isinstance(fmt, str):
        check_width(len(fmt), "date format length")


def _grow(obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    check_items(len(obj) + 1)
    spend(1)


_TEXT_METHODS: dict[str, Callable[[Any, tuple[Any, ...], dict[str, Any]], None]] = {
    "center": _padded,
    "ljust": _padded,
    "rjust": _padded,
    "zfill": _padded,
    "expandtabs": _expandtabs,
    "replace": _replace,
    "translate": _translate,
}
_GROWING = frozenset({"append", "insert", "add", "setdefault"})
_EXTENDING = frozenset({"extend", "update"})
GUARDED_METHODS = frozenset(
    {*_TEXT_METHODS, *_GROWING, *_EXTENDING, "join", "format", "format_map", "strftime"}
)


def guard_method(env: jinja2.Environment, method: Any) -> Callable[..., Any] | None:
    """A checked stand-in for a builtin method a template reached, or None if none is needed."""
    kind = type(method)
    if kind is not types.BuiltinMethodType and kind is not types.MethodType:
        return None
    name = method.__name__
    if name not in GUARDED_METHODS:
        return None
    obj = method.__self__
    if isinstance(obj, str | bytes):
        if name in ("format", "format_map"):
            return checked_format(env, method) if isinstance(obj, str) else None
        if name == "join":
            return functools.update_wrapper(functools.partial(_checked_join, obj, method), method)
        check = _TEXT_METHODS.get(name)
    elif isinstance(obj, list | dict | set):
        if name in _EXTENDING:
            return functools.update_wrapper(functools.partial(_checked_extend, obj, method), method)
        check = _grow if name in _GROWING else None
    elif isinstance(obj, date | time):
        check = _strftime if name == "strftime" else None
    else:
        return None
    if check is None:
        return None
    checker = check

    def checked(*args: Any, **kwargs: Any) -> Any:
        checker(obj, args, kwargs)
        return method(*args, **kwargs)

    return functools.update_wrapper(checked, method)


def _checked_join(obj: Any, method: Any, iterable: Iterable[Any]) -> Any:
    items = take(iterable, MAX_ITEMS, "join")
    size = len(obj) * max(len(items) - 1, 0)
    for item in items:
        size += len(item) if isinstance(item, str | bytes) else 0
        check_string(size, "joined text")
    return method(items)


def _checked_extend(obj: Any, method: Any, *args: Any, **kwargs: Any) -> Any:
    room = MAX_ITEMS - len(obj) - len(kwargs)
    sized = []
    for other in args:
        if isinstance(other, Mapping):
            check_items(len(obj) + len(other) + len(kwargs))
        else:
            other = take(other, max(room, 0), "list")
        room -= len(other)
        sized.append(other)
    check_items(MAX_ITEMS - room)
    spend(MAX_ITEMS - room - len(obj))
    return method(*sized, **kwargs)


# ----------------------------------------------------------------- globals


def bounded_range(*args: int) -> range:
    try:
        numbers = range(*args)
        size = len(numbers)
    except OverflowError:
        size = MAX_ITEMS + 1
    if size > MAX_ITEMS:
        raise LimitError(f"range would have more than {MAX_ITEMS:,} numbers")
    return numbers


def bounded_lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:
    if not 0 <= n <= 10 or not 1 <= min <= max <= 100:
        raise LimitError("lipsum takes at most 10 paragraphs of at most 100 words")
    return str(generate_lorem_ipsum(n, html, min, max))
