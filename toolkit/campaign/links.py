"""Campaign links with UTM parameters, per platform."""

from __future__ import annotations

from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from toolkit.campaign.brief import Utm


def with_utm(url: str, source: str, utm: Utm | None) -> str:
    """Add ``utm_*`` parameters, keeping the link's own query and fragment.

    ``utm_source`` is always the platform; the brief's ``utm`` fills the rest.
    A parameter already in the link that the brief does not set is kept.
    """
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    wanted = {"utm_source": source}
    if utm is not None:
        for key in ("medium", "campaign", "term", "content"):
            value = getattr(utm, key)
            if value:
                wanted[f"utm_{key}"] = value
    kept = [(k, v) for k, v in query if k not in wanted]
    merged = kept + list(wanted.items())
    encoded = urlencode(merged, quote_via=quote, safe="")
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", encoded, parts.fragment))
