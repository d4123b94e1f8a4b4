"""`toolkit lint` on large batches: forked workers give the single process's output, --fix
included; a worker that fails or dies changes nothing but who does the work; none is left.

Every batch here is bounded by its size (texts, chunks), never by time. The pool tests
make each process wait, on its first chunk, until the other has taken one, so that both
processes really work, whatever the machine's load (a child scheduled first could
otherwise take every chunk before the parent reads the task pipe, and the reverse).
"""

from __future__ import annotations

import itertools
import os
import shutil
import signal
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bench.lint_corpus import mixed_posts
from toolkit.cli import app
from toolkit.voice.batch import MIN_CHUNK, PARALLEL_MIN_TEXTS, lint_paths, plan
from toolkit.voice.pool import MAX_CHUNKS, can_fork, run_chunks

pytestmark = pytest.mark.skipif(not can_fork(), reason="workers are forked (Linux)")
runner = CliRunner()


def lint(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["lint", *args])
    return result.exit_code, result.stdout, result.stderr


def reaped(pid: int) -> bool:
    """No process, not even a zombie, has this id any more."""
    return not Path(f"/proc/{pid}").exists()


class Handshake:
    """Both ways: a child's first chunk tells its pid, then waits until the parent has
    taken a chunk; the parent's first chunk says so, then waits for a child's pid. So
    each process holds a chunk before the other goes on, and neither can take them all."""

    def __init__(self) -> None:
        self.parent = os.getpid()
        self.read_end, self.write_end = os.pipe()  # children's pids, to the parent
        self.go_read, self.go_write = os.pipe()  # the parent's "I have one", to children
        self.waited = False  # in each process, its own copy: this process's first chunk
        self.children: set[int] = set()

    def __call__(self) -> None:
        if self.waited:
            return
        self.waited = True
        if os.getpid() != self.parent:
            os.write(self.write_end, os.getpid().to_bytes(4, "little"))
            os.read(self.go_read, 1)
        else:
            os.write(self.go_write, b"g" * 64)  # one for each child there could be
            self.children.add(int.from_bytes(os.read(self.read_end, 4), "little"))

    def close(self) -> None:
        os.set_blocking(self.read_end, False)
        try:
            while data := os.read(self.read_end, 4096):
                self.children.update(
                    int.from_bytes(data[i : i + 4], "little") for i in range(0, len(data), 4)
                )
        except BlockingIOError:
            pass
        for fd in (self.read_end, self.write_end, self.go_read, self.go_write):
            os.close(fd)


def pooled(body: Callable[[int], object]) -> tuple[Callable[[int], object], Handshake]:
    shake = Handshake()

    def work(index: int) -> object:
        shake()
        return body(index)

    return work, shake


def test_chunks_come_back_in_order_from_both_processes() -> None:
    work, shake = pooled(lambda i: (i, os.getpid()))
    try:
        results = run_chunks(work, 40, 2, pack=lambda r: r, unpack=lambda _i, r: r)
    finally:
        shake.close()
    assert [i for i, _pid in results] == list(range(40))
    pids = {pid for _i, pid in results}
    assert os.getpid() in pids and pids - {os.getpid()}, "both processes took chunks"
    assert shake.children and all(reaped(pid) for pid in shake.children)


def test_an_error_is_raised_here_and_the_child_reaped() -> None:
    """Whoever takes the bad chunk, the error comes out of this process (a child's chunk
    is redone here, so its traceback is the real one)."""

    def body(index: int) -> int:
        if index == 25:
            raise ValueError("bad text")
        return index

    work, shake = pooled(body)
    try:
        with pytest.raises(ValueError, match="bad text"):
            run_chunks(work, 40, 2)
    finally:
        shake.close()
    assert shake.children and all(reaped(pid) for pid in shake.children)


def test_a_child_that_dies_loses_nothing() -> None:
    parent = os.getpid()

    def body(index: int) -> int:
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return index * index

    work, shake = pooled(body)
    try:
        assert run_chunks(work, 30, 2) == [i * i for i in range(30)]
    finally:
        shake.close()
    assert shake.children and all(reaped(pid) for pid in shake.children)


def test_an_interrupt_here_stops_and_reaps_the_children() -> None:
    parent = os.getpid()

    def body(index: int) -> int:
        if os.getpid() == parent:
            raise KeyboardInterrupt
        return index

    work, shake = pooled(body)
    try:
        with pytest.raises(KeyboardInterrupt):
            run_chunks(work, 1000, 2)
    finally:
        shake.close()
    assert shake.children and all(reaped(pid) for pid in shake.children)


def test_one_process_below_the_break_even() -> None:
    assert plan(PARALLEL_MIN_TEXTS - 1, 2) == (1, [(0, PARALLEL_MIN_TEXTS - 1)])
    assert plan(10_000, 1) == (1, [(0, 10_000)])
    workers, spans = plan(4000, 2)
    assert workers == 2 and spans[0] == (0, spans[0][1]) and spans[-1][1] == 4000
    assert all(a[1] == b[0] for a, b in itertools.pairwise(spans))
    assert len(spans) >= 16  # many chunks each, so the processes finish close together
    assert plan(4000, 8)[0] == 8 and plan(PARALLEL_MIN_TEXTS, 8)[0] == 2
    for count in (PARALLEL_MIN_TEXTS, 999, 4000, 200_000, 1_000_000):
        for cpus in (2, 3, 8, 64):
            workers, spans = plan(count, cpus)
            assert 2 <= workers <= cpus and len(spans) <= MAX_CHUNKS
            assert [a for a, _ in spans[1:]] == [b for _, b in spans[:-1]]
            assert spans[0][0] == 0 and spans[-1][1] == count
            # The last chunks are short: the processes end close together.
            assert spans[-1][1] - spans[-1][0] <= max(MIN_CHUNK, count // MAX_CHUNKS + 1)


def test_the_default_is_the_cpus_no_other_process_runs_on() -> None:
    from toolkit.commands.lint import idle_cpus

    assert idle_cpus(2, "0.00 0.01 0.05 1/90 1234\n") == 2  # only lint itself runs
    assert idle_cpus(2, "3.90 2.00 1.00 2/90 1234\n") == 1  # the load average is history
    assert idle_cpus(2, "0.10 0.10 0.10 6/120 1234\n") == 1  # never fewer than one
    assert idle_cpus(8, "0.10 0.10 0.10 3/120 1234\n") == 6


def drafts(folder: Path, count: int) -> Path:
    """``count`` distinct Markdown drafts with front matter, from the mixed corpus."""
    folder.mkdir()
    for i, (locale, platform, text) in enumerate(mixed_posts(count, seed=3)):
        (folder / f"d{i:04}.md").write_text(
            f"---\nid: d{i}\nplatform: {platform}\nlocale: {locale}\n---\n{text}\n",
            encoding="utf-8",
        )
    return folder


def contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_diff_and_fix_with_workers_do_what_one_process_does_once(tmp_path: Path) -> None:
    one = drafts(tmp_path / "one", PARALLEL_MIN_TEXTS + 50)
    two = tmp_path / "two"
    shutil.copytree(one, two)
    before = contents(one)
    diff_one = lint(str(one), "--diff", "-w", "1")
    diff_two = lint(str(two), "--diff", "-w", "2")
    assert diff_two == (
        diff_one[0],
        diff_one[1].replace(str(one), str(two)),
        diff_one[2].replace(str(one), str(two)),
    )
    assert diff_one[1].startswith("--- a/") and contents(one) == before  # --diff writes nothing
    code_one, out_one, _ = lint(str(one), "--fix", "-w", "1", "-f", "json")
    code_two, out_two, _ = lint(str(two), "--fix", "-w", "2", "-f", "json")
    assert (code_two, out_two.replace(str(two), str(one))) == (code_one, out_one)
    assert contents(two) == contents(one) != before
    # Idempotent: a second --fix finds nothing more it may fix.
    fixed = contents(two)
    code, out, _ = lint(str(two), "--fix", "-w", "2")
    assert contents(two) == fixed and "fixed" not in out.splitlines()[-1]
    assert code == code_two


def test_fix_writes_nothing_when_a_text_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """All the texts are linted before the first file is written (each one atomically)."""
    from toolkit.voice import batch

    folder = drafts(tmp_path / "d", PARALLEL_MIN_TEXTS + 50)
    before = contents(folder)
    real = batch._lint_one

    def failing(source: batch.Source, *args: object) -> batch.FileResult:
        if source.label.endswith("d0300.md"):
            raise RuntimeError("the engine failed")
        return real(source, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(batch, "_lint_one", failing)
    with pytest.raises(RuntimeError, match="the engine failed"):
        lint_paths([folder], mode="fix", workers=2)
    assert contents(folder) == before


def test_bad_input_in_a_large_batch_says_where_and_exits_2(tmp_path: Path) -> None:
    folder = drafts(tmp_path / "d", PARALLEL_MIN_TEXTS + 50)
    bad = folder / "d0420.md"
    bad.write_text(bad.read_text(encoding="utf-8").replace("platform: ", "platform: my"))
    code, out, err = lint(str(folder), "-w", "2")
    assert code == 2 and out == ""
    assert err.startswith(f"{bad}:3:11: unknown platform 'my"), err
    assert "\n  hint: did you mean '" in err
