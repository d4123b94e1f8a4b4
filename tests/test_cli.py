"""The CLI as a user meets it: count, platforms, schema, init, generate formats."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.setup.json_schema import json_schema

REPO = Path(__file__).resolve().parents[1]
runner = CliRunner()
NOW = "2026-11-23T09:00"


@pytest.mark.parametrize(
    ("platform", "text", "length"),
    [
        ("x", "Hello https://example.com/a/very/long/path 日本", 6 + 23 + 1 + 4),
        ("bluesky", "👨‍👩‍👧 ok", 4),
        ("threads", "hi 👋", 3 + 4),
        ("mastodon", "@ada@mastodon.social hi", 7),
        ("youtube", "𝐁old", 5),
        ("linkedin", "été", 3),
    ],
)
def test_count_json(platform: str, text: str, length: int) -> None:
    result = runner.invoke(app, ["count", "--platform", platform, "--format", "json", text])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data == {
        "platform": platform,
        "length": length,
        "limit": data["limit"],
        "valid": True,
    }


def test_count_over_limit_exits_1() -> None:
    result = runner.invoke(app, ["count", "-p", "x", "a" * 281])
    assert result.exit_code == 1
    assert result.output.strip() == "x: 281/280 (too long)"


def test_count_reads_stdin() -> None:
    result = runner.invoke(app, ["count", "-p", "bluesky", "-"], input="🇫🇷🇫🇷")
    assert result.output.strip() == "bluesky: 2/300 (ok)"


def test_count_unknown_platform_has_a_hint() -> None:
    result = runner.invoke(app, ["count", "-p", "twiter", "hi"])
    assert result.exit_code == 2
    assert "unknown platform 'twiter'" in result.output


def test_platforms_lists_all_ten_with_limits_and_sizes() -> None:
    result = runner.invoke(app, ["platforms", "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert set(data) == {
        "x", "linkedin", "instagram", "facebook", "threads",
        "bluesky", "mastodon", "tiktok", "youtube", "pinterest",
    }  # fmt: skip
    assert data["x"]["limit"] == 280 and data["x"]["counting"] == "weighted"
    assert data["youtube"]["title"]["limit"] == 100
    assert {"width": 1280, "height": 720}.items() <= data["youtube"]["images"][0].items()
    text = runner.invoke(app, ["platforms"]).output
    assert "bluesky" in text and "graphemes" in text and "1280×720" in text


def test_brand_overrides_a_platform_fact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, acme_workspace: Callable[[Path], Path]
) -> None:
    acme_workspace(tmp_path)
    brand = tmp_path / "brand" / "acme" / "brand.yaml"
    brand.write_text(
        brand.read_text(encoding="utf-8").replace("limit: 500", "limit: 1000"), encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    data = json.loads(runner.invoke(app, ["platforms", "--brand", "acme", "-f", "json"]).output)
    assert data["mastodon"]["limit"] == 1000


@pytest.mark.parametrize("kind", ["brief", "brand", "platform", "voice"])
def test_schema_is_json_schema_and_checked_in(kind: str) -> None:
    result = runner.invoke(app, ["schema", kind])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema["type"] == "object"
    assert schema["additionalProperties"] is False
    # The copy referenced by the bundled YAML files' yaml-language-server comments.
    checked_in = (REPO / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8")
    hint = f"run: toolkit schema {kind} > schemas/{kind}.schema.json"
    assert checked_in == json_schema(kind), hint  # type: ignore[arg-type]


def test_init_scaffolds_a_working_workspace_and_never_overwrites(tmp_path: Path) -> None:
    first = runner.invoke(app, ["init", str(tmp_path), "--brand", "acme"])
    assert first.exit_code == 0, first.output
    brief = tmp_path / "briefs" / "example.yaml"
    assert "brand: acme" in brief.read_text(encoding="utf-8")
    brief.write_text(brief.read_text(encoding="utf-8") + "\n# my edit\n", encoding="utf-8")
    second = runner.invoke(app, ["init", str(tmp_path), "--brand", "acme"])
    assert "kept" in second.output
    assert brief.read_text(encoding="utf-8").endswith("# my edit\n")
    generated = runner.invoke(app, ["generate", str(brief), "--now", NOW, "-f", "json"])
    assert generated.exit_code == 0, generated.output
    assert len(json.loads(generated.output)) >= 10


def test_workspace_template_overrides_the_builtin(
    tmp_path: Path, acme_workspace: Callable[[Path], Path]
) -> None:
    acme_workspace(tmp_path)
    override = tmp_path / "templates" / "x" / "announcement.j2"
    override.parent.mkdir(parents=True)
    override.write_text("Custom: {{ message }} {{ link }}\n", encoding="utf-8")
    brief = tmp_path / "briefs" / "example.yaml"
    args = ["generate", str(brief), "-p", "x", "-n", "6", "--now", NOW, "-f", "json"]
    result = runner.invoke(app, args)
    texts = {v["angle"]: v["text"] for v in json.loads(result.output)}
    assert texts["announcement"].startswith("Custom: ")


def test_template_errors_point_at_the_template(
    tmp_path: Path, acme_workspace: Callable[[Path], Path]
) -> None:
    acme_workspace(tmp_path)
    brief = tmp_path / "briefs" / "example.yaml"
    bad = tmp_path / "templates" / "x" / "announcement.j2"
    bad.parent.mkdir(parents=True)
    cases = {
        "{{ mesage }}\n": "undefined variable",
        "line one\n{% if message %}\nno end\n": "template syntax error",
        "{{ message.__class__.__mro__ }}\n": "template",
        "{{ 'a' * 100000000 }}\n": "repetition",
    }
    for body, expected in cases.items():
        bad.write_text(body, encoding="utf-8")
        result = runner.invoke(app, ["generate", str(brief), "-p", "x", "-n", "6", "--now", NOW])
        assert result.exit_code == 2, (body, result.output)
        assert "Traceback" not in result.output
        assert result.output.startswith(str(bad)), result.output
        assert expected in result.output


def test_generate_formats_and_determinism() -> None:
    args = ["generate", "-p", "x", "-p", "linkedin", "-n", "2", "--now", NOW, "--seed", "7"]
    as_json = runner.invoke(app, [*args, "-f", "json"])
    assert as_json.exit_code == 0, as_json.output
    data = json.loads(as_json.output)
    assert [v["platform"] for v in data] == ["x", "x", "linkedin", "linkedin"]
    assert runner.invoke(app, [*args, "-f", "json"]).output == as_json.output
    keys = {"platform", "angle", "locale", "text", "parts", "length", "limit", "fold"}
    assert keys | {"hashtags", "link", "trimmed"} <= set(data[0])
    text = runner.invoke(app, args).output
    assert f"── x · {data[0]['angle']} · {data[0]['length']}/280" in text
    md = runner.invoke(app, [*args, "-f", "md"]).output
    assert "## linkedin" in md


def test_unknown_platform_option_has_a_hint() -> None:
    result = runner.invoke(app, ["generate", "-p", "linkdin", "--now", NOW])
    assert result.exit_code == 2
    assert "did you mean 'linkedin'?" in result.output
