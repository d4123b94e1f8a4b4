"""`toolkit lint` as a user meets it: formats, exit codes, --fix, --diff, suppressions, errors."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.cli import app

from .conftest import yaml_data

CORPUS = Path(__file__).parent / "data" / "voice" / "corpus"
LINE = re.compile(r"^(?P<path>\S+):(?P<line>\d+):(?P<col>\d+): (?P<level>\w+) (?P<rule>\S+): .+$")
runner = CliRunner()


def lint(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, ["lint", *args], input=stdin)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "drafts"
    shutil.copytree(CORPUS, folder)
    (folder / "expected.yaml").unlink()
    monkeypatch.chdir(folder)
    return folder


def test_corpus_findings_are_the_expected_ones(corpus: Path) -> None:
    code, out, _ = lint(".", "--format", "json")
    assert code == 1
    got = [
        f"{Path(f['path']).as_posix()}:{f['line']}:{f['column']} {f['level']} {f['rule']}"
        for f in json.loads(out)
    ]
    expected = yaml_data((CORPUS / "expected.yaml").read_text(encoding="utf-8"))
    assert got == expected


def test_text_output_is_one_line_per_finding_and_a_summary(corpus: Path) -> None:
    code, out, _ = lint(".")
    lines = out.splitlines()
    assert code == 1
    assert all(LINE.match(line) for line in lines[:-1]), lines
    # suppressed.md's suppressions are both unused: quoted words are not hype.
    assert lines[-1] == "10 files checked: 6 errors, 32 warnings, 1 suggestion"
    first = "ceo_linkedin.md:11:50: warning case.hashtags: Write hashtags in CamelCase: "
    assert lines[0] == first + "'#Leadership'. ('#Leadership')"


def test_json_findings_have_the_documented_keys(corpus: Path) -> None:
    _, out, _ = lint("es_x.md", "-f", "json")
    finding = json.loads(out)[0]
    assert {"path", "line", "column", "rule", "level", "message", "suggestion"} <= set(finding)
    assert finding["rule"] == "typography.spanish-inverted" and finding["level"] == "error"


def test_fix_applies_safe_fixes_once_and_keeps_front_matter(corpus: Path) -> None:
    before = {p.name: p.read_bytes() for p in corpus.iterdir()}
    code, out, _ = lint("--fix", ".")
    assert code == 1  # the ad disclosure and a few others cannot be fixed
    assert "fixed" in out.splitlines()[-1]
    for path in corpus.iterdir():
        old, new = before[path.name].decode(), path.read_text(encoding="utf-8")
        if path.suffix == ".md":
            assert new.split("---\n")[1] == old.split("---\n")[1], f"{path.name} front matter"
    assert (corpus / "variants.json").read_bytes() == before["variants.json"]
    fixed = (corpus / "en_linkedin.md").read_text(encoding="utf-8").split("---\n", 2)[2]
    # The opening emoji is a suggestion on LinkedIn: --diff shows it, --fix leaves it.
    assert fixed.startswith("🚀 Our revolutionary webinar is a GAME-CHANGER!!\n")
    assert "We’ll show you how to use UTM tags on LinkedIn. Sign up by e-mail, or e-mail" in fixed
    es = (corpus / "es_x.md").read_text(encoding="utf-8")
    assert "¿Podría tu equipo hacerlo hoy? ¡Nos encantaría saberlo!" in es
    ja = (corpus / "ja_x.md").read_text(encoding="utf-8")
    assert "ウェビナーのお知らせ（無料）です！" in ja
    tr = (corpus / "tr_threads.md").read_text(encoding="utf-8")
    # A hashtag's letters are the writer's: #izmir is reported, not rewritten.
    assert "İstanbul’da buluşuyoruz. İnanılmaz" in tr and "#izmir" in tr
    fr = (corpus / "fr_instagram.md").read_text(encoding="utf-8")
    assert "Au programme\u202f: 5 indicateurs incroyables\u202f!" in fr
    assert "«\u202fon a arrêté de deviner\u202f»" in fr
    after_first = {p.name: p.read_bytes() for p in corpus.iterdir()}
    code, out, _ = lint("--fix", ".")
    assert {p.name: p.read_bytes() for p in corpus.iterdir()} == after_first
    assert "fixed" not in out.splitlines()[-1]
    assert not [p for p in corpus.iterdir() if p.name.startswith(".")], "temporary files left"


def test_diff_shows_fixes_and_changes_nothing(corpus: Path) -> None:
    before = (corpus / "es_x.md").read_bytes()
    code, out, err = lint("--diff", "es_x.md")
    assert code == 0  # both errors would be fixed
    assert out.splitlines()[:2] == ["--- a/es_x.md", "+++ b/es_x.md"]
    assert "+¿Podría tu equipo hacerlo hoy? ¡Nos encantaría saberlo!" in out
    assert "2 to fix" in err
    assert (corpus / "es_x.md").read_bytes() == before


def test_suggested_fixes_show_in_the_diff_and_are_never_applied(corpus: Path) -> None:
    # A hashtag's letters and a LinkedIn opening emoji (suggestion level) are the writer's call.
    before = (corpus / "en_linkedin.md").read_text(encoding="utf-8")
    _, diff, _ = lint("--diff", "en_linkedin.md")
    assert "+Our revolutionary webinar" in diff and "#Socialmedia" in diff
    lint("--fix", "en_linkedin.md")
    after = (corpus / "en_linkedin.md").read_text(encoding="utf-8")
    assert after != before
    assert "🚀 Our revolutionary" in after and "#socialmedia" in after
    _, out, _ = lint("en_linkedin.md", "-f", "json")
    suggested = {f["rule"] for f in json.loads(out) if f["suggested_fix"]}
    assert suggested == {"emoji.linkedin-opening", "case.hashtags"}


def test_prose_that_is_not_a_post_needs_no_call_to_action(corpus: Path) -> None:
    (corpus / "README.txt").write_text("How we write posts.\n", encoding="utf-8")
    _, out, _ = lint("README.txt")
    assert "require.cta" not in out
    _, out, _ = lint("README.txt", "--platform", "linkedin")
    assert "require.cta" in out


def test_standard_input(corpus: Path) -> None:
    code, out, _ = lint("-", "--platform", "x", stdin="Follow us on Linkedin\n")
    assert code == 1
    assert any(line.startswith("<stdin>:1:14: error term.names:") for line in out.splitlines())
    code, out, err = lint("--fix", "-", "-p", "x", stdin="Follow us on Linkedin https://x.com\n")
    assert out == "Follow us on LinkedIn https://x.com\n"
    assert "1 fixed" in err and code == 0


def test_options_are_defaults_a_draft_overrides(corpus: Path) -> None:
    (corpus / "plain.txt").write_text("Un outil incroyable\n", encoding="utf-8")
    _, out, _ = lint("plain.txt", "--locale", "fr-FR")
    assert "avoid.hype-fr" in out
    _, out, _ = lint("es_x.md", "--locale", "fr-FR")  # the draft says es-ES
    assert "spanish-inverted" in out


@pytest.mark.parametrize(
    ("args", "says", "hint"),
    [
        (["--persona", "cfo"], "unknown persona 'cfo'", "did you mean 'ceo'?"),
        (["--platform", "twiter"], "unknown platform 'twiter'", "did you mean 'twitter'"),
        (["--brand", "acne"], "brand 'acne' not found", None),
        (["--locale", "xx-YY"], "unknown locale", None),
        (["--fix", "--diff"], "--fix and --diff do not go together", None),
    ],
)
def test_bad_options_exit_2(corpus: Path, args: list[str], says: str, hint: str | None) -> None:
    code, _, err = lint("note.txt", *args)
    assert code == 2 and says in err and "Traceback" not in err
    if hint and "twiter" not in args:
        assert hint in err


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


DRAFT = "---\nid: a\nplatform: x\nlocale: en-US\n{extra}---\nRegister: https://example.com\n"


@pytest.mark.parametrize(
    ("extra", "where", "says"),
    [
        ("voice: {ignore: [avoid.hype]}\n", "5:8", "missing required key 'reason' in voice"),
        ("voice: {ignore: [avoid.hype], reason: x, unless: y}\n", "5:42", "unknown key 'unless'"),
        ("persona: cfo\n", "5:10", "unknown persona 'cfo'"),
        ("platform: [x\n", "6:1", "YAML syntax error"),
        ("brand: nope\n", "5:8", "brand 'nope' not found"),
    ],
)
def test_bad_front_matter_exits_2(tmp_path: Path, extra: str, where: str, says: str) -> None:
    path = write(tmp_path, "draft.md", DRAFT.format(extra=extra))
    code, _, err = lint(str(path))
    assert code == 2, err
    assert err.startswith(f"{path}:{where}: "), err
    assert says in err


def test_unclosed_front_matter_and_missing_file(tmp_path: Path) -> None:
    path = write(tmp_path, "draft.md", "---\nid: a\nRegister now\n")
    code, _, err = lint(str(path))
    assert code == 2 and err.startswith(f"{path}:1:1: the front matter opened on line 1")
    code, _, err = lint(str(tmp_path / "nope.md"))
    assert code == 2 and "file not found" in err


def test_suppression_of_an_unknown_rule_is_an_error_finding(tmp_path: Path) -> None:
    extra = 'voice:\n  ignore: [avoid.hyp]\n  reason: "quote"\n'
    path = write(tmp_path, "draft.md", DRAFT.format(extra=extra))
    code, out, _ = lint(str(path))
    assert code == 1
    assert out.splitlines()[0] == (
        f"{path}:6:12: error ignore.unknown-rule: voice.ignore names 'avoid.hyp', which is not "
        "a rule of the voice guide (did you mean 'avoid.hype'?)"
    )


def test_suppressed_rules_are_not_fixed(tmp_path: Path) -> None:
    extra = 'voice: {ignore: [term.names], reason: "their spelling"}\n'
    path = write(tmp_path, "draft.md", DRAFT.format(extra=extra) + "Linkedin  rocks\n")
    code, out, _ = lint("--fix", str(path))
    assert code == 0
    assert path.read_text(encoding="utf-8").endswith("\nLinkedin rocks\n")
    assert out.splitlines()[-1].endswith("1 fixed; 1 suppressed")


def test_campaign_consistency_across_files(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", "Write us an e-mail. Register: https://example.com\n")
    b = write(tmp_path, "b.txt", "Send an email. Register: https://example.com\n")
    _, out, _ = lint(str(tmp_path))
    assert f"{b}:1:9: warning consistency.spelling: 'email' here, 'e-mail' elsewhere" in out


def test_fix_keeps_bom_crlf_and_mode(tmp_path: Path) -> None:
    path = tmp_path / "post.txt"
    path.write_bytes(b"\xef\xbb\xbfRegister  now\r\nSee you\r\n")
    path.chmod(0o640)
    code, _, _ = lint("--fix", str(path))
    assert code == 0
    assert path.read_bytes() == b"\xef\xbb\xbfRegister now\r\nSee you\r\n"
    assert path.stat().st_mode & 0o777 == 0o640


def test_brand_of_a_workspace_with_one_brand(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    brand = tmp_path / "brand" / "acme"
    brand.mkdir(parents=True)
    (brand / "brand.yaml").write_text("name: Acme\nlocale: en-GB\n", encoding="utf-8")
    rule = (
        "rules:\n  - {id: acme.colour, kind: term, message: 'colour', terms: {colour: [color]}}\n"
    )
    (brand / "voice.yaml").write_text(rule, encoding="utf-8")
    write(tmp_path, "post.txt", "Pick a color\n")
    monkeypatch.chdir(tmp_path)
    code, out, _ = lint("post.txt")
    assert code == 0 and "acme.colour" in out


def test_a_folder_walk_skips_json_that_is_not_generated_copy(tmp_path: Path) -> None:
    write(tmp_path, "plan.json", '{"posts": []}')
    write(tmp_path, "post.txt", "Register now: https://example.com\n")
    code, out, _ = lint(str(tmp_path))
    assert code == 0 and out.splitlines()[-1].startswith("2 files checked")
    code, _, err = lint(str(tmp_path / "plan.json"))
    assert code == 2 and "expected the JSON of 'toolkit generate --format json'" in err


def test_a_large_batch_in_two_processes_gives_the_same_report(tmp_path: Path) -> None:
    """Over a few hundred texts lint forks workers; the findings, in order, do not change.
    The first spelling of a campaign-wide consistency group is still the batch's first."""
    from bench.lint_corpus import mixed_posts
    from toolkit.voice import lint_paths

    posts = mixed_posts(1000, seed=5)
    variants = [
        {"id": f"p{i}", "platform": platform, "locale": locale, "text": text}
        for i, (locale, platform, text) in enumerate(posts)
    ]
    variants[700]["text"] = "Sign up by e-mail today: https://example.com/e"  # e-mail first ...
    variants[900]["text"] = "Questions? Email us, then register: https://example.com/r"
    source = tmp_path / "variants.json"
    source.write_text(json.dumps(variants, ensure_ascii=False), encoding="utf-8")
    one = lint_paths([source], workers=1)
    two = lint_paths([source], workers=2)
    assert two.results == one.results
    assert any(f.rule == "consistency.spelling" for f in one.findings)
    code, out, _ = lint(str(source), "--workers", "2", "-f", "json")
    assert code == 1 and len(json.loads(out)) == len(one.findings)
