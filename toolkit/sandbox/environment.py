"""Copy templates: Jinja's sandbox, strict variables, bounded in time and size.

Templates are written by writers and clients, so they are untrusted: they
render in a ``SandboxedEnvironment`` with ``StrictUndefined``, load only from
the template folders (``toolkit.sandbox.loader``), and render within the
limits of ``toolkit.sandbox.budget`` (time, loop iterations, nesting, output
and all the text they build); the limits are listed in docs/templates.md.

How the limits reach Jinja: a code generator and template class
(``toolkit.sandbox.compiler``); the sandbox's hooks for calls, operators,
attributes and ``str.format`` (below, with ``toolkit.sandbox.guards``);
every filter wrapped (``toolkit.sandbox.filters``); a bounded ``range``.
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path, PurePath
from time import thread_time
from types import BuiltinMethodType, MethodType, ModuleType
from typing import Any, cast

import jinja2
import jinja2.bccache
from jinja2 import nodes
from jinja2.environment import TemplateExpression
from jinja2.ext import Extension
from jinja2.parser import Parser
from jinja2.runtime import Macro
from jinja2.sandbox import SandboxedEnvironment, is_internal_attribute

from toolkit.errors import Location, TemplateError
from toolkit.files.user_cache import cache_root, code_stamp
from toolkit.sandbox.budget import (
    MAX_CALL_DEPTH,
    MAX_OUTPUT_CHARS,
    MAX_RENDER_SECONDS,
    MAX_TEMPLATE_CHARS,
    LimitError,
    counted,
    live,
    loop_tick,
    spend_on,
    to_text,
)
from toolkit.sandbox.catalogs import catalog_stamps, translations
from toolkit.sandbox.compiler import (
    UNCOMPILABLE,
    GuardedCodeGenerator,
    GuardedTemplate,
    count_loops,
    uncompilable,
)
from toolkit.sandbox.filters import GuardedFilters, filters, gettext_functions, printable
from toolkit.sandbox.guards import (
    bounded_lipsum,
    bounded_range,
    checked_binop,
    checked_concat,
    guard_method,
    join_parts,
)
from toolkit.sandbox.loader import RootedLoader, TemplatePathError
from toolkit.text.fitting import CLOSE, OPEN, SEP, SHORT_CLOSE, SHORT_OPEN

__all__ = [
    "MAX_OUTPUT_CHARS",
    "MAX_RENDER_SECONDS",
    "CopyEnvironment",
    "FittingExtension",
    "Rendered",
    "environment",
    "make_picker",
    "render",
]


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


# ----------------------------------------------------------------- the environment

_PATH_ATTRIBUTES = frozenset({"name", "stem", "suffix"})


class CopyEnvironment(SandboxedEnvironment):
    """The sandbox copy templates and card fields render in, with the limits enforced."""

    intercepted_binops = frozenset({"+", "*", "**", "%"})
    code_generator_class = GuardedCodeGenerator
    template_class = GuardedTemplate
    concat = staticmethod(checked_concat)
    join_parts = staticmethod(join_parts)
    loop_tick = staticmethod(loop_tick)
    counted = staticmethod(counted)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("finalize", printable)
        super().__init__(*args, **kwargs)
        guarded = GuardedFilters()
        guarded.update(self.filters)
        self.filters = guarded
        self.globals["range"] = bounded_range
        self.globals["lipsum"] = bounded_lipsum

    # -- compiling: source size, nesting, loop counting

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        if len(source) > MAX_TEMPLATE_CHARS:
            raise jinja2.TemplateSyntaxError(
                f"template is longer than {MAX_TEMPLATE_CHARS:,} characters", 1, name, filename
            )
        try:
            tree = super()._parse(source, name, filename)
            count_loops(tree)
            tree.set_environment(self)
        except UNCOMPILABLE as exc:
            raise uncompilable(exc, name, filename) from None
        return tree

    def _generate(
        self,
        source: nodes.Template,
        name: str | None,
        filename: str | None,
        defer_init: bool = False,
    ) -> str:
        try:
            return super()._generate(source, name, filename, defer_init)
        except UNCOMPILABLE as exc:
            raise uncompilable(exc, name, filename) from None

    def _compile(self, source: str, filename: str) -> Any:
        try:
            return super()._compile(source, filename)
        except UNCOMPILABLE as exc:
            raise uncompilable(exc, None, filename) from None

    def compile_expression(self, source: str, undefined_to_none: bool = True) -> Any:
        if len(source) > MAX_TEMPLATE_CHARS:
            raise jinja2.TemplateSyntaxError(
                f"expression is longer than {MAX_TEMPLATE_CHARS:,} characters", 1, None, None
            )
        try:
            return super().compile_expression(source, undefined_to_none)
        except UNCOMPILABLE as exc:
            raise uncompilable(exc, None, None) from None

    # -- compiled code of strings (card fields) kept between runs, as the loader's files are

    def string_template(self, source: str) -> jinja2.Template:
        """``from_string(source)``, compiled once across runs: a layout's fields are strings,
        which Jinja's bytecode cache never sees, and compiling them is most of a card
        worker's start (some 2 ms a field)."""
        bucket = self._bucket("template", source)
        code = bucket.code if bucket is not None else None
        if code is None:
            code = self.compile(source)
            self._keep(bucket, code)
        return self.template_class.from_code(self, code, self.make_globals(None), None)

    def expression(self, source: str) -> TemplateExpression:
        """``compile_expression(source)`` (a layout's ``when``, ``image``…), compiled once
        across runs, as :meth:`string_template`."""
        bucket = self._bucket("expression", source)
        code = bucket.code if bucket is not None else None
        if code is None:
            # Jinja's own steps, to get at the code; any error is left to Jinja to report.
            ended = False
            if len(source) <= MAX_TEMPLATE_CHARS:
                parser = Parser(self, source, state="variable")
                with contextlib.suppress(jinja2.TemplateSyntaxError, *UNCOMPILABLE):
                    expr = parser.parse_expression()
                    ended = parser.stream.eos
            if not ended:
                return cast(TemplateExpression, self.compile_expression(source))  # it raises
            expr.set_environment(self)
            body = [nodes.Assign(nodes.Name("result", "store"), expr, lineno=1)]
            code = self.compile(nodes.Template(body, lineno=1))
            self._keep(bucket, code)
        template = self.template_class.from_code(self, code, self.make_globals(None), None)
        return TemplateExpression(template, True)

    def _bucket(self, kind: str, source: str) -> jinja2.bccache.Bucket | None:
        cache = self.bytecode_cache
        if cache is None:
            return None
        # The name keys the file (a hash of it); Jinja checks the source's own checksum.
        return cache.get_bucket(self, f"<{kind}>{source}", None, source)

    def _keep(self, bucket: jinja2.bccache.Bucket | None, code: Any) -> None:
        if bucket is not None and self.bytecode_cache is not None:
            bucket.code = code
            self.bytecode_cache.set_bucket(bucket)

    # -- running: attributes, calls, operators

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        # The sandbox's rule (no "_" names, no Python internals), plus: no modules, and of a
        # path only its name (no reading, writing or walking the file system).
        if attr[:1] == "_" or is_internal_attribute(obj, attr):
            return False
        if isinstance(obj, PurePath):
            return attr in _PATH_ATTRIBUTES
        return not isinstance(obj, ModuleType) and not isinstance(value, ModuleType)

    def wrap_str_format(self, value: Any) -> Callable[..., Any] | None:
        # The sandbox asks this of every attribute a template reads: builtin methods
        # that can allocate a lot (format, center, join, extend…) come back checked.
        return guard_method(self, value)

    def call(
        __self,
        __context: jinja2.runtime.Context,
        __obj: Any,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        kind = type(__obj)
        if kind is BuiltinMethodType or kind is MethodType:
            # A builtin method that reached here unchecked (older Jinja's |attr): checked now.
            __obj = guard_method(__self, __obj) or __obj
        if not __self.is_safe_callable(__obj):
            raise jinja2.exceptions.SecurityError(f"{__obj!r} is not safely callable")
        budget = live()
        if budget is None:
            return __context.call(__obj, *args, **kwargs)
        if thread_time() > budget.deadline:
            budget.check_time()
        budget.call_depth += 1
        try:
            if budget.call_depth > MAX_CALL_DEPTH:
                raise LimitError(
                    f"macros and calls nest more than {MAX_CALL_DEPTH} deep",
                    "does a macro call itself?",
                )
            result = __context.call(__obj, *args, **kwargs)
        finally:
            budget.call_depth -= 1
        if kind is not Macro:
            spend_on(result)
        return result

    def call_binop(
        self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any
    ) -> Any:
        checked_binop(operator, left, right)
        return self.binop_table[operator](left, right)


class TemplateCodeCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept between runs (a cold start compiles none it compiled before).

    Keyed by the template's source (Jinja's checksum) and, through the folder, by the
    sandbox's own code, which shapes the compiled code with its guards. Best effort:
    a folder that cannot be written costs the saving, never the run.
    """

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        # Jinja resets a bucket whose header or code is wrong, but a file cut short
        # inside its checksum raises (pickle): a damaged entry is compiled again instead.
        try:
            super().load_bytecode(bucket)
        except Exception:  # whatever the damage, the cure is to compile again
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


@cache
def code_cache(kind: str = "copy") -> TemplateCodeCache | None:
    """The compiled-template cache of one kind of environment (its settings shape the code)."""
    folder = cache_root() / "templates" / code_stamp("sandbox", "text") / kind
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return TemplateCodeCache(str(folder))


def environment(roots: tuple[Path, ...], locale: str) -> CopyEnvironment:
    """The sandbox for ``roots`` and ``locale``, shared within a process.

    Jinja keeps each compiled template in its environment, so one environment per
    (roots, locale) compiles a template once however many posts use it. Templates are
    checked for edits on every load (auto_reload); an edited catalog is a new key.
    """
    return _environment(roots, locale, catalog_stamps(locale, roots))


@lru_cache(maxsize=32)
def _environment(
    roots: tuple[Path, ...], locale: str, stamps: tuple[tuple[str, int], ...]
) -> CopyEnvironment:
    del stamps  # part of the key: an edited catalog gets a new environment
    env = CopyEnvironment(
        loader=RootedLoader(roots),
        bytecode_cache=code_cache(),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        extensions=["jinja2.ext.i18n", FittingExtension],
        auto_reload=True,
    )
    env.filters.update(filters())
    # Our gettext functions fill %(name)s themselves, the way Jinja's "newstyle" ones do.
    env.install_gettext_callables(  # type: ignore[attr-defined]
        **gettext_functions(translations(locale, roots)), newstyle=False
    )
    env.newstyle_gettext = True  # type: ignore[attr-defined]
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


# ----------------------------------------------------------------- rendering


def _template_location(exc: BaseException, default: Path) -> Location:
    """The template file and line a render error points at (the innermost template frame)."""
    filename = getattr(exc, "filename", None)
    lineno = getattr(exc, "lineno", None)
    if isinstance(exc, jinja2.TemplateSyntaxError) and filename:
        return Location(Path(filename), lineno)
    for error in (exc, exc.__cause__):
        tb = error.__traceback__ if error is not None else None
        while tb is not None:
            template = tb.tb_frame.f_globals.get("__jinja_template__")
            if isinstance(template, jinja2.Template):
                filename = template.filename or template.name
                try:
                    lineno = template.get_corresponding_lineno(tb.tb_lineno)
                except (AttributeError, IndexError):
                    lineno = None
            tb = tb.tb_next
    return Location(Path(filename) if filename else default, lineno)


_UNSAFE_HINT = (
    "templates cannot reach Python internals; see docs/templates.md for what they can use"
)


def render(env: CopyEnvironment, name: str, context: dict[str, Any]) -> Rendered:
    """Render one template within the limits (see ``toolkit.sandbox.budget``)."""
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
    except TemplatePathError as exc:  # a link leading out of the template folders
        raise TemplateError(
            f"template error: {exc.message}", location=Location(exc.path or Path(name))
        ) from None
    default = Path(template.filename or name)
    try:
        ctx = template.new_context(context)
        body = "".join(template.root_render_func(ctx))
        title = ctx.vars.get("title")
        title = None if title is None else to_text(title, "title")
    except LimitError as exc:
        raise TemplateError(
            f"template limit: {exc.message}",
            location=_template_location(exc, default),
            hint=exc.hint,
        ) from None
    except jinja2.TemplateNotFound as exc:  # an include, import or extends
        raise TemplateError(
            f"template '{exc.name}' not found",
            location=_template_location(exc, default),
            hint="name templates relative to the template folders, e.g. '_shared/macros.j2'",
        ) from None
    except jinja2.UndefinedError as exc:
        raise TemplateError(
            f"undefined variable: {exc.message}",
            location=_template_location(exc, default),
            hint="see docs/templates.md for the variables a template can use",
        ) from None
    except jinja2.TemplateError as exc:
        unsafe = isinstance(exc, jinja2.exceptions.SecurityError)
        raise TemplateError(
            f"template error: {exc.message or exc}",
            location=_template_location(exc, default),
            hint=_UNSAFE_HINT if unsafe and not isinstance(exc, TemplatePathError) else None,
        ) from None
    except (TypeError, ValueError, ArithmeticError, LookupError, AttributeError) as exc:
        raise TemplateError(
            f"template failed: {type(exc).__name__}: {exc}",
            location=_template_location(exc, default),
        ) from None
    return Rendered(body, title)
