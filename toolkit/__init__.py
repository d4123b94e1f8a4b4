"""toolkit: one campaign brief plus a brand becomes fitted copy for every platform.

The public API is small; everything else is an implementation detail.

    >>> import toolkit
    >>> campaign = toolkit.load_brief()            # the bundled demo
    >>> variants = toolkit.generate(campaign, now=datetime.now().astimezone())
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["Campaign", "ToolkitError", "Variant", "count", "generate", "load_brief"]
__version__ = "0.1.0"

if TYPE_CHECKING:
    from .api import load_brief
    from .campaign import Campaign
    from .counting import count
    from .errors import ToolkitError
    from .variants import Variant, generate

_LAZY = {
    "load_brief": "api",
    "Campaign": "campaign",
    "count": "counting",
    "ToolkitError": "errors",
    "Variant": "variants",
    "generate": "variants",
}


def __getattr__(name: str) -> Any:
    # Lazy, so `toolkit --help` does not pay for Babel, Jinja and Pillow.
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'toolkit' has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f".{module}", __name__), name)
