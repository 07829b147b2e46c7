"""Full-text search splits words the same way on SQLite (FTS5) and PostgreSQL (tsvector)."""

from __future__ import annotations

from sqlalchemy import insert

from newsprism.store import schema
from newsprism.store.database import Database
from newsprism.store.dialect import search_article_ids
from newsprism.timeutil import utcnow


def _add(db: Database, key: str, title: str, text: str) -> int:
    with db.write() as conn:
        result = conn.execute(
            insert(schema.articles).values(
                url_hash=key,
                url=f"https://example.com/{key}",
                title=title,
                text=text,
                ingested_at=utcnow(),
                extraction_status="imported",
                extra={},
                word_count=len(text.split()),
            )
        )
    return int(result.inserted_primary_key[0])


def test_words_inside_markup_urls_and_punctuation_are_searchable(db: Database) -> None:
    hostile = _add(db, "h", "Hostile <script>window.__pwned=1</script> title", "body")
    url = _add(db, "u", "Report", "Read it at www.example.com/budget-plan or mail desk@example.com")
    other = _add(db, "o", "Zürich and Москва agree", "Talks in 東京 continue")
    with db.read() as conn:
        assert list(search_article_ids(conn, "pwned")) == [hostile]
        assert list(search_article_ids(conn, "budget plan")) == [url]
        assert list(search_article_ids(conn, "desk")) == [url]
        assert list(search_article_ids(conn, "zürich москва")) == [other]
        assert list(search_article_ids(conn, "東京")) == [other]
        assert list(search_article_ids(conn, "<script>")) == [hostile]
