"""A dealer's application list (newest filed first) is read in index order, not sorted: a
dealer with many applications gets its first page without the database sorting all of
them (migration 0019)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

pytestmark = pytest.mark.integration

# The order of ApplicationRepository.search for a list (not a work queue).
_DEALER_PAGE = (
    "SELECT id FROM applications WHERE dealer_id = 1 ORDER BY created_at DESC, id DESC LIMIT 50"
)


def _plan(engine: Engine, query: str) -> str:
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {query}").all()
            return "\n".join(str(row[-1]) for row in rows)
        # An empty table is cheapest to scan whole; forbid that (and a bitmap, which
        # loses the order) so the planner shows whether an index hands the rows over
        # in order.
        conn.exec_driver_sql("SET enable_seqscan = off")
        conn.exec_driver_sql("SET enable_bitmapscan = off")
        return "\n".join(str(row[0]) for row in conn.exec_driver_sql(f"EXPLAIN {query}"))


def test_a_dealers_application_list_page_is_read_in_index_order_without_a_sort(
    engine: Engine,
) -> None:
    plan = _plan(engine, _DEALER_PAGE)
    assert "ix_applications_" in plan, plan
    assert "Sort" not in plan and "TEMP B-TREE" not in plan, plan
