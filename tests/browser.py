"""Open a report in headless Chromium (Debian's chromium and chromedriver; .ci/run installs them)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

BROWSER_REQUIRED = bool(os.environ.get("SLAGSIM_REQUIRE_BROWSER"))  # set by .ci/run
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage")


@contextmanager
def chromium(page: Path, width: int = 1400, height: int = 900) -> Iterator[object]:
    """A browser showing ``page`` in a window of ``width`` x ``height``; skipped (or failed, in CI)
    when Chromium is not installed."""
    binary, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    if not (binary and driver_path):
        if BROWSER_REQUIRED:
            pytest.fail("chromium and chromedriver are required here (.ci/run installs them)")
        pytest.skip("chromium/chromedriver not installed (CI installs them)")
    webdriver = pytest.importorskip("selenium.webdriver")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in (*FLAGS, f"--window-size={width},{height}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    browser = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=driver_path))
    try:
        browser.set_window_size(width, height)
        browser.get(page.as_uri())
        yield browser
    finally:
        browser.quit()


def first_screen_summary(page: Path) -> tuple[float, float, str]:
    """(top of #decision-summary in px, the viewport's height, its text) at 1400 x 900."""
    with chromium(page) as browser:
        top, inner = browser.execute_script(
            "const e = document.getElementById('decision-summary');"
            "return [e.getBoundingClientRect().top, window.innerHeight];")
        text = browser.find_element("id", "decision-summary").text
    return top, inner, text


def page_fit(page: Path) -> tuple[int, int, int]:
    """(the page's width in px, the window's, A4 portrait pages when printed) at 1400 x 900."""
    import base64
    import re

    with chromium(page) as browser:
        from selenium.webdriver.common.print_page_options import PrintOptions

        width, inner = browser.execute_script(
            "return [document.documentElement.scrollWidth, window.innerWidth]")
        options = PrintOptions()
        options.page_width, options.page_height = 21.0, 29.7  # A4, cm
        pdf = base64.b64decode(browser.print_page(options))
    return width, inner, len(re.findall(rb"/Type\s*/Page[^s]", pdf))
