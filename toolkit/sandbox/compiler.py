"""How copy templates compile: loops counted, ``~`` and literals size-checked, runs budgeted.

Jinja compiles a template to Python. Our code generator adds a call to
``environment.loop_tick()`` to every loop body (and loop filter), builds
``a ~ b`` through ``environment.join_parts`` and counts every list, tuple,
dict and slice a template builds (``environment.counted``); our template
class runs each root render function within a budget (``guard_root``).
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame

from toolkit.sandbox.budget import guard_root


def _loop_tick(lineno: int) -> nodes.Call:
    """Counts one loop iteration; always true (compiled to ``environment.loop_tick()``)."""
    return nodes.Call(nodes.EnvironmentAttribute("loop_tick"), [], [], None, None, lineno=lineno)


class GuardedCodeGenerator(CodeGenerator):
    def visit_Call(self, node: nodes.Call, frame: Frame, forward_caller: bool = False) -> None:
        target = node.node
        if isinstance(target, nodes.EnvironmentAttribute) and target.name == "loop_tick":
            self.write("environment.loop_tick()")  # a direct call: no sandbox check needed
            return
        super().visit_Call(node, frame, forward_caller=forward_caller)

    def visit_Getitem(self, node: nodes.Getitem, frame: Frame) -> None:
        if not isinstance(node.arg, nodes.Slice):
            super().visit_Getitem(node, frame)
            return
        self.write("environment.counted(")  # a slice is a new string or list: counted
        self.visit(node.node, frame)
        self.write("[")
        self.visit(node.arg, frame)
        self.write("])")

    # List, tuple and dict literals are counted each time they are built.
    def visit_List(self, node: nodes.List, frame: Frame) -> None:
        self.write("environment.counted(")
        super().visit_List(node, frame)
        self.write(")")

    def visit_Dict(self, node: nodes.Dict, frame: Frame) -> None:
        self.write("environment.counted(")
        super().visit_Dict(node, frame)
        self.write(")")

    def visit_Tuple(self, node: nodes.Tuple, frame: Frame) -> None:
        if node.ctx != "load":
            super().visit_Tuple(node, frame)
            return
        self.write("environment.counted(")
        super().visit_Tuple(node, frame)
        self.write(")")

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        if frame.eval_ctx.volatile:
            autoescape = "context.eval_ctx.autoescape"
        else:
            autoescape = repr(bool(frame.eval_ctx.autoescape))
        self.write(f"environment.join_parts({autoescape}, (")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


def count_loops(tree: nodes.Template) -> None:
    """Every loop body, and every loop filter (``for x in y if test``), ticks the budget."""
    for loop in list(tree.find_all(nodes.For)):
        loop.body.insert(0, nodes.ExprStmt(_loop_tick(loop.lineno), lineno=loop.lineno))
        if loop.test is not None:
            loop.test = nodes.And(_loop_tick(loop.lineno), loop.test, lineno=loop.lineno)


class GuardedTemplate(jinja2.Template):
    @classmethod
    def _from_namespace(
        cls,
        environment: jinja2.Environment,
        namespace: MutableMapping[str, Any],
        globals: MutableMapping[str, Any],
    ) -> jinja2.Template:
        template = super()._from_namespace(environment, namespace, globals)
        template.root_render_func = guard_root(template.root_render_func)
        return template


UNCOMPILABLE = (RecursionError, MemoryError, SyntaxError, ValueError, OverflowError)


def uncompilable(
    exc: BaseException, name: str | None, filename: str | None
) -> jinja2.TemplateSyntaxError:
    """A template Python cannot compile (too deep, a 5,000-digit number…) as a syntax error."""
    if isinstance(exc, RecursionError | MemoryError | SyntaxError):
        message = "template nests too deeply (brackets, filters or blocks inside one another)"
    else:
        message = f"template cannot be compiled: {exc}"
    return jinja2.TemplateSyntaxError(message, 1, name, filename)
