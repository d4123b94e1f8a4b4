"""toolkit: one campaign brief plus a brand becomes fitted copy for every platform.

The public API is small; everything else is an implementation detail.

    >>> import toolkit
    >>> campaign = toolkit.load_brief()            # the bundled demo
    >>> variants = toolkit.generate(campaign, now=datetime.now().astimezone())
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = [
    "Campaign",
    "ToolkitError",
    "Variant",
    "count",
    "fix_text",
    "generate",
    "lint_text",
    "load_brief",
    "load_guide",
]
__version__ = "0.1.0"

if TYPE_CHECKING:
    from toolkit.api import load_brief
    from toolkit.campaign.loader import Campaign
    from toolkit.copy.variants import Variant, generate
    from toolkit.errors import ToolkitError
    from toolkit.text.counting import count
    from toolkit.voice import fix_text, lint_text, load_guide

_LAZY = {
    "load_brief": "api",
    "Campaign": "campaign.loader",
    "count": "text.counting",
    "ToolkitError": "errors",
    "Variant": "copy.variants",
    "generate": "copy.variants",
    "load_guide": "voice",
    "lint_text": "voice",
    "fix_text": "voice",
}


def __getattr__(name: str) -> Any:
    # Lazy, so `toolkit --help` does not pay for Babel, Jinja and Pillow.
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'toolkit' has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f".{module}", __name__), name)
