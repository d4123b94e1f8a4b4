"""The drafts' front matter block: what people open and edit, read back as written."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.files.front_matter import front_matter_block, read_front_matter

# Characters a front matter value can hold after the drafts' cleaning: any printable
# text, typographic spaces and quotes, YAML's indicators, and emoji beyond the BMP.
_TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff")
    | st.sampled_from(list(":#-'\"{}[]&*!|>%@`,? \u00a0\u202f\u2019\u00ab\u00bb"))
    | st.sampled_from(list("🎉👩🏽\u200d💻éİı登録")),
    max_size=40,
)
_VALUE = st.one_of(_TEXT, st.booleans(), st.integers(0, 10**6), st.lists(_TEXT, max_size=3))
_BLOCK = st.dictionaries(
    st.sampled_from(["id", "title", "link", "alt_text", "card", "persona", "carousel"]),
    _VALUE,
    max_size=6,
)


@settings(max_examples=120, deadline=None)
@given(_BLOCK)
def test_a_block_reads_back_as_the_data_it_was_written_from(data: dict[str, Any]) -> None:
    block = front_matter_block(data)
    assert read_front_matter(block + "body\n", None).data == data


@pytest.mark.skipif(not hasattr(yaml, "CSafeDumper"), reason="PyYAML without libyaml")
@settings(max_examples=120, deadline=None)
@given(_BLOCK)
def test_libyaml_and_pyyaml_write_the_same_block(data: dict[str, Any]) -> None:
    # The fast path must not change a byte of what people see in their drafts.
    python = yaml.dump(
        data, Dumper=yaml.SafeDumper, allow_unicode=True, sort_keys=False, width=1000
    )
    assert front_matter_block(data) == f"---\n{python}---\n"


def test_emoji_stay_as_typed() -> None:
    block = front_matter_block({"title": "A live teardown 👩🏽\u200d💻 plus Q&A"})
    assert "👩🏽\u200d💻" in block
    assert "\\U" not in block
