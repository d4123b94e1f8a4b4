"""Drafts: one Markdown file per post, YAML front matter plus the copy.

These are the files people edit. The front matter carries what the
schedulers need (platform, time with offset, link, card, alt text) and what
the plan knows (angle, pillar, experiment arm); the body is the copy, byte
for byte. Thread parts are separated by a line holding only ``---``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from pydantic import Field, ValidationError

from toolkit.errors import InputError, Location
from toolkit.files.models import LocaleCode, Model, RequiredText, Text
from toolkit.files.validation import located_error
from toolkit.files.yaml_reader import Marks, parse_yaml, read_text

PART_SEPARATOR = "\n---\n"


class ExperimentArm(Model):
    name: str | None = None
    variable: str
    arm: str = Field(pattern="^[AB]$")
    pair: int = Field(ge=1)


class VoiceSuppression(Model):
    """``voice: {ignore: [rule-id], reason: "..."}`` in a draft's front matter."""

    ignore: list[str] = Field(min_length=1, description="Rule ids not to report in this draft.")
    reason: RequiredText = Field(description="Why: kept for whoever reviews the draft.")


class FrontMatter(Model):
    id: str
    platform: str
    scheduled_at: datetime
    locale: LocaleCode
    angle: str
    pillar: str
    title: Text | None = None
    thread: bool = False
    experiment: ExperimentArm | None = None
    link: str | None = None
    card: str | None = None
    alt_text: Text | None = None
    persona: str | None = None
    sponsored: bool = False
    voice: VoiceSuppression | None = None


@dataclass(frozen=True)
class Draft:
    meta: FrontMatter
    text: str  # the copy; thread parts joined by PART_SEPARATOR
    path: Path | None = None
    body_line: int = 1  # file line where the body starts (for findings)
    marks: Marks | None = None  # where each front matter key sits in the file

    def at(self, key: str) -> Location:
        """The file position of a front matter key (its value), for errors about it."""
        if self.marks is not None and key in self.meta.model_fields_set:
            return self.marks.at((key,))
        return Location(self.path, 1, 1)

    @property
    def parts(self) -> list[str]:
        if not self.meta.thread:
            return [self.text]
        return [p.strip("\n") for p in self.text.split(PART_SEPARATOR)]


def draft_filename(at: datetime, platform: str, n: int) -> str:
    return f"{at:%Y-%m-%d_%H%M}_{platform}_{n}.md"


def render_draft(meta: FrontMatter, text: str) -> str:
    data: dict[str, Any] = meta.model_dump(mode="json", exclude_none=True)
    data["scheduled_at"] = meta.scheduled_at.isoformat()
    for flag in ("thread", "sponsored"):
        if not data.get(flag):
            data.pop(flag, None)
    front = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{front}---\n{text}\n"


def parse_draft(path: Path) -> Draft:
    """Read a draft as edited; front matter errors point at the file's own lines."""
    content = read_text(path)
    if not content.startswith("---\n"):
        raise InputError(
            "a draft starts with a '---' line and its front matter",
            location=Location(path, 1, 1),
            hint="restore the front matter block from plan.json or regenerate the week",
        )
    end = content.find("\n---\n", 3)
    if end == -1:
        if content.endswith("\n---"):
            end = len(content) - 4
        else:
            raise InputError(
                "the front matter is not closed with a '---' line",
                location=Location(path, 1, 1),
            )
    front = content[4 : end + 1]
    doc = parse_yaml(front, path)
    shifted = Marks(
        path,
        {k: (line + 1, col) for k, (line, col) in doc.marks.values.items()},
        {k: (line + 1, col) for k, (line, col) in doc.marks.keys.items()},
    )
    if not isinstance(doc.data, dict):
        raise InputError("the front matter must be a mapping", location=Location(path, 2, 1))
    known = {k: v for k, v in doc.data.items() if k in FrontMatter.model_fields}
    try:
        meta = FrontMatter.model_validate(known)
    except ValidationError as exc:
        raise located_error(exc, FrontMatter, known, shifted, what="draft front matter") from None
    body = content[end + 5 :]
    body_line = content[: end + 5].count("\n") + 1
    return Draft(meta, body.rstrip("\n"), path, body_line, shifted)


def read_drafts(folder: Path) -> list[Draft]:
    if not folder.is_dir():
        raise InputError(
            "no drafts folder here",
            location=Location(folder),
            hint="run `toolkit week --out DIR` first; drafts live in DIR/drafts/",
        )
    drafts = [parse_draft(p) for p in sorted(folder.glob("*.md"))]
    drafts.sort(key=lambda d: (d.meta.scheduled_at, d.meta.platform, d.meta.id))
    return drafts
