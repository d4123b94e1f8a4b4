"""Voice lint throughput, run by hand: ``python bench/lint.py``. Prints a table; asserts nothing.

Posts of about 280 characters (links, hashtags, a mention, emoji) in five
languages are linted with the demo brand's guide, one core, one post at a
time. Each figure is the median posts per second of several repeats, with
the spread (min–max). The target is at least 5,000 posts per second.
"""

from __future__ import annotations

import statistics
import sys
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
        f"demo guide: {len(guide.rules)} rules, loaded and self-tested in {loaded * 1e3:.0f} ms "
        "(first load: imports and YAML parsing included)"
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


if __name__ == "__main__":
    main()
