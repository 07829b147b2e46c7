"""The only place with dialect-specific SQL: full-text search on SQLite (FTS5) and PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import BindParameter, Connection, bindparam, text

# Indexes and virtual tables made here are not in schema.metadata; migration checks skip them.
FTS_OBJECTS = frozenset({"articles_fts", "ix_articles_fts"})

_SQLITE_FTS = [
    "CREATE VIRTUAL TABLE articles_fts USING fts5("
    " title, text, content='articles', content_rowid='id',"
    " tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN"
    " INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    "CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN"
    " INSERT INTO articles_fts(articles_fts, rowid, title, text)"
    " VALUES ('delete', old.id, old.title, old.text); END",
    "CREATE TRIGGER articles_fts_au AFTER UPDATE OF title, text ON articles BEGIN"
    " INSERT INTO articles_fts(articles_fts, rowid, title, text)"
    " VALUES ('delete', old.id, old.title, old.text);"
    " INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
]
# 'simple' keeps every language searchable (no English-only stemming). Punctuation becomes
# space first so words are split as FTS5's unicode61 splits them: PostgreSQL's own parser would
# drop what stands between <script> tags and keep "window.__pwned" or URLs as single tokens.
_PG_VECTOR = (
    "to_tsvector('simple', regexp_replace("
    "coalesce(title, '') || ' ' || coalesce(text, ''), '[^[:alnum:]]+', ' ', 'g'))"
)
_PG_FTS = [f"CREATE INDEX ix_articles_fts ON articles USING GIN ({_PG_VECTOR})"]


def create_fts(conn: Connection) -> None:
    for statement in _SQLITE_FTS if conn.dialect.name == "sqlite" else _PG_FTS:
        conn.exec_driver_sql(statement)


def drop_fts(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        for trigger in ("articles_fts_ai", "articles_fts_ad", "articles_fts_au"):
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {trigger}")
        conn.exec_driver_sql("DROP TABLE IF EXISTS articles_fts")
    else:
        conn.exec_driver_sql("DROP INDEX IF EXISTS ix_articles_fts")


_WORD = re.compile(r"\w+", re.UNICODE)


def _terms(query: str) -> list[str]:
    return _WORD.findall(query)[:16]


def _match_expression(conn: Connection, terms: list[str]) -> str:
    """The words quoted for FTS5's MATCH or joined for PostgreSQL's to_tsquery; the last is a
    prefix."""
    if conn.dialect.name == "sqlite":
        quoted = [f'"{t}"' for t in terms]
        quoted[-1] += "*"
        return " ".join(quoted)
    return " & ".join([*terms[:-1], terms[-1] + ":*"])


def search_article_ids(
    conn: Connection, query: str, limit: int = 50, offset: int = 0
) -> Sequence[int]:
    """Article ids matching every word of ``query`` (prefix match on the last), best first.

    User text never reaches the FTS grammar: words are extracted and quoted, so operators,
    quotes and parentheses in a query cannot cause a syntax error.
    """
    terms = _terms(query)
    if not terms:
        return []
    if conn.dialect.name == "sqlite":
        rows = conn.execute(
            text(
                "SELECT rowid FROM articles_fts WHERE articles_fts MATCH :q "
                # Ties in rank in a fixed order (newest first, as on PostgreSQL), so that pages
                # read with LIMIT/OFFSET neither repeat nor skip an article.
                "ORDER BY bm25(articles_fts, 4.0, 1.0), rowid DESC LIMIT :limit OFFSET :offset"
            ),
            {"q": _match_expression(conn, terms), "limit": limit, "offset": offset},
        )
    else:
        rows = conn.execute(
            text(
                f"SELECT id FROM articles WHERE {_PG_VECTOR} @@ to_tsquery('simple', :q) "
                f"ORDER BY ts_rank({_PG_VECTOR}, to_tsquery('simple', :q)) DESC, id DESC "
                "LIMIT :limit OFFSET :offset"
            ),
            {"q": _match_expression(conn, terms), "limit": limit, "offset": offset},
        )
    return [int(r[0]) for r in rows]


def search_story_matches(
    conn: Connection, query: str, story_ids: Sequence[int], limit: int
) -> list[tuple[int, int]]:
    """(article id, story id) of the articles of ``story_ids`` matching ``query``, best first in
    the order of ``search_article_ids``, at most ``limit`` of them: one query for the matching
    articles of every story on a page of search results, wherever they rank in the whole store.
    """
    terms = _terms(query)
    if not terms or not story_ids or limit <= 0:
        return []
    ids: BindParameter[Any] = bindparam("ids", expanding=True)
    if conn.dialect.name == "sqlite":
        statement = text(
            "SELECT articles_fts.rowid, articles.story_id FROM articles_fts"
            " JOIN articles ON articles.id = articles_fts.rowid"
            " WHERE articles_fts MATCH :q AND articles.story_id IN :ids"
            " ORDER BY bm25(articles_fts, 4.0, 1.0), articles_fts.rowid DESC LIMIT :limit"
        ).bindparams(ids)
    else:
        statement = text(
            f"SELECT id, story_id FROM articles WHERE story_id IN :ids"
            f" AND {_PG_VECTOR} @@ to_tsquery('simple', :q)"
            f" ORDER BY ts_rank({_PG_VECTOR}, to_tsquery('simple', :q)) DESC, id DESC"
            " LIMIT :limit"
        ).bindparams(ids)
    params = {"q": _match_expression(conn, terms), "ids": list(story_ids), "limit": limit}
    rows = conn.execute(statement, params)
    return [(int(r[0]), int(r[1])) for r in rows]


def insert_many(
    conn: Connection, table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> None:
    """INSERT many rows of plain values (ints, strings) through the driver's executemany.

    SQLAlchemy builds and processes a parameter dict per row; for the 32 band keys of every
    imported article that was a third of the writer's time. Only for columns that need no
    type conversion.
    """
    if not rows:
        return
    mark = _mark(conn)
    names = ", ".join(columns)
    marks = ", ".join([mark] * len(columns))
    conn.exec_driver_sql(f"INSERT INTO {table} ({names}) VALUES ({marks})", list(rows))


def _mark(conn: Connection) -> str:
    return "?" if conn.dialect.paramstyle == "qmark" else "%s"


def select_in(
    conn: Connection, sql: str, values: Sequence[Any], *, chunk: int = 500
) -> list[tuple[Any, ...]]:
    """Rows of ``sql`` for ``values`` in chunks; ``{marks}`` in ``sql`` is the IN list.

    For long lists of plain keys (the 32 band keys of each article in a batch): SQLAlchemy
    builds a bound parameter object per value, which cost the writer more than the lookup.
    """
    rows: list[tuple[Any, ...]] = []
    mark = _mark(conn)
    for start in range(0, len(values), chunk):
        part = tuple(values[start : start + chunk])
        statement = sql.format(marks=", ".join([mark] * len(part)))
        rows.extend(tuple(r) for r in conn.exec_driver_sql(statement, part))
    return rows


def reset_id_sequence(conn: Connection, table: str) -> None:
    """After rows were inserted with explicit ids, make the next generated id follow the largest.

    PostgreSQL's serial sequences do not see explicit ids; SQLite derives the next rowid itself.
    """
    if conn.dialect.name != "postgresql":
        return
    conn.execute(
        text(
            f"SELECT setval(pg_get_serial_sequence(:table, 'id'), "
            f'coalesce((SELECT max(id) FROM "{table}"), 0) + 1, false)'
        ),
        {"table": table},
    )


# What a PostgreSQL text value cannot hold: NUL, and lone UTF-16 surrogates (no UTF-8 for them).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable_text(text: str) -> str:
    """``text`` without the characters a PostgreSQL text value cannot hold (SQLite would take
    them): the same words on both databases. A search made only of them is an empty search."""
    return _UNSTORABLE.sub("", text)


def like_containing(text: str) -> str:
    """A LIKE pattern (escape character ``\\``) for values containing ``text`` as typed: the
    wildcards ``%`` and ``_`` a user types are literal characters. What PostgreSQL text cannot
    hold is dropped (``storable_text``): nothing could match it there.

    An empty ``text`` (or one made only of such characters) is in every value but NULL: callers
    take an empty search as no filter before they get here; the web app drops such characters
    from query strings, so ``q=%00`` reaches them as ``q=``."""
    literal = storable_text(text).replace("\\", "\\\\").replace("%", "\\%")
    literal = literal.replace("_", "\\_")
    return f"%{literal}%"
