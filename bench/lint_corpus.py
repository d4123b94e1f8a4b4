"""A mixed lint corpus: thousands of distinct posts in en, fr, es, tr and ja, made from a seed.

Each post is a hook, one or two body sentences and a call to action, picked
per language from pieces written as a social media team writes them: links
(with and without a scheme, with UTM parameters), hashtags, mentions, emoji,
quotations in each language's marks, numbers, and the mistakes the demo guide
exists for (a misspelt platform name, hype words and their other forms,
shouting, straight quotes, missing spaces or marks). About 100 to 300
characters each; every post differs from every other, so no per-text cache
flatters the rate. ``python bench/lint_corpus.py`` prints a sample.
"""

from __future__ import annotations

import random

Piece = tuple[str, ...]

# locale → (platforms, hooks, bodies, calls to action, tails)
_PIECES: dict[str, tuple[Piece, Piece, Piece, Piece, Piece]] = {
    "en-US": (
        ("linkedin", "x", "instagram", "threads", "facebook"),
        (
            "Prove the ROI of social media in {n} minutes.",
            "Our {n}-minute webinar shows the metrics that tie posts to revenue 📊",
            "We cut reporting from {n} hours to one with a single sheet.",
            "A revolutionary way to plan {n} posts a week.",
            "Follow us on Linkedin for {n} tips a month.",
            "How {name} Grew Their Audience By {n} Percent In One Quarter",
            "“Best webinar of the year,” says {name} after week {n}.",
            "{n} things we learned running social for a coffee brand ☕",
        ),
        (
            "You get the template, the UTM plan and a live Q&A with @{handle}.",
            "We'll share what worked for {n} teams, and what didn't.",
            "Sign up by email, or e-mail {name} with questions.",
            "It's AMAZING what {n} good posts can do!!",
            'The team calls it "the one sheet" and uses it every Monday.',
            "No fluff: {n} charts, one dashboard and the KPI list our CFO asked for.",
            "I think our best post this year was the one with {n} comments.",
            "Bring your numbers; we bring coffee and the GIF-free slides.",
        ),
        (
            "Register for free: https://example.com/w{n}?utm_source=linkedin",
            "Watch the replay 👉 https://example.com/r{n}",
            "Save your seat at example.com/seat{n} before Friday.",
            "Download the checklist and tell us what you think.",
            "Join us live on the {n}th.",
        ),
        (
            "#SocialMedia #Analytics",
            "#marketing",
            "#ContosoCoffee 🎉",
            "cc @{handle}",
            "",
        ),
    ),
    "fr-FR": (
        ("instagram", "linkedin", "facebook"),
        (
            "Prouvez en {n} minutes ce que vos réseaux sociaux rapportent\u202f!",
            "Au programme: {n} indicateurs incroyables.",
            "Nous avons testé {n} méthodes de reporting 🧪",
            "Elle a dit « on a arrêté de deviner » après {n} semaines.",
            "{name} partage {n} astuces pour vos publications.",
            "Des résultats révolutionnaires en {n} jours !",
        ),
        (
            "Le modèle fait gagner {n} heures par mois à l'équipe.",
            "Un plan UTM prêt à copier, pour {n} réseaux, avec @{handle}.",
            "Des chiffres incroyables, et surtout des méthodes qui tiennent.",
            'Un client nous a écrit "enfin un rapport lisible" la semaine {n}.',
            "Rendez-vous mardi à 16:00 pour {n} questions-réponses.",
        ),
        (
            "Inscrivez-vous gratuitement : lien en bio",
            "Inscris-toi → https://example.com/fr{n}",
            "Téléchargez le guide sur example.fr/guide{n}",
            "Découvrez le replay ici https://example.com/replay-{n}",
        ),
        ("#RéseauxSociaux", "#marketing #ContosoCoffee", "🎯", ""),
    ),
    "es-ES": (
        ("x", "instagram", "linkedin"),
        (
            "¿Podría tu equipo demostrar cuánto aportan las redes en {n} días?",
            "Una plantilla increíble para {n} publicaciones.",
            "En {n} minutos te enseñamos las métricas clave 📈",
            "Nos vemos el jueves a las {n}!",
            "{name} nos cuenta cómo ahorró {n} horas al mes.",
            "Resultados increibles en {n} semanas.",
        ),
        (
            "La plantilla nos ahorra {n} horas a la semana.",
            "Un plan de etiquetas UTM para {n} redes, con @{handle}.",
            'Dijo "sí" después de {n} reuniones.',
            "Sin humo: {n} gráficos y un tablero que tu equipo entiende.",
            "Las métricas que importan, explicadas en «{n} pasos».",
        ),
        (
            "Regístrate gratis: https://example.com/es{n}",
            "Descárgala aquí https://example.com/d{n}",
            "Apúntate en example.es/webinar{n}",
            "Descárgalas y cuéntanos qué te parecen.",
        ),
        ("#RedesSociales", "#Marketing 🎉", "#northwind", ""),
    ),
    "tr-TR": (
        ("threads", "instagram", "x"),
        (
            "Sosyal medyanın ne kazandırdığını {n} dakikada kanıtlayın.",
            "Sonuçlar inanılmazdı: {n} ekip raporunu yarıya indirdi.",
            "istanbul'da {n} ekip buluşuyor 🎉",
            "Haftalık raporu {n} saatten kısaltan şablon.",
            "{name}, {n} haftada takipçi sayısını ikiye katladı.",
        ),
        (
            "Satışa bağlanan {n} metrik ve bir UTM planı.",
            "Muhteşem bir şablon, {n} ağ için hazır.",
            "Bizi Linkedin'de takip edin, {n} ipucu paylaşıyoruz.",
            "“Muhteşem Yüzyıl” kadar uzun değil: sadece {n} dakika.",
            "Sorularınızı @{handle} hesabına yazın.",
        ),
        (
            "Ücretsiz kaydolun → https://example.com/tr{n}",
            "Hemen katılın: https://example.com/k{n}",
            "Hemen kaydol, yerini ayırt.",
            "Şablonu indirin: example.com.tr/sablon{n}",
        ),
        ("#SosyalMedya 📈", "#pazarlama", "#ContosoCoffee", ""),
    ),
    "ja-JP": (
        ("x", "instagram", "threads"),
        (
            "SNS運用の成果を{n}分で数字として示せるようになります。",
            "最強のテンプレートを{n}個ご紹介します。",
            "週次レポートを{n}時間から短縮しました📊",
            "本当ですか?{n}社が導入しました。",
            "【PR】{name}さんが語る、{n}年分の運用ノウハウ。",
        ),
        (
            "投稿と売上をつなぐ{n}つの指標を解説します。",
            "ウェビナー(無料)は{n}日開催です。",
            "登録者数が{n}万人を超えました🎉",
            "『最強のふたり』のような名コンビ、@{handle}さんも登壇します。",
            "ｶﾀｶﾅの表記ゆれも{n}件まとめてチェックできます。",
        ),
        (
            "無料で申し込む 👉 https://example.com/ja{n}",
            "今すぐご登録ください https://example.com/j{n}",
            "詳しくはプロフィールのリンクから。",
        ),
        ("#SNSマーケティング", "#広告", "#ContosoCoffee", ""),
    ),
}
_NAMES = ("Ada", "Mateo Ruiz", "Zeynep", "Camille", "Yuki", "Priya", "Jonas")
_HANDLES = ("ada", "contoso", "mateo_ruiz", "zeynep.k", "yuki_jp", "northwind")


def mixed_posts(n: int = 2500, seed: int = 7) -> list[tuple[str, str, str]]:
    """``n`` distinct ``(locale, platform, text)`` posts, the five languages in turn."""
    rng = random.Random(seed)
    locales = list(_PIECES)
    seen: set[str] = set()
    out: list[tuple[str, str, str]] = []
    while len(out) < n:
        locale = locales[len(out) % len(locales)]
        platforms, hooks, bodies, ctas, tails = _PIECES[locale]
        values = {
            "n": rng.randint(2, 999),
            "name": rng.choice(_NAMES),
            "handle": rng.choice(_HANDLES),
        }
        parts = [rng.choice(hooks), *rng.sample(bodies, rng.randint(1, 2)), rng.choice(ctas)]
        tail = rng.choice(tails)
        sep = "" if locale == "ja-JP" else " "
        text = sep.join(p.format(**values) for p in parts)
        if tail:
            text += ("\n\n" if rng.random() < 0.5 else " ") + tail.format(**values)
        if text not in seen:
            seen.add(text)
            out.append((locale, rng.choice(platforms), text))
    return out


if __name__ == "__main__":
    posts = mixed_posts()
    lengths = sorted(len(t) for _, _, t in posts)
    median = lengths[len(lengths) // 2]
    print(f"{len(posts)} posts, {lengths[0]}–{lengths[-1]} characters (median {median})")
    for locale, platform, text in posts[:10]:
        print(f"{locale} {platform}: {text!r}")
