"""Stored dense vectors of articles, keyed by the encoder that made them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import Connection, delete, insert, select

from newsprism.store.schema import article_embeddings

# Bound parameters per IN (...) list: far below SQLite's and PostgreSQL's limits.
_CHUNK = 500


def read_embeddings(conn: Connection, article_ids: Iterable[int], model: str) -> dict[int, bytes]:
    """article id -> vector bytes, for the articles that have one from ``model``."""
    ids = sorted(set(article_ids))
    found: dict[int, bytes] = {}
    for start in range(0, len(ids), _CHUNK):
        rows = conn.execute(
            select(article_embeddings.c.article_id, article_embeddings.c.vector).where(
                article_embeddings.c.article_id.in_(ids[start : start + _CHUNK]),
                article_embeddings.c.model == model,
            )
        )
        for row in rows:
            found[int(row.article_id)] = bytes(row.vector)
    return found


def write_embeddings(conn: Connection, vectors: Mapping[int, bytes], model: str) -> None:
    """Store ``vectors``, replacing what those articles had (from another model)."""
    ids = sorted(vectors)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        conn.execute(delete(article_embeddings).where(article_embeddings.c.article_id.in_(chunk)))
        conn.execute(
            insert(article_embeddings),
            [{"article_id": i, "model": model, "vector": vectors[i]} for i in chunk],
        )
