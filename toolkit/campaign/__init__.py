"""The campaign: brief, brand, platform manifests, links, and the facts derived from them."""
