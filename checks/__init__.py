"""Checks of the library: front-matter schema, text lint, template allowlist and built-site links."""
