"""facts naming several places side by side are at the area those places share

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 18:00:00

Until now a fact's admin codes were those of its finest place, so a count for
"Saraqib, Ariha and Khan al-Subul" was indexed as Saraqib's district, and one
naming two governorates as the first one's. ``store.area_codes`` now keeps the
codes the places share; this recomputes them for facts with several places.
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

SHARED = (
    "UPDATE facts SET "
    "admin1_code = (SELECT CASE WHEN COUNT(DISTINCT fp.admin1_code) = 1 "
    "THEN MIN(fp.admin1_code) END FROM fact_places fp WHERE fp.fact_id = facts.id), "
    "admin2_code = (SELECT CASE WHEN COUNT(DISTINCT fp.admin2_code) = 1 "
    "AND COUNT(DISTINCT fp.admin1_code) <= 1 THEN MIN(fp.admin2_code) END "
    "FROM fact_places fp WHERE fp.fact_id = facts.id) "
    "WHERE facts.id IN (SELECT fact_id FROM fact_places GROUP BY fact_id HAVING COUNT(*) > 1)"
)


def upgrade() -> None:
    op.execute(SHARED)


def downgrade() -> None:
    """The finest place's codes again, as migration 0002 set them."""
    rank = (
        "CASE fp.precision WHEN 'point' THEN 0 WHEN 'district' THEN 1 "
        "WHEN 'governorate' THEN 2 WHEN 'region' THEN 3 WHEN 'country' THEN 4 ELSE 5 END"
    )
    for column in ("admin1_code", "admin2_code"):
        op.execute(
            f"UPDATE facts SET {column} = (SELECT fp.{column} FROM fact_places fp "
            f"WHERE fp.fact_id = facts.id AND fp.{column} IS NOT NULL "
            f"ORDER BY {rank}, fp.position LIMIT 1) "
            "WHERE facts.id IN (SELECT fact_id FROM fact_places GROUP BY fact_id "
            "HAVING COUNT(*) > 1)"
        )
