"""The saved scenario library: one row per saved version.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "saved_scenarios",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("name_key", sa.String(120), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("visibility", sa.String(10), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("countries", sa.String(40), nullable=False),
        sa.Column("points", sa.Integer, nullable=False),
        sa.Column("csv", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("name_key", "version", name="one_row_per_version"),
        sa.CheckConstraint("visibility IN ('private', 'team')", name="known_visibility"),
        sa.CheckConstraint("version >= 1", name="versions_count_from_one"),
    )
    op.create_index("saved_scenarios_newest", "saved_scenarios", ["created_at"])
    op.create_index("saved_scenarios_author", "saved_scenarios", ["author"])


def downgrade() -> None:
    op.drop_table("saved_scenarios")
