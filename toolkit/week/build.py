"""The main job: a brief becomes a week of editable drafts and scheduler files.

``assemble_week`` (which ``toolkit.week.run.build_week`` calls with the campaign
loaded and the card workers started) plans, writes the copy for each post at its
own time (so a countdown says "in 1 day" the day before), and hands the files to
the safe writer. ``export_week`` rebuilds the scheduler files from the drafts as
people edited them.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.campaign.loader import Campaign, load_campaign
from toolkit.campaign.platforms import platform_ids
from toolkit.cards.alt_path import alt_path
from toolkit.copy.variants import Variant, render_variant
from toolkit.errors import InputError, did_you_mean
from toolkit.files.output_folder import (
    Ahead,
    WriteReport,
    current_bytes,
    edited_files,
    write_outputs,
)
from toolkit.files.yaml_reader import Marks
from toolkit.text.fitting import tidy
from toolkit.text.spans import emoji_spans
from toolkit.week.drafts import (
    PART_SEPARATOR,
    Draft,
    ExperimentArm,
    FrontMatter,
    draft_filename,
    parse_draft,
    read_drafts,
    render_draft,
)
from toolkit.week.exporters import (
    calendar_ics,
    formula_warnings,
    hootsuite_csvs,
    plan_json,
    posts_csv,
    scheduler_posts,
    sprout_csv,
)
from toolkit.week.planner import PlannedPost, WeekPlan, mix_summary, plan_week
from toolkit.week.preview import preview_html

if TYPE_CHECKING:
    # The card stack (and multiprocessing) is imported only for a week with cards.
    from toolkit.week.cards import CardLook, Progress, WeekCards

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


def _variant_for(campaign: Campaign, post: PlannedPost, post_id: str, seed: int) -> Variant:
    """The post's copy; an experiment's arms differ only in the variable under test."""
    experiment = campaign.brief.experiment
    arm = post.arm if experiment is not None else None
    content = post_id if arm is None else f"{post_id}-{arm.lower()}"
    hook = None
    if (
        experiment is not None
        and arm is not None
        and post.pair is not None
        and experiment.variable == "hook"
    ):
        # Each pair tests its own two openings.
        hook = 2 * (post.pair - 1) + (0 if arm == "A" else 1)
    variant = render_variant(
        campaign, post.platform, post.angle, now=post.at, seed=seed,
        rotation=post.rotation, hook=hook, utm_content=content,
    )  # fmt: skip
    if arm == "B" and experiment is not None and experiment.variable == "emoji":
        parts = tuple(_strip_emoji(p) for p in variant.parts)
        return dataclasses.replace(variant, parts=parts, text="\n\n".join(parts))
    return variant


def _front_matter(
    campaign: Campaign,
    post: PlannedPost,
    variant: Variant,
    post_id: str,
    card: tuple[str, str] | None,
) -> FrontMatter:
    experiment = campaign.brief.experiment
    arm = None
    if post.arm is not None and experiment is not None and post.pair is not None:
        arm = ExperimentArm(
            name=experiment.name, variable=experiment.variable, arm=post.arm, pair=post.pair
        )
    return FrontMatter(
        id=post_id,
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
        lengths[d.meta.id] = {
            "length": max(platform.length(p) for p in d.parts),
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


FindingRecord = dict[str, Any]


def voice_findings(
    campaign: Campaign, drafts: list[Draft], known: Mapping[str, list[FindingRecord]] | None = None
) -> dict[str, list[FindingRecord]]:
    """The brand voice guide's findings on each draft, positioned in the draft's file
    (one shape for plan.json, the preview and ``toolkit lint --format json``).

    ``known``: findings already found for drafts the week just wrote (the copy was
    checked as it was generated), so each post is linted once.
    """
    from toolkit.voice import finding_record, lint_text, load_guide

    known = known or {}
    guide = None
    found: dict[str, list[FindingRecord]] = {}
    for d in drafts:
        m = d.meta
        if m.id in known:
            if known[m.id]:
                found[m.id] = known[m.id]
            continue
        guide = guide or load_guide(campaign.brand.folder)
        findings = lint_text(
            d.text, guide, platform=m.platform, locale=m.locale, persona=m.persona,
            sponsored=m.sponsored, first_line=d.body_line, thread=m.thread,
            ignore=m.voice.ignore if m.voice else (),
        )  # fmt: skip
        if findings:
            where = f"drafts/{d.path.name}" if d.path else None
            found[m.id] = [{**finding_record(f), "path": where} for f in findings]
    return found


def _generated_findings(variant: Variant, draft: Draft) -> list[FindingRecord]:
    """A variant's findings (from generating it) placed in its draft's file: the body
    starts at ``body_line``; a title's findings sit on the front matter's title line."""
    from toolkit.voice import finding_record

    records = []
    where = f"drafts/{draft.path.name}" if draft.path else None
    for f in variant.findings:
        record = finding_record(f)
        if f.path == "title":
            line = draft.at("title").line or 1
            record.update(line=line, end_line=line)
        else:
            shift = draft.body_line - 1
            record.update(line=f.line + shift, end_line=f.end_line + shift)
        records.append({**record, "path": where})
    return records


def derived_files(
    campaign: Campaign,
    drafts: list[Draft],
    plan: WeekPlan | None,
    notes: list[str],
    stamp: datetime,
    known: Mapping[str, list[FindingRecord]] | None = None,
    out_dir: Path | None = None,
) -> tuple[dict[str, bytes], list[str]]:
    """plan.json, calendar.ics, the preview and the scheduler CSVs, from the week's drafts;
    and what the scheduler files could not carry, to tell the user. The calendar that
    ``out_dir`` holds keeps its stamps when nothing else in it changed."""
    findings = voice_findings(campaign, drafts, known)
    extra = _plan_extra(campaign, plan, drafts, notes)
    for post_id, records in findings.items():
        extra["lengths"].setdefault(post_id, {})["findings"] = records
    timezone = campaign.brand.config.timezone
    outgoing, export_notes = scheduler_posts(drafts, campaign.platforms)
    files: dict[str, bytes] = {"plan.json": plan_json(drafts, extra)}
    files["calendar.ics"] = calendar_ics(
        drafts,
        timezone=timezone,
        calendar_name=f"{campaign.brand.config.name}: {campaign.brief.campaign}",
        stamp=stamp,
        previous=current_bytes(out_dir, "calendar.ics") if out_dir is not None else None,
    )
    page = preview_html(campaign, drafts, findings=findings, notes=notes)
    files["index.html"] = page.encode("utf-8")
    files.update(hootsuite_csvs(outgoing, timezone=timezone))
    files.update(sprout_csv(outgoing, timezone=timezone))
    files["bulk/posts.csv"] = posts_csv(drafts)
    return files, export_notes


def _kept_drafts(out_dir: Path, force: bool) -> list[Draft]:
    """Drafts in ``out_dir`` that a person wrote or edited: the week keeps them as they are."""
    if force:
        return []
    return [parse_draft(out_dir / rel) for rel in edited_files(out_dir, "drafts", ".md")]


def assemble_week(
    campaign: Campaign,
    shop: WeekCards | None,
    *,
    out_dir: Path,
    now: datetime,
    seed: int,
    force: bool,
    progress: Progress | None,
    ahead: Ahead | None = None,
) -> WeekResult:
    """The week of ``campaign`` (see ``build_week``), its cards drawn by ``shop``'s
    workers (None: no cards) and their files written ``ahead`` as they come back."""
    start = campaign.week_start
    plan = plan_week(campaign, start=start, now=now, seed=seed)
    kept = _kept_drafts(out_dir, force)
    kept_ids = {d.meta.id: d for d in kept}
    kept_names = {d.path.name for d in kept if d.path is not None}
    notes = list(plan.notes)
    planned: list[_Planned] = []
    numbers: Counter[str] = Counter()
    for post in plan.posts:
        numbers[post.platform] += 1
        n = numbers[post.platform]
        post_id = f"{start.isoformat()}-{post.platform}-{n}"
        name = draft_filename(post.at, post.platform, n)
        if post_id in kept_ids or name in kept_names:
            edited = kept_ids.get(post_id)
            where = edited.path.name if edited is not None and edited.path else name
            notes.append(f"kept your edited {post_id} (drafts/{where}); the new plan's post "
                         f"for {post.at:%a %H:%M} was not written")  # fmt: skip
            continue
        variant = _variant_for(campaign, post, post_id, seed)
        # The card renders as soon as the copy says what it shows.
        look = shop.submit(post, variant.focus) if shop else None
        planned.append(_Planned(post, post_id, name, variant, look))

    carried = _carousel_posts(campaign, [p.post for p in planned]) if shop else set()
    for p in planned:
        p.carousel = id(p.post) in carried

    def write_one() -> bool:
        # A draft whose card (and carousel) is back, written while the workers draw the
        # others: the last card leaves only its own drafts to write.
        for p in planned:
            if p.draft is None and (shop is None or p.ready(shop)):
                p.write(campaign, shop)
                return True
        return False

    if shop is not None:
        carousels = [p.post for p in planned if p.carousel]
        shop.render(progress=progress, carousels=carousels, idle=write_one)
    while write_one():
        pass
    files: dict[str, bytes] = {}
    drafts: list[Draft] = []
    checked: dict[str, list[FindingRecord]] = {}
    for p in planned:
        assert p.draft is not None
        files.update(p.files)
        drafts.append(p.draft)
        if not _edited_after_lint(campaign, p.post):
            checked[p.post_id] = _generated_findings(p.variant, p.draft)
    drafts = _in_order([*drafts, *kept])
    if shop is not None:
        files.update(shop.files())
        notes += shop.problems  # the cards' and the carousels' failures, once each
    if not plan.mix.unmet:
        notes.insert(0, "content mix: " + mix_summary(plan.mix))
    notes += formula_warnings(drafts)
    derived, export_notes = derived_files(campaign, drafts, plan, notes, now, checked, out_dir)
    files.update(derived)
    source = {
        "brief": str(campaign.brief_path.resolve()) if campaign.brief_path else None,
        "start": start.isoformat(),
    }
    files[SOURCE] = (json.dumps(source, indent=1) + "\n").encode("utf-8")
    report = write_outputs(
        out_dir, files, force=force, stamp=now.strftime("%Y%m%dT%H%M%S"),
        prune=("drafts/", "bulk/", "cards/"), in_use=_shown_by(kept), staged=ahead,
    )  # fmt: skip
    return WeekResult(out_dir, plan, tuple(drafts), report, tuple([*notes, *export_notes]))


@dataclass
class _Planned:
    """A post the week writes: its copy, the card it waits for (if any), and once that is
    back (``write``), its draft."""

    post: PlannedPost
    post_id: str
    name: str  # its draft's file name
    variant: Variant
    look: CardLook | None
    carousel: bool = False  # it carries the platform's carousel
    draft: Draft | None = None
    files: dict[str, bytes] = field(default_factory=dict)  # its carousel's, then its draft

    def ready(self, shop: WeekCards) -> bool:
        """Whether its card and carousel are back (rendered or failed)."""
        return shop.has_card(self.look) and (not self.carousel or shop.has_carousel(self.post))

    def write(self, campaign: Campaign, shop: WeekCards | None) -> None:
        """Its draft, with its card and carousel (if any)."""
        made = shop.card(self.look) if shop else None
        card = (made.path, made.alt_text) if made else None
        slides: list[str] = []
        if shop is not None and self.carousel:
            carousel = shop.carousel(self.post)
            self.files.update(carousel)
            slides = [f for f in carousel if not f.endswith(".txt")]
        meta = _front_matter(campaign, self.post, self.variant, self.post_id, card)
        if slides:
            meta = meta.model_copy(update={"carousel": slides})
        text = PART_SEPARATOR.join(self.variant.parts) if meta.thread else self.variant.text
        content = render_draft(meta, text)
        self.files[f"drafts/{self.name}"] = content.encode("utf-8")
        body_line = content[: content.index("\n---\n", 3) + 5].count("\n") + 1
        titled = any(f.path == "title" for f in self.variant.findings)
        marks = _marks_of(content, self.name) if titled else None
        self.draft = Draft(meta, text, Path(self.name), body_line, marks)


def _shown_by(drafts: list[Draft]) -> set[str]:
    """The card and carousel files these drafts name, with the alt text beside each: a
    draft edited by hand is kept as it is, and so is what it shows, though the new plan
    no longer makes it."""
    shown: set[str] = set()
    for draft in drafts:
        for rel in [*([draft.meta.card] if draft.meta.card else []), *draft.meta.carousel]:
            shown |= {rel, alt_path(rel)}
    return shown


def _carousel_posts(campaign: Campaign, posts: list[PlannedPost]) -> set[int]:
    """The posts that carry a carousel: on each platform the brand turns carousels on for,
    the first post whose angle walks through the key points (a checklist, a key point),
    else its first post that is not a countdown or a replay."""
    from toolkit.cards.carousel import carousel_platforms

    chosen: set[int] = set()
    for platform in carousel_platforms(campaign):
        mine = [p for p in posts if p.platform == platform and campaign.angles[p.angle].rotation]
        points = [p for p in mine if "key_points" in campaign.angles[p.angle].material]
        if points or mine:
            chosen.add(id((points or mine)[0]))
    return chosen


def _edited_after_lint(campaign: Campaign, post: PlannedPost) -> bool:
    # An emoji test's arm B loses its emoji after the copy was checked: lint it as written.
    experiment = campaign.brief.experiment
    return post.arm == "B" and experiment is not None and experiment.variable == "emoji"


def _marks_of(content: str, name: str) -> Marks | None:
    """Where the front matter keys of a draft just rendered sit (for a title's findings)."""
    from toolkit.files.front_matter import read_front_matter

    return read_front_matter(content, Path(name)).marks


def _in_order(drafts: list[Draft]) -> list[Draft]:
    return sorted(drafts, key=lambda d: (d.meta.scheduled_at, d.meta.platform, d.meta.id))


def check_limits(campaign: Campaign, drafts: list[Draft], roots_dir: Path) -> list[LimitProblem]:
    problems: list[LimitProblem] = []
    for d in drafts:
        path = roots_dir / d.path.name if d.path else roots_dir
        platform = campaign.platforms.get(d.meta.platform)
        if platform is None:
            continue
        parts = d.parts
        for i, part in enumerate(parts, start=1):
            length = platform.length(part)
            if length > platform.limit:
                problems.append(
                    LimitProblem(path, d.meta.platform, length, platform.limit,
                                 i if len(parts) > 1 else None)
                )  # fmt: skip
        if platform.title is not None and d.meta.title:
            title_len = platform.length(d.meta.title, title=True)
            if title_len > platform.title.limit:
                problems.append(
                    LimitProblem(path, d.meta.platform, title_len, platform.title.limit,
                                 field="title")
                )  # fmt: skip
    return problems


def _source(out_dir: Path) -> dict[str, Any]:
    try:
        data = json.loads((out_dir / SOURCE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def source_brief(out_dir: Path) -> Path | None:
    """The brief a week folder was built from (recorded by ``build_week``)."""
    brief = _source(out_dir).get("brief")
    return Path(brief) if isinstance(brief, str) and Path(brief).is_file() else None


def _source_start(out_dir: Path) -> date | None:
    """The first day of the week the folder was planned for: relative event dates need it."""
    value = _source(out_dir).get("start")
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def preview_week(out_dir: Path, *, now: datetime, brief: Path | None = None) -> WeekResult:
    """Rebuild index.html from the drafts as edited."""
    drafts = read_drafts(out_dir / "drafts")
    campaign = _campaign_for(out_dir, drafts, brief, now)
    html = preview_html(campaign, drafts, findings=voice_findings(campaign, drafts)).encode("utf-8")
    report = write_outputs(out_dir, {"index.html": html}, stamp=now.strftime("%Y%m%dT%H%M%S"))
    return WeekResult(out_dir, None, tuple(drafts), report, ())


def _campaign_for(
    out_dir: Path, drafts: list[Draft], brief: Path | None, now: datetime
) -> Campaign:
    campaign = load_campaign(brief or source_brief(out_dir), now=now, start=_source_start(out_dir))
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
    campaign = _campaign_for(out_dir, drafts, brief, now)
    problems = check_limits(campaign, drafts, drafts_dir)
    warnings = formula_warnings(drafts)
    files, notes = derived_files(campaign, drafts, None, warnings, now, out_dir=out_dir)
    notes = [*warnings, *notes]
    report = write_outputs(out_dir, files, stamp=now.strftime("%Y%m%dT%H%M%S"), prune=("bulk/",))
    return WeekResult(out_dir, None, tuple(drafts), report, tuple(notes), tuple(problems))
