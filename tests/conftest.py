import datetime as dt
import os
import tempfile
from pathlib import Path

import pytest

from force_posture.core import data
from force_posture.store import database, library

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 24)  # fixed "today": every pure function takes it as an argument


@pytest.fixture(scope="session")
def ds() -> data.Dataset:
    return data.load()


# No test ever writes to an analyst's own library (or a team's server named in the environment).
os.environ[database.DATABASE_ENV] = f"sqlite:///{tempfile.mkdtemp(prefix='fp-test-library-')}/library.sqlite3"
os.environ.pop(database.USER_HEADER_ENV, None)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, driven by Playwright: one per test process (each xdist worker has its own)."""
    from playwright.sync_api import sync_playwright

    from tests.browser import launch

    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


@pytest.fixture(scope="session")
def pg_cluster():
    from tests.postgres import Cluster

    cluster = Cluster()
    yield cluster
    cluster.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """An empty database of each kind, by its address: a SQLite file, and the test PostgreSQL server
    (emptied); a test runs once on each."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/test.sqlite3"
    cluster = request.getfixturevalue("pg_cluster")
    cluster.reset()
    return cluster.url


@pytest.fixture
def lib(db_url):
    """An empty library on each database."""
    one = library.Library(db_url)
    yield one
    one.engine.dispose()


@pytest.fixture(scope="session")
def app():
    """The app as `make run` serves it, on 127.0.0.1 and a free port: one per test process, shared by
    the browser tests that need no server of their own (each opens its own browser session)."""
    from tests.browser import served_app

    with served_app() as base:
        yield base


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """When a browser test fails, what each of its open pages showed: a screenshot in
    test-artifacts/failed/ and the page's address and visible words in the failure's report, so that a
    failure seen only in CI's log says what the analyst's screen said."""
    outcome = yield
    report = outcome.get_result()
    browser = item.funcargs.get("browser") if hasattr(item, "funcargs") else None
    if report.when != "call" or not report.failed or browser is None:
        return
    from tests.browser import page_report

    report.sections.append(("open pages at the failure", page_report(browser, item.name)))
