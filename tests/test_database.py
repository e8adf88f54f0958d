"""The team's database: its address, who the analyst is, and one migration per process."""

import pytest

from force_posture.store import database


def test_who_the_analyst_is():
    headers = {"X-Forwarded-User": "alice@team", "Host": "x"}
    assert database.user_from_headers(headers, None) == database.LOCAL_USER  # no proxy: a browser cannot choose
    assert database.user_from_headers(headers, "") == database.LOCAL_USER
    assert database.user_from_headers(headers, "x-forwarded-user") == "alice@team"
    with pytest.raises(database.DatabaseError) as err:
        database.user_from_headers({"Host": "x"}, "X-Forwarded-User")
    assert str(err.value).startswith("No identity was set by the team's proxy: this server takes who you are from")
    assert str(err.value).endswith("Tell whoever runs this server.")


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
        assert [r[0] for r in conn.exec_driver_sql("SELECT version_num FROM alembic_version")] == [database.HEAD]


def test_head_is_the_newest_migration_and_a_current_database_is_left_as_it_is(tmp_path):
    from alembic import command
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(database.MIGRATIONS))
    assert database.HEAD == ScriptDirectory.from_config(cfg).get_current_head()
    url = f"sqlite:///{tmp_path}/team.sqlite3"
    assert database.Database(url).migrate() == "created"
    assert database.Database(url).migrate() == "already current"  # a new process: no migration run
    with database.Database(url).engine.begin() as conn:  # a database one revision behind is upgraded
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")
    assert database.Database(url).migrate() == "upgraded from revision 0001"


def test_a_setting_that_is_not_a_database_address_is_a_plain_message_naming_the_setting(monkeypatch):
    monkeypatch.setenv(database.DATABASE_ENV, "nonsense")
    with pytest.raises(database.DatabaseError) as err:
        database.Database()
    assert str(err.value) == (
        "The database address 'nonsense' (from FORCE_POSTURE_DATABASE_URL) is not a database address. "
        "Give sqlite:///PATH/library.sqlite3 or postgresql://USER:PASSWORD@HOST/DATABASE."
    )
    with pytest.raises(database.DatabaseError, match=r"^The database address 'nonsense' \(from --database\)"):
        database.Database("nonsense", "--database")


@pytest.mark.parametrize("spelling", ["postgres", "postgresql", "postgresql+psycopg"])
def test_the_common_postgresql_spellings_all_mean_psycopg(spelling):
    assert database.checked(f"{spelling}://fp:pw@db.host/force_posture", "x") == (
        "postgresql+psycopg://fp:pw@db.host/force_posture"
    )


def test_other_databases_and_missing_folders_are_refused_and_the_password_never_shown(tmp_path):
    with pytest.raises(database.DatabaseError) as err:
        database.checked("mysql://fp:secret@h/db", "--database")
    assert str(err.value).startswith("The database address 'mysql://fp:***@h/db' (from --database) names a mysql")
    with pytest.raises(database.DatabaseError, match="names a file in /nonexistent, a folder that does not exist"):
        database.checked("sqlite:////nonexistent/x.db", "--database")
    assert not (tmp_path / "new").exists()
    with pytest.raises(database.DatabaseError, match="a folder that does not exist"):
        database.checked(f"sqlite:///{tmp_path}/new/x.db", database.DATABASE_ENV)
    assert not (tmp_path / "new").exists()  # a typo never makes a folder and an empty library
    assert database.checked(f"sqlite:///{tmp_path}/x.db", "--database") == f"sqlite:///{tmp_path}/x.db"


def test_only_the_default_location_is_made_on_first_use(tmp_path, monkeypatch):
    monkeypatch.delenv(database.DATABASE_ENV, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    db = database.Database()
    assert db.source == "the default location" and (tmp_path / "data" / "force-posture").is_dir()
    assert db.migrate() == "created"


def test_migrate_says_whether_it_created_or_found_the_schema_current(tmp_path):
    url = f"sqlite:///{tmp_path}/team.sqlite3"
    assert database.Database(url).migrate() == "created"
    assert database.Database(url).migrate() == "already current"


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_the_migrations_make_exactly_the_tables_the_code_declares(kind, tmp_path, request):
    """`alembic check`, as a test: a database migrated to head has every table, column, key, index and
    unique constraint of database.metadata, and nothing more, on both databases the library runs on."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from force_posture.store import library, record

    assert {"saved_scenarios", "record_proposals"} <= set(database.metadata.tables)
    assert library.saved.metadata is record.proposals.metadata is database.metadata  # one MetaData
    if kind == "sqlite":
        url = f"sqlite:///{tmp_path}/check.sqlite3"
    else:
        cluster = request.getfixturevalue("pg_cluster")
        cluster.reset()
        url = cluster.url
    db = database.Database(url)
    try:
        db.migrate()
        with db.engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), database.metadata) == []
    finally:
        db.engine.dispose()
