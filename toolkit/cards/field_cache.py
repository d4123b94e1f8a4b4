"""Card text fields and ``when`` values kept from card to card.

The cards of a batch differ in their title: a subtitle, a date line or a brand name
that never reads it comes out the same from card to card, and so does the part of an
alt text after its title (rendering one through the sandbox costs some 0.3 ms). A field
(or a part of it: its top-level nodes, when none shares state with another) is kept by
the values of every name it reads, and never when its output may not follow from them
alone. ``toolkit.cards.context`` renders the fields and asks here first.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from contextlib import suppress
from datetime import datetime
from functools import lru_cache
from typing import Any, TypeVar

import jinja2
from jinja2 import meta, nodes

from toolkit.cards import names_cache
from toolkit.cards.names_cache import Analysis, Part
from toolkit.sandbox.environment import CopyEnvironment

T = TypeVar("T")
Key = tuple[tuple[object, ...], tuple[object, ...]]  # (the key, the values it holds)

# Text fields rendered, by field, part (``field_parts``) and the values of the names the
# part reads, most recently used last.
FIELDS: OrderedDict[tuple[object, ...], tuple[tuple[object, ...], str]] = OrderedDict()
FIELD_LIMIT = 64
# Globals and filters whose value may differ from call to call (a random choice, a
# picker's next pick): a field that uses one is rendered every time.
VARYING = frozenset(("lipsum", "pick", "random", "cycler", "joiner", "shuffle"))
# What lets one part of a field change what another prints: a field with any of these is
# rendered as one part.
SHARING = (
    nodes.Assign,
    nodes.AssignBlock,
    nodes.Macro,
    nodes.CallBlock,
    nodes.Block,
    nodes.With,
    nodes.Scope,
    nodes.EvalContextModifier,
    nodes.ScopedEvalContextModifier,
)


# Values compared by what they are, not by which object holds them: a card's clock or
# locale is a new object of an equal value from card to card. What prints apart stays
# apart: the type (1, 1.0 and True are equal), a float's sign (-0.0), a moment's zone
# (12:00 in Paris equals 11:00 in London).
SCALARS = (str, int, bool, type(None))


def identity(value: object) -> object:
    if isinstance(value, SCALARS):
        return (type(value), value)
    if isinstance(value, float):
        return (float, repr(value))
    if isinstance(value, datetime):
        return (type(value), value, value.tzinfo)
    return id(value)


@lru_cache(maxsize=256)
def field_parts(
    env: CopyEnvironment, text: str
) -> tuple[tuple[jinja2.Template, tuple[str, ...], bool], ...] | None:
    """The field's top-level nodes as templates of their own, each with the names it
    loads and whether it only prints one (``{{ title }}``); None when the field is
    rendered as one part (one node, or nodes that share state, or its output may not
    follow from its names alone: ``field_names``).

    With nothing assigned, defined or switched between them, each node prints what it
    would print within the whole, so the field is the join of its parts: an alt text
    ``{{ title }} — {% if … %}…{% endif %}`` keeps its second part across titles.
    """
    parts = _analysis(env, text)[1]
    if parts is None:
        return None
    return tuple(
        (env.template_class.from_code(env, code, env.make_globals(None), None), names, prints)
        for code, names, prints in parts
    )


def field_names(env: CopyEnvironment, text: str) -> tuple[str, ...] | None:
    """The names the field ``text`` looks up in its context, or None when its output may
    not follow from them alone: it includes, imports or extends another template, uses
    something that varies by call (``VARYING``), or may change what it reads (a method
    called on a value, as in ``{% do items.append(x) %}``; the macros' ``m.`` are calls
    of the module made for those values)."""
    return _analysis(env, text)[0]


@lru_cache(maxsize=256)
def _analysis(env: CopyEnvironment, text: str) -> Analysis:
    """The field's names and parts: as analysed in an earlier run (``names_cache``), or
    analysed now and kept there."""
    table = names_cache.field_table(env)
    found = table.get(text) if table is not None else None
    if found is None:
        found = _analyse(env, text)
        if table is not None:
            table.put(text, found)
    return found


def _analyse(env: CopyEnvironment, text: str) -> Analysis:
    try:
        tree = env.parse(text)
    except jinja2.TemplateSyntaxError:
        return None, None
    names = _names_read(env, tree)
    if names is None or len(tree.body) < 2 or any(tree.find_all(SHARING)):
        return names, None
    parts: list[Part] = []
    for node in tree.body:
        prints = (
            isinstance(node, nodes.Output)
            and len(node.nodes) == 1
            and isinstance(node.nodes[0], nodes.Name)
            and node.nodes[0].ctx == "load"
        )
        part = nodes.Template([node], lineno=node.lineno)
        part.set_environment(env)
        part_names = loaded(part, env)
        parts.append((env.compile(part), part_names, prints))
    return names, tuple(parts)


def _names_read(env: CopyEnvironment, tree: nodes.Template) -> tuple[str, ...] | None:
    """``field_names`` of a parsed field."""
    if any(tree.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends))):
        return None
    for call in tree.find_all(nodes.Call):
        callee = call.node
        if isinstance(callee, nodes.Getattr | nodes.Getitem) and not (
            isinstance(callee.node, nodes.Name) and callee.node.name == "m"
        ):
            return None
    names = loaded(tree, env)
    used = {node.name for node in tree.find_all((nodes.Filter, nodes.Test))}
    if (set(names) | used) & VARYING:
        return None
    return names


# What the sandbox's context filters and tests read from a card's context without the
# field naming it (toolkit.sandbox.filters: ``date`` and the like read ``locale``,
# ``relative``, ``time`` and ``datetime`` read ``now``).
READ_BY_FILTERS = frozenset({"now", "locale"})


def loaded(tree: nodes.Template, env: CopyEnvironment) -> tuple[str, ...]:
    """Every name ``tree`` loads, its own locals included (their key part is then a
    constant): ``find_undeclared_variables`` leaves out some the globals answer; and
    what its filters and tests read from the context of their own accord."""
    names = meta.find_undeclared_variables(tree)
    names |= {node.name for node in tree.find_all(nodes.Name) if node.ctx == "load"}
    for node in tree.find_all((nodes.Filter, nodes.Test)):
        known = env.filters if isinstance(node, nodes.Filter) else env.tests
        if getattr(known.get(node.name), "jinja_pass_arg", None) is not None:
            names |= READ_BY_FILTERS
            break
    return tuple(sorted(names))


# ``when`` values kept the same way (``evaluate``).
VALUES: OrderedDict[tuple[object, ...], tuple[tuple[object, ...], Any]] = OrderedDict()


def key(env: CopyEnvironment, what: tuple[object, ...], values: Sequence[object]) -> Key:
    """The key ``what`` (a field's text and part, the macros' template) is kept by on a
    card whose names read ``values``, and the values it holds (so that their identities
    stay theirs while the entry lives). Two cards' parts render alike when every name
    the part reads has the same value in both; filters and tests are the environment's
    own (in the key)."""
    return (env, *what, *map(identity, values)), tuple(values)


def recall(
    store: OrderedDict[tuple[object, ...], tuple[tuple[object, ...], T]],
    found: Key,
    default: Any = None,
) -> Any:
    """What ``store`` keeps under ``found``, most recently used from now on."""
    hit = store.get(found[0])
    if hit is None:
        return default
    with suppress(KeyError):  # another thread's card may have let it go
        store.move_to_end(found[0])
    return hit[1]


def remember(
    store: OrderedDict[tuple[object, ...], tuple[tuple[object, ...], T]],
    found: Key,
    value: T,
    limit: int | None = None,
) -> None:
    """Keep ``value`` under ``found``; the least recently used go past ``limit`` entries
    (``FIELD_LIMIT`` unless given)."""
    store[found[0]] = (found[1], value)
    bound = FIELD_LIMIT if limit is None else limit
    while len(store) > bound:
        store.popitem(last=False)
