"""Copy templates: Jinja's sandbox, strict variables, bounded output.

Templates are written by writers and clients, so they are untrusted: they
render in ``SandboxedEnvironment`` with ``StrictUndefined``; string and list
repetition and exponentiation are size-checked; the output stream is cut
off past a size and a time budget.
"""

from __future__ import annotations

import operator
import random
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import emoji
import jinja2
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from jinja2 import nodes
from jinja2.ext import Extension
from jinja2.parser import Parser
from jinja2.sandbox import SandboxedEnvironment

from . import casing
from .errors import Location, TemplateError
from .fitting import CLOSE, OPEN, SEP, SHORT_CLOSE, SHORT_OPEN
from .hashtags import to_hashtag
from .i18n import translations

MAX_OUTPUT_CHARS = 50_000
MAX_RENDER_SECONDS = 2.0
MAX_SEQUENCE = 10_000
_CJK_NUMBER_SPACE = re.compile(r"(?<=\d) (?=[\u3040-\u30ff\u3400-\u9fff])")


class FittingExtension(Extension):
    """``{% optional [N] %}…{% endoptional %}`` and ``{% shorten %}…{% endshorten %}``.

    The blocks render their body between noncharacter markers that the fitter
    reads and removes; they never reach the user.
    """

    tags = {"optional", "shorten"}

    def parse(self, parser: Parser) -> nodes.Node:
        token = next(parser.stream)
        lineno = token.lineno
        if token.value == "optional":
            priority: nodes.Expr = nodes.Const(1)
            if parser.stream.current.type != "block_end":
                priority = parser.parse_expression()
            body = parser.parse_statements(("name:endoptional",), drop_needle=True)
            call = self.call_method("_optional", [priority])
        else:
            body = parser.parse_statements(("name:endshorten",), drop_needle=True)
            call = self.call_method("_shorten", [])
        return nodes.CallBlock(call, [], [], body).set_lineno(lineno)

    @staticmethod
    def _optional(priority: object, caller: Callable[[], str]) -> str:
        if not isinstance(priority, int) or isinstance(priority, bool) or not 0 <= priority <= 99:
            raise jinja2.TemplateRuntimeError("optional takes a drop order from 0 to 99")
        return f"{OPEN}{priority}{SEP}{caller()}{CLOSE}"

    @staticmethod
    def _shorten(caller: Callable[[], str]) -> str:
        return f"{SHORT_OPEN}{caller()}{SHORT_CLOSE}"


def _checked_mul(left: Any, right: Any) -> Any:
    for seq, n in ((left, right), (right, left)):
        repeats = isinstance(seq, str | list | tuple) and isinstance(n, int)
        if repeats and len(seq) * max(n, 0) > MAX_SEQUENCE:
            raise jinja2.TemplateRuntimeError(
                f"repetition would build more than {MAX_SEQUENCE:,} items"
            )
    return operator.mul(left, right)


def _checked_pow(left: Any, right: Any) -> Any:
    if isinstance(right, int | float) and abs(right) > 100:
        raise jinja2.TemplateRuntimeError("exponent too large")
    if isinstance(left, int | float) and abs(left) > 10**9:
        raise jinja2.TemplateRuntimeError("base too large")
    return operator.pow(left, right)


class CopyEnvironment(SandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator_: str, left: Any, right: Any) -> Any:
        if operator_ == "*":
            return _checked_mul(left, right)
        if operator_ == "**":
            return _checked_pow(left, right)
        return super().call_binop(context, operator_, left, right)


def _babel_locale(ctx: Any) -> str:
    return str(ctx.get("locale", "en-US")).replace("-", "_")


def _tz(ctx: Any) -> Any:
    now = ctx.get("now")
    return now.tzinfo if isinstance(now, datetime) else None


def _filters() -> dict[str, Any]:
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
            words = _CJK_NUMBER_SPACE.sub("", words)
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


@lru_cache(maxsize=32)
def environment(roots: tuple[Path, ...], locale: str) -> CopyEnvironment:
    env = CopyEnvironment(
        loader=jinja2.FileSystemLoader([str(r) for r in roots]),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        extensions=["jinja2.ext.i18n", FittingExtension],
        auto_reload=True,
    )
    env.filters.update(_filters())
    env.install_gettext_translations(  # type: ignore[attr-defined]
        translations(locale, roots), newstyle=True
    )
    return env


@dataclass(frozen=True)
class Rendered:
    body: str
    title: str | None


def make_picker(seed: str) -> Callable[[Sequence[Any]], Any]:
    rng = random.Random(seed)

    def pick(options: Sequence[Any]) -> Any:
        if not options:
            raise jinja2.TemplateRuntimeError("pick() needs at least one option")
        return options[rng.randrange(len(options))]

    return pick


def _template_location(env: CopyEnvironment, exc: BaseException, name: str) -> Location:
    """The template file and line a render error points at."""
    lineno = getattr(exc, "lineno", None)
    filename = getattr(exc, "filename", None)
    tb = exc.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_filename.endswith(".j2") or code.co_filename.endswith(".jinja"):
            filename = code.co_filename
            template = env.get_template(name)
            try:
                lineno = template.get_corresponding_lineno(tb.tb_lineno)
            except (AttributeError, IndexError):
                lineno = None
        tb = tb.tb_next
    return Location(Path(filename) if filename else Path(name), lineno)


def render(env: CopyEnvironment, name: str, context: dict[str, Any]) -> Rendered:
    """Render one template, bounded in output size and time."""
    try:
        template = env.get_template(name)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            f"template syntax error: {exc.message}",
            location=Location(Path(exc.filename) if exc.filename else Path(name), exc.lineno),
            hint="check the {% %} and {{ }} pairs near this line",
        ) from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(
            f"template '{exc.name}' not found", location=Location(Path(name))
        ) from None
    started = time.monotonic()
    size = 0
    chunks: list[str] = []
    try:
        ctx = template.new_context(context)
        for chunk in template.root_render_func(ctx):
            size += len(chunk)
            chunks.append(chunk)
            if size > MAX_OUTPUT_CHARS:
                raise TemplateError(
                    f"template output passed {MAX_OUTPUT_CHARS:,} characters",
                    location=Location(Path(template.filename or name)),
                    hint="a loop or repetition in the template is producing far too much text",
                )
            if time.monotonic() - started > MAX_RENDER_SECONDS:
                raise TemplateError(
                    f"template took more than {MAX_RENDER_SECONDS} s to render",
                    location=Location(Path(template.filename or name)),
                )
    except TemplateError:
        raise
    except jinja2.UndefinedError as exc:
        raise TemplateError(
            f"undefined variable: {exc.message}",
            location=_template_location(env, exc, name),
            hint="see docs/templates.md for the variables a template can use",
        ) from None
    except jinja2.TemplateError as exc:
        raise TemplateError(
            f"template error: {exc.message or exc}",
            location=_template_location(env, exc, name),
        ) from None
    except (TypeError, ValueError, ArithmeticError, KeyError, IndexError, AttributeError) as exc:
        raise TemplateError(
            f"template failed: {type(exc).__name__}: {exc}",
            location=_template_location(env, exc, name),
        ) from None
    title = ctx.vars.get("title")
    return Rendered("".join(chunks), None if title is None else str(title))
