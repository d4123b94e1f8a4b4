"""The template sandbox: untrusted Jinja templates rendered within bounded time, size and steps."""
