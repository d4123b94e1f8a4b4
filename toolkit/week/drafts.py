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

from pydantic import Field, ValidationError

from toolkit.campaign.brief import Url
from toolkit.errors import InputError, Location
from toolkit.files.front_matter import front_matter_block, read_front_matter
from toolkit.files.models import Line, LocaleCode, Model, Moment, RelativeName, Text, clean_text
from toolkit.files.paths import inside
from toolkit.files.validation import located_error
from toolkit.files.yaml_reader import Marks, read_text
from toolkit.sandbox.budget import MAX_STRING_CHARS
from toolkit.voice.draft_models import VoiceSuppression

PART_SEPARATOR = "\n---\n"
# What the preview page can print of one draft (the template sandbox's longest string).
MAX_DRAFT_CHARS = MAX_STRING_CHARS


class ExperimentArm(Model):
    name: str | None = None
    variable: str
    arm: str = Field(pattern="^[AB]$")
    pair: int = Field(ge=1)


class FrontMatter(Model):
    # Hand-edited, then written into calendar.ics and CSVs: one line each, no control characters.
    id: Line
    platform: Line
    scheduled_at: Moment
    locale: LocaleCode
    angle: Line
    pillar: Line
    title: Text | None = None
    thread: bool = False
    experiment: ExperimentArm | None = None
    link: Url | None = None
    card: RelativeName | None = None
    alt_text: Text | None = None
    # A carousel's files: Instagram's slides in order, or LinkedIn's PDF; alt text beside.
    carousel: list[RelativeName] = Field([], max_length=20)
    persona: Line | None = None
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
    for flag in ("thread", "sponsored", "carousel"):
        if not data.get(flag):
            data.pop(flag, None)
    return f"{front_matter_block(data)}{text}\n"


def parse_draft(path: Path) -> Draft:
    """Read a draft as edited (LF or CRLF); front matter errors point at the file's lines."""
    block = read_front_matter(read_text(path), path)
    if not block.prefix:
        raise InputError(
            "a draft starts with a '---' line and its front matter",
            location=Location(path, 1, 1),
            hint="restore the front matter block from plan.json or regenerate the week",
        )
    known = {k: v for k, v in block.data.items() if k in FrontMatter.model_fields}
    try:
        meta = FrontMatter.model_validate(known)
    except ValidationError as exc:
        raise located_error(
            exc, FrontMatter, known, block.marks, what="draft front matter"
        ) from None
    # Typed control characters (NUL, ESC, BEL) and bare CRs never reach the exported files.
    body = clean_text(block.body.replace("\r\n", "\n").replace("\r", "\n"))
    body_line = block.body_line
    if len(body) > MAX_DRAFT_CHARS:
        # Every exported file holds the copy whole; no platform takes a tenth of this.
        line = body_line + body.count("\n", 0, MAX_DRAFT_CHARS)
        raise InputError(
            f"this {meta.platform} draft is {len(body):,} characters long, far over "
            f"{meta.platform}'s limit; a draft holds at most {MAX_DRAFT_CHARS:,}",
            location=Location(path, line, None),
            hint="shorten the copy (a pasted document?); nothing was exported",
        )
    return Draft(meta, body.rstrip("\n"), path, body_line, block.marks)


def read_drafts(folder: Path) -> list[Draft]:
    if not folder.is_dir():
        raise InputError(
            "no drafts folder here",
            location=Location(folder),
            hint="run `toolkit week --out DIR` first; drafts live in DIR/drafts/",
        )
    root = folder.parent
    for p in sorted(folder.glob("*.md")):
        # A linked drafts/ folder or draft file must not make us read outside the week folder.
        inside(root, p.relative_to(root).as_posix(), what="draft", location=Location(p))
    drafts = [parse_draft(p) for p in sorted(folder.glob("*.md"))]
    drafts.sort(key=lambda d: (d.meta.scheduled_at, d.meta.platform, d.meta.id))
    return drafts
