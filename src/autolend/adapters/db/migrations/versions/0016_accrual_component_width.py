"""accruals.component: 32 characters, so that a partial prepayment's subsidy catch-up has a
record of its own (``subsidy_cu:<event id>``) instead of sharing ``subsidy_catchup`` with
any other prepayment on the same day

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-29 14:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

_SHARED = "subsidy_catchup"
_MARK = "sa:cu:"  # in the entry's idempotency key: loan:<id>:sa:cu:<event id>


def upgrade() -> None:
    with op.batch_alter_table("accruals") as batch:
        batch.alter_column(
            "component", existing_type=sa.String(length=16), type_=sa.String(length=32)
        )
    _name_each_catch_up()


def _name_each_catch_up() -> None:
    """Records written before: named after their entry's prepayment (event id)."""
    conn = op.get_bind()
    rows = conn.execute(
        sa.text(
            "SELECT a.loan_id, a.accrual_date, j.idempotency_key FROM accruals a "
            "JOIN journal_entries j ON j.id = a.entry_id WHERE a.component = :shared"
        ),
        {"shared": _SHARED},
    ).all()
    for loan_id, day, key in rows:
        if key is None or _MARK not in key:
            continue
        conn.execute(
            sa.text(
                "UPDATE accruals SET component = :named WHERE loan_id = :loan "
                "AND accrual_date = :day AND component = :shared"
            ),
            {"named": "subsidy_cu:" + key.split(_MARK, 1)[1], "loan": loan_id, "day": day,
             "shared": _SHARED},
        )  # fmt: skip


def downgrade() -> None:
    op.execute("UPDATE accruals SET component = 'subsidy_catchup' "
               "WHERE component LIKE 'subsidy_cu:%'")  # fmt: skip
    with op.batch_alter_table("accruals") as batch:
        batch.alter_column(
            "component", existing_type=sa.String(length=32), type_=sa.String(length=16)
        )
