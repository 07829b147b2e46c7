"""The store opens, migrates itself, and matches the schema definition."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import insert, select

from newsprism.store import schema
from newsprism.store.database import Database
from newsprism.store.dialect import FTS_OBJECTS, search_article_ids
from newsprism.store.migrate import current_revision, head_revision
from newsprism.timeutil import utcnow


def _include(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    return not (name in FTS_OBJECTS or (name or "").startswith("articles_fts"))


def test_migrations_build_exactly_the_declared_schema(db: Database) -> None:
    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": _include}
        )
        diff = compare_metadata(ctx, schema.metadata)
    assert diff == []
    assert current_revision(db) == head_revision()


def test_opening_twice_is_idempotent(db: Database) -> None:
    again = Database(db.url)
    assert current_revision(again) == head_revision()
    again.dispose()


def test_full_text_search_finds_words_and_ignores_syntax(db: Database) -> None:
    now = utcnow()
    rows = [
        ("a1", "NATO summit in Vilnius", "Leaders met to discuss Ukraine."),
        ("a2", "Wildfires in Canada", "Smoke drifts south over New York."),
    ]
    with db.write() as conn:
        for key, title, text in rows:
            conn.execute(
                insert(schema.articles).values(
                    url_hash=key,
                    url=f"https://example.com/{key}",
                    title=title,
                    text=text,
                    ingested_at=now,
                    extraction_status="imported",
                    extra={},
                    word_count=len(text.split()),
                )
            )
    with db.read() as conn:
        ids = search_article_ids(conn, "ukraine")
        titles = conn.execute(select(schema.articles.c.title).where(schema.articles.c.id.in_(ids)))
        assert [t for (t,) in titles] == ["NATO summit in Vilnius"]
        assert len(search_article_ids(conn, "smok")) == 1
        assert search_article_ids(conn, '") OR (') == []
