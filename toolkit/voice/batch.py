"""Lint files and folders (what ``toolkit lint`` calls): find each text's guide, lint, fix.

``mode="fix"`` rewrites files in place (atomically, front matter untouched);
``mode="diff"`` leaves them alone and returns a unified diff instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from operator import attrgetter
from pathlib import Path
from typing import Any, Literal

from toolkit.errors import InputError, ToolkitError
from toolkit.files.atomic import atomic_write
from toolkit.files.workspace import Workspace
from toolkit.voice.engine import campaign_forms, fix_post, lint_post, make_post
from toolkit.voice.findings import Finding, has_errors, new_finding
from toolkit.voice.guide import Guide
from toolkit.voice.inputs import Source, collect_files, read_sources, text_source
from toolkit.voice.kinds import LintContext
from toolkit.voice.loader import load_guide
from toolkit.voice.matching import Post
from toolkit.voice.pool import MAX_CHUNKS, can_fork, run_chunks
from toolkit.voice.suppress import apply_suppressions

Mode = Literal["check", "fix", "diff"]


@dataclass(frozen=True)
class FileResult:
    label: str
    findings: tuple[Finding, ...]
    suppressed: int = 0
    fixed: int = 0
    original: str | None = None  # the whole file, when fixing changed it
    updated: str | None = None
    text: str = ""  # what the findings' lines point into: the file, or a variant's text


@dataclass(frozen=True)
class LintReport:
    results: tuple[FileResult, ...]
    files: int
    diff: str = ""

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.results for f in r.findings]

    @property
    def sources(self) -> dict[str, str]:
        """Each label's text, for columns counted in UTF-16 units or bytes."""
        return {r.label: r.text for r in self.results}

    @property
    def fixed(self) -> int:
        return sum(r.fixed for r in self.results)

    @property
    def suppressed(self) -> int:
        return sum(r.suppressed for r in self.results)

    @property
    def has_errors(self) -> bool:
        return has_errors(self.findings)


def lint_paths(
    paths: Sequence[Path],
    *,
    brand: str | None = None,
    platform: str | None = None,
    locale: str | None = None,
    persona: str | None = None,
    mode: Mode = "check",
    stdin: str | None = None,
    cwd: Path | None = None,
    workers: int = 1,
) -> LintReport:
    """Lint every file under ``paths`` (and ``stdin`` when given) against its brand's guide.

    Options are defaults: a draft's front matter (platform, locale, persona,
    brand) wins for that draft. ``workers`` > 1 lints a large batch in that many
    processes (where the system can fork); the report is the same either way.
    """
    cwd = cwd or Path.cwd()
    files = collect_files(list(paths))
    sources = [s for path, named in files.items() for s in read_sources(path, named=named)]
    if stdin is not None:
        sources.append(text_source(stdin))
    guides: dict[tuple[Path | None, str], Guide] = {}
    workspaces: dict[Path, Workspace] = {}
    # The texts of one file (a JSON holds thousands) share its guide and, mostly, their
    # platform, locale and persona: each is looked up and checked once.
    by_file: dict[tuple[Path | None, str | None], Guide] = {}
    names_ok: set[tuple[int, str, str]] = set()
    prepared: list[tuple[Source, Guide, Post]] = []
    for source in sources:
        guide = by_file.get((source.path, source.brand))
        if guide is None:
            guide = _guide_for(source, brand, cwd, guides, workspaces)
            by_file[source.path, source.brand] = guide
        post = _post(source, guide, platform, locale, persona, names_ok)
        prepared.append((source, guide, post))
    workers, spans = plan(len(prepared), workers)
    # The campaign's spellings, in this process before any fork: what they compute on
    # the way (each post's folded text, the guide's patterns) the lint uses again.
    contexts = _contexts(prepared)
    jobs = [(source, guide, post, contexts[id(guide)], mode) for source, guide, post in prepared]
    results = _lint_all(jobs, spans, workers)
    diff = "".join(_diff(r) for r in results) if mode == "diff" else ""
    if mode == "fix":
        for source, result in zip(sources, results, strict=True):
            if result.updated is not None and source.path is not None:
                write_atomic(source.path, result.updated)
    return LintReport(tuple(results), len(files) + (stdin is not None), diff)


def _guide_for(
    source: Source,
    brand: str | None,
    cwd: Path,
    cache: dict[tuple[Path | None, str], Guide],
    workspaces: dict[Path, Workspace],
) -> Guide:
    # One walk up the tree per folder, not per post (a JSON file holds thousands).
    folder = source.path.parent if source.path is not None else cwd
    workspace = workspaces.get(folder)
    if workspace is None:
        workspace = workspaces[folder] = Workspace.find(source.path or cwd)
    slug = brand or source.brand or workspace.default_brand()
    key = (workspace.root, slug)
    if key not in cache:
        location = source.located("brand") if source.brand and not brand else None
        cache[key] = load_guide(workspace.brand_dir(slug, location=location))
    return cache[key]


def _post(
    source: Source,
    guide: Guide,
    platform: str | None,
    locale: str | None,
    persona: str | None,
    names_ok: set[tuple[int, str, str]],
) -> Post:
    """The source's post; a bad name in its front matter is blamed on its line."""
    for key in ("platform", "locale", "persona"):
        value = getattr(source, key)
        if value is None or (id(guide), key, value) in names_ok:
            continue  # the default, or a name already checked against this guide
        try:
            make_post("", guide, **{key: value})
        except ToolkitError as exc:
            raise InputError(exc.message, location=source.located(key), hint=exc.hint) from None
        names_ok.add((id(guide), key, value))
    return make_post(
        source.body,
        guide,
        platform=source.platform or platform,
        locale=source.locale or locale,
        persona=source.persona or persona,
        sponsored=source.sponsored,
        thread=source.thread,
    )


def _contexts(prepared: list[tuple[Source, Guide, Post]]) -> dict[int, LintContext]:
    """One context per guide, with the campaign-wide spellings of its consistency rules."""
    by_guide: dict[int, tuple[Guide, list[Post]]] = {}
    for _source, guide, post in prepared:
        by_guide.setdefault(id(guide), (guide, []))[1].append(post)
    return {
        key: LintContext(count_rules=guide.count_rules, campaign_forms=campaign_forms(posts, guide))
        for key, (guide, posts) in by_guide.items()
    }


Job = tuple[Source, Guide, Post, LintContext, Mode]
# Below this many texts a second process costs more than it saves (a fork, and the
# findings sent back): measured in bench/README.md.
PARALLEL_MIN_TEXTS = 400
# Chunk sizes: each an eighth of what is left per worker, between these bounds, so
# the first chunks are long (few messages) and the last ones short: the processes
# finish within a few texts of each other.
MIN_CHUNK, MAX_CHUNK = 10, 400


def plan(count: int, workers: int) -> tuple[int, list[tuple[int, int]]]:
    """The processes for ``count`` texts (at most ``workers``; one below the break-even,
    where a fork cannot pay) and the chunks, as ``(start, end)``, they take in turn."""
    if not can_fork():
        workers = 1
    workers = max(1, min(workers, count * 2 // PARALLEL_MIN_TEXTS))
    if workers == 1:
        return 1, [(0, count)]
    largest = max(MAX_CHUNK, -(-count // (MAX_CHUNKS // 2)))  # a huge batch: fewer chunks
    spans, start = [], 0
    while start < count:
        size = max(MIN_CHUNK, min(largest, (count - start) // (workers * 8)))
        spans.append((start, min(start + size, count)))
        start += size
    if len(spans) > MAX_CHUNKS:  # many workers: even chunks, as many as the pool takes
        size = -(-count // MAX_CHUNKS)
        spans = [(start, min(start + size, count)) for start in range(0, count, size)]
    return workers, spans


def _lint_all(jobs: list[Job], spans: list[tuple[int, int]], workers: int) -> list[FileResult]:
    """Each job's result, in order, the chunks shared between ``workers`` processes."""
    done: dict[int, FileResult] = {}
    if workers > 1:
        # A guide builds what each platform, locale and persona needs on first use (the
        # rules that apply, their patterns): 0.1 s for the demo guide's 17 contexts of a
        # mixed batch. Built here before the fork, by linting the first text of each,
        # it is built once, not once per worker.
        firsts: dict[tuple[int, str | None, str, str | None], int] = {}
        for index, (_source, guide, post, _ctx, _mode) in enumerate(jobs):
            firsts.setdefault((id(guide), post.platform, post.locale, post.persona), index)
        done = {index: _lint_one(*jobs[index]) for index in firsts.values()}

    def lint_chunk(chunk: int) -> list[FileResult]:
        start, end = spans[chunk]
        return [done[i] if i in done else _lint_one(*jobs[i]) for i in range(start, end)]

    def unpack(chunk: int, packed: list[_Packed]) -> list[FileResult]:
        start, _end = spans[chunk]
        return [_unpack(jobs[start + i][0], p) for i, p in enumerate(packed)]

    parts = run_chunks(lint_chunk, len(spans), workers, pack=_pack, unpack=unpack)
    return [result for part in parts for result in part]


# A worker's result as plain tuples: about a third of the cost of pickling the
# frozen classes, and without the texts, which the parent has (see _lint_one).
_Packed = tuple[tuple[tuple[Any, ...], ...], int, int, str | None]
_finding_fields = attrgetter(*(f.name for f in fields(Finding)))


def _pack(results: list[FileResult]) -> list[_Packed]:
    return [
        (tuple(map(_finding_fields, r.findings)), r.suppressed, r.fixed, r.updated) for r in results
    ]


def _unpack(source: Source, packed: _Packed) -> FileResult:
    findings, suppressed, fixed, updated = packed
    text = source.prefix + source.body
    return FileResult(
        source.label,
        tuple(new_finding(*values) for values in findings),  # the fields in order
        suppressed,
        fixed,
        original=None if updated is None else text,
        updated=updated,
        text=text if updated is None else updated,
    )


def _lint_one(source: Source, guide: Guide, post: Post, ctx: LintContext, mode: Mode) -> FileResult:
    fixing = mode != "check" and (source.writable or source.path is None)
    if fixing:
        skip = frozenset(entry.rule for entry in source.ignore)
        result = fix_post(
            post,
            guide,
            context=ctx,
            first_line=source.first_line,
            skip=skip,
            certain_only=mode == "fix",
        )
        findings, fixed, body = list(result.findings), result.fixed, result.text
    else:
        findings = lint_post(post, guide, context=ctx, first_line=source.first_line)
        fixed, body = 0, source.body
    kept = apply_suppressions(findings, source.ignore, guide)
    labelled = tuple(f.at(source.label) for f in kept.findings)
    out = FileResult(source.label, labelled, kept.suppressed, fixed, text=source.prefix + body)
    if body != source.body:
        out = replace(out, original=source.prefix + source.body, updated=source.prefix + body)
    return out


def _diff(result: FileResult) -> str:
    if result.original is None or result.updated is None:
        return ""
    import difflib  # --diff only

    lines = difflib.unified_diff(
        result.original.splitlines(keepends=True),
        result.updated.splitlines(keepends=True),
        fromfile=f"a/{result.label}",
        tofile=f"b/{result.label}",
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8, its BOM kept), atomically."""
    bom = path.read_bytes()[:3] == b"\xef\xbb\xbf"
    atomic_write(path, (("\ufeff" if bom else "") + text).encode("utf-8"))
