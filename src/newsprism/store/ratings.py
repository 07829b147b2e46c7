"""Rating rows: one per provider and outlet, replaced wholesale when a provider is re-imported."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select

from newsprism.models import ProviderRating
from newsprism.store.schema import outlets, ratings
from newsprism.timeutil import utcnow

_CHUNK = 500
_COLUMNS = (
    "bias_label",
    "bias_score",
    "factuality_label",
    "factuality_score",
    "url",
    "rated_at",
    "extra",
)


def replace_provider_ratings(
    conn: Connection, provider: str, rows: Sequence[dict[str, Any]]
) -> int:
    """Drop every rating of ``provider`` and insert ``rows`` (``outlet_id`` plus rating columns)."""
    conn.execute(delete(ratings).where(ratings.c.provider == provider))
    if not rows:
        return 0
    now = utcnow()
    values = [
        {
            "outlet_id": row["outlet_id"],
            "provider": provider,
            **{column: row.get(column) for column in _COLUMNS},
            "imported_at": now,
        }
        for row in rows
    ]
    for value in values:
        value["extra"] = value["extra"] or {}
        for label in ("bias_label", "factuality_label"):
            if value[label] is not None:
                value[label] = str(value[label])[:64]
        if value["url"] is not None:
            value["url"] = str(value["url"])[:2048]
    conn.execute(insert(ratings), values)
    return len(values)


def provider_counts(conn: Connection) -> dict[str, int]:
    rows = conn.execute(select(ratings.c.provider, func.count()).group_by(ratings.c.provider)).all()
    return {provider: int(count) for provider, count in rows}


def ratings_for_outlets(
    conn: Connection, outlet_ids: Iterable[int]
) -> dict[int, list[ProviderRating]]:
    """Every provider's rating of each outlet, providers in name order."""
    ids = sorted(set(outlet_ids))
    found: dict[int, list[ProviderRating]] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        rows = conn.execute(
            select(
                ratings.c.outlet_id,
                ratings.c.provider,
                ratings.c.bias_label,
                ratings.c.bias_score,
                ratings.c.factuality_label,
                ratings.c.factuality_score,
                ratings.c.url,
                ratings.c.rated_at,
            )
            .where(ratings.c.outlet_id.in_(chunk))
            .order_by(ratings.c.outlet_id, ratings.c.provider)
        )
        for row in rows:
            found.setdefault(int(row.outlet_id), []).append(
                ProviderRating(
                    provider=row.provider,
                    bias_label=row.bias_label,
                    bias_score=row.bias_score,
                    factuality_label=row.factuality_label,
                    factuality_score=row.factuality_score,
                    url=row.url,
                    rated_at=row.rated_at,
                )
            )
    return found


def outlets_by_ids(conn: Connection, outlet_ids: Iterable[int]) -> list[Any]:
    ids = sorted(set(outlet_ids))
    rows: list[Any] = []
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        rows.extend(
            conn.execute(
                select(
                    outlets.c.id,
                    outlets.c.domain,
                    outlets.c.name,
                    outlets.c.country,
                    outlets.c.language,
                    outlets.c.ownership,
                    outlets.c.owner,
                ).where(outlets.c.id.in_(chunk))
            ).all()
        )
    return rows
