"""The saved scenario library, on SQLite and on a real PostgreSQL server (the `lib` fixture runs each
test on both): versions, visibility on every read, soft delete and purge, concurrent saves, faults."""

import datetime as dt
import threading

import psycopg
import pytest
from sqlalchemy import event

from force_posture.core import scenarios
from force_posture.store import database, library

NOW = dt.datetime(2026, 11, 27, 9, 30, tzinfo=dt.UTC)


def plan(troops: int = 800, country: str = "Syria") -> scenarios.Scenario:
    csv = f"date,country,troops\n2026-03-01,{country},{troops}\n2026-09-01,{country},{troops // 2}\n"
    return scenarios.parse(csv.encode(), "plan.csv")


def test_a_save_is_listed_opened_and_named_with_its_version(lib):
    item = lib.save("alice", "  Slower drawdown,   Kurdistan held  ", plan().frame, NOW, "Kept to 2027.", "team")
    assert (item.name, item.version, item.author, item.countries, item.points) == (
        "Slower drawdown, Kurdistan held",
        1,
        "alice",
        "Syria",
        2,
    )
    [listed] = lib.list("bob")
    assert listed == item
    [(opened, scenario)] = lib.open("bob", [item.id])
    assert opened.label == "Slower drawdown, Kurdistan held (v1)"
    assert scenario.frame["scenario"].unique().tolist() == ["Slower drawdown, Kurdistan held (v1)"]
    assert scenario.frame["troops"].tolist() == [800, 400]


def test_saving_under_an_existing_name_adds_a_version_and_keeps_every_old_one(lib):
    first = lib.save("alice", "Plan A", plan(800).frame, NOW, visibility="team")
    second = lib.save("bob", "plan a", plan(600).frame, NOW + dt.timedelta(minutes=5), visibility="team")
    assert (first.version, second.version) == (1, 2)
    assert [s.version for s in lib.list("carol")] == [2, 1]  # newest first
    frames = {s.version: sc.frame for s, sc in lib.open("carol", [first.id, second.id])}
    assert frames[1]["troops"].tolist() == [800, 400] and frames[2]["troops"].tolist() == [600, 300]


def test_a_private_scenario_is_never_listed_or_opened_for_anyone_else(lib):
    mine = lib.save("alice", "Alice's private plan", plan().frame, NOW, visibility="private")
    assert [s.id for s in lib.list("alice")] == [mine.id]
    assert lib.list("bob") == []
    assert lib.list("bob", search="private") == []
    assert lib.list("bob", author="alice") == []
    with pytest.raises(library.LibraryError) as err:
        lib.open("bob", [mine.id])
    assert str(err.value) == (
        f"No saved scenario #{mine.id} that you can open: it does not exist, was deleted, or is private to its author."
    )
    with pytest.raises(library.LibraryError, match="only its author can"):
        lib.delete("bob", mine.id, NOW)


def test_search_by_words_author_and_country(lib):
    lib.save("alice", "Fast exit", plan(country="Syria").frame, NOW, "Out by summer", "team")
    lib.save("bob", "Hold Erbil", plan(country="Iraq").frame, NOW + dt.timedelta(seconds=1), "Kurdistan", "team")
    assert [s.name for s in lib.list("carol", search="exit")] == ["Fast exit"]
    assert [s.name for s in lib.list("carol", search="kurdistan")] == ["Hold Erbil"]  # in the description
    assert [s.name for s in lib.list("carol", author="BOB")] == ["Hold Erbil"]
    assert [s.name for s in lib.list("carol", country="Iraq")] == ["Hold Erbil"]
    assert [s.name for s in lib.list("carol", search="100%")] == []  # a wildcard is a character, not a pattern


def test_names_and_descriptions_are_data_never_sql(lib):
    name = "x'); DROP TABLE saved_scenarios; --"
    item = lib.save("alice", name, plan().frame, NOW, "<b>bold</b> **md** =HYPERLINK()", "team")
    [listed] = lib.list("bob", search="drop table")
    assert (listed.name, listed.description) == (name, "<b>bold</b> **md** =HYPERLINK()")
    assert lib.open("bob", [item.id])[0][0].name == name


@pytest.mark.parametrize(
    ("name", "description", "visibility", "message"),
    [
        ("   ", "", "team", "Give the scenario a name to save it under."),
        ("x" * 121, "", "team", "The name is 121 characters long; keep it to 120 or fewer."),
        ("Plan", "d" * 2001, "team", "The description is 2,001 characters long; keep it to 2,000 or fewer."),
        ("Plan", "", "public", "Visibility 'public' is not one of: private, team."),
    ],
)
def test_bad_input_is_refused_in_plain_words_and_nothing_is_saved(lib, name, description, visibility, message):
    with pytest.raises(library.LibraryError) as err:
        lib.save("alice", name, plan().frame, NOW, description, visibility)
    assert str(err.value) == message
    assert lib.list("alice") == []


def test_the_upload_rules_apply_to_what_is_saved(lib):
    frame = plan().frame.copy()
    frame.loc[0, "troops"] = scenarios.MAX_TROOPS + 1
    with pytest.raises(library.LibraryError, match=r"cannot be saved: .*row 2.*troops"):
        lib.save("alice", "Typo", frame, NOW)
    with pytest.raises(library.LibraryError, match="no points to save"):
        lib.save("alice", "Empty", frame.iloc[0:0], NOW)
    assert lib.list("alice") == []


def test_delete_is_soft_restorable_for_30_days_then_purged(lib):
    item = lib.save("alice", "Plan", plan().frame, NOW, visibility="team")
    lib.delete("alice", item.id, NOW)
    assert lib.list("alice") == [] and lib.list("bob") == []
    with pytest.raises(library.LibraryError, match="was deleted"):
        lib.open("bob", [item.id])
    assert [s.id for s in lib.list("alice", deleted=True, now=NOW + dt.timedelta(days=29))] == [item.id]
    assert lib.list("bob", deleted=True, now=NOW) == []  # only the author sees what they deleted
    lib.restore("alice", item.id, NOW + dt.timedelta(days=29))
    assert [s.id for s in lib.list("bob")] == [item.id]
    lib.delete("alice", item.id, NOW)
    with pytest.raises(library.LibraryError, match="in the last 30 days"):
        lib.restore("alice", item.id, NOW + dt.timedelta(days=31))
    assert lib.purge(NOW + dt.timedelta(days=29)) == 0
    assert lib.purge(NOW + dt.timedelta(days=31)) == 1
    assert lib.list("alice", deleted=True, now=NOW) == []


def test_concurrent_saves_of_one_name_get_distinct_versions_and_none_is_lost(lib):
    lib.migrate()
    errors, start = [], threading.Barrier(8)

    def save(i: int) -> None:
        start.wait()
        try:
            for k in range(3):
                lib.save(f"analyst {i}", "Same name", plan(100 * i + k + 1).frame, NOW, visibility="team")
        except Exception as err:  # noqa: BLE001
            errors.append(err)

    threads = [threading.Thread(target=save, args=(i,)) for i in range(8)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert errors == []
    listed = lib.list("someone")
    assert sorted(s.version for s in listed) == list(range(1, 25))
    opened = lib.open("someone", [s.id for s in listed])
    assert sorted(int(sc.frame["troops"].iloc[0]) for _, sc in opened) == sorted(
        100 * i + k + 1 for i in range(8) for k in range(3)
    )


def test_a_restarted_process_finds_the_library_intact_and_migrations_run_once(lib):
    item = lib.save("alice", "Plan", plan().frame, NOW, visibility="team")
    again = library.Library(lib.url)  # a new process (or replica) on the same database
    again.migrate()
    assert again.list("bob") == [item]
    with again.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars().all() == [database.HEAD]
    again.engine.dispose()


def test_the_database_stopping_in_the_middle_of_a_save_loses_nothing(pg_cluster):
    pg_cluster.reset()
    lib = library.Library(pg_cluster.url)
    lib.save("alice", "Before", plan().frame, NOW, visibility="team")

    def stop_server(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("INSERT"):
            pg_cluster.stop("immediate")

    event.listen(lib.engine, "before_cursor_execute", stop_server)
    try:
        with pytest.raises(library.LibraryError) as err:
            lib.save("alice", "During", plan().frame, NOW, visibility="team")
    finally:
        event.remove(lib.engine, "before_cursor_execute", stop_server)
        pg_cluster.start()
    message = str(err.value)
    assert message.startswith("The scenario library's database could not be reached")
    assert "'During' was not saved; it is still loaded in this session, so nothing was lost." in message
    assert "Traceback" not in message
    assert [s.name for s in lib.list("alice")] == ["Before"]  # nothing half-written
    retried = lib.save("alice", "During", plan().frame, NOW, visibility="team")
    assert [s.name for s in lib.list("alice")] == ["During", "Before"] and retried.version == 1
    with psycopg.connect(pg_cluster.admin_dsn()) as conn:
        assert conn.execute("SELECT count(*) FROM saved_scenarios").fetchone()[0] == 2
    lib.engine.dispose()


def test_an_unreachable_database_is_a_plain_message():
    lib = library.Library("postgresql+psycopg://nobody@127.0.0.1:9/none")
    with pytest.raises(library.LibraryError, match="could not be reached") as err:
        lib.list("alice")
    assert "Traceback" not in str(err.value)


def test_a_database_setting_that_is_not_an_address_is_a_plain_message():
    with pytest.raises(library.LibraryError, match="'nonsense' .* is not a database address") as err:
        library.Library("nonsense")
    assert "postgresql://USER:PASSWORD@HOST/DATABASE" in str(err.value)
    with pytest.raises(library.LibraryError, match="names a mysql database; the library runs on SQLite or PostgreSQL"):
        library.Library("mysql+nosuchdriver://x/y")


def test_the_default_library_is_made_on_first_use_and_a_typo_never_is(tmp_path, monkeypatch):
    with pytest.raises(library.LibraryError, match="a folder that does not exist"):
        library.Library(f"sqlite:///{tmp_path}/new/folder/library.sqlite3")
    assert not (tmp_path / "new").exists()
    monkeypatch.delenv("FORCE_POSTURE_DATABASE_URL")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home"))
    fresh = library.Library()
    assert fresh.list("anyone") == []  # created on first use, folder and schema
    assert (tmp_path / "home/force-posture/library.sqlite3").is_file()
