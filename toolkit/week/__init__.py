"""The week: plan, drafts, cards per post, scheduler files and the preview page."""
