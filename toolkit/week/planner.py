"""Plan a week: which platform posts when, with which angle and pillar.

Slots come from each platform's posting windows in the audience's time zone
(the brief's, else the brand's; zoneinfo, so daylight-saving changes are
exact), spread across the week, at least ten minutes from any other post.
Event countdowns sit at fixed marks before the event; nothing that promotes
registration is planned after it starts. Angles rotate per platform and are
chosen to meet the brand's content mix; what cannot be met is reported, not
hidden. Times come out in the brand's time zone.
"""

from __future__ import annotations

import dataclasses
import math
import random
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from toolkit.campaign.loader import Campaign
from toolkit.campaign.platforms import Platform, Window
from toolkit.copy.variants import angle_fits, audience_tz, event_view

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MIN_GAP = timedelta(minutes=10)
GRID_MINUTES = 15
COUNTDOWN_MARKS = {
    "7d": timedelta(days=7),
    "3d": timedelta(days=3),
    "1d": timedelta(days=1),
    "1h": timedelta(hours=1),
}


@dataclass(frozen=True)
class Slot:
    platform: str
    at: datetime  # aware
    fixed_angle: str | None = None  # countdown / replay posts
    arm: str | None = None  # "A" / "B" in an experiment
    pair: int | None = None  # experiment pair number


@dataclass(frozen=True)
class PlannedPost:
    platform: str
    at: datetime
    angle: str
    pillar: str
    arm: str | None = None
    pair: int | None = None


@dataclass(frozen=True)
class MixReport:
    targets: dict[str, float]
    counts: dict[str, int]
    total: int
    unmet: tuple[str, ...]  # pillars off target by more than one post


@dataclass(frozen=True)
class WeekPlan:
    start: date
    timezone: str
    posts: tuple[PlannedPost, ...]
    mix: MixReport
    notes: tuple[str, ...] = field(default=())


def next_monday(today: date) -> date:
    """The Monday after ``today`` (a week is planned ahead, never the current one)."""
    return today + timedelta(days=7 - today.weekday())


def _local(day: date, clock: time, tz: ZoneInfo) -> datetime | None:
    """The aware moment for a wall-clock time, or None if the clock skips it (DST gap)."""
    moment = datetime.combine(day, clock, tzinfo=tz)
    round_trip = moment.astimezone(ZoneInfo("UTC")).astimezone(tz)
    if (round_trip.hour, round_trip.minute) != (clock.hour, clock.minute):
        return None
    return moment


def window_times(windows: Iterable[Window], day: date, tz: ZoneInfo) -> list[datetime]:
    """Every grid time inside the platform's windows on ``day``."""
    name = WEEKDAYS[day.weekday()]
    times: list[datetime] = []
    for window in windows:
        if name not in window.days:
            continue
        minute = window.start.hour * 60 + window.start.minute
        end = window.end.hour * 60 + window.end.minute
        while minute < end:
            moment = _local(day, time(minute // 60, minute % 60), tz)
            if moment is not None:
                times.append(moment)
            minute += GRID_MINUTES
    return sorted(set(times))


def _spread(days: list[date], n: int) -> list[date]:
    """``n`` days from ``days`` (repeating when n is larger), as evenly spaced as possible."""
    if n <= 0 or not days:
        return []
    if n >= len(days):
        base = days * (n // len(days))
        return sorted(base + _spread(days, n - len(base)))
    step = len(days) / n
    return [days[math.floor(i * step + step / 2)] for i in range(n)]


def _free(at: datetime, taken: list[datetime]) -> bool:
    return all(abs(at - other) >= MIN_GAP for other in taken)


def _pick_time(
    candidates: list[datetime],
    taken: list[datetime],
    same_platform: list[datetime],
    rng: random.Random,
) -> datetime | None:
    """A free candidate, away from this platform's other posts that day, seeded."""
    free = [c for c in candidates if _free(c, taken)]
    if not free:
        return None
    # Prefer times at least two hours from this platform's posts on the same day.
    spaced = [c for c in free if all(abs(c - s) >= timedelta(hours=2) for s in same_platform)]
    pool = spaced or free
    # Early in the window is better, but not always the first minute: pick among the
    # earliest few so two platforms with the same window do not collide every week.
    return pool[rng.randrange(min(len(pool), 4))]


def _event_platforms(campaign: Campaign, wanted: list[str]) -> list[str]:
    """Where countdown and replay posts go: the brand's list, else manifests that say so."""
    chosen = campaign.brand.config.countdown.platforms
    if chosen is None:
        chosen = [p for p in wanted if campaign.platforms[p].countdown]
    return [p for p in chosen if p in wanted]


def countdown_slots(
    campaign: Campaign, platforms: list[str], start: datetime, end: datetime
) -> list[Slot]:
    event = event_view(campaign)
    if event is None:
        return []
    slots: list[Slot] = []
    for mark in campaign.brand.config.countdown.before:
        at = event.starts - COUNTDOWN_MARKS[mark]
        at = at.replace(minute=at.minute - at.minute % 5, second=0, microsecond=0)
        if not start <= at < end:
            continue
        for platform in _event_platforms(campaign, platforms):
            slots.append(Slot(platform, at, fixed_angle="countdown"))
    return slots


def plan_week(
    campaign: Campaign, *, start: date, seed: int = 0, platforms: list[str] | None = None
) -> WeekPlan:
    """Slots, angles and pillars for the seven days from ``start``."""
    brand = campaign.brand.config
    # Windows are about when the audience reads: the brief's time zone when it names one.
    tz = audience_tz(campaign)
    home = ZoneInfo(brand.timezone)
    rng = random.Random(f"{seed}:week:{start.isoformat()}")
    wanted = platforms or list(campaign.platforms)
    week_start = datetime.combine(start, time(0), tzinfo=tz)
    week_end = datetime.combine(start + timedelta(days=7), time(0), tzinfo=tz)
    days = [start + timedelta(days=i) for i in range(7)]
    event = event_view(campaign)
    cutoff = event.starts if event is not None else None
    notes: list[str] = []

    taken: list[datetime] = []
    slots: list[Slot] = []
    # Fixed posts share the minute of the event mark; stagger them ten minutes apart.
    for slot in countdown_slots(campaign, wanted, week_start, week_end):
        at = slot.at
        while not _free(at, taken):
            at += MIN_GAP
        taken.append(at)
        slots.append(Slot(slot.platform, at, slot.fixed_angle))

    cadence = {p: brand.cadence.get(p, campaign.platforms[p].cadence) for p in wanted}
    # Platforms with the fewest window times pick first.
    order = sorted(
        wanted,
        key=lambda p: sum(len(window_times(campaign.platforms[p].windows, d, tz)) for d in days),
    )
    for platform_id in order:
        platform = campaign.platforms[platform_id]
        need = cadence[platform_id] - sum(1 for s in slots if s.platform == platform_id)
        usable = [
            d
            for d in days
            if any(cutoff is None or t < cutoff for t in window_times(platform.windows, d, tz))
        ]
        if need > 0 and not usable:
            notes.append(
                f"{platform_id}: no posting window left this week"
                + (" before the event starts" if cutoff is not None else "")
                + f"; {need} post(s) not planned"
            )
            continue
        placed = 0
        for day in _spread(usable, need):
            candidates = [
                t for t in window_times(platform.windows, day, tz) if cutoff is None or t < cutoff
            ]
            same = [s.at for s in slots if s.platform == platform_id and s.at.date() == day]
            picked = _pick_time(candidates, taken, same, rng)
            if picked is None:
                continue
            taken.append(picked)
            slots.append(Slot(platform_id, picked))
            placed += 1
        if placed < need:
            missing = need - placed
            notes.append(f"{platform_id}: {missing} post(s) found no free slot in its windows")

    slots += _replay_slots(campaign, wanted, days, tz, taken, rng, notes)
    slots = _experiment_slots(campaign, slots, days, tz, taken, notes)
    # Everything downstream (drafts, calendar, CSVs) speaks the brand's time zone.
    slots = [dataclasses.replace(s, at=s.at.astimezone(home)) for s in slots]
    slots.sort(key=lambda s: (s.at, s.platform))
    posts = _assign_angles(campaign, slots, seed, notes)
    mix = mix_report(brand.mix, posts)
    if mix.unmet:
        notes.append("content mix off target: " + mix_summary(mix))
    return WeekPlan(start, brand.timezone, tuple(posts), mix, tuple(notes))


def _replay_slots(
    campaign: Campaign,
    wanted: list[str],
    days: list[date],
    tz: ZoneInfo,
    taken: list[datetime],
    rng: random.Random,
    notes: list[str],
) -> list[Slot]:
    """One replay post per event platform, in its first window half a day after the event."""
    event = event_view(campaign)
    if event is None or event.replay is None:
        return []
    over = event.ends or event.starts
    slots: list[Slot] = []
    missed: list[str] = []
    for platform_id in _event_platforms(campaign, wanted):
        before = len(slots)
        for day in days:
            candidates = [
                t
                for t in window_times(campaign.platforms[platform_id].windows, day, tz)
                if t >= over + timedelta(hours=12)
            ]
            at = _pick_time(candidates, taken, [], rng)
            if at is not None:
                taken.append(at)
                slots.append(Slot(platform_id, at, fixed_angle="replay"))
                break
        if len(slots) == before and days[0] <= over.date() <= days[-1]:
            missed.append(platform_id)
    if missed:
        notes.append("replay: no posting window after the event this week on " + ", ".join(missed))
    return slots


def _experiment_slots(
    campaign: Campaign,
    slots: list[Slot],
    days: list[date],
    tz: ZoneInfo,
    taken: list[datetime],
    notes: list[str],
) -> list[Slot]:
    """Turn two regular posts per experiment platform into an A/B pair."""
    experiment = campaign.brief.experiment
    if experiment is None:
        return slots
    targets = experiment.platforms or list(campaign.platforms)
    out = list(slots)
    pair = 0
    for platform_id in targets:
        if platform_id not in campaign.platforms:
            continue
        regular = sorted(
            (s for s in out if s.platform == platform_id and s.fixed_angle is None),
            key=lambda s: s.at,
        )
        if not regular:
            notes.append(f"experiment: no regular {platform_id} post to pair this week")
            continue
        first = regular[0]
        second = _pair_with(first, regular[1:], experiment.variable)
        if second is not None:
            out.remove(second)
            partner = second.at
        else:
            found = _partner_time(
                campaign.platforms[platform_id], first, experiment.variable, days, tz, taken
            )
            if found is None:
                notes.append(f"experiment: no second {platform_id} slot for arm B this week")
                continue
            partner = found
            taken.append(partner)
        pair += 1
        out.remove(first)
        out.append(Slot(platform_id, first.at, arm="A", pair=pair))
        out.append(Slot(platform_id, partner, arm="B", pair=pair))
    return out


def _clock(moment: datetime) -> int:
    return moment.hour * 60 + moment.minute


def _pair_with(first: Slot, others: list[Slot], variable: str) -> Slot | None:
    """An already planned post to serve as arm B: another day at the closest clock time
    (hook, emoji), or the most different time of day, three hours apart at least (time)."""
    if variable == "time":
        far = [s for s in others if abs(_clock(s.at) - _clock(first.at)) >= 180]
        return max(far, key=lambda s: abs(_clock(s.at) - _clock(first.at)), default=None)
    other_days = [s for s in others if s.at.date() != first.at.date()]
    return min(other_days, key=lambda s: abs(_clock(s.at) - _clock(first.at)), default=None)


def _partner_time(
    platform: Platform,
    first: Slot,
    variable: str,
    days: list[date],
    tz: ZoneInfo,
    taken: list[datetime],
) -> datetime | None:
    """A new slot for arm B when no planned post can serve."""
    options = [t for d in days for t in window_times(platform.windows, d, tz)]
    if variable == "time":
        options = [t for t in options if abs(_clock(t) - _clock(first.at)) >= 180]
        options.sort(key=lambda t: (abs((t.date() - first.at.date()).days), t))
    else:
        options = [t for t in options if t.date() != first.at.date()]
        options.sort(key=lambda t: (abs(_clock(t) - _clock(first.at)), t))
    return next((o for o in options if _free(o, taken)), None)


def _assign_angles(
    campaign: Campaign, slots: list[Slot], seed: int, notes: list[str]
) -> list[PlannedPost]:
    angles = campaign.angles
    goal = _largest_remainder(campaign.brand.config.mix, len(slots))
    counts: Counter[str] = Counter()
    previous: dict[str, str] = {}
    used: dict[str, Counter[str]] = defaultdict(Counter)
    pair_angle: dict[int, str] = {}
    rng = random.Random(f"{seed}:angles")
    # Fixed posts count first: they are not negotiable.
    for slot in slots:
        if slot.fixed_angle:
            counts[angles[slot.fixed_angle].pillar] += 1
    posts: list[PlannedPost] = []
    for slot in slots:
        if slot.fixed_angle:
            angle = slot.fixed_angle
        elif slot.pair is not None and slot.pair in pair_angle:
            angle = pair_angle[slot.pair]
            counts[angles[angle].pillar] += 1
        else:
            eligible = [
                name
                for name, a in angles.items()
                if a.rotation and angle_fits(campaign, a, slot.at)
            ]
            fresh = [a for a in eligible if a != previous.get(slot.platform)] or eligible
            if not fresh:
                notes.append(f"{slot.platform}: no angle fits the post at {slot.at:%a %H:%M}")
                continue
            usage = used[slot.platform]

            def score(name: str, usage: Counter[str] = usage) -> tuple[float, int, float]:
                pillar = angles[name].pillar
                deficit = goal.get(pillar, 0) - counts[pillar]
                return (-deficit, usage[name], rng.random())

            angle = min(fresh, key=score)
            counts[angles[angle].pillar] += 1
            if slot.pair is not None:
                pair_angle[slot.pair] = angle
        previous[slot.platform] = angle
        used[slot.platform][angle] += 1
        posts.append(
            PlannedPost(slot.platform, slot.at, angle, angles[angle].pillar, slot.arm, slot.pair)
        )
    return posts


def _largest_remainder(shares: dict[str, float], total: int) -> dict[str, int]:
    raw = {k: v * total for k, v in shares.items()}
    floor = {k: math.floor(v) for k, v in raw.items()}
    left = total - sum(floor.values())
    for k in sorted(raw, key=lambda k: raw[k] - floor[k], reverse=True)[:left]:
        floor[k] += 1
    return floor


def mix_report(targets: dict[str, float], posts: Iterable[PlannedPost]) -> MixReport:
    counted = Counter(p.pillar for p in posts)
    total = sum(counted.values())
    goal = _largest_remainder(targets, total)
    pillars = sorted(set(targets) | set(counted))
    unmet = tuple(p for p in pillars if abs(counted.get(p, 0) - goal.get(p, 0)) > 1)
    return MixReport(dict(targets), {p: counted.get(p, 0) for p in pillars}, total, unmet)


def mix_summary(mix: MixReport) -> str:
    parts = []
    for pillar, count in mix.counts.items():
        share = count / mix.total if mix.total else 0.0
        target = mix.targets.get(pillar, 0.0)
        parts.append(f"{pillar} {count}/{mix.total} ({share:.0%}, target {target:.0%})")
    return ", ".join(parts)
