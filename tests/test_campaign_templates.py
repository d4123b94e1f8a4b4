"""A campaign looks its template files up once: a second load sees a template added since."""

from __future__ import annotations

from pathlib import Path

import toolkit

from .conftest import copy_demo_brief


def test_a_template_added_after_loading_is_seen_by_the_next_load(tmp_path: Path) -> None:
    (tmp_path / "toolkit.yaml").write_text("{}\n", encoding="utf-8")
    brief = copy_demo_brief(tmp_path, "en")
    before = toolkit.load_brief(brief)
    assert before.template_file("x/quote.j2") is not None  # the built-in one
    assert before.template_file("x/novel.j2") is None
    added = tmp_path / "templates" / "x" / "novel.j2"
    added.parent.mkdir(parents=True)
    added.write_text("{{ message }}\n", encoding="utf-8")
    after = toolkit.load_brief(brief)
    assert after.template_file("x/novel.j2") == added.resolve()
    # The workspace's own file wins over the built-in one at the same path.
    own = tmp_path / "templates" / "x" / "quote.j2"
    own.write_text("{{ message }}\n", encoding="utf-8")
    assert toolkit.load_brief(brief).template_file("x/quote.j2") == own.resolve()
    assert before.template_file("x/novel.j2") is None  # one load, one look at the files
