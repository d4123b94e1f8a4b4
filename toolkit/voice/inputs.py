"""What ``toolkit lint`` reads: plain text, Markdown drafts with front matter, generate's JSON.

A Markdown draft is ``---`` + YAML front matter + ``---`` + the copy. The
keys read here are ``platform``, ``locale``, ``persona``, ``brand``,
``sponsored`` and ``voice: {ignore: [rule-id, ...], reason: "..."}``; any
other key (id, scheduled_at, card ...) is left to the tools that own it.
Line numbers stay those of the file, so findings point at the right line.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from toolkit.errors import InputError, Location
from toolkit.files.front_matter import read_front_matter, split_front_matter
from toolkit.files.locales import LocaleError, normalize_locale
from toolkit.files.text_files import MAX_BYTES, missing_file, read_text

if TYPE_CHECKING:
    from toolkit.files.yaml_reader import Marks

MAX_JSON_BYTES = 64_000_000  # about 200,000 posts: bounded, but real exports pass
SUFFIXES = frozenset({".md", ".markdown", ".txt", ".json"})
MARKDOWN = frozenset({".md", ".markdown"})


@dataclass(frozen=True)
class FrontMatter:
    """The keys of a draft's front matter that lint reads; the others are ignored."""

    platform: str | None = None
    locale: str | None = None
    persona: str | None = None
    brand: str | None = None
    sponsored: bool = False
    thread: bool = False
    ignore: tuple[str, ...] = ()  # voice: {ignore: [rule-id, ...], reason: "..."}


@dataclass(frozen=True)
class Suppression:
    rule: str
    location: Location


@dataclass(frozen=True)
class Source:
    """One text to lint, with where it came from and what its file says about it."""

    label: str  # as shown in findings: a path, "out.json#x-checklist" or "<stdin>"
    body: str
    path: Path | None = None
    kind: Literal["text", "markdown", "json"] = "text"
    prefix: str = ""  # the file before the body (front matter), kept byte for byte
    first_line: int = 1
    platform: str | None = None
    locale: str | None = None
    persona: str | None = None
    brand: str | None = None
    sponsored: bool = False
    thread: bool = False  # parts separated by "---" lines, each measured on its own
    ignore: tuple[Suppression, ...] = ()
    writable: bool = False
    # Where the front matter names the platform, locale, persona and brand.
    marks: tuple[tuple[str, Location], ...] = ()

    def located(self, key: str) -> Location | None:
        """The line of ``key`` in the front matter; else the file; None for standard input."""
        found = dict(self.marks).get(key)
        return found or (Location(self.path, 1, 1) if self.path is not None else None)


def collect_files(paths: list[Path]) -> dict[Path, bool]:
    """The files to lint, in order, each with whether it was named (not found in a folder).

    Folders are walked for .md, .markdown, .txt and .json files; hidden ones are skipped.
    """
    files: dict[Path, bool] = {}
    for path in paths:
        if path.is_dir():
            found = [
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            ]
            for p in sorted(found):
                files.setdefault(p, False)
        elif path.exists():
            files[path] = True
        else:
            raise missing_file(path)
    return files


def read_sources(path: Path, *, named: bool = True) -> list[Source]:
    """The texts in one file. A JSON file found in a folder that is not generate's is skipped."""
    suffix = path.suffix.lower()
    # generate's JSON of a few thousand posts runs to megabytes; other files are one text
    text = read_text(path, limit=MAX_JSON_BYTES if suffix == ".json" else MAX_BYTES)
    if suffix == ".json":
        try:
            return _json_sources(path, text)
        except InputError:
            if named:
                raise
            return []  # plan.json, a manifest ...: not copy
    if suffix in MARKDOWN:
        return [_markdown_source(path, text)]
    return [Source(str(path), text, path, writable=True)]


def text_source(text: str, label: str = "<stdin>") -> Source:
    return Source(label, text)


def _markdown_source(path: Path, text: str) -> Source:
    if not split_front_matter(text, path)[0]:  # no block: nothing to parse
        return Source(str(path), text, path, "markdown", writable=True)
    # The one front-matter reader, shared with the week's drafts (LF, CRLF, BOM).
    block = read_front_matter(text, path)
    prefix, body, first_line = block.prefix, block.body, block.body_line
    data, doc_marks = block.data, block.marks
    meta = _front_matter(data, doc_marks)
    ignore = tuple(
        Suppression(rule, doc_marks.at(("voice", "ignore", i)))
        for i, rule in enumerate(meta.ignore)
    )
    return Source(
        label=str(path),
        body=body,
        path=path,
        kind="markdown",
        prefix=prefix,
        first_line=first_line,
        platform=meta.platform,
        locale=meta.locale,
        persona=meta.persona,
        brand=meta.brand,
        sponsored=meta.sponsored,
        thread=meta.thread,
        ignore=ignore,
        writable=True,
        marks=tuple(
            (key, doc_marks.at((key,)))
            for key in ("platform", "locale", "persona", "brand")
            if key in data
        ),
    )


_TEXT_KEYS = ("platform", "persona", "brand")
_FLAG_KEYS = ("sponsored", "thread")


def _front_matter(data: dict[str, Any], marks: Marks) -> FrontMatter:
    """The keys lint reads. Plain values (texts, flags, a known locale) are taken as they
    are; anything else (a ``voice:`` block, another type, a bad locale) is validated by
    the model, which also words the errors (pydantic is imported only then)."""
    texts = [data.get(key) for key in _TEXT_KEYS]
    flags = [data.get(key, False) for key in _FLAG_KEYS]
    locale = data.get("locale")
    if (
        data.get("voice") is None
        and all(value is None or type(value) is str for value in texts)
        and all(type(flag) is bool for flag in flags)
        and (locale is None or type(locale) is str)
    ):
        try:
            code = normalize_locale(locale) if locale is not None else None
        except LocaleError:
            pass  # the model says what is wrong, where
        else:
            platform, persona, brand = texts
            sponsored, thread = flags
            return FrontMatter(platform, code, persona, brand, sponsored, thread)
    return _validated(data, marks)


def _validated(data: dict[str, Any], marks: Marks) -> FrontMatter:
    from pydantic import ValidationError

    from toolkit.files.validation import located_error
    from toolkit.voice.draft_models import FrontMatterModel

    try:
        meta = FrontMatterModel.model_validate(data)
    except ValidationError as exc:
        raise located_error(exc, FrontMatterModel, data, marks, what="front matter") from None
    return FrontMatter(
        meta.platform,
        meta.locale,
        meta.persona,
        meta.brand,
        meta.sponsored,
        meta.thread,
        tuple(meta.voice.ignore) if meta.voice is not None else (),
    )


def _json_sources(path: Path, text: str) -> list[Source]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"invalid JSON: {exc.msg}", location=Location(path, exc.lineno, exc.colno)
        ) from None
    wanted = "the JSON of 'toolkit generate --format json' (a list of variants with 'text')"
    if not isinstance(data, list) or not all(
        isinstance(v, dict) and isinstance(v.get("text"), str) for v in data
    ):
        raise InputError(f"expected {wanted}", location=Location(path, 1, 1))
    sources = []
    for index, variant in enumerate(data):
        name = variant.get("id") or str(index)
        sources.append(
            Source(
                label=f"{path}#{name}",
                body=variant["text"],
                path=path,
                kind="json",
                platform=_str(variant.get("platform")),
                locale=_str(variant.get("locale")),
                persona=_str(variant.get("persona")),
            )
        )
    return sources


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None
