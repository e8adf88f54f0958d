"""The living record: proposals (one row per round), decisions (one per round at most) and the record
versions approvals made. Append-only: no code path updates or deletes a row of these tables.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(  # a proposal's number: each round of it is a row of record_proposals
        "record_threads",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "record_proposals",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("thread", sa.Integer, sa.ForeignKey("record_threads.id"), nullable=False),
        sa.Column("round", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("file", sa.String(40), nullable=False),
        sa.Column("country", sa.String(10), nullable=False),
        sa.Column("change", sa.Text, nullable=False),  # the change as JSON (amend.Change)
        sa.Column("proposer", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("thread", "round", name="one_row_per_round"),
        sa.CheckConstraint("kind IN ('new', 'correction', 'retraction')", name="known_kind"),
    )
    op.create_index("record_proposals_proposer", "record_proposals", ["proposer"])
    op.create_table(
        "record_decisions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("proposal", sa.Integer, sa.ForeignKey("record_proposals.id"), nullable=False, unique=True),
        sa.Column("thread", sa.Integer, nullable=False),
        sa.Column("decision", sa.String(20), nullable=False),
        sa.Column("reviewer", sa.String(200), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("self_reviewed", sa.Boolean, nullable=False),
        sa.Column("version", sa.String(16), nullable=True),  # the record version an approval made
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("decision IN ('approved', 'rejected', 'changes requested')", name="known_decision"),
    )
    op.create_table(
        "record_versions",
        sa.Column("version", sa.String(16), primary_key=True),
        sa.Column("made_by", sa.Integer, nullable=True),  # the decision that made it; none for shipped files
        sa.Column("snapshot", sa.LargeBinary, nullable=False),  # every file's text, zlib-compressed JSON
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("record_versions")
    op.drop_table("record_decisions")
    op.drop_table("record_proposals")
    op.drop_table("record_threads")
