"""Copy commands: generate, count, platforms, schema, init."""

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from toolkit.commands import console
from toolkit.commands.common import (
    PLATFORM_HELP,
    BriefArg,
    complete_platform,
    parse_now,
    user_errors,
)
from toolkit.commands.help import add_command


class TextFormat(StrEnum):
    text = "text"
    json = "json"
    md = "md"


class CountFormat(StrEnum):
    text = "text"
    json = "json"


class SchemaKind(StrEnum):
    brief = "brief"
    brand = "brand"
    platform = "platform"
    voice = "voice"


@user_errors
def generate(
    brief: BriefArg = None,
    platform: Annotated[
        list[str] | None,
        typer.Option(
            "--platform",
            "-p",
            help="Only these platforms (repeat). " + PLATFORM_HELP,
            autocompletion=complete_platform,
        ),
    ] = None,
    variants: Annotated[
        int | None, typer.Option("--variants", "-n", min=1, max=10, help="Angles per platform.")
    ] = None,
    seed: Annotated[int, typer.Option(help="Same seed, same variants.")] = 0,
    output_format: Annotated[TextFormat, typer.Option("--format", "-f")] = TextFormat.text,
    now: Annotated[
        str | None, typer.Option(help="The clock for countdowns (ISO 8601). Default: now.")
    ] = None,
    strict: Annotated[
        bool,
        typer.Option(help="Exit 1 when a variant keeps an error-level voice finding."),
    ] = False,
) -> None:
    """Write copy variants for every platform, fitted to each platform's counting rules.

    The brand's voice guide checks every variant: safe fixes are applied, the
    remaining findings are shown with the copy (and listed in JSON as findings).
    """
    from toolkit import api
    from toolkit.copy import report

    variants_out = api.generate_from(
        brief, platforms=platform, variants=variants, seed=seed, now=parse_now(now)
    )
    if not variants_out:
        console.warning(
            "no copy: no angle fits this brief at this time (the event may have started; "
            "add event.replay for a post about the recording, or pass --now)"
        )
    if output_format is TextFormat.json:
        typer.echo(report.variants_json(variants_out), nl=False)
    elif output_format is TextFormat.md:
        title = variants_out[0].platform if variants_out else "variants"
        typer.echo(report.variants_markdown(variants_out, title), nl=False)
    else:
        text = report.variants_text(variants_out)
        console.say(console.paint_findings(text, dim_others=False), nl=False)
    failing = report.strict_failures(variants_out)
    if strict and failing:
        ids = ", ".join(v.id for v in failing)
        console.error(f"voice errors remain in {len(failing)} variant(s): {ids}")
        raise typer.Exit(1)


@user_errors
def count(
    text: Annotated[str, typer.Argument(help="The text to count; '-' reads standard input.")],
    platform: Annotated[
        str,
        typer.Option("--platform", "-p", help=PLATFORM_HELP, autocompletion=complete_platform),
    ],
    output_format: Annotated[CountFormat, typer.Option("--format", "-f")] = CountFormat.text,
) -> None:
    """Count TEXT the way PLATFORM counts it, against its limit."""
    import json

    from toolkit import api

    if text == "-":
        text = sys.stdin.read()
    result = api.count(text, platform)
    if output_format is CountFormat.json:
        typer.echo(json.dumps(result, ensure_ascii=False))
    else:
        mark = "ok" if result["valid"] else "too long"
        typer.echo(f"{result['platform']}: {result['length']}/{result['limit']} ({mark})")
    if not result["valid"]:
        raise typer.Exit(1)


@user_errors
def platforms(
    output_format: Annotated[CountFormat, typer.Option("--format", "-f")] = CountFormat.text,
    brand: Annotated[str | None, typer.Option(help="Show a brand's overrides applied.")] = None,
) -> None:
    """List the platforms with their limits, counting method, fold and image sizes."""
    from toolkit import api
    from toolkit.copy import report

    found = api.list_platforms(brand=brand)
    if output_format is CountFormat.json:
        typer.echo(report.platforms_json(found), nl=False)
    else:
        typer.echo(report.platforms_text(found), nl=False)


@user_errors
def schema(
    kind: Annotated[SchemaKind, typer.Argument(help="brief, brand, platform or voice")],
) -> None:
    """Print the JSON Schema of a brief, brand, platform or voice file (for editor completion)."""
    from toolkit.setup.json_schema import json_schema

    typer.echo(json_schema(kind.value), nl=False)


@user_errors
def init(
    directory: Annotated[Path, typer.Argument(help="Where to create the workspace.")] = Path("."),
    brand: Annotated[str, typer.Option(help="Folder name of the new brand.")] = "mybrand",
) -> None:
    """Create a workspace: a brand copied from the demo, template overrides, an example brief."""
    from toolkit.setup.scaffold import init_workspace

    result = init_workspace(directory, brand)
    for path in result.written:
        typer.echo(f"wrote {path}")
    for path in result.kept:
        typer.echo(f"kept  {path} (already there, not overwritten)")
    brief = directory / "briefs" / "example.yaml"
    typer.echo(f"\nnext: toolkit generate {brief}")


def register(app: typer.Typer) -> None:
    add_command(
        app,
        generate,
        "toolkit generate                      # copy for the bundled demo brief",
        "toolkit generate briefs/launch.yaml -p x -p linkedin -n 2 -f md",
    )
    add_command(
        app,
        count,
        "toolkit count -p x 'Prove social ROI in 45 minutes https://example.com'",
        "pbpaste | toolkit count -p bluesky -",
    )
    add_command(app, platforms, "toolkit platforms", "toolkit platforms --brand acme -f json")
    add_command(app, schema, "toolkit schema brief > schemas/brief.schema.json")
    add_command(app, init, "toolkit init my-workspace --brand acme", "toolkit init .")
