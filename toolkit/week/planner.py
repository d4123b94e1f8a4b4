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

from toolkit.campaign.facts import angle_fits, audience_tz, ends_at, event_view, material
from toolkit.campaign.loader import Campaign
from toolkit.campaign.platforms import Platform, Window

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
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
    # How many posts of this angle come before this one in the week (all platforms):
    # the copy leads with the material at this position, so no two posts repeat.
    rotation: int = 0


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


def _quiet_days(days: list[date], n: int, load: Counter[date], mine: set[date]) -> list[date]:
    """``n`` of ``days`` for one platform's freely placed posts: the days the week has
    fewest posts on (any platform) first, away from the days this platform already
    posts on or was just given, so that a calendar has no empty day while its
    Tuesday holds eight posts."""
    if n >= len(days):
        return _spread(days, n)
    picked: list[date] = []

    def crowd(day: date) -> tuple[int, int]:
        beside = sum(1 for other in mine.union(picked) if abs((day - other).days) <= 1)
        return (load[day] + 2 * beside, days.index(day))

    for _ in range(n):
        picked.append(min((d for d in days if d not in picked), key=crowd))
    return sorted(picked)


@dataclass
class Timeline:
    """The moments already taken, and the spacing rules every new post respects."""

    any_gap: timedelta
    platform_gap: timedelta
    taken: list[tuple[str, datetime]] = field(default_factory=list)

    def free(self, platform: str, at: datetime) -> bool:
        for other_platform, other in self.taken:
            gap = self.platform_gap if other_platform == platform else self.any_gap
            if abs(at - other) < gap:
                return False
        return True

    def take(self, platform: str, at: datetime) -> None:
        self.taken.append((platform, at))


def _pick_time(
    candidates: list[datetime], platform: str, timeline: Timeline, rng: random.Random
) -> datetime | None:
    """A free candidate, seeded."""
    free = [c for c in candidates if timeline.free(platform, c)]
    if not free:
        return None
    # Early in the window is better, but not always the first minute: pick among the
    # earliest few so two platforms with the same window do not collide every week.
    return free[rng.randrange(min(len(free), 4))]


def _event_platforms(campaign: Campaign, wanted: list[str], *, replay: bool = False) -> list[str]:
    """Where countdown (or replay) posts go: the brand's list, else manifests that say so."""
    chosen = campaign.brand.config.countdown.platforms
    if chosen is None:
        chosen = [p for p in wanted if campaign.platforms[p].countdown]
    if replay:
        extra = [p for p in wanted if campaign.platforms[p].replay]
        skip = {p for p in wanted if campaign.platforms[p].replay is False}
        chosen = [p for p in wanted if (p in chosen and p not in skip) or p in extra]
    return [p for p in chosen if p in wanted]


@dataclass(frozen=True)
class Horizon:
    """When regular posts may go out: not in the past, not during the event, and not after
    it when the brief says the campaign ends with the event."""

    earliest: datetime
    event_starts: datetime | None
    event_over: datetime | None
    ends_campaign: bool

    def allows(self, at: datetime) -> bool:
        if at < self.earliest:
            return False
        if self.event_starts is None or self.event_over is None:
            return True
        if self.event_starts <= at < self.event_over:
            return False
        return not (self.ends_campaign and at >= self.event_over)


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
    campaign: Campaign,
    *,
    start: date,
    now: datetime,
    seed: int = 0,
    platforms: list[str] | None = None,
) -> WeekPlan:
    """Slots, angles and pillars for the seven days from ``start``; nothing before ``now``."""
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
    notes: list[str] = []
    if now > week_start:
        notes.append(
            f"the week of {start.isoformat()} has begun: nothing is planned before now "
            f"({now.astimezone(home):%Y-%m-%d %H:%M %Z})"
            if now < week_end
            else f"the week of {start.isoformat()} is over: nothing is planned in the past"
        )
    over = ends_at(event) if event is not None else None
    horizon = Horizon(
        earliest=max(now, week_start),
        event_starts=event.starts if event is not None else None,
        event_over=over,
        ends_campaign=bool(campaign.brief.event and campaign.brief.event.ends_campaign),
    )
    if event is not None and over is not None and over < week_end:
        ended = f"the event ended on {over.astimezone(home):%Y-%m-%d %H:%M %Z}"
        # A released event (a launch) closes no registration and has no recording to miss.
        if not event.released:
            when = "this week" if over <= week_start else "after it"
            notes.append(f"{ended}: no post {when} promotes registration")
        if event.replay is None and not event.released and not horizon.ends_campaign:
            # Said once here: each such post's require.link finding, alone, reads like a
            # fault of the copy, when what is missing is a link only the brief can give.
            notes.append(
                "the brief names no recording (event.replay): posts after the event carry "
                "no link and ask readers to follow instead; add the recording's link when "
                "there is one"
            )
        if horizon.ends_campaign:
            notes.append(f"{ended} and the brief ends the campaign with it (event.ends_campaign)")

    timeline = Timeline(
        any_gap=timedelta(minutes=brand.spacing.any_minutes),
        platform_gap=timedelta(minutes=brand.spacing.same_platform_minutes),
    )
    slots: list[Slot] = []
    # Fixed posts share the minute of the event mark; stagger them across platforms.
    for slot in countdown_slots(campaign, wanted, max(week_start, now), week_end):
        at = slot.at
        while not timeline.free(slot.platform, at) and at < slot.at + timedelta(hours=1):
            at += timedelta(minutes=max(brand.spacing.any_minutes, 5))
        if not timeline.free(slot.platform, at):
            continue
        timeline.take(slot.platform, at)
        slots.append(Slot(slot.platform, at, slot.fixed_angle))
    slots += _replay_slots(campaign, wanted, days, tz, timeline, rng, horizon.earliest, notes)

    cadence = {p: brand.cadence.get(p, campaign.platforms[p].cadence) for p in wanted}
    # Platforms with the fewest window times pick first.
    order = sorted(
        wanted,
        key=lambda p: sum(len(window_times(campaign.platforms[p].windows, d, tz)) for d in days),
    )
    for platform_id in order:
        platform = campaign.platforms[platform_id]
        need = cadence[platform_id] - sum(1 for s in slots if s.platform == platform_id)
        if need <= 0:
            continue
        usable = [
            d for d in days if any(horizon.allows(t) for t in window_times(platform.windows, d, tz))
        ]
        if not usable:
            notes.append(f"{platform_id}: {_no_window_reason(horizon, week_end)}; "
                         f"{need} post(s) not planned")  # fmt: skip
            continue
        placed = 0
        # Days this platform already posts on (its countdowns, its replay) come last: the
        # rest of its posts spread over the others when there are enough of them.
        busy = {s.at.astimezone(tz).date() for s in slots if s.platform == platform_id}
        fresh = [d for d in usable if d not in busy]
        load = Counter(s.at.astimezone(tz).date() for s in slots)
        days_for = _quiet_days(fresh, need, load, busy) if len(fresh) >= need else None
        for day in days_for or _spread(usable, need):
            candidates = [t for t in window_times(platform.windows, day, tz) if horizon.allows(t)]
            picked = _pick_time(candidates, platform_id, timeline, rng)
            if picked is None:
                continue
            timeline.take(platform_id, picked)
            slots.append(Slot(platform_id, picked))
            placed += 1
        if placed < need:
            # Days that got no post on the first pass may still have room.
            for day in usable:
                if placed >= need:
                    break
                candidates = [
                    t for t in window_times(platform.windows, day, tz) if horizon.allows(t)
                ]
                picked = _pick_time(candidates, platform_id, timeline, rng)
                if picked is not None:
                    timeline.take(platform_id, picked)
                    slots.append(Slot(platform_id, picked))
                    placed += 1
        if placed < need:
            gap = brand.spacing.same_platform_minutes
            notes.append(
                f"{platform_id}: {need - placed} post(s) found no free slot in its windows "
                f"({gap} minutes apart on one platform)"
            )

    slots = _experiment_slots(campaign, slots, days, tz, timeline, horizon, notes)
    # Everything downstream (drafts, calendar, CSVs) speaks the brand's time zone.
    slots = [dataclasses.replace(s, at=s.at.astimezone(home)) for s in slots]
    slots.sort(key=lambda s: (s.at, s.platform))
    posts = _assign_angles(campaign, slots, seed, notes)
    notes += _material_notes(campaign, posts)
    mix = mix_report(brand.mix, posts)
    if mix.unmet:
        notes.append(
            "content mix off target: " + mix_summary(mix) + _mix_reason(campaign, slots, mix)
        )
    return WeekPlan(start, brand.timezone, tuple(posts), mix, tuple(notes))


def _no_window_reason(horizon: Horizon, week_end: datetime) -> str:
    if horizon.earliest >= week_end:
        return "the week is in the past"
    if horizon.ends_campaign and horizon.event_over is not None:
        return "no posting window left before the event, and the campaign ends with it"
    return "no posting window left this week"


REPLAY_SEARCH = timedelta(days=14)


def _replay_slots(
    campaign: Campaign,
    wanted: list[str],
    days: list[date],
    tz: ZoneInfo,
    timeline: Timeline,
    rng: random.Random,
    earliest: datetime,
    notes: list[str],
) -> list[Slot]:
    """One replay post per replay platform, in its first window half a day after the event.

    That window is found from the event, not from this week, so each platform gets its
    replay post exactly once, in whichever week holds it (later weeks' posts carry the
    replay link instead).
    """
    event = event_view(campaign)
    if event is None or event.replay is None:
        return []
    over = ends_at(event)
    opens = over + timedelta(hours=12)
    first_day = opens.astimezone(tz).date()
    slots: list[Slot] = []
    missed: list[str] = []
    for platform_id in _event_platforms(campaign, wanted, replay=True):
        windows = campaign.platforms[platform_id].windows
        due = next(
            (
                t
                for n in range(REPLAY_SEARCH.days)
                for t in window_times(windows, first_day + timedelta(days=n), tz)
                if t >= opens
            ),
            None,
        )
        if due is None or due.date() not in days:
            continue  # its replay post belongs to another week (or it has no window)
        candidates = [
            t for d in days if d >= due.date() for t in window_times(windows, d, tz)
            if t >= max(due, earliest)
        ]  # fmt: skip
        at = _pick_time(candidates, platform_id, timeline, rng)
        if at is None:
            missed.append(platform_id)
            continue
        timeline.take(platform_id, at)
        slots.append(Slot(platform_id, at, fixed_angle="replay"))
    if missed:
        notes.append(
            "replay: no free posting window after the event this week on " + ", ".join(missed)
        )
    return slots


def _experiment_slots(
    campaign: Campaign,
    slots: list[Slot],
    days: list[date],
    tz: ZoneInfo,
    timeline: Timeline,
    horizon: Horizon,
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
                campaign.platforms[platform_id], first, experiment.variable, days, tz, timeline,
                horizon,
            )  # fmt: skip
            if found is None:
                notes.append(f"experiment: no second {platform_id} slot for arm B this week")
                continue
            partner = found
            timeline.take(platform_id, partner)
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
    timeline: Timeline,
    horizon: Horizon,
) -> datetime | None:
    """A new slot for arm B when no planned post can serve."""
    options = [t for d in days for t in window_times(platform.windows, d, tz) if horizon.allows(t)]
    if variable == "time":
        options = [t for t in options if abs(_clock(t) - _clock(first.at)) >= 180]
        options.sort(key=lambda t: (abs((t.date() - first.at.date()).days), t))
    else:
        options = [t for t in options if t.date() != first.at.date()]
        options.sort(key=lambda t: (abs(_clock(t) - _clock(first.at)), t))
    return next((o for o in options if timeline.free(first.platform, o)), None)


def _assign_angles(
    campaign: Campaign, slots: list[Slot], seed: int, notes: list[str]
) -> list[PlannedPost]:
    angles = campaign.angles
    goal = _largest_remainder(campaign.brand.config.mix, len(slots))
    counts: Counter[str] = Counter()
    previous: dict[str, str] = {}
    used: dict[str, Counter[str]] = defaultdict(Counter)
    rotation: Counter[str] = Counter()  # posts of each angle so far, all platforms
    pair_choice: dict[int, tuple[str, int]] = {}
    rng = random.Random(f"{seed}:angles")
    # Fixed posts count first: they are not negotiable.
    for slot in slots:
        if slot.fixed_angle:
            counts[angles[slot.fixed_angle].pillar] += 1
    posts: list[PlannedPost] = []
    for slot in slots:
        if slot.pair is not None and slot.pair in pair_choice:
            # Arm B is arm A's post: same angle, same material; only the variable differs.
            angle, turn = pair_choice[slot.pair]
            counts[angles[angle].pillar] += 1
        else:
            if slot.fixed_angle:
                angle = slot.fixed_angle
            else:
                eligible = [
                    name
                    for name, a in angles.items()
                    if a.rotation and angle_fits(campaign, a, slot.at, slot.platform)
                ]
                fresh = [a for a in eligible if a != previous.get(slot.platform)] or eligible
                if not fresh:
                    notes.append(f"{slot.platform}: no angle fits the post at {slot.at:%a %H:%M}")
                    continue
                usage = used[slot.platform]

                def score(name: str, usage: Counter[str] = usage) -> tuple[int, int, float]:
                    pillar = angles[name].pillar
                    deficit = goal.get(pillar, 0) - counts[pillar]
                    # The mix first, then variety on the platform, then the freshest material.
                    return (-deficit, usage[name], rotation[name] + rng.random())

                angle = min(fresh, key=score)
                counts[angles[angle].pillar] += 1
            turn = rotation[angle]
            rotation[angle] += 1
            if slot.pair is not None:
                pair_choice[slot.pair] = (angle, turn)
        previous[slot.platform] = angle
        used[slot.platform][angle] += 1
        posts.append(
            PlannedPost(
                slot.platform, slot.at, angle, angles[angle].pillar, slot.arm, slot.pair, turn
            )
        )
    return posts


def _material_notes(campaign: Campaign, posts: list[PlannedPost]) -> list[str]:
    """Where the brief's material ran out: later posts reuse it in a new form. Say so, and
    which brief fields would give them something new."""
    notes = []
    for angle in dict.fromkeys(p.angle for p in posts):
        fields = campaign.angles[angle].material
        if not fields:
            continue
        items = len(material(campaign, angle))
        uses = sum(1 for p in posts if p.angle == angle and p.arm != "B")
        if items and uses > items:
            notes.append(
                f"{angle}: {uses} posts lead with {items} item(s) of the brief's "
                f"{' and '.join(fields)}; {uses - items} reuse the least recent in a new form "
                f"(add more {fields[0]} to the brief for fresher posts)"
            )
    return notes


def _mix_reason(campaign: Campaign, slots: list[Slot], mix: MixReport) -> str:
    """Why the mix is off, when the posts at fixed marks (countdowns, replays) alone go
    over a pillar's share (the goal ``mix_report`` measured against): no choice of
    angles for the other posts can meet it then."""
    goal = _largest_remainder(mix.targets, mix.total)
    fixed = Counter(s.fixed_angle for s in slots if s.fixed_angle)
    for pillar in sorted(goal):
        mine = {a: n for a, n in fixed.items() if campaign.angles[a].pillar == pillar}
        if sum(mine.values()) > goal[pillar] + 1:
            named = " and ".join(f"{n} {angle}" for angle, n in sorted(mine.items()))
            return (
                f"; the {named} posts alone are {pillar}, over its {goal[pillar]}: fewer "
                f"countdown marks (brand.yaml countdown.before) or platforms "
                f"(countdown.platforms), or a larger {pillar} share in mix, would meet it"
            )
    return ""


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
