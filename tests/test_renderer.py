"""The export service: each request gets its own image back however many threads ask at once, and a
dead or stuck browser is reported in plain words and replaced."""

import os
import signal
import threading
import time

import pytest

from force_posture.exports import renderer


def _fig(name: str) -> dict:
    return {"data": [{"type": "scatter", "x": [1, 2], "y": [3, 4], "name": name}], "layout": {"title": {"text": name}}}


def _service(tabs: int):
    svc = renderer.ExportService(tabs=tabs, timeout=30)
    yield svc
    svc.stop()


@pytest.fixture()
def service():
    """One tab: the browser's life (start, death, stop) is the same with one as with many, and each tab
    a browser opens is about a second of Chromium loading Plotly's bundle before the first image."""
    yield from _service(tabs=1)


@pytest.fixture()
def two_tabs():
    """Two tabs, for the tests of threads drawn side by side."""
    yield from _service(tabs=2)


def test_every_thread_gets_its_own_svg_back(two_tabs):
    service = two_tabs
    names = [f"Plan-{i}-{'x' * i}" for i in range(12)]
    results: dict[str, list[bytes]] = {n: [] for n in names}

    def work(name):
        for _ in range(3):
            results[name].append(service.render(_fig(name), "svg", 400, 300))

    threads = [threading.Thread(target=work, args=(n,)) for n in names]
    [t.start() for t in threads]
    [t.join() for t in threads]
    for name, outs in results.items():
        assert len(outs) == 3
        for svg in outs:
            title = svg.split(b'class="gtitle"', 1)[1].split(b"</text>", 1)[0]
            assert title.endswith(name.encode()), (name, title)
    assert service.starts == 1


def test_a_browser_killed_between_two_exports_is_replaced_and_the_next_export_works(service):
    first = service.render(_fig("before"), "png", 300, 200)
    assert first.startswith(b"\x89PNG")
    pid = service.pid()
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while service.pid() == pid and time.monotonic() < deadline:  # wait until the process is gone
        time.sleep(0.05)
    after = service.render(_fig("after"), "svg", 300, 200)
    assert b"after" in after
    assert service.starts == 2
    assert service.pid() not in (None, pid)


def test_a_browser_that_dies_during_an_export_says_so_and_the_next_export_works(service):
    service.render(_fig("warm"), "png", 300, 200)
    pid = service.pid()
    # the browser is frozen first, so the request is certainly still being drawn when it dies
    os.kill(pid, signal.SIGSTOP)
    request = service.submit(_fig("doomed"), "png", 3000, 3000, 2)
    os.kill(pid, signal.SIGKILL)
    with pytest.raises(renderer.ExportError) as err:
        request.result()
    assert str(err.value) == (
        "The export browser stopped while drawing the PNG; no file was made. "
        "It has been restarted: please click the button again."
    )
    assert b"again" in service.render(_fig("again"), "svg", 300, 200)


def test_an_image_too_large_to_draw_is_refused_rather_than_saved_damaged(service):
    # kaleido hands back 3 bytes, not an error, for a figure larger than the browser's biggest canvas
    with pytest.raises(renderer.ExportError) as err:
        service.render(_fig("huge"), "png", 6000, 6000, 4)
    assert str(err.value).startswith("The PNG came back damaged (3 bytes), so no file was made.")
    assert "choose a smaller width, height or scale" in str(err.value)
    for fmt in ("png", "svg", "pdf"):
        assert service.render(_fig("fine"), fmt, 300, 200).lstrip().startswith(renderer.SIGNATURES[fmt])


def test_an_export_that_takes_too_long_is_stopped_with_a_plain_message():
    svc = renderer.ExportService(tabs=1, timeout=0.001)
    try:
        with pytest.raises(renderer.ExportError) as err:
            svc.render(_fig("slow"), "png", 300, 200)
        assert str(err.value) == (
            "The PNG took longer than 0.001 s to draw and was stopped; no file was made. "
            "The export browser has been restarted: please click the button again."
        )
        svc.timeout = 30  # the same service recovers once images can be drawn in time
        assert b"quick" in svc.render(_fig("quick"), "svg", 300, 200)
        assert svc.starts == 2
    finally:
        svc.stop()


def test_a_browser_that_cannot_start_says_what_to_install(monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    svc = renderer.ExportService(tabs=1, timeout=5)
    with pytest.raises(renderer.ExportError) as err:
        svc.render(_fig("x"), "svg", 300, 200)
    assert str(err.value).startswith(
        "The export browser could not start, so no file was made. Check that Debian's chromium and fonts are "
        "installed (`make run` installs them)."
    )
    svc.stop()


def test_settings_come_from_the_environment_and_bad_values_are_refused(monkeypatch):
    monkeypatch.setenv(renderer.TABS_SETTING, "3")
    monkeypatch.setenv(renderer.TIMEOUT_SETTING, "12.5")
    svc = renderer.ExportService()
    assert (svc.tabs, svc.timeout) == (3, 12.5)
    monkeypatch.setenv(renderer.TABS_SETTING, "many")
    with pytest.raises(renderer.ExportError) as err:
        renderer.ExportService()
    assert str(err.value) == "FORCE_POSTURE_EXPORT_TABS='many' is not a number; unset it or give a positive number."
    monkeypatch.setenv(renderer.TABS_SETTING, "0")
    with pytest.raises(renderer.ExportError, match="must be more than 0"):
        renderer.ExportService()


def test_unknown_formats_are_refused_before_anything_starts(service):
    with pytest.raises(ValueError, match="unknown image format 'gif'; choose png, svg or pdf"):
        service.submit(_fig("x"), "gif", 300, 200)
    assert service.starts == 0


def test_stop_closes_the_browser_and_a_later_request_starts_a_new_one(service):
    service.render(_fig("one"), "svg", 300, 200)
    pid = service.pid()
    service.stop()
    assert service.pid() is None
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        pytest.fail("the export browser outlived stop()")
    assert b"two" in service.render(_fig("two"), "svg", 300, 200)
