"""toolkit: one campaign brief plus a brand becomes fitted copy, a week of drafts and cards.

The public API is :mod:`toolkit.api`, re-exported here (see docs/api.md):

    >>> import toolkit
    >>> campaign = toolkit.load_brief()            # the bundled demo
    >>> variants = toolkit.generate(campaign, now=datetime.now().astimezone())

Everything else is private by convention.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = [
    "Campaign",
    "Finding",
    "Platform",
    "RenderedCard",
    "ToolkitError",
    "Variant",
    "WeekPlan",
    "WeekResult",
    "build_week",
    "count",
    "export_week",
    "fix_text",
    "generate",
    "generate_from",
    "lint_text",
    "list_platforms",
    "load_brief",
    "load_guide",
    "plan_week",
    "preview_week",
    "render_card",
]
__version__ = "0.1.0"

if TYPE_CHECKING:
    from toolkit.api import (
        Campaign,
        Finding,
        Platform,
        RenderedCard,
        ToolkitError,
        Variant,
        WeekPlan,
        WeekResult,
        build_week,
        count,
        export_week,
        fix_text,
        generate,
        generate_from,
        lint_text,
        list_platforms,
        load_brief,
        load_guide,
        plan_week,
        preview_week,
        render_card,
    )


def __getattr__(name: str) -> Any:
    # Lazy, so `toolkit --help` does not pay for Babel, Jinja and Pillow.
    if name not in __all__:
        raise AttributeError(f"module 'toolkit' has no attribute {name!r}")
    from toolkit import api

    return getattr(api, name)
