"""A failed write names the file the user asked for, never the temporary beside it."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from toolkit.files.atomic import os_error


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EACCES, errno.ENOENT, errno.EROFS])
def test_an_error_on_the_temporary_names_the_target(code: int, tmp_path: Path) -> None:
    target = tmp_path / "thumb.png"
    temporary = tmp_path / ".thumb.png.4242.tmp"
    error = os_error(OSError(code, "refused", str(temporary)), target)
    assert error.location is not None and error.location.path == target
    assert ".tmp" not in str(error)


def test_an_error_on_another_file_names_that_file(tmp_path: Path) -> None:
    """A folder in the way, say: the error is about it, not the target."""
    blocking = tmp_path / "cards"
    error = os_error(OSError(errno.ENOTDIR, "not a folder", str(blocking)), tmp_path / "x.png")
    assert error.location is not None and error.location.path == blocking
