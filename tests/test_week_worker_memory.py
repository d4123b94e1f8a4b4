"""A week's card worker has its malloc keep freed blocks (``_keep_freed_memory``), where
there is such a malloc; nowhere does asking fail."""

from __future__ import annotations

import multiprocessing

import pytest

from toolkit.week import cards


def _in_child(conn: object) -> None:
    cards._keep_freed_memory()
    conn.send("ok")  # type: ignore[attr-defined]


def test_a_worker_keeps_freed_memory_without_failing() -> None:
    ctx = multiprocessing.get_context("fork")
    ours, theirs = ctx.Pipe()
    process = ctx.Process(target=_in_child, args=(theirs,))
    process.start()
    assert ours.recv() == "ok"
    process.join()
    assert process.exitcode == 0


def test_elsewhere_nothing_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    import ctypes

    def refuse(*args: object) -> None:
        raise AssertionError("no libc is loaded off Linux")

    monkeypatch.setattr("sys.platform", "darwin")
    monkeypatch.setattr(ctypes, "CDLL", refuse)
    cards._keep_freed_memory()


def test_a_libc_without_mallopt_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    import ctypes

    class Musl:
        def __getattr__(self, name: str) -> object:
            raise AttributeError(name)

    monkeypatch.setattr("sys.platform", "linux")
    monkeypatch.setattr(ctypes, "CDLL", lambda name: Musl())
    cards._keep_freed_memory()
