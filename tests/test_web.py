"""web/: the routes' errors answered in one place, and answers that never wait on a kept-alive connection."""

import socket

from starlette.requests import Request

from force_posture.publish import api, public
from force_posture.web import errors, tcp
from tests.test_public import on_a_loop


def _request(path: str = "/api/x") -> Request:
    return Request({"type": "http", "method": "GET", "path": path, "query_string": b"", "headers": []})


def _answer(raising: Exception):
    @errors.answers("The thing could not be made; try again.")
    async def route(request):
        raise raising

    return on_a_loop(route(_request()))


def test_every_error_a_route_lets_rise_is_answered_with_its_status_in_words():
    said = {
        400: _answer(api.BadRequest("known: 'x' is not a date; write YYYY-MM-DD.")),
        404: _answer(public.NotFound("No such address: /chart/x.")),
        503: _answer(public.Busy("Too many chart images are being drawn; try again in a few seconds.")),
        403: _answer(errors.Refusal(403, "Who you are is not known here.", **{"Cache-Control": "no-store"})),
        500: _answer(ZeroDivisionError("division by zero")),
    }
    assert {status: reply.status_code for status, reply in said.items()} == {s: s for s in said}
    assert said[400].body == b"known: 'x' is not a date; write YYYY-MM-DD.\n"
    assert said[503].headers["retry-after"] == "5" and said[403].headers["cache-control"] == "no-store"
    assert said[500].body == b"The thing could not be made; try again.\n"  # never the traceback's words
    assert all(r.headers["content-type"] == "text/plain; charset=utf-8" for r in said.values())


def test_a_listening_socket_bound_without_naming_tcp_hands_its_connections_no_delay():
    """As Streamlit binds its socket: protocol 0, so asyncio would leave Nagle's algorithm on."""
    listener = socket.socket(socket.AF_INET)
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    try:
        assert listener.proto == 0 and listener.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0
        assert tcp.no_delay() >= 1
        client = socket.create_connection(listener.getsockname())
        accepted, _ = listener.accept()
        with client, accepted:
            assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
    finally:
        listener.close()


def test_where_the_open_files_cannot_be_listed_no_socket_is_touched(tmp_path):
    assert tcp.no_delay(tmp_path / "no such folder") == 0


def test_a_failed_export_names_its_format_in_the_words_the_buttons_show():
    from force_posture.web import app

    request = Request(
        {
            "type": "http",
            "method": "GET",
            "path": "/export/t/pptx",
            "query_string": b"",
            "headers": [],
            "path_params": {"token": "t", "fmt": "pptx"},
        }
    )
    assert app._export_failed(request) == (
        "The PowerPoint export failed on the server; click again, and tell the team if it keeps failing."
    )

    @errors.answers(app._export_failed)
    async def route(request):
        raise ZeroDivisionError("division by zero")

    reply = on_a_loop(route(request))
    assert reply.status_code == 500 and reply.body.startswith(b"The PowerPoint export failed on the server")
