"""Browser fixtures: Debian's Chromium (never a downloaded one), one fresh context per test, a screenshot of the
page in test-artifacts/ when a test fails; and the steps every story takes (log in, expect a message, keep a
screenshot of a step when E2E_SCREENSHOTS names a folder).

Playwright's sync API runs an event loop in the test's thread; the test still calls the ORM there (seeding,
checks), which Django refuses inside a running loop unless told that it is safe. Here it is: the loop belongs
to Playwright, and the ORM calls never run in it concurrently. The variable is set for the browser tests only:
set for the whole session it would leak into other tests (`check --deploy` rejects it, rightly).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.conftest import DEMO_PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Remember on the test item whether its body failed, for `new_page` to decide on a screenshot."""
    report = yield
    if report.when == "call":
        item.stash[FAILED] = report.failed
    return report


@pytest.fixture(scope="module", autouse=True)
def _allow_orm_beside_playwright() -> Iterator[None]:
    # Module-scoped, so that it is in place before pytest-django's database fixtures and until after their
    # flush at teardown.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: CI must install Debian's chromium for the browser tests.")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium); browser tests skipped outside CI.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """Make pages in fresh browser contexts (`new_page(viewport=…)`); on failure the last one is saved."""
    contexts: list[Any] = []

    def make(**options: Any) -> Any:
        options.setdefault("locale", "vi-VN")
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    if request.node.stash.get(FAILED, True) and contexts:
        ARTIFACTS.mkdir(exist_ok=True)
        for n, context in enumerate(contexts):
            for m, page in enumerate(context.pages):
                page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{n}-{m}.png"), full_page=True)
    for context in contexts:
        context.close()


def shot(page: Any, name: str) -> None:
    """Keep a screenshot of the step `name` in the folder E2E_SCREENSHOTS names, if it names one."""
    folder = os.environ.get("E2E_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def log_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")


def logged_in(new_page: Any, base: str, username: str) -> Any:
    """A fresh browser (no cookies: the clock may have jumped past any session) logged in as `username`."""
    page = new_page()
    log_in(page, base, username)
    return page


def expect_message(page: Any, text: str) -> None:
    expect(page.get_by_role("alert").filter(has_text=text)).to_be_visible()
