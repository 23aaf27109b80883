"""A page opened from disk in a real headless Chromium, with everything it asked for and complained
about: the harness of the browser tests of the views and the comparison page. Every request that
would leave the file is refused and recorded, so a test can assert that nothing did. Page code is
always given as a function: the pages' content security policy forbids evaluating strings."""

from __future__ import annotations

import time
from pathlib import Path

SCREENSHOTS = Path(__file__).parent.parent / "output" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class OfflinePage:
    """``path`` opened at 1400x900; ready when the function ``ready`` (page code) returns true."""

    def __init__(self, browser, path: Path, ready: str) -> None:  # type: ignore[no-untyped-def]
        self.context = browser.new_context(viewport={"width": 1400, "height": 900})
        self.requests: list[str] = []
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []

        def route(r):  # type: ignore[no-untyped-def]
            if r.request.url.startswith("file://"):
                r.continue_()
            else:  # nothing may leave the file; record it and refuse
                self.blocked.append(r.request.url)
                r.abort()

        def on_dialog(d):  # type: ignore[no-untyped-def]
            self.dialogs.append(d.message)
            d.dismiss()

        self.context.route("**/*", route)
        self.page = self.context.new_page()
        self.page.on("request", lambda req: self.requests.append(req.url))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", on_dialog)
        self.url = path.resolve().as_uri()
        started = time.monotonic()
        self.page.goto(self.url)
        self.page.wait_for_function(ready, timeout=30_000)
        self.load_seconds = time.monotonic() - started

    def js(self, function: str, arg=None):  # type: ignore[no-untyped-def]
        return self.page.evaluate(function, arg)

    def assert_clean(self) -> None:
        assert self.errors == []
        assert self.dialogs == []
        assert self.blocked == []
        assert self.requests == [self.url]  # the page itself, and nothing else

    def close(self) -> None:
        self.context.close()
