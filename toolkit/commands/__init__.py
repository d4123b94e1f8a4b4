"""One module per command group; each has ``register(app)``.

The modules holding commands do not use ``from __future__ import annotations``: Typer
reads every command's signature on each start, and string annotations make it evaluate
each ``Annotated[..., typer.Option(...)]`` again (three times the cost of the whole
command tree). A test keeps it that way.
"""
