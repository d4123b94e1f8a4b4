"""The ``relative`` filter in the five languages (cases in tests/data/relative.yaml): the
day before an event reads "tomorrow" in each, not "in 1 day"; hours and days otherwise."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml

from toolkit.sandbox.environment import environment

REPO = Path(__file__).resolve().parents[1]
PARIS = ZoneInfo("Europe/Paris")
CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "data" / "relative.yaml").read_text(encoding="utf-8")
)
LOCALES = {"en": "en-US", "fr": "fr-FR", "es": "es-ES", "tr": "tr-TR", "ja": "ja-JP"}


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=PARIS)


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['now']}->{c['at']}")
@pytest.mark.parametrize("lang", sorted(LOCALES))
def test_relative_reads_as_people_say_it(case: dict[str, Any], lang: str) -> None:
    env = environment((REPO / "templates",), LOCALES[lang])
    template = env.from_string("{{ at | relative }}")
    context = {"at": _moment(case["at"]), "now": _moment(case["now"]), "locale": LOCALES[lang]}
    assert template.render(context) == case[lang]
