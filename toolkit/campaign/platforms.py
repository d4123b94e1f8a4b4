"""Platform manifests: every platform fact lives in templates/<id>/platform.yaml.

A platform is named by its folder's id (``x``, ``instagram``) or by one of
the manifest's ``aliases`` (``twitter``, ``ig``), in any case.
"""

import difflib
from collections.abc import Mapping
from datetime import time
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, model_validator

from toolkit.campaign.brand import MAX_CADENCE
from toolkit.errors import Location, NotFoundError, did_you_mean
from toolkit.files.models import Model
from toolkit.files.paths import FileName
from toolkit.text.counting import (
    CountingMethod,
    CountRules,
    WeightConfig,
    WeightRange,
    post_length,
)

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class TitleField(Model):
    limit: int = Field(ge=1)
    counting: CountingMethod | None = None
    fold: int | None = Field(None, ge=1, description="Characters shown in search or feeds.")


class Hashtags(Model):
    max: int | None = Field(None, ge=0, description="Hard or recommended cap; none = no cap.")


class Thread(Model):
    max_parts: int = Field(25, ge=2, le=100)
    numbering: str = Field(
        "\n\n{i}/{n}",
        description="Added to the end of each part with its own separation "
        "(a blank line puts the number on a line of its own); {i} and {n} are numbers.",
    )


class ImageSize(Model):
    name: FileName  # part of the card's file name
    width: int = Field(ge=16, le=8192)
    height: int = Field(ge=16, le=8192)
    use: str = ""
    max_bytes: int | None = Field(None, ge=1024)


class Window(Model):
    days: list[Weekday]
    start: time
    end: time

    @model_validator(mode="after")
    def _ordered(self) -> "Window":
        if self.end <= self.start:
            raise ValueError("a posting window must end after it starts")
        return self


class Weights(Model):
    """twitter-text's weighting (X): which code point ranges weigh what."""

    scale: int = 100
    default_weight: int = 200
    emoji_parsing: bool = True
    ranges: list[tuple[int, int, int]] = Field(
        [], description="[start, end, weight] code point ranges, inclusive."
    )


class Platform(Model):
    name: str
    aliases: list[str] = Field(
        [], description="Other names people type for it (any case), e.g. twitter for x."
    )
    counting: CountingMethod
    limit: int = Field(
        ge=1, description="Hard limit of the post text, in the counting method's units."
    )
    url_length: int | None = Field(None, ge=1, description="Every URL counts this many.")
    links: Literal["clickable", "bio", "field"] = "clickable"
    fold: int | None = Field(None, ge=1, description="Characters shown before 'see more'.")
    hashtags: Hashtags = Hashtags()
    thread: Thread | None = None
    title: TitleField | None = None
    weights: Weights | None = None
    images: list[ImageSize] = []
    windows: list[Window] = []
    cadence: int = Field(3, ge=0, le=MAX_CADENCE, description="Default posts per week.")
    countdown: bool = Field(True, description="Event countdown posts go here by default.")
    replay: bool | None = Field(
        None, description="The replay post goes here after the event; default: as countdown."
    )
    card: str | None = Field(
        None, description="Card layout for every post here (else the angle's), e.g. thumbnail."
    )
    notes: str = ""

    def length(self, text: str, *, title: bool = False) -> int:
        """``text``'s length as this platform counts it against its limit (or the title's)."""
        if title and self.title is not None:
            return post_length(text, self.rules(self.title.counting))
        return post_length(text, self.rules())

    def rules(self, method: CountingMethod | None = None) -> CountRules:
        weights = WeightConfig()
        if self.weights is not None:
            w = self.weights
            weights = WeightConfig(
                max_weighted_length=self.limit,
                scale=w.scale,
                default_weight=w.default_weight,
                emoji_parsing=w.emoji_parsing,
                transformed_url_length=self.url_length or 23,
                ranges=tuple(WeightRange(a, b, c) for a, b, c in w.ranges) or weights.ranges,
            )
        return CountRules(
            method=method or self.counting, url_length=self.url_length, weights=weights
        )


def platform_ids(roots: tuple[Path, ...]) -> list[str]:
    """Every platform id under the template roots (a folder with a platform.yaml)."""
    ids: set[str] = set()
    for root in roots:
        ids.update(p.parent.name for p in root.glob("*/platform.yaml"))
    return sorted(ids)


def platform_names(roots: tuple[Path, ...]) -> dict[str, str]:
    """Every name a user may type, case-folded, mapped to its platform id."""
    names: dict[str, str] = {}
    for platform_id in platform_ids(roots):
        manifest = next(
            (root / platform_id / "platform.yaml" for root in roots
             if (root / platform_id / "platform.yaml").is_file()),
        )  # fmt: skip
        for alias in _aliases(manifest, manifest.stat().st_mtime_ns):
            names.setdefault(alias.strip().casefold(), platform_id)
    # An id always wins over another platform's alias.
    names.update({platform_id.casefold(): platform_id for platform_id in platform_ids(roots)})
    return names


@lru_cache(maxsize=128)
def _aliases(manifest: Path, mtime: int) -> tuple[str, ...]:
    """The manifest's aliases; a manifest that does not parse has none (loading it says why)."""
    import yaml

    from toolkit.files.yaml_reader import read_text

    del mtime  # part of the cache key: an edited manifest is read again
    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(read_text(manifest), Loader=loader)
    except Exception:
        return ()
    aliases = data.get("aliases") if isinstance(data, dict) else None
    if not isinstance(aliases, list):
        return ()
    return tuple(a for a in aliases if isinstance(a, str))


def resolve_platform(
    name: str, names: Mapping[str, str], *, location: Location | None = None, what: str = ""
) -> str:
    """The platform id ``name`` stands for (id or alias, any case), or a did-you-mean error.

    ``what`` prefixes the message with where the name was read, e.g. ``cadence: ``.
    """
    found = names.get(name.strip().casefold())
    if found is not None:
        return found
    close = difflib.get_close_matches(name.strip().casefold(), list(names), n=1, cutoff=0.6)
    ids = sorted(set(names.values()))
    if close:
        found = names[close[0]]
        alias = f" ({close[0]})" if close[0] != found.casefold() else ""
        hint: str | None = f"did you mean '{found}'{alias}?"
    else:
        hint = did_you_mean(name, ids)
    raise NotFoundError(f"{what}unknown platform '{name}'", location=location, hint=hint)
