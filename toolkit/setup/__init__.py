"""Workspace setup: `toolkit init` and the JSON Schemas editors use."""
