"""The export-link registry every session shares: tokens are unguessable, expire, stay bounded, and
never hand one session's view to another, however many threads use it at once."""

import threading

from force_posture.exports.downloads import Registry


def test_a_token_gives_back_its_own_value_and_keeps_while_refreshed():
    now = [0.0]
    reg = Registry(ttl=60, limit=10, clock=lambda: now[0])
    a, b = reg.put("view A"), reg.put("view B")
    assert a != b and len(a) >= 32 and reg.get(a) == "view A" and reg.get(b) == "view B"
    now[0] = 50
    assert reg.put("view A, later", a) == a  # the same session's next run keeps its token
    now[0] = 100
    assert reg.get(a) == "view A, later" and reg.get(b) is None  # b was unused for 100 s > 60
    assert reg.get("made-up") is None
    assert reg.put("again", "made-up") != "made-up"  # an unknown token is never adopted


def test_it_never_holds_more_than_its_limit():
    reg = Registry(ttl=3600, limit=3)
    tokens = [reg.put(i) for i in range(5)]
    assert len(reg) == 3 and reg.get(tokens[0]) is None and reg.get(tokens[4]) == 4


def test_many_threads_each_get_exactly_their_own_views():
    reg, errors = Registry(), []
    start = threading.Barrier(16)

    def session(i: int) -> None:
        start.wait()
        token = None
        for run in range(300):
            token = reg.put((i, run), token)
            if reg.get(token) != (i, run):
                errors.append((i, run, reg.get(token)))

    threads = [threading.Thread(target=session, args=(i,)) for i in range(16)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert errors == [] and len(reg) == 16


def test_an_export_request_reads_what_is_shown_now_and_dies_with_its_session():
    import gc
    import weakref

    from force_posture.core.scenarios import parse
    from force_posture.exports.downloads import ExportRequest
    from force_posture.exports.export import Briefing
    from force_posture.store.workspace import Workspace

    ws = Workspace()
    request = ExportRequest("the dataset", Briefing(chart="syria"), weakref.ref(ws))
    assert request.resolve()[1].scenarios is None
    ws.add(parse(b"scenario,date,country,troops\nMine,2026-03-01,Syria,500\n", "mine.csv"))
    ds, brief = request.resolve()
    assert ds == "the dataset" and brief.chart == "syria" and list(brief.scenarios["scenario"]) == ["Mine"]
    del ws
    gc.collect()
    assert request.resolve() is None  # a closed session's scenarios are not kept alive by its links
