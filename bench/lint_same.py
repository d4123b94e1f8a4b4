"""Do two versions of the linter say the same? ``python bench/lint_same.py OUT.json``.

Dumps every finding (all fields) and every fix over bench/lint_corpus.py's posts
(2,500 in process, with persona and sponsored variations; 500 fixed), the
labelled corpus, and the CLI's output on tests/data/voice/corpus and on 4,000
posts in one JSON, in every format. Run it with one version importable
(``PYTHONPATH=/path/to/other/checkout``), then the other, and compare the files:
``python bench/lint_same.py --compare A.json B.json``. A speed change must not
change a byte of them.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import astuple
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]


def dump(out: Path) -> None:
    # toolkit first: the bench modules put this checkout first on the path
    voice = importlib.import_module("toolkit.voice")
    fix_text, lint_text, load_guide = voice.fix_text, voice.lint_text, voice.load_guide
    from bench.lint import variants_file
    from bench.lint_corpus import mixed_posts
    from bench.lint_quality import load_corpus

    code = Path(voice.__file__).resolve().parents[2]
    print(f"toolkit from {code}", file=sys.stderr)
    guide = load_guide(REPO / "brand" / "demo")
    result: dict[str, Any] = {}
    posts = mixed_posts(2500)
    result["lint"] = [
        [astuple(f) for f in lint_text(text, guide, platform=platform, locale=locale)]
        for locale, platform, text in posts
    ]
    result["variations"] = [
        [
            astuple(f)
            for f in lint_text(
                text, guide, platform=platform, locale=locale, persona="ceo", sponsored=i % 2 == 0
            )
        ]
        # Every sixth post: the corpus takes the five languages in turn, so a stride of 5
        # was English alone; 6 gives each language, sponsored and not.
        for i, (locale, platform, text) in enumerate(posts[::6])
    ]
    result["no platform"] = [
        [astuple(f) for f in lint_text(text, guide, locale=locale)]
        for locale, _, text in posts[::7]
    ]
    fixed = [fix_text(t, guide, platform=p, locale=loc) for loc, p, t in posts[:500]]
    result["fix"] = [[f.text, f.fixed, [astuple(x) for x in f.findings]] for f in fixed]
    labelled = []
    for post in load_corpus():
        kwargs = {
            "platform": post.get("platform", "pinterest"),
            "locale": post["locale"],
            "persona": post.get("persona"),
            "sponsored": post.get("sponsored", False),
        }
        found = lint_text(post["text"], guide, **kwargs)
        done = fix_text(post["text"], guide, **kwargs)
        labelled.append(
            [[astuple(f) for f in found], done.text, [astuple(f) for f in done.findings]]
        )
    result["labelled"] = labelled
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "XDG_CACHE_HOME": str(Path(tmp) / "cache"), "NO_COLOR": "1"}
        env["PYTHONPATH"] = str(code)
        big, _ = variants_file(Path(tmp))
        corpus = REPO / "tests" / "data" / "voice" / "corpus"
        cli = {}
        for name, target in (("corpus", corpus), ("big", big)):
            for fmt in ("text", "json", "github", "sarif", "rdjson"):
                for extra in ([], ["--columns", "utf16"], ["--diff"]):
                    if fmt == "sarif" and extra == ["--columns", "byte"]:
                        continue
                    args = [str(target), "-f", fmt, *extra]
                    run = subprocess.run(
                        [sys.executable, "-m", "toolkit", "lint", *args],
                        env=env,
                        capture_output=True,
                        cwd=tmp,
                        check=False,
                    )
                    key = " ".join([name, fmt, *extra])
                    stdout = run.stdout.decode().replace(tmp, "TMP")
                    stderr = run.stderr.decode().replace(tmp, "TMP")
                    cli[key] = [run.returncode, stdout, stderr]
        result["cli"] = cli
    out.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    digest = hashlib.sha256(out.read_bytes()).hexdigest()[:16]
    count = sum(len(p) for p in result["lint"])
    print(f"{count} findings on {len(posts)} posts; sha256 {digest}", file=sys.stderr)


def compare(a: Path, b: Path) -> int:
    left, right = json.loads(a.read_text("utf-8")), json.loads(b.read_text("utf-8"))
    differ = 0
    for section in left:
        one, two = left[section], right.get(section)
        if one == two:
            print(f"{section}: same ({len(one)} entries)")
            continue
        differ += 1
        keys = list(one) if isinstance(one, dict) else range(len(one))
        for k in keys:
            if two is None or one[k] != two[k]:
                print(f"{section}: differs first at {k}:\n  {one[k]!r}\n  {two[k]!r}"[:3000])
                break
    return 1 if differ else 0


if __name__ == "__main__":
    if sys.argv[1] == "--compare":
        sys.exit(compare(Path(sys.argv[2]), Path(sys.argv[3])))
    sys.path.append(str(REPO))  # after PYTHONPATH: the toolkit to check may be another's
    dump(Path(sys.argv[1]))
