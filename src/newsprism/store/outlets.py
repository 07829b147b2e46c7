"""Outlet rows: lookup and creation by registrable domain."""

from __future__ import annotations

from sqlalchemy import Connection, insert, select

from newsprism.domains import registrable_domain
from newsprism.store.schema import outlets
from newsprism.timeutil import utcnow


def outlet_id_for_domain(conn: Connection, domain: str) -> int | None:
    row = conn.execute(select(outlets.c.id).where(outlets.c.domain == domain)).first()
    return int(row[0]) if row else None


def get_or_create_outlet(
    conn: Connection, domain_or_url: str, name: str | None = None, *, origin: str = "import"
) -> int | None:
    """The outlet for a domain (any subdomain or URL of it), created when unknown; None for ''."""
    domain = registrable_domain(domain_or_url)
    if not domain:
        return None
    existing = outlet_id_for_domain(conn, domain)
    if existing is not None:
        return existing
    now = utcnow()
    result = conn.execute(
        insert(outlets).values(
            domain=domain,
            name=(name or domain).strip()[:255] or domain,
            categories=[],
            is_default=False,
            enabled=True,
            origin=origin,
            created_at=now,
            updated_at=now,
        )
    )
    return int(result.inserted_primary_key[0])  # type: ignore[index]
