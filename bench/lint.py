"""Voice lint speed, run by hand: ``python bench/lint.py``. Prints tables; asserts nothing.

1. In process, one core: five posts of about 280 characters (links, hashtags,
   a mention, emoji), and a mixed corpus of 2,500 distinct posts in five
   languages (:func:`distinct_posts`), linted with the demo brand's guide.
   Target: at least 5,000 posts per second.
2. The CLI, as a writer meets it: ``toolkit lint`` on one draft, cold (a new
   process; with the compiled-guide cache warm, and with it cleared), and on
   a JSON of 4,000 distinct posts. Targets: 0.4 s; 2,500 posts per second.

Each figure is the median of several repeats, with the spread (min–max).
Wall time on a shared machine includes waiting for a core, so the CLI rows
also give the process's CPU time (user + system).
"""

from __future__ import annotations

import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from toolkit.voice import fix_text, lint_text, load_guide  # noqa: E402

POSTS = {
    "en-US": (
        "x",
        "Prove the ROI of social media in 45 minutes 📊 We'll show you the 5 metrics that "
        "tie posts to revenue, the report that takes 45 minutes instead of 6 hours, and a "
        "UTM plan for 10 networks. Register for free 👉 https://example.com/webinar?ref=x "
        "#SocialMedia #Analytics @ada",
    ),
    "fr-FR": (
        "linkedin",
        "Prouvez en 45 minutes ce que vos réseaux sociaux rapportent vraiment\u202f! Au "
        "programme\u202f: 5 indicateurs, le modèle de reporting qui fait gagner 5 heures et "
        "un plan UTM prêt à copier. Inscrivez-vous gratuitement → https://example.com/fr "
        "#RéseauxSociaux 🎯",
    ),
    "es-ES": (
        "instagram",
        "¿Podría tu equipo demostrar hoy cuánto aportan las redes sociales? En 45 minutos "
        "te enseñamos 5 métricas, la plantilla que nos ahorra 5 horas a la semana y un plan "
        "de etiquetas UTM. Regístrate gratis: enlace en la bio 🔗 #RedesSociales #Northwind",
    ),
    "tr-TR": (
        "threads",
        "Sosyal medyanın şirketinize ne kazandırdığını 45 dakikada kanıtlayın. Satışa "
        "bağlanan 5 metrik, haftalık raporu 6 saatten 45 dakikaya indiren şablon ve 10 ağ "
        "için UTM planı. Ücretsiz kaydolun → https://example.com/tr #SosyalMedya 📈",
    ),
    "ja-JP": (
        "x",
        "SNS運用の成果を、45分で数字として示せるようになります。投稿と売上をつなぐ5つの指標、"
        "週次レポートを6時間から45分に短縮したテンプレート、10媒体で使えるUTM命名ルールを"
        "ご紹介します。無料で申し込む 👉 https://example.com/ja #SNSマーケティング",
    ),
}


# Pieces of posts per language; every combination is a different post.
_PIECES: dict[str, tuple[str, list[str], list[str], list[str]]] = {
    "en-US": (
        "linkedin",
        [
            "Prove the ROI of social media in {n} minutes.",
            "Our {n}-minute webinar shows the metrics that tie posts to revenue.",
            "We cut reporting from {n} hours to one with a single sheet.",
            "A revolutionary way to plan {n} posts a week.",
            "Follow us on Linkedin for {n} tips a month.",
        ],
        [
            "You get the template, the UTM plan and a live Q&A.",
            "We'll share what worked for {n} teams, and what didn't.",
            "Sign up by email, or e-mail Ada with questions.",
            "It's AMAZING what {n} good posts can do!!",
        ],
        [
            "Register for free: https://example.com/w{n}",
            "Watch the replay 👉 https://example.com/r{n}",
        ],
    ),
    "fr-FR": (
        "instagram",
        [
            "Prouvez en {n} minutes ce que vos réseaux sociaux rapportent\u202f!",
            "Au programme: {n} indicateurs incroyables.",
            "Nous avons testé {n} méthodes de reporting.",
            'Elle a dit "on a arrêté de deviner" après {n} semaines.',
        ],
        [
            "Le modèle fait gagner {n} heures par mois.",
            "Un plan UTM prêt à copier, pour {n} réseaux.",
            "Des résultats révolutionnaires en {n} jours !",
        ],
        [
            "Inscrivez-vous gratuitement : lien en bio #RéseauxSociaux",
            "Inscris-toi → https://example.com/fr{n}",
        ],
    ),
    "es-ES": (
        "x",
        [
            "¿Podría tu equipo demostrar cuánto aportan las redes en {n} días?",
            "Una plantilla increíble para {n} publicaciones.",
            "En {n} minutos te enseñamos las métricas clave.",
            "Nos vemos el jueves a las {n}!",
        ],
        [
            "La plantilla nos ahorra {n} horas a la semana.",
            "Un plan de etiquetas UTM para {n} redes.",
            'Dijo "sí" después de {n} reuniones.',
        ],
        [
            "Regístrate gratis: https://example.com/es{n} #RedesSociales",
            "Descárgala aquí https://example.com/d{n}",
        ],
    ),
    "tr-TR": (
        "threads",
        [
            "Sosyal medyanın ne kazandırdığını {n} dakikada kanıtlayın.",
            "Sonuçlar inanılmazdı: {n} ekip raporunu yarıya indirdi.",
            "istanbul'da {n} ekip buluşuyor.",
            "Haftalık raporu {n} saatten kısaltan şablon.",
        ],
        [
            "Satışa bağlanan {n} metrik ve bir UTM planı.",
            "Muhteşem bir şablon, {n} ağ için hazır.",
            "Bizi Linkedin'de takip edin, {n} ipucu paylaşıyoruz.",
        ],
        [
            "Ücretsiz kaydolun → https://example.com/tr{n} #SosyalMedya 📈",
            "Hemen katılın: https://example.com/k{n}",
        ],
    ),
    "ja-JP": (
        "x",
        [
            "SNS運用の成果を{n}分で数字として示せるようになります。",
            "最強のテンプレートを{n}個ご紹介します。",
            "週次レポートを{n}時間から短縮しました。",
            "本当ですか?{n}社が導入しました。",
        ],
        [
            "投稿と売上をつなぐ{n}つの指標を解説します。",
            "ウェビナー(無料)は{n}日開催です。",
            "登録者数が{n}万人を超えました🎉",
        ],
        [
            "無料で申し込む 👉 https://example.com/ja{n} #SNSマーケティング",
            "今すぐご登録ください https://example.com/j{n}",
        ],
    ),
}


def distinct_posts(n: int, seed: int = 7) -> list[tuple[str, str, str]]:
    """``n`` different ``(locale, platform, text)`` posts, the five languages in turn."""
    rng = random.Random(seed)
    locales = list(_PIECES)
    seen: set[str] = set()
    out: list[tuple[str, str, str]] = []
    while len(out) < n:
        locale = locales[len(out) % len(locales)]
        platform, hooks, bodies, ctas = _PIECES[locale]
        number = rng.randint(2, 999)
        parts = [rng.choice(hooks), rng.choice(bodies), rng.choice(ctas)]
        text = " ".join(p.format(n=number) for p in parts)
        if text not in seen:
            seen.add(text)
            out.append((locale, platform, text))
    return out


def _cli(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one ``toolkit`` process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "toolkit", *args], env=env, capture_output=True, check=False
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def cli_rows(repeats: int = 5) -> list[str]:
    """Cold start on one draft (cache warm and cleared) and 4,000 posts through the CLI."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = {**os.environ, "XDG_CACHE_HOME": str(folder / "cache"), "NO_COLOR": "1"}
        draft = folder / "one-draft.md"
        draft.write_text(
            "---\nplatform: linkedin\nlocale: en-US\n---\n" + POSTS["en-US"][1] + "\n",
            encoding="utf-8",
        )
        _cli(["lint", str(draft)], env)  # fills the cache
        warm = [_cli(["lint", str(draft)], env) for _ in range(repeats)]
        cleared = []
        for _ in range(repeats):
            for entry in (folder / "cache").rglob("*.json"):
                entry.unlink()
            cleared.append(_cli(["lint", str(draft)], env))
        for name, runs in (
            ("one draft, cold, cache warm", warm),
            ("one draft, cold, cache cleared", cleared),
        ):
            walls, cpus = [w for w, _ in runs], [c for _, c in runs]
            rows.append(
                f"| {name:<40} | {statistics.median(walls):>8.2f} s wall "
                f"| {statistics.median(cpus):>5.2f} s CPU | target ≤ 0.4 s |"
            )
        posts = distinct_posts(4000, seed=11)
        variants = [
            {"id": f"p{i}", "platform": platform, "locale": locale, "text": text}
            for i, (locale, platform, text) in enumerate(posts)
        ]
        big = folder / "variants.json"
        big.write_text(json.dumps(variants, ensure_ascii=False), encoding="utf-8")
        runs = [_cli(["lint", str(big), "-f", "json"], env) for _ in range(max(repeats // 2, 1))]
        wall = statistics.median(w for w, _ in runs)
        cpu = statistics.median(c for _, c in runs)
        rows.append(
            f"| {'4,000 posts in one JSON':<40} | {len(posts) / wall:>6,.0f} posts/s wall "
            f"| {len(posts) / cpu:>6,.0f} posts/s CPU | target ≥ 2,500/s |"
        )
    return rows


def rate(func: object, n: int, repeats: int = 7) -> tuple[float, float, float]:
    """Median, min and max calls per second."""
    assert callable(func)
    func()  # warm the per-context rule cache
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(n):
            func()
        samples.append(n / (time.perf_counter() - start))
    return statistics.median(samples), min(samples), max(samples)


def row(name: str, result: tuple[float, float, float]) -> str:
    med, lo, hi = result
    return f"| {name:<40} | {med:>10,.0f} /s | {lo:>9,.0f}–{hi:<9,.0f} |"


def main() -> None:
    start = time.perf_counter()
    guide = load_guide(REPO / "brand" / "demo")
    loaded = time.perf_counter() - start
    print(
        f"demo guide: {len(guide.rules)} rules, loaded in {loaded * 1e3:.0f} ms "
        "(self-tested only when the compiled-guide cache is cold)"
    )
    print(f"| {'benchmark (one core)':<40} | {'median':>13} | {'spread':>19} |")
    print(f"|{'-' * 42}|{'-' * 15}|{'-' * 21}|")
    for locale, (platform, text) in POSTS.items():
        name = f"lint {locale} {platform} ({len(text)} chars)"
        print(
            row(
                name,
                rate(
                    lambda t=text, p=platform, loc=locale: lint_text(
                        t, guide, platform=p, locale=loc
                    ),
                    1000,
                ),
            )
        )
    mixed = list(POSTS.items())

    def all_five() -> None:
        for locale, (platform, text) in mixed:
            lint_text(text, guide, platform=platform, locale=locale)

    med, lo, hi = rate(all_five, 200)
    print(row("lint, the five languages in turn", (med * 5, lo * 5, hi * 5)))
    corpus = distinct_posts(2500)

    def distinct() -> None:
        for locale, platform, text in corpus:
            lint_text(text, guide, platform=platform, locale=locale)

    med, lo, hi = rate(distinct, 1, repeats=5)
    n = len(corpus)
    print(row(f"lint, {n:,} distinct posts, 5 languages", (med * n, lo * n, hi * n)))
    for locale, (platform, text) in list(POSTS.items())[:1]:
        print(
            row(
                f"fix {locale} {platform} (lint, fix, lint)",
                rate(
                    lambda t=text, p=platform, loc=locale: fix_text(
                        t, guide, platform=p, locale=loc
                    ),
                    500,
                ),
            )
        )

    print()
    print(
        f"| {'toolkit lint (a new process each run)':<40} | {'median':>19} | {'CPU':>12} | target |"
    )
    print(f"|{'-' * 42}|{'-' * 21}|{'-' * 14}|--------|")
    for line in cli_rows():
        print(line)


if __name__ == "__main__":
    main()
