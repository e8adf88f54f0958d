"""The team's database: its address, who the analyst is, and one migration per process."""

import pytest

from force_posture import database


def test_who_the_analyst_is():
    headers = {"X-Forwarded-User": "alice@team", "Host": "x"}
    assert database.user_from_headers(headers, None) == database.LOCAL_USER  # no proxy: a browser cannot choose
    assert database.user_from_headers(headers, "") == database.LOCAL_USER
    assert database.user_from_headers(headers, "x-forwarded-user") == "alice@team"
    with pytest.raises(database.DatabaseError, match="came without it"):
        database.user_from_headers({"Host": "x"}, "X-Forwarded-User")


def test_the_default_database_is_a_sqlite_file_in_the_user_data_folder():
    assert database.default_url({database.DATABASE_ENV: "postgresql+psycopg://h/db"}) == "postgresql+psycopg://h/db"
    url = database.default_url({})
    assert url.startswith("sqlite:///") and url.endswith("force-posture/library.sqlite3")


def test_a_fresh_database_is_migrated_once_however_many_sessions_ask_at_once(tmp_path):
    import threading

    from sqlalchemy import inspect

    db = database.Database(f"sqlite:///{tmp_path}/team.sqlite3")
    errors = []

    def ask():
        try:
            db.migrate()
        except Exception as err:  # noqa: BLE001 (collected and asserted below)
            errors.append(err)

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert {"saved_scenarios", "alembic_version"} <= set(inspect(db.engine).get_table_names())
    with db.engine.connect() as conn:
        assert [r[0] for r in conn.exec_driver_sql("SELECT version_num FROM alembic_version")] == ["0001"]


def test_a_setting_that_is_not_a_database_address_is_a_plain_message():
    with pytest.raises(database.DatabaseError, match="is not a database address this app can use") as err:
        database.Database("nonsense")
    assert "Traceback" not in str(err.value) and database.DATABASE_ENV in str(err.value)
