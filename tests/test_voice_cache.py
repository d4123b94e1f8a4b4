"""The compiled-guide cache: checks run once per guide version; the cache is safe to lose."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from toolkit.campaign.loader import load_platform
from toolkit.errors import InputError
from toolkit.voice import cache, lint_text, load_guide, loader, schema, selftest
from toolkit.voice.cache import cache_dir
from toolkit.voice.schema import RULE_SPECS, Example, Examples, Frozen

DEMO = Path(__file__).resolve().parents[1] / "brand" / "demo"
SAMPLE = "Follow us on Linkedin 🤮 and register NOW: https://example.com #analytics"


@pytest.fixture
def brand(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the demo brand, and a cache of its own under tmp_path."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = tmp_path / "brand" / "demo"
    shutil.copytree(DEMO, folder, ignore=shutil.ignore_patterns("assets", "briefs"))
    loader._load.cache_clear()  # each load below is a new process, as far as the cache knows
    return folder


@pytest.fixture
def self_tests(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The rule ids whose examples ran, load after load."""
    ran: list[str] = []
    real = selftest.run_examples

    def counting(guide, rule, marks, where):  # type: ignore[no-untyped-def]
        ran.append(rule.id)
        real(guide, rule, marks, where)

    monkeypatch.setattr(selftest, "run_examples", counting)
    return ran


def fresh(folder: Path) -> list[str]:
    loader._load.cache_clear()
    guide = load_guide(folder)
    return [f"{f.column} {f.rule}" for f in lint_text(SAMPLE, guide, platform="x")]


def test_self_tests_run_once_per_guide_version(brand: Path, self_tests: list[str]) -> None:
    first = fresh(brand)
    assert len(self_tests) > 30
    assert len(list(cache_dir().glob("*.json"))) == 1
    self_tests.clear()
    assert fresh(brand) == first  # same findings from the cached guide
    assert self_tests == []


def test_an_edited_guide_is_checked_again(brand: Path, self_tests: list[str]) -> None:
    fresh(brand)
    guide = brand / "voice.yaml"
    text = guide.read_text(encoding="utf-8")
    assert "        - A faster dashboard.\n" in text
    guide.write_text(text.replace("- A faster dashboard.", "- A revolutionary dashboard."))
    self_tests.clear()
    with pytest.raises(InputError, match="good example raises") as error:
        fresh(brand)
    assert error.value.location is not None and error.value.location.line > 1
    assert self_tests  # the edited guide's examples ran, though an older entry exists


def test_a_corrupt_entry_is_rebuilt_silently(brand: Path, self_tests: list[str]) -> None:
    first = fresh(brand)
    (entry,) = cache_dir().glob("*.json")
    for garbage in ("{not json", '{"voice": {}, "rules": [{"kind": "nope"}]}', "[]", ""):
        entry.write_text(garbage, encoding="utf-8")
        self_tests.clear()
        assert fresh(brand) == first
        assert self_tests, f"{garbage!r} was trusted"
        assert cache.read_checked(entry.stem) is not None  # rebuilt whole


def test_the_cache_is_safe_to_delete(brand: Path, self_tests: list[str]) -> None:
    first = fresh(brand)
    shutil.rmtree(cache_dir())
    self_tests.clear()
    assert fresh(brand) == first
    assert self_tests and len(list(cache_dir().glob("*.json"))) == 1


def test_an_unwritable_cache_only_costs_speed(
    brand: Path, self_tests: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would go", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    first = fresh(brand)
    self_tests.clear()
    assert fresh(brand) == first
    assert self_tests  # nothing was cached, so the guide was checked again


def test_old_entries_are_pruned(brand: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "KEEP", 2)
    guide = brand / "voice.yaml"
    text = guide.read_text(encoding="utf-8")
    for n in range(4):  # four versions of the guide, each a new key
        guide.write_text(text + f"\n# edit {n}\n", encoding="utf-8")
        fresh(brand)
    assert len(list(cache_dir().glob("*.json"))) == 2


def test_an_edited_platform_manifest_is_read_again(brand: Path, self_tests: list[str]) -> None:
    """The entry keeps each platform's counting rules: a changed manifest is a new key."""
    fresh(brand)
    builtin = Path(__file__).resolve().parents[1] / "templates" / "x" / "platform.yaml"
    override = brand.parents[1] / "templates" / "x" / "platform.yaml"
    override.parent.mkdir(parents=True)
    override.write_text(
        builtin.read_text(encoding="utf-8").replace("url_length: 23", "url_length: 30"),
        encoding="utf-8",
    )
    self_tests.clear()
    fresh(brand)
    assert self_tests  # a new key: checked again
    self_tests.clear()
    loader._load.cache_clear()
    rules = load_guide(brand).count_rules("x")
    assert self_tests == []  # from the cache this time ...
    assert rules is not None and rules.url_length == 30  # ... with the edited manifest's rules
    assert rules == load_platform((override.parents[1], builtin.parents[1]), "x").rules()


def test_damaged_counting_rules_are_rebuilt_silently(brand: Path, self_tests: list[str]) -> None:
    first = fresh(brand)
    (entry,) = cache_dir().glob("*.json")
    written = entry.read_bytes()
    _digest, body = written.split(b"\n", 1)
    good = json.loads(body)
    for damage in ({"method": "nope"}, {"method": "weighted"}, [1, 2], None):
        broken = {**good, "count_rules": {**good["count_rules"], "x": damage}}
        text = json.dumps(broken).encode()
        # with a digest that matches, so only the shape check stands in the way
        entry.write_bytes(hashlib.sha256(text).hexdigest().encode() + b"\n" + text)
        self_tests.clear()
        assert fresh(brand) == first
        assert self_tests, f"{damage!r} was trusted"
    assert entry.read_bytes() == written


def test_a_damaged_entry_fails_its_digest(brand: Path, self_tests: list[str]) -> None:
    """One changed byte (a bit flip, a hand edit) and the guide is checked again."""
    first = fresh(brand)
    (entry,) = cache_dir().glob("*.json")
    written = entry.read_bytes()
    entry.write_bytes(written.replace(b'"level": "error"', b'"level": "warning"', 1))
    assert entry.read_bytes() != written
    self_tests.clear()
    assert fresh(brand) == first
    assert self_tests
    assert entry.read_bytes() == written


def test_a_cached_guide_is_the_checked_guide(brand: Path) -> None:
    """The rules rebuilt from the entry are the validated models, value for value,
    nested ones included, as the plain classes the linter reads."""
    fresh(brand)
    (entry,) = cache_dir().glob("*.json")
    checked = cache.read_checked(entry.stem)
    assert checked is not None
    from toolkit.files.yaml_reader import load_yaml
    from toolkit.voice.models import RULE_MODELS, VoiceFile

    data = load_yaml(brand / "voice.yaml").data
    models = [RULE_MODELS[r["kind"]].model_validate(r) for r in data["rules"]]
    assert [_json(r) for r in checked.rules] == [m.model_dump(mode="json") for m in models]
    assert all(type(r) is RULE_SPECS[r.kind] for r in checked.rules)  # type: ignore[attr-defined]
    voice = VoiceFile.model_validate({k: v for k, v in data.items() if k != "rules"})
    assert _json(checked.voice) == voice.model_dump(mode="json", exclude={"rules"})
    assert checked.platform_names["twitter"] == "x"


def _json(value: Frozen) -> Any:
    return json.loads(json.dumps(value.to_json()))


NESTED = ["Example", "Examples", "ReadabilityTarget", "Tone", "Persona"]


@pytest.mark.parametrize("name", [*sorted(RULE_SPECS), *NESTED, "VoiceFile"])
def test_each_plain_class_has_its_models_fields(name: str) -> None:
    """The linter's plain classes and the models that validate voice.yaml keep the same
    fields and defaults (one is made from the other's dump)."""
    from toolkit.voice import models

    if name in RULE_SPECS:
        model, plain = models.RULE_MODELS[name], RULE_SPECS[name]
    elif name == "VoiceFile":
        model, plain = models.VoiceFile, schema.VoiceSettings
    else:
        model, plain = getattr(models, name), getattr(schema, name)
    expected = tuple(f for f in model.model_fields if not (name == "VoiceFile" and f == "rules"))
    assert plain._fields == expected
    for field, info in model.model_fields.items():
        if field not in expected:
            continue
        if info.is_required():
            assert field in plain._required, field
        else:
            assert _dump(getattr(plain, field)) == _dump(info.default), field


def test_plain_values_are_frozen_and_compare_by_value() -> None:
    one = Example(text="Hi", locale="fr-FR")
    assert one == Example(text="Hi", locale="fr-FR") != Example(text="Hi")
    assert repr(one).startswith("Example(text='Hi', fix=None")
    with pytest.raises(AttributeError):
        one.text = "Bye"  # type: ignore[misc]
    with pytest.raises(TypeError):
        Example(txt="Hi")
    with pytest.raises(TypeError):
        Example(fix="Hi")  # text is required
    first, second = Examples(), Examples()
    assert first.bad is not second.bad  # a list default is each value's own


def _dump(value: Any) -> Any:
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if isinstance(value, Frozen):
        return _json(value)
    return list(value) if isinstance(value, tuple) else value


def test_a_cached_guide_lints_without_pydantic(brand: Path) -> None:
    """A cold lint of one draft with a warm cache: no pydantic, no YAML parser, no
    campaign models (their import cost more than the whole lint)."""
    fresh(brand)
    draft = brand.parent / "draft.md"
    draft.write_text(SAMPLE + "\n", encoding="utf-8")
    probe = (
        "import sys\n"
        "from toolkit.cli import main\n"
        f"sys.argv = ['toolkit', 'lint', '--brand', 'demo', {str(draft)!r}]\n"
        "try:\n    main()\n"
        "except SystemExit:\n    pass\n"
        "heavy = ('pydantic', 'typer._adapters', 'toolkit.campaign.platforms', 'babel')\n"
        "print(sorted(m for m in heavy if m in sys.modules), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=brand.parents[1], capture_output=True, text=True
    )
    assert "draft.md:1:" in done.stdout  # it linted, with the cached guide
    assert done.stderr.splitlines()[-1] == "[]", done.stderr


def _lint_in_a_process(folder: str) -> list[str]:
    return fresh(Path(folder))


def test_concurrent_runs_share_the_cache_safely(brand: Path) -> None:
    """Several processes checking one guide at once: each gets the same findings, and
    the entry they race to write is whole (each writes its own temporary file, then
    renames it over the entry)."""
    expected = fresh(brand)
    shutil.rmtree(cache_dir())
    # Forked: each process forgets the guide it inherits (fresh) and reads or writes the
    # entry on disk as a new process would, without importing toolkit again (spawned,
    # ~1 s of CPU each).
    with multiprocessing.get_context("fork").Pool(4) as pool:
        results = pool.map(_lint_in_a_process, [str(brand)] * 8)
    assert results == [expected] * 8
    (entry,) = cache_dir().glob("*.json")
    assert list(cache_dir().glob(".*")) == []  # no temporary file left behind
    assert cache.read_checked(entry.stem) is not None
