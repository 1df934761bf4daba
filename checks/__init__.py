"""Checks of the library: front-matter schema, text lint, template allowlist and built-site links."""
import os as _os
import sys as _sys

# `python -m checks` puts the working directory first on sys.path, so a docx.py, rjieba.py or yaml.py
# dropped into the checkout would be imported instead of the installed package. Before anything else is
# imported, the project root moves behind the standard library and site-packages.
_ROOT = _os.path.dirname(_os.path.dirname(_os.path.abspath(__file__)))
_sys.path[:] = [p for p in _sys.path if _os.path.abspath(p or ".") != _ROOT] + [_ROOT]
