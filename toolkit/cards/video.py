"""A still from a video for its thumbnail: decoded with PyAV (FFmpeg ships in its wheel).

Without a time, a bounded sample of keyframes (at most ``MAX_SAMPLES``) is
looked at, spread over the video and reached by seeking (no full decode).
Each is measured on a small grey copy: too dark, blown out, blurred (edge
energy well below the other samples'), or at a scene cut or fade (it
differs strongly from the frame right after it) rules a frame out; among
the rest the sharpest, most detailed frame wins, a frame with a face first
when the optional face detector is installed.
"""

from __future__ import annotations

import math
import operator
import statistics
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from PIL import Image, ImageChops, ImageFilter, ImageStat

from toolkit.cards import faces
from toolkit.errors import InputError, Location

MAX_SAMPLES = 30
# Ten keyframes over the video keep a warm pick of a minute of 1080p well within the
# thumbnail's time budget (each 1080p keyframe costs ~4 ms to decode, most of the
# pick); up to MAX_SAMPLES may be asked for.
DEFAULT_SAMPLES = 10
CHECKED = 4  # leading candidates checked for a cut before giving up on the check
FACE_CHECKED = 4  # leading candidates searched for faces (when a detector is installed)
DARK = 28.0  # mean luma (0-255) under which a frame reads as black
BRIGHT = 230.0  # mean luma over which a frame reads as blown out
CLIPPED = 0.45  # share of pure white pixels that also means blown out
BLURRED = 0.35  # edge energy below this share of the sharper samples' (upper quartile)
CUT = 20.0  # mean difference (0-255) to the next frame: a cut or a fade
_PROBE = (320, 180)  # the grey copy frames are measured on
_DIFF = (64, 36)
_LEVELS = range(256)
_SQUARES = [level * level for level in _LEVELS]


@dataclass(frozen=True)
class FrameScore:
    """One sampled frame: where it is and what was measured."""

    time: float
    brightness: float
    clipped: float
    sharpness: float
    detail: float
    change: float
    faces: int | None
    rejected: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "time": round(self.time, 3),
            "brightness": round(self.brightness, 1),
            "clipped": round(self.clipped, 3),
            "sharpness": round(self.sharpness, 2),
            "detail": round(self.detail, 1),
            "change": round(self.change, 1),
            "faces": self.faces,
            "rejected": list(self.rejected),
        }


@dataclass(frozen=True)
class FramePick:
    """The chosen frame, when it is, why it was chosen, and what else was looked at."""

    time: float
    image: Image.Image = field(repr=False)
    reasons: tuple[str, ...]
    duration: float
    samples: tuple[FrameScore, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "time": round(self.time, 3),
            "duration": round(self.duration, 3),
            "reasons": list(self.reasons),
            "samples": [s.to_json() for s in self.samples],
        }


def _error(path: Path, message: str, hint: str) -> InputError:
    return InputError(message, location=Location(path), hint=hint)


@contextmanager
def _opened(path: Path) -> Iterator[tuple[Any, Any]]:
    """The container and its first video stream; clear errors for anything else."""
    import av

    if not path.is_file():
        raise _error(path, "the video does not exist", f"looked for {path.resolve()}")
    try:
        container = av.open(str(path), metadata_errors="ignore")
    except (av.error.FFmpegError, UnicodeDecodeError, ValueError) as exc:
        raise _error(
            path,
            f"cannot be read as a video: not a video file, or damaged ({exc.__class__.__name__})",
            "give an MP4, MOV, WebM or MKV file; a cut-off download or copy is damaged",
        ) from None
    try:
        streams = container.streams.video
        if not streams:
            raise _error(
                path, "the file has no video stream", "is it an audio file? give the video itself"
            )
        yield container, streams[0]
    finally:
        container.close()


def _duration(container: Any, stream: Any) -> float:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return float(container.duration) / 1_000_000
    return 0.0


def _frames(path: Path, container: Any, stream: Any) -> Iterator[Any]:
    import av

    try:
        for packet in container.demux(stream):
            yield from packet.decode()
    except av.error.FFmpegError as exc:
        raise _error(
            path, f"the video is damaged and cannot be decoded ({exc})", "export it again"
        ) from None


def _seek(path: Path, container: Any, stream: Any, seconds: float) -> None:
    import av

    try:
        container.seek(max(0, int(seconds / stream.time_base)), stream=stream, backward=True)
    except av.error.FFmpegError as exc:
        raise _error(path, f"cannot seek in the video ({exc})", "export it again") from None


def _time(frame: Any) -> float:
    return float(frame.time) if frame.time is not None else 0.0


def _probe(frame: Any) -> Image.Image:
    """The small grey copy a frame is measured on."""
    grey = _reformatter().reformat(
        frame, width=_PROBE[0], height=_PROBE[1], format="gray", interpolation="AREA"
    )
    plane = grey.planes[0]
    return Image.frombuffer("L", _PROBE, bytes(plane), "raw", "L", plane.line_size, 1)


def _moments(histogram: list[int]) -> tuple[float, float]:
    """Mean and standard deviation of a grey image from its histogram (what
    ``ImageStat`` gives, without its per-call overhead: this runs once per sample)."""
    count = sum(histogram)
    total = sum(map(operator.mul, _LEVELS, histogram))
    squares = sum(map(operator.mul, _SQUARES, histogram))
    return total / count, math.sqrt((squares - total**2 / count) / count)  # as ImageStat


def _measure(time: float, probe: Image.Image) -> FrameScore:
    histogram = probe.histogram()
    brightness, detail = _moments(histogram)
    pixels = probe.width * probe.height
    edges = probe.filter(ImageFilter.FIND_EDGES).crop((1, 1, *_PROBE))
    return FrameScore(
        time=time,
        brightness=brightness,
        clipped=sum(histogram[250:]) / pixels,
        sharpness=_moments(edges.histogram())[0],
        detail=detail,
        change=0.0,
        faces=None,
    )


def _with_faces(
    judged: list[tuple[FrameScore, Image.Image]],
) -> list[tuple[FrameScore, Image.Image]]:
    """Faces counted on the leading flawless candidates only (detection is the costly part)."""
    if not faces.available():
        return judged
    out = []
    for rank, (score, probe) in enumerate(judged):
        if rank < FACE_CHECKED and not score.rejected:
            found = faces.find_faces(probe.convert("RGB")) or ()
            score = replace(score, faces=len(found))
        out.append((score, probe))
    return sorted(out, key=lambda pair: _rank(pair[0]), reverse=True)


def _judge(score: FrameScore, reference: float) -> FrameScore:
    why: list[str] = []
    if score.brightness < DARK:
        why.append("black or too dark")
    if score.brightness > BRIGHT or score.clipped > CLIPPED:
        why.append("blown out")
    if score.sharpness < BLURRED * reference:
        why.append("blurred")
    if score.change > CUT:
        why.append("at a scene cut or fade")
    return replace(score, rejected=tuple(why))


def _rank(score: FrameScore) -> tuple[float, ...]:
    return (
        0 if score.rejected else 1,
        1 if score.faces else 0,
        score.sharpness * (1 + score.detail / 64),
    )


def sample_times(duration: float, count: int = DEFAULT_SAMPLES) -> list[float]:
    """Evenly spread times, clear of the first and last instants (fades in and out)."""
    count = max(1, min(count, MAX_SAMPLES))
    return [duration * (i + 0.5) / count for i in range(count)]


def _keyframe(
    path: Path, container: Any, stream: Any, at: float, probe: Image.Image | None = None
) -> tuple[Any, float]:
    """The keyframe at ``at`` and how much the picture moves from it to the next frame
    (a cut or a fade moves a lot); ``probe``: the keyframe's grey copy, when made already."""
    _seek(path, container, stream, at)
    frames = _frames(path, container, stream)
    first, after = next(frames, None), next(frames, None)
    if first is None:
        raise _error(path, f"the frame at {at:.2f} s cannot be decoded", "export it again")
    if after is None:
        return first, 0.0
    if probe is None or _time(first) != at:  # the seek landed elsewhere: measure this one
        probe = _probe(first)
    a, b = probe.resize(_DIFF), _probe(after).resize(_DIFF)
    return first, float(ImageStat.Stat(ImageChops.difference(a, b)).mean[0])


def still(frame: Any, cover: tuple[int, int] | None) -> Image.Image:
    """The frame in RGB, scaled down (never up) to just cover ``cover`` when given.

    Converting at the card's size is several times cheaper than at 1080p or 4K.
    """
    scale = 1.0
    if cover is not None:
        scale = min(1.0, max(cover[0] / frame.width, cover[1] / frame.height))
    width, height = max(2, round(frame.width * scale)), max(2, round(frame.height * scale))
    rgb = _reformatter().reformat(
        frame, width=width, height=height, format="rgb24", interpolation="AREA"
    )
    # Straight from the plane (its rows may be padded): ``to_image`` costs twice as much.
    plane = rgb.planes[0]
    return Image.frombytes("RGB", (width, height), bytes(plane), "raw", "RGB", plane.line_size, 1)


@lru_cache(maxsize=1)
def _reformatter() -> Any:
    """One converter for the process: it keeps its scaler between frames of one geometry
    (a frame's own ``to_image`` builds a new one, several times the cost of converting)."""
    from av.video.reformatter import VideoReformatter

    return VideoReformatter()


def pick_frame(
    path: Path, *, samples: int = DEFAULT_SAMPLES, cover: tuple[int, int] | None = None
) -> FramePick:
    """The best thumbnail frame of the video at ``path`` (at most ``samples`` keyframes).

    Keyframes alone are decoded while sampling (the cheapest frames to reach);
    the leading candidates are then checked against the frame after them, and
    one at a cut or in a fade gives way to the next. ``cover``: the card size
    the still will fill (see ``still``).
    """
    with _opened(path) as (container, stream):
        duration = _duration(container, stream)
        stream.codec_context.skip_frame = "NONKEY"
        # Only the small grey copies are kept: the chosen frame is decoded again.
        scored: list[tuple[FrameScore, Image.Image]] = []
        seen: set[float] = set()
        for target in sample_times(duration, samples) if duration > 0 else [0.0]:
            _seek(path, container, stream, target)
            first = next(_frames(path, container, stream), None)
            if first is None or _time(first) in seen:
                continue  # the same keyframe as an earlier sample
            seen.add(_time(first))
            probe = _probe(first)
            scored.append((_measure(_time(first), probe), probe))
        if not scored:
            raise _error(path, "the video has no frames that can be decoded", "export it again")
        # Blur is judged against the sharper frames of this video (its upper
        # quartile), so a mostly soft video still has its blurred stretch found.
        sharpness = [s.sharpness for s, _ in scored]
        reference = statistics.quantiles(sharpness, n=4)[2] if len(sharpness) > 1 else sharpness[0]
        judged = _with_faces(
            sorted(
                ((_judge(s, reference), p) for s, p in scored),
                key=lambda pair: _rank(pair[0]),
                reverse=True,
            )
        )
        stream.codec_context.skip_frame = "DEFAULT"
        decoded: dict[float, Any] = {}
        for i, (score, probe) in enumerate(judged[:CHECKED]):
            if score.rejected:
                break
            frame, change = _keyframe(path, container, stream, score.time, probe)
            decoded[score.time] = frame
            judged[i] = (_judge(replace(score, change=change), reference), probe)
            if not judged[i][0].rejected:
                break
        best = max((s for s, _ in judged), key=_rank)
        frame = decoded.get(best.time) or _keyframe(path, container, stream, best.time)[0]
        samples_seen = tuple(sorted((s for s, _ in judged), key=lambda s: s.time))
        return FramePick(
            time=best.time,
            image=still(frame, cover),
            reasons=_reasons(best, list(samples_seen)),
            duration=duration,
            samples=samples_seen,
        )


def _reasons(best: FrameScore, all_scores: list[FrameScore]) -> tuple[str, ...]:
    rejected = [s for s in all_scores if s.rejected]
    out = [f"looked at {len(all_scores)} keyframes; {len(rejected)} ruled out"]
    kinds = sorted({why for s in rejected for why in s.rejected})
    if kinds:
        out.append("ruled out: " + ", ".join(kinds))
    if best.rejected:
        out.append("every frame had a flaw; this one is the least bad: " + ", ".join(best.rejected))
    else:
        out.append("the sharpest, most detailed of the rest, not at a cut")
    if best.faces:
        out.append(f"{best.faces} face(s) in view")
    elif best.faces is None:
        out.append("no face detector installed (pip install 'toolkit[faces]')")
    return tuple(out)


def grab_frame(path: Path, at: float, *, cover: tuple[int, int] | None = None) -> FramePick:
    """The frame shown at ``at`` seconds."""
    with _opened(path) as (container, stream):
        duration = _duration(container, stream)
        if at < 0 or (duration > 0 and at >= duration):
            raise _error(
                path,
                f"--at {at:g} s is past the end of the video ({duration:.2f} s long)",
                f"give a time from 0 to {max(0.0, duration - 0.01):.2f}",
            )
        _seek(path, container, stream, at)
        found = None
        for frame in _frames(path, container, stream):
            if found is not None and _time(frame) > at + 1e-6:
                break
            found = frame
        if found is None:
            raise _error(path, f"no frame at {at:g} s", "give an earlier time")
        return FramePick(
            time=_time(found),
            image=still(found, cover),
            reasons=("the time asked for",),
            duration=duration,
        )


def parse_time(text: str) -> float:
    """``--at``: seconds (12.5), or [hh:]mm:ss(.f)."""
    parts = text.strip().split(":")
    try:
        values = [float(p) for p in parts]
    except ValueError:
        raise InputError(
            f"--at '{text}' is not a time", hint="seconds (12.5) or mm:ss (1:05)"
        ) from None
    if len(values) > 3 or any(v < 0 for v in values):
        raise InputError(f"--at '{text}' is not a time", hint="seconds (12.5) or mm:ss (1:05)")
    seconds = 0.0
    for value in values:
        seconds = seconds * 60 + value
    return seconds
