"""Alembic's entry: runs the migrations on the connection `database.Database.migrate` passes in, against
the tables the code declares (database.metadata, which library.py and record.py fill)."""

from alembic import context

from force_posture.store import database, library, record

TABLES = (library.saved, record.threads, record.proposals, record.decisions, record.versions)
connection = context.config.attributes["connection"]
context.configure(
    connection=connection, target_metadata=database.metadata, render_as_batch=connection.dialect.name == "sqlite"
)
with context.begin_transaction():
    context.run_migrations()
