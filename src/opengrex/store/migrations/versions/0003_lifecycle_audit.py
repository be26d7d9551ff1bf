"""Document lifecycle and audit trail (branch ``lifecycle``): ``documents.status`` (actief/gearchiveerd),
``bbv_status`` (grondexploitaties: in_voorbereiding/in_exploitatie/afgesloten), the bin (``deleted_at``, ``deleted_by``),
the booking of an afsluiting (``closing``), the yearly cash flow of the current version (``cash_flow``); the tables
``audit_log`` (who changed what and when) and ``document_links`` (references to stored documents).

Existing grondexploitaties start ``in_voorbereiding`` (nothing is in exploitatie until it is opened); every existing
document gets one audit entry per stored version, from the versions table (author, time, comment).

Revision ID: 0003_lifecycle
Revises: 0002
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "0003_lifecycle"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("status", sa.String(20), nullable=False, server_default="actief"))
        batch.add_column(sa.Column("bbv_status", sa.String(20), nullable=True))
        batch.add_column(sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("deleted_by", sa.String(100), nullable=False, server_default=""))
        batch.add_column(sa.Column("closing", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("cash_flow", sa.JSON(), nullable=True))
    op.create_index("ix_documents_status", "documents", ["status"])
    op.create_index("ix_documents_deleted_at", "documents", ["deleted_at"])
    op.execute("UPDATE documents SET bbv_status = 'in_voorbereiding' WHERE kind = 'grex'")
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("document_name", sa.String(300), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
    )
    op.create_index("ix_audit_log_document_id", "audit_log", ["document_id"])
    op.execute(
        "INSERT INTO audit_log (document_id, kind, document_name, action, version, actor, at, comment, details) "
        "SELECT v.document_id, d.kind, d.name, CASE WHEN v.number = 1 THEN 'aanmaken' ELSE 'nieuwe_versie' END, v.number, "
        "v.author, v.created_at, v.comment, '{}' FROM versions v JOIN documents d ON d.id = v.document_id ORDER BY v.document_id, v.number"
    )
    op.create_table(
        "document_links",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("document_id", sa.Integer(), sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(300), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("follows", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_document_links_document_id", "document_links", ["document_id"])
    op.create_index("ix_document_links_target_id", "document_links", ["target_id"])


def downgrade() -> None:
    op.drop_index("ix_document_links_target_id", "document_links")
    op.drop_index("ix_document_links_document_id", "document_links")
    op.drop_table("document_links")
    op.drop_index("ix_audit_log_document_id", "audit_log")
    op.drop_table("audit_log")
    op.drop_index("ix_documents_deleted_at", "documents")
    op.drop_index("ix_documents_status", "documents")
    with op.batch_alter_table("documents") as batch:
        for col in ("cash_flow", "closing", "deleted_by", "deleted_at", "bbv_status", "status"):
            batch.drop_column(col)
