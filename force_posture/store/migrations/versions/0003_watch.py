"""Watched sources: every read of a source, every item seen, the leads found and what analysts decided on
them. Append-only: no code path updates or deletes a row of these tables.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "watch_reads",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("http_status", sa.Integer, nullable=True),
        sa.Column("items", sa.Integer, nullable=False),
        sa.Column("new_items", sa.Integer, nullable=False),
        sa.Column("leads", sa.Integer, nullable=False),
        sa.Column("error", sa.Text, nullable=False),
        sa.Column("etag", sa.Text, nullable=False),
        sa.Column("modified", sa.Text, nullable=False),
        sa.CheckConstraint("outcome IN ('read', 'not modified', 'failed')", name="known_outcome"),
    )
    op.create_index("watch_reads_source", "watch_reads", ["source", "id"])
    op.create_table(
        "watch_items",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("link", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("published", sa.Date, nullable=True),
        sa.Column("read", sa.Integer, sa.ForeignKey("watch_reads.id"), nullable=False),
        sa.UniqueConstraint("source", "link", name="one_item_per_link"),
    )
    op.create_table(
        "watch_leads",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("country", sa.String(10), nullable=False),
        sa.Column("troops", sa.Integer, nullable=False),
        sa.Column("low", sa.Integer, nullable=True),
        sa.Column("high", sa.Integer, nullable=True),
        sa.Column("qualifier", sa.String(20), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "watch_lead_sources",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("lead", sa.Integer, sa.ForeignKey("watch_leads.id"), nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("outlet", sa.String(200), nullable=False),
        sa.Column("link", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("published", sa.Date, nullable=False),
        sa.Column("sentence", sa.Text, nullable=False),
        sa.Column("why", sa.Text, nullable=False),
        sa.Column("official", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("lead", "link", name="one_source_per_link"),
    )
    op.create_table(
        "watch_lead_decisions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("lead", sa.Integer, sa.ForeignKey("watch_leads.id"), nullable=False, unique=True),
        sa.Column("decision", sa.String(20), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("analyst", sa.String(200), nullable=False),
        sa.Column("thread", sa.Integer, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("decision IN ('proposed', 'dismissed')", name="known_lead_decision"),
    )


def downgrade() -> None:
    op.drop_table("watch_lead_decisions")
    op.drop_table("watch_lead_sources")
    op.drop_table("watch_leads")
    op.drop_table("watch_items")
    op.drop_index("watch_reads_source", table_name="watch_reads")
    op.drop_table("watch_reads")
