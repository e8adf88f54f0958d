"""The window's size cookies (core/window.py): read only in their exact form, and known to the page shell
without loading the rest of the app."""

import subprocess
import sys

from force_posture.core.window import screen_from_cookie
from tests.browser import ROOT


def test_the_screen_cookie_is_read_only_in_its_exact_form():
    assert screen_from_cookie("1240x980") == (1240, 980)
    assert screen_from_cookie("320x640") == (320, 640)
    for bad in [
        None,
        "",
        "1240",
        "1240x",
        "x980",
        "0x0",
        "012x980",
        "99999x980",
        "1240x980;",
        " 1240x980",
        "1240x980\n",
        "-1240x980",
        "1e3x980",
        "<b>x</b>",
        1240,
        b"1240x980",
    ]:
        assert screen_from_cookie(bad) is None, bad


def test_the_page_shell_is_made_without_loading_pandas_or_the_app():
    """A fresh server's first page is sent from the event loop: made with pandas (or the rest of the app)
    to load first, it waited 0.49 s for the warm-up thread's imports, the whole server with it."""
    probe = (
        "import sys; from force_posture.web import app; shell = app.page_shell().decode(); "
        "heavy = ('pandas', 'plotly', 'force_posture.core.view'); "
        "print('fp_window=' in shell, sorted(m for m in heavy if m in sys.modules))"
    )
    said = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert said.stdout.strip() == "True []"
