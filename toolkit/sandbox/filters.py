"""Filters: the copy templates' own (Babel dates and numbers, locale-aware case,
hashtags; documented in docs/templates.md), and the guard every filter runs
behind (a time check, a size check of its input, its output counted).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import jinja2
from babel import dates as babel_dates
from babel import localedata as babel_localedata
from babel import numbers as babel_numbers
from markupsafe import Markup

from toolkit.sandbox.budget import (
    MAX_ITEMS,
    MAX_STRING_CHARS,
    LimitError,
    check_items,
    check_string,
    check_width,
    spend,
    spend_on,
    text_size,
    tick,
    to_text,
)
from toolkit.sandbox.guards import arg, printf_size, replace_size, take
from toolkit.sandbox.locale_data import warm
from toolkit.text import casing
from toolkit.text.hashtags import to_hashtag


@functools.cache  # compiled for Japanese and Chinese copy only (~2 ms: its CJK ranges)
def _cjk_number_space() -> re.Pattern[str]:
    return re.compile(r"(?<=\d) (?=[\u3040-\u30ff\u3400-\u9fff])")


def _babel_locale(ctx: Any) -> str:
    name = str(ctx.get("locale", "en-US")).replace("-", "_")
    warm(name)  # Babel's data for it, merged in an earlier run
    return name


def _tz(ctx: Any) -> Any:
    now = ctx.get("now")
    return now.tzinfo if isinstance(now, datetime) else None


# From this far ahead, a moment on the next calendar day reads "tomorrow", not "in 1 day"
# or "in 20 hours"; nearer, the hours say more ("in 3 hours" at 23:00 for 02:00).
TOMORROW_FROM = timedelta(hours=12)


def _tomorrow(value: datetime, now: datetime, locale: str) -> str | None:
    """CLDR's word for the next day ("tomorrow", "mañana", "demain", "yarın", "明日") when
    ``value`` falls on the day after ``now``'s (in ``now``'s zone) and at least
    ``TOMORROW_FROM`` ahead; None otherwise, or where Babel keeps no such word."""
    if not TOMORROW_FROM <= value - now < timedelta(days=2):
        return None
    zone = now.tzinfo
    if (value.astimezone(zone).date() - now.date()).days != 1:
        return None
    try:
        word = babel_localedata.load(locale)["date_fields"]["day"]["relative"][1]
    except (KeyError, TypeError, ValueError):
        return None
    return word if isinstance(word, str) and word else None


def filters() -> dict[str, Any]:
    """Name → filter function, to add to a Jinja environment."""

    @jinja2.pass_context
    def f_date(ctx: Any, value: date | datetime, fmt: str = "medium") -> str:
        return str(babel_dates.format_date(value, fmt, locale=_babel_locale(ctx)))

    @jinja2.pass_context
    def f_time(ctx: Any, value: datetime, fmt: str = "short") -> str:
        return str(babel_dates.format_time(value, fmt, tzinfo=_tz(ctx), locale=_babel_locale(ctx)))

    @jinja2.pass_context
    def f_datetime(ctx: Any, value: datetime, fmt: str = "medium") -> str:
        return str(
            babel_dates.format_datetime(value, fmt, tzinfo=_tz(ctx), locale=_babel_locale(ctx))
        )

    @jinja2.pass_context
    def f_weekday(ctx: Any, value: date | datetime) -> str:
        return str(babel_dates.format_date(value, "EEEE", locale=_babel_locale(ctx)))

    @jinja2.pass_context
    def f_relative(ctx: Any, value: datetime) -> str:
        now = ctx.get("now")
        delta: timedelta = value - now
        tomorrow = _tomorrow(value, now, _babel_locale(ctx))
        if tomorrow is not None:
            return tomorrow
        # Days up to two weeks ("in 10 days", not "in 1 week"); below two days
        # the natural unit ("in 1 day", "in 1 hour").
        threshold = 2 if abs(delta) >= timedelta(days=2) else 1.1
        seconds = round(abs(delta).total_seconds() / 60) * 60
        if seconds and seconds % 3600 == 0 and seconds < 2 * 86400:
            threshold = 1  # a whole day or hour reads as such: "in 1 day", "in 1 hour"
        words = str(
            babel_dates.format_timedelta(
                delta, add_direction=True, threshold=threshold, locale=_babel_locale(ctx)
            )
        )
        if casing.lang_of(str(ctx.get("locale", "en"))) in ("ja", "zh"):
            # CLDR writes "1 週間後"; Japanese and Chinese copy sets numbers solid.
            words = _cjk_number_space().sub("", words)
        return words

    @jinja2.pass_context
    def f_number(ctx: Any, value: float) -> str:
        return str(babel_numbers.format_decimal(value, locale=_babel_locale(ctx)))

    @jinja2.pass_context
    def f_percent(ctx: Any, value: float) -> str:
        return str(babel_numbers.format_percent(value, locale=_babel_locale(ctx)))

    @jinja2.pass_context
    def f_hashtag(ctx: Any, value: str) -> str:
        return to_hashtag(str(value), str(ctx.get("locale", "en"))) or ""

    @jinja2.pass_context
    def f_upper(ctx: Any, value: str) -> str:
        return casing.upper(str(value), str(ctx.get("locale", "en")))

    @jinja2.pass_context
    def f_lower(ctx: Any, value: str) -> str:
        return casing.lower(str(value), str(ctx.get("locale", "en")))

    @jinja2.pass_context
    def f_capitalize(ctx: Any, value: str) -> str:
        return casing.capitalize(str(value), str(ctx.get("locale", "en")))

    @jinja2.pass_context
    def f_title(ctx: Any, value: str) -> str:
        return casing.title(str(value), str(ctx.get("locale", "en")))

    @jinja2.pass_context
    def f_sentence(ctx: Any, value: str) -> str:
        text = str(value).rstrip()
        if not text or text[-1] in '.!?…。！？:：»"”’)）」』':
            return text
        return text + (
            "。" if casing.lang_of(str(ctx.get("locale", "en"))) in ("ja", "zh") else "."
        )

    @jinja2.pass_context
    def f_upper_first(ctx: Any, value: str) -> str:
        return casing.capitalize_first(str(value), str(ctx.get("locale", "en")))

    def f_no_period(value: str) -> str:
        text = str(value).rstrip()
        return (
            text[:-1].rstrip()
            if text.endswith((".", "。", "．")) and not text.endswith("...")
            else text
        )

    def f_emojize(value: str) -> str:
        import emoji  # its tables cost ~40 ms to load: only for a template that asks

        return str(emoji.emojize(str(value), language="alias"))

    return {
        "date": f_date,
        "time": f_time,
        "datetime": f_datetime,
        "weekday": f_weekday,
        "relative": f_relative,
        "number": f_number,
        "percent": f_percent,
        "hashtag": f_hashtag,
        "upper": f_upper,
        "lower": f_lower,
        "capitalize": f_capitalize,
        "title": f_title,
        "sentence": f_sentence,
        "upper_first": f_upper_first,
        "no_period": f_no_period,
        "emojize": f_emojize,
    }


# ----------------------------------------------------------------- filters

Check = Callable[[Any, Any, tuple[Any, ...], dict[str, Any]], Any]


def _text(passed: Any, value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    check_string(text_size(value))
    return value


def _scaled(factor: int) -> Check:
    def check(passed: Any, value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        check_string(text_size(value) * factor)
        return value

    return check


def _center(passed: Any, value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    width = check_width(arg(args, kwargs, 0, "width", 80))
    check_string(max(text_size(value), width))
    return value


def _indent(passed: Any, value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    width = arg(args, kwargs, 0, "width", 4)
    per_line = check_width(len(width) if isinstance(width, str) else width)
    text = to_text(value)
    check_string(len(text) + per_line * (text.count("\n") + 1))
    return text


def _length(value: Any, what: str) -> None:
    """A length to cut or wrap at: nothing a template builds is longer than the string limit."""
    if isinstance(value, int) and not isinstance(value, bool) and value > MAX_STRING_CHARS:
        raise LimitError(
            f"a {what} of {value:,} is more than {MAX_STRING_CHARS:,}", "no text is that long"
        )


def _wordwrap(passed: Any, value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    width = arg(args, kwargs, 0, "width", 79)
    _length(width, "wrap width")
    sep = arg(args, kwargs, 2, "wrapstring", None)
    text = to_text(value)
    breaks = 1 + sum(text.count(c) for c in " \t\n-")
    if isinstance(width, int) and width > 0:
        breaks += len(text) // width
    check_string(len(text) + breaks * (len(to_text(sep)) if sep is not None else 1))
    return text


def _truncate(passed: Any, value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    _length(arg(args, kwargs, 0, "length", 255), "truncate length")
    _length(arg(args, kwargs, 3, "leeway", 0), "truncate leeway")
    check_string(text_size(value) + len(to_text(arg(args, kwargs, 2, "end", "..."))))
    return value


def _replace_filter(passed: Any, value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    text = to_text(value)
    old, new = to_text(arg(args, kwargs, 0, "old", "")), to_text(arg(args, kwargs, 1, "new", ""))
    check_string(replace_size(text, old, new, arg(args, kwargs, 2, "count", None)))
    return text


def _format(passed: Any, value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    text = to_text(value)
    printf_size(text, kwargs or args)
    return text


def _join(passed: Any, value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    items = take(value, MAX_ITEMS, "join")
    attribute = arg(args, kwargs, 1, "attribute", None)
    parts = items
    if attribute is not None:
        getter = jinja2.filters.make_attrgetter(passed.environment, attribute)
        parts = [getter(item) for item in items]
    size = len(to_text(arg(args, kwargs, 0, "d", ""))) * max(len(parts) - 1, 0)
    for part in parts:
        size += text_size(part, MAX_STRING_CHARS - size + 1)
        check_string(size, "joined text")
    return items


def _list(passed: Any, value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    return take(value, MAX_ITEMS, "list")


def _count_limit(index: int, name: str) -> Check:
    def check(passed: Any, value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        count = arg(args, kwargs, index, name, 1)
        if isinstance(count, int) and count > MAX_ITEMS:
            check_items(count, f"{name} of {count:,}")
        return value

    return check


def _sum(passed: Any, value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    if not isinstance(arg(args, kwargs, 1, "start", 0), int | float):
        raise LimitError("sum adds numbers; use join for text and lists")
    return value


def _date_format(passed: Any, value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    fmt = arg(args, kwargs, 0, "fmt", "")
    if isinstance(fmt, str):
        check_width(len(fmt), "date format length")
    return value


_FILTER_CHECKS: dict[str, Check] = {
    "center": _center,
    "indent": _indent,
    "wordwrap": _wordwrap,
    "truncate": _truncate,
    "replace": _replace_filter,
    "format": _format,
    "join": _join,
    "list": _list,
    "batch": _count_limit(0, "linecount"),
    "slice": _count_limit(0, "slices"),
    "sum": _sum,
    "date": _date_format,
    "time": _date_format,
    "datetime": _date_format,
    "e": _scaled(6),
    "escape": _scaled(6),
    "forceescape": _scaled(6),
    "xmlattr": _scaled(6),
    "urlencode": _scaled(9),
    "tojson": _scaled(12),
    "pprint": _scaled(50),
}
# Filters that take a collection or a number and build nothing bigger than it.
_COLLECTION_FILTERS = frozenset(
    {
        *("abs", "attr", "count", "d", "default", "dictsort", "filesizeformat", "first"),
        *("float", "groupby", "int", "items", "last", "length", "map", "max", "min"),
        *("number", "percent", "random", "reject", "rejectattr", "relative", "reverse"),
        *("round", "select", "selectattr", "sort", "unique", "weekday"),
    }
)


def guard_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """``func`` with a time check, a size check of its input, and its output counted."""
    offset = 0 if getattr(func, "jinja_pass_arg", None) is None else 1
    check = _FILTER_CHECKS.get(name, None if name in _COLLECTION_FILTERS else _text)

    @functools.wraps(func)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        tick()
        if check is not None and len(args) > offset:
            passed = args[0] if offset else None
            value = check(passed, args[offset], args[offset + 1 :], kwargs)
            if value is not args[offset]:
                args = (*args[:offset], value, *args[offset + 1 :])
        result = func(*args, **kwargs)
        spend_on(result)
        return result

    return guarded


def printable(value: Any) -> Any:
    """``{{ value }}``: refused before ``str()`` when the text would be too long."""
    if type(value) is str:
        return value
    text = to_text(value, "printed value")
    spend_on(text)
    return text


class GuardedFilters(dict[str, Any]):
    """The filter table: every filter added is wrapped by ``guard_filter``."""

    def __setitem__(self, name: str, func: Any) -> None:
        if not getattr(func, "toolkit_guarded", False):
            func = guard_filter(name, func)
            func.toolkit_guarded = True
        super().__setitem__(name, func)

    def update(self, *args: Any, **kwargs: Any) -> None:
        for name, func in dict(*args, **kwargs).items():
            self[name] = func


def gettext_functions(catalog: Any) -> dict[str, Callable[..., str]]:
    """``gettext``, ``ngettext``… that fill ``%(name)s`` placeholders, size-checked."""

    def fill(context: jinja2.runtime.Context, text: str, variables: dict[str, Any]) -> str:
        if context.eval_ctx.autoescape:
            text = Markup(text)
        spend(printf_size(text, variables))
        return text % variables

    @jinja2.pass_context
    def gettext(__context: jinja2.runtime.Context, __string: str, **variables: Any) -> str:
        return fill(__context, catalog.gettext(__string), variables)

    @jinja2.pass_context
    def ngettext(
        __context: jinja2.runtime.Context, __one: str, __many: str, __n: int, **variables: Any
    ) -> str:
        variables.setdefault("num", __n)
        return fill(__context, catalog.ngettext(__one, __many, __n), variables)

    @jinja2.pass_context
    def pgettext(
        __context: jinja2.runtime.Context, __where: str, __string: str, **variables: Any
    ) -> str:
        return fill(__context, catalog.pgettext(__where, __string), variables)

    @jinja2.pass_context
    def npgettext(
        __context: jinja2.runtime.Context,
        __where: str,
        __one: str,
        __many: str,
        __n: int,
        **variables: Any,
    ) -> str:
        variables.setdefault("num", __n)
        return fill(__context, catalog.npgettext(__where, __one, __many, __n), variables)

    return {"gettext": gettext, "ngettext": ngettext, "pgettext": pgettext, "npgettext": npgettext}
