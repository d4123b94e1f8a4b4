"""Text as platforms see it: script-aware spans, counting, fitting, casing, hashtags."""
