"""Waiting in the browser without eval, so it works under the site's Content-Security-Policy.
No project imports: bench/search.py uses it through tests/search_driver.py."""
from __future__ import annotations


def wait_js(page, expression: str, arg=None, timeout: float = 30000) -> None:
    """Poll a JavaScript expression or function until it is truthy. Playwright's wait_for_function
    compiles its predicate with eval inside the page, which the site's Content-Security-Policy
    (rightly) blocks; page.evaluate goes through the debugger protocol and is not affected."""
    import time
    deadline = time.monotonic() + timeout / 1000
    while True:
        try:
            if page.evaluate(expression, arg) if arg is not None else page.evaluate(expression):
                return
        except Exception as exc:  # the page navigated while it was being polled
            if "context was destroyed" not in str(exc) and "navigat" not in str(exc):
                raise
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout / 1000:.0f} s waiting for: {expression}")
        page.wait_for_timeout(50)
