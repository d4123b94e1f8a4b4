"""Pure formatters: variants and platforms as text, Markdown or JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence

from toolkit.campaign.platforms import Platform
from toolkit.copy.variants import Variant
from toolkit.voice import Finding


def variants_json(variants: Sequence[Variant]) -> str:
    return json.dumps([v.to_json() for v in variants], ensure_ascii=False, indent=2) + "\n"


def _status(v: Variant) -> str:
    status = f"{v.length}/{v.limit}"
    if len(v.parts) > 1:
        status += f" per part, {len(v.parts)} parts"
    if v.trimmed:
        status += ", trimmed"
    return status


def variants_text(variants: Sequence[Variant]) -> str:
    blocks: list[str] = []
    for v in variants:
        head = f"── {v.platform} · {v.angle} · {_status(v)} "
        lines = [head + "─" * max(3, 72 - len(head))]
        if v.title is not None:
            lines.append(f"title ({v.title_length}/{v.title_limit}): {v.title}")
            lines.append("")
        lines.append(v.text)
        lines.extend(f"note: {note}" for note in v.notes)
        lines.extend(f"voice: {_finding(f)}" for f in v.findings)
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def variants_markdown(variants: Sequence[Variant], title: str) -> str:
    out = [f"# {title}", ""]
    current = None
    for v in variants:
        if v.platform != current:
            current = v.platform
            out += [f"## {v.platform}", ""]
        out += [f"### {v.angle} ({_status(v)})", ""]
        if v.title is not None:
            out += [f"**{v.title}**", ""]
        # Four-space-free fence keeps the copy byte for byte, line breaks included.
        fence = "````" if "```" in v.text else "```"
        out += [fence + "text", v.text, fence, ""]
        if v.findings:
            out += [f"- voice: {_finding(f)}" for f in v.findings] + [""]
    return "\n".join(out)


def _finding(f: Finding) -> str:
    """``title 1:5 warning rule-id: message (suggestion)``."""
    where = ("title " if f.path == "title" else "") + f"{f.line}:{f.column}"
    text = f"{where} {f.level} {f.rule}: {f.message}"
    return text + (f" ({f.suggestion})" if f.suggestion else "")


def strict_failures(variants: Sequence[Variant]) -> list[Variant]:
    """Variants that keep an error-level voice finding (``generate --strict`` exits 1)."""
    return [v for v in variants if any(f.level == "error" for f in v.findings)]


def platforms_text(platforms: dict[str, Platform]) -> str:
    rows = [("id", "name", "limit", "counting", "fold", "hashtags", "links", "images")]
    for pid, p in platforms.items():
        limit = f"{p.limit:,}" + (f" (title {p.title.limit})" if p.title else "")
        images = ", ".join(f"{i.width}×{i.height}" for i in p.images)
        tags = "no cap" if p.hashtags.max is None else f"≤{p.hashtags.max}"
        fold = "–" if p.fold is None else str(p.fold)
        rows.append((pid, p.name, limit, p.counting, fold, tags, p.links, images))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    lines = []
    for row in rows:
        cells = [c.ljust(w) for c, w in zip(row, widths, strict=False)] + [row[-1]]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"


def platforms_json(platforms: dict[str, Platform]) -> str:
    data = {pid: p.model_dump(mode="json") for pid, p in platforms.items()}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
