"""The main job: a brief becomes a week of editable drafts and scheduler files.

``build_week`` plans, writes the copy for each post at its own time (so a
countdown says "in 1 day" the day before), and hands the files to the safe
writer. ``export_week`` rebuilds the scheduler files from the drafts as
people edited them.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from toolkit.campaign.loader import Campaign, load_campaign, platform_ids
from toolkit.copy.variants import Variant, angle_fits, render_variant
from toolkit.errors import InputError, did_you_mean
from toolkit.files.output_folder import WriteReport, write_outputs
from toolkit.text.counting import count
from toolkit.text.fitting import tidy
from toolkit.text.spans import emoji_spans
from toolkit.week.cards import CardShop
from toolkit.week.drafts import (
    PART_SEPARATOR,
    Draft,
    ExperimentArm,
    FrontMatter,
    draft_filename,
    read_drafts,
    render_draft,
)
from toolkit.week.exporters import calendar_ics, hootsuite_csvs, plan_json, posts_csv, sprout_csv
from toolkit.week.planner import PlannedPost, WeekPlan, mix_summary, next_monday, plan_week
from toolkit.week.preview import FindingView, preview_html

SOURCE = ".toolkit/source.json"


@dataclass(frozen=True)
class LimitProblem:
    path: Path
    platform: str
    length: int
    limit: int
    part: int | None = None
    field: str = "text"

    def __str__(self) -> str:
        where = f" (part {self.part})" if self.part is not None else ""
        what = "title" if self.field == "title" else "copy"
        return (
            f"{self.path}: {self.platform} {what}{where} is {self.length} long, "
            f"over the limit of {self.limit} by {self.length - self.limit}"
        )


@dataclass(frozen=True)
class WeekResult:
    out_dir: Path
    plan: WeekPlan | None
    drafts: tuple[Draft, ...]
    report: WriteReport
    notes: tuple[str, ...]
    problems: tuple[LimitProblem, ...] = ()


def _strip_emoji(text: str) -> str:
    spans = emoji_spans(text)
    for span in reversed(spans):
        text = text[: span.start] + text[span.end :]
    return tidy("\n".join(line.strip() for line in text.split("\n")))


def _variant_for(campaign: Campaign, post: PlannedPost, seed: int) -> Variant:
    variant = render_variant(campaign, post.platform, post.angle, now=post.at, seed=seed)
    experiment = campaign.brief.experiment
    if post.arm != "B" or experiment is None:
        return variant
    if experiment.variable == "emoji":
        parts = tuple(_strip_emoji(p) for p in variant.parts)
        return dataclasses.replace(variant, parts=parts, text="\n\n".join(parts))
    if experiment.variable == "hook":
        # Another seed picks other openings; keep the first one that reads differently.
        for offset in range(1, 9):
            other = render_variant(
                campaign, post.platform, post.angle, now=post.at, seed=seed + offset * 7919
            )
            if other.text != variant.text:
                return other
        # This angle has one opening only: another angle of the same pillar opens differently.
        pillar = campaign.angles[post.angle].pillar
        for name, angle in campaign.angles.items():
            same_kind = name != post.angle and angle.pillar == pillar and angle.rotation
            if same_kind and angle_fits(campaign, angle, post.at):
                return render_variant(campaign, post.platform, name, now=post.at, seed=seed)
    return variant


def _front_matter(
    campaign: Campaign,
    post: PlannedPost,
    variant: Variant,
    start: date,
    n: int,
    card: tuple[str, str] | None,
) -> FrontMatter:
    experiment = campaign.brief.experiment
    arm = None
    if post.arm is not None and experiment is not None and post.pair is not None:
        arm = ExperimentArm(
            name=experiment.name, variable=experiment.variable, arm=post.arm, pair=post.pair
        )
    return FrontMatter(
        id=f"{start.isoformat()}-{post.platform}-{n}",
        platform=post.platform,
        scheduled_at=post.at,
        locale=variant.locale,
        angle=variant.angle,
        pillar=variant.pillar,
        title=variant.title,
        thread=len(variant.parts) > 1,
        experiment=arm,
        link=variant.link,
        card=card[0] if card else None,
        alt_text=card[1] if card else None,
        persona=campaign.brief.persona,
        sponsored=campaign.brief.sponsored,
    )


def _plan_extra(
    campaign: Campaign, plan: WeekPlan | None, drafts: list[Draft], notes: list[str]
) -> dict[str, Any]:
    brand = campaign.brand.config
    lengths: dict[str, dict[str, Any]] = {}
    for d in drafts:
        platform = campaign.platforms.get(d.meta.platform)
        if platform is None:
            continue
        rules = platform.rules()
        lengths[d.meta.id] = {
            "length": max(count(p, rules) for p in d.parts),
            "limit": platform.limit,
        }
    pillars = Counter(d.meta.pillar for d in drafts)
    return {
        "campaign": campaign.brief.campaign,
        "brand": brand.name,
        "timezone": brand.timezone,
        "locale": campaign.brief.locale,
        "start": plan.start.isoformat() if plan else None,
        "mix": {
            "targets": {k: round(v, 4) for k, v in brand.mix.items()},
            "counts": dict(sorted(pillars.items())),
        },
        "experiment": campaign.brief.experiment.model_dump(mode="json")
        if campaign.brief.experiment
        else None,
        "notes": notes,
        "lengths": lengths,
    }


def voice_findings(campaign: Campaign, drafts: list[Draft]) -> dict[str, list[FindingView]]:
    """The brand voice guide's findings on each draft, positioned in the draft's file."""
    from toolkit.voice import lint_text, load_guide

    guide = load_guide(campaign.brand.folder)
    found: dict[str, list[FindingView]] = {}
    for d in drafts:
        m = d.meta
        findings = lint_text(
            d.text, guide, platform=m.platform, locale=m.locale, persona=m.persona,
            sponsored=m.sponsored, first_line=d.body_line,
            ignore=m.voice.ignore if m.voice else (),
        )  # fmt: skip
        if findings:
            found[m.id] = [
                FindingView(f.line, f.column, f.level, f.rule, f.message) for f in findings
            ]
    return found


def derived_files(
    campaign: Campaign,
    drafts: list[Draft],
    plan: WeekPlan | None,
    notes: list[str],
    stamp: datetime,
) -> dict[str, bytes]:
    findings = voice_findings(campaign, drafts)
    extra = _plan_extra(campaign, plan, drafts, notes)
    for post_id, views in findings.items():
        extra["lengths"].setdefault(post_id, {})["findings"] = [
            {"line": v.line, "column": v.column, "level": v.level, "rule": v.rule,
             "message": v.message}
            for v in views
        ]  # fmt: skip
    files: dict[str, bytes] = {"plan.json": plan_json(drafts, extra)}
    files["calendar.ics"] = calendar_ics(
        drafts,
        timezone=campaign.brand.config.timezone,
        calendar_name=f"{campaign.brand.config.name}: {campaign.brief.campaign}",
        stamp=stamp,
    )
    page = preview_html(campaign, drafts, findings=findings, notes=notes)
    files["index.html"] = page.encode("utf-8")
    files.update(hootsuite_csvs(drafts))
    files.update(sprout_csv(drafts))
    files["bulk/posts.csv"] = posts_csv(drafts)
    return files


def build_week(
    brief: Path | None,
    *,
    out_dir: Path,
    now: datetime,
    start: date | None = None,
    seed: int = 0,
    force: bool = False,
    cards: bool = True,
) -> WeekResult:
    """Plan and write a week of drafts for ``brief`` (the demo when None) into ``out_dir``."""
    campaign = load_campaign(brief)
    tz = ZoneInfo(campaign.brand.config.timezone)
    start = start or next_monday(now.astimezone(tz).date())
    plan = plan_week(campaign, start=start, seed=seed)
    shop = CardShop(campaign, now) if cards else None
    files: dict[str, bytes] = {}
    drafts: list[Draft] = []
    numbers: Counter[str] = Counter()
    for post in plan.posts:
        numbers[post.platform] += 1
        n = numbers[post.platform]
        variant = _variant_for(campaign, post, seed)
        made = shop.card_for(post) if shop else None
        card = (made.path, made.alt_text) if made else None
        meta = _front_matter(campaign, post, variant, start, n, card)
        text = PART_SEPARATOR.join(variant.parts) if meta.thread else variant.text
        name = draft_filename(post.at, post.platform, n)
        content = render_draft(meta, text)
        files[f"drafts/{name}"] = content.encode("utf-8")
        body_line = content[: content.index("\n---\n", 3) + 5].count("\n") + 1
        drafts.append(Draft(meta, text, Path(name), body_line))
    notes = list(plan.notes)
    if shop is not None:
        files.update(shop.files())
        notes += shop.problems
    if not plan.mix.unmet:
        notes.insert(0, "content mix: " + mix_summary(plan.mix))
    files.update(derived_files(campaign, drafts, plan, notes, now))
    source = {"brief": str(campaign.brief_path.resolve()) if campaign.brief_path else None}
    files[SOURCE] = (json.dumps(source, indent=1) + "\n").encode("utf-8")
    report = write_outputs(
        out_dir, files, force=force, stamp=now.strftime("%Y%m%dT%H%M%S"),
        prune=("drafts/", "bulk/", "cards/"),
    )  # fmt: skip
    if report.kept_edited and any(k.startswith("drafts/") for k in report.kept_edited):
        # Scheduler files must follow the drafts as edited, not as generated.
        exported = export_week(out_dir, now=now, brief=brief)
        report = dataclasses.replace(
            report,
            written=tuple(dict.fromkeys([*report.written, *exported.report.written])),
            kept_edited=tuple(sorted(set(report.kept_edited) | set(exported.report.kept_edited))),
        )
    return WeekResult(out_dir, plan, tuple(drafts), report, tuple(notes))


def check_limits(campaign: Campaign, drafts: list[Draft], roots_dir: Path) -> list[LimitProblem]:
    problems: list[LimitProblem] = []
    for d in drafts:
        path = roots_dir / d.path.name if d.path else roots_dir
        platform = campaign.platforms.get(d.meta.platform)
        if platform is None:
            continue
        rules = platform.rules()
        parts = d.parts
        for i, part in enumerate(parts, start=1):
            length = count(part, rules)
            if length > platform.limit:
                problems.append(
                    LimitProblem(path, d.meta.platform, length, platform.limit,
                                 i if len(parts) > 1 else None)
                )  # fmt: skip
        if platform.title is not None and d.meta.title:
            title_len = count(d.meta.title, platform.rules(platform.title.counting))
            if title_len > platform.title.limit:
                problems.append(
                    LimitProblem(path, d.meta.platform, title_len, platform.title.limit,
                                 field="title")
                )  # fmt: skip
    return problems


def source_brief(out_dir: Path) -> Path | None:
    """The brief a week folder was built from (recorded by ``build_week``)."""
    try:
        data = json.loads((out_dir / SOURCE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    brief = data.get("brief") if isinstance(data, dict) else None
    return Path(brief) if isinstance(brief, str) and Path(brief).is_file() else None


def preview_week(out_dir: Path, *, now: datetime, brief: Path | None = None) -> WeekResult:
    """Rebuild index.html from the drafts as edited."""
    drafts = read_drafts(out_dir / "drafts")
    campaign = _campaign_for(drafts, brief or source_brief(out_dir))
    html = preview_html(campaign, drafts, findings=voice_findings(campaign, drafts)).encode("utf-8")
    report = write_outputs(out_dir, {"index.html": html}, stamp=now.strftime("%Y%m%dT%H%M%S"))
    return WeekResult(out_dir, None, tuple(drafts), report, ())


def _campaign_for(drafts: list[Draft], brief: Path | None) -> Campaign:
    campaign = load_campaign(brief)
    known = platform_ids(campaign.template_roots)
    for d in drafts:
        # A draft names its platform by id, as the week wrote it; a typo is shown at its line.
        if d.meta.platform not in known:
            raise InputError(
                f"unknown platform '{d.meta.platform}'",
                location=d.at("platform"),
                hint=did_you_mean(d.meta.platform, known),
            )
    wanted = sorted({d.meta.platform for d in drafts})
    if wanted:
        from toolkit.campaign.loader import with_platforms

        campaign = with_platforms(campaign, wanted)
    return campaign


def export_week(out_dir: Path, *, now: datetime, brief: Path | None = None) -> WeekResult:
    """Rebuild plan.json, calendar.ics and the CSVs from the drafts as edited."""
    drafts_dir = out_dir / "drafts"
    drafts = read_drafts(drafts_dir)
    campaign = _campaign_for(drafts, brief or source_brief(out_dir))
    problems = check_limits(campaign, drafts, drafts_dir)
    files = derived_files(campaign, drafts, None, [], now)
    report = write_outputs(out_dir, files, stamp=now.strftime("%Y%m%dT%H%M%S"), prune=("bulk/",))
    return WeekResult(out_dir, None, tuple(drafts), report, (), tuple(problems))
