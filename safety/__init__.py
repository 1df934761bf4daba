"""Reader safety: what a reader's browser gets from a contributed page.

- sanitize: the allowlist sanitiser every page's content passes through at build time;
- csp: the Content-Security-Policy written into every page;
- urls: every URL a browser would fetch from an HTML page or a stylesheet;
- verify: a check over any built site folder, independent of MkDocs (python -m safety verify site/);
- sources: which files docs/ may hold (names, types, no symlinks).

Plain functions with no MkDocs imports, so the pipeline, the checker and the tests share them.
"""
