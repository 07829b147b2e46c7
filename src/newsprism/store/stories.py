"""Story rows and assignment writes: what the clusterer reads and records.

Counts and dates of a story are recomputed from its articles after each batch (one grouped
query) rather than incremented, so a crash halfway or a concurrent writer can never leave them
wrong for good.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, func, insert, select, update

from newsprism.store.dialect import reset_id_sequence
from newsprism.store.schema import articles, meta, stories
from newsprism.timeutil import as_utc, utcnow

# A chain of merges longer than this is a bug elsewhere; stop instead of looping.
MAX_MERGE_HOPS = 32
# Row ids are signed 64-bit integers on both dialects.
MAX_ID = 2**63 - 1
# Bound parameters per IN (...) list: far below SQLite's and PostgreSQL's limits.
_CHUNK = 500
# Bumped on every assignment or merge write; a process whose in-memory index was built at an
# older generation rebuilds it (another worker changed the stories meanwhile).
GENERATION_KEY = "cluster_generation"


@dataclass(slots=True)
class PendingArticle:
    """An article waiting for a story, with what clustering needs of it."""

    id: int
    title: str
    text: str
    published_at: datetime | None
    ingested_at: datetime
    language: str | None
    outlet_id: int | None
    repost_of: int | None
    story_id: int | None = None  # set for members read back when rebuilding the index

    @property
    def event_time(self) -> datetime:
        return self.published_at or self.ingested_at


@dataclass(slots=True)
class Assignment:
    article_id: int
    story_id: int
    score: float
    explanation: dict[str, Any]


def _event_time() -> Any:
    return func.coalesce(articles.c.published_at, articles.c.ingested_at)


_COLUMNS = (
    articles.c.id,
    articles.c.title,
    articles.c.text,
    articles.c.published_at,
    articles.c.ingested_at,
    articles.c.language,
    articles.c.outlet_id,
    articles.c.repost_of,
    articles.c.story_id,
)


def _pending(row: Any) -> PendingArticle:
    return PendingArticle(
        id=int(row.id),
        title=row.title or "",
        text=row.text or "",
        published_at=as_utc(row.published_at),
        ingested_at=as_utc(row.ingested_at) or utcnow(),
        language=row.language,
        outlet_id=row.outlet_id,
        repost_of=row.repost_of,
        story_id=row.story_id,
    )


def unclustered_articles(conn: Connection, limit: int) -> list[PendingArticle]:
    """The next articles without a story, oldest first (by date, then id: deterministic)."""
    query = (
        select(*_COLUMNS)
        .where(articles.c.clustered_at.is_(None))
        .order_by(_event_time(), articles.c.id)
        .limit(limit)
    )
    return [_pending(row) for row in conn.execute(query)]


def count_unclustered(conn: Connection) -> int:
    query = select(func.count()).select_from(articles).where(articles.c.clustered_at.is_(None))
    return int(conn.execute(query).scalar_one())


def latest_story_time(conn: Connection) -> datetime | None:
    """The newest article date of any live story (an indexed lookup, whatever the history)."""
    query = select(func.max(stories.c.last_updated)).where(stories.c.merged_into.is_(None))
    return as_utc(conn.execute(query).scalar())


def active_story_articles(
    conn: Connection, since: datetime, until: datetime | None = None, *, after: bool = False
) -> Iterator[PendingArticle]:
    """Members of the stories last active from ``since`` (after it, with ``after``) up to
    ``until``, story by story, in assignment order."""
    last = stories.c.last_updated
    live_query = select(stories.c.id).where(
        stories.c.merged_into.is_(None), last > since if after else last >= since
    )
    if until is not None:
        live_query = live_query.where(last <= until)
    live = live_query.scalar_subquery()
    query = (
        select(*_COLUMNS)
        .where(articles.c.story_id.in_(live), articles.c.repost_of.is_(None))
        .order_by(articles.c.story_id, articles.c.clustered_at, articles.c.id)
    )
    for row in conn.execute(query):
        yield _pending(row)


def story_of_articles(conn: Connection, article_ids: Iterable[int]) -> dict[int, int]:
    """article id -> its current story (following merges), for the articles that have one."""
    ids = sorted(set(article_ids))
    found: dict[int, int] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        rows = conn.execute(
            select(articles.c.id, articles.c.story_id).where(
                articles.c.id.in_(chunk), articles.c.story_id.is_not(None)
            )
        )
        for row in rows:
            resolved = resolve_story_id(conn, int(row.story_id))
            if resolved is not None:
                found[int(row.id)] = resolved
    return found


@dataclass(slots=True)
class NewStory:
    id: int
    language: str | None
    first_published: datetime


def next_story_id(conn: Connection) -> int:
    """The id the next story gets; callers hold the stories lock (or SQLite's write lock)."""
    return int(conn.execute(select(func.coalesce(func.max(stories.c.id), 0) + 1)).scalar_one())


def create_stories(conn: Connection, new: Sequence[NewStory]) -> None:
    """Insert a batch of stories under ids chosen by the caller (see ``next_story_id``).

    The clusterer decides a whole batch before writing it, so the ids must be known up front;
    one multi-row insert instead of a round trip per story.
    """
    if not new:
        return
    now = utcnow()
    conn.execute(
        insert(stories).values(
            id=bindparam("b_id"),
            language=bindparam("b_language"),
            article_count=0,
            outlet_count=0,
            first_published=bindparam("b_first"),
            last_updated=bindparam("b_first"),
            created_at=now,
            updated_at=now,
            dirty=True,
        ),
        [{"b_id": s.id, "b_language": s.language, "b_first": s.first_published} for s in new],
    )
    reset_id_sequence(conn, "stories")


def write_assignments(conn: Connection, assignments: Sequence[Assignment]) -> None:
    if not assignments:
        return
    now = utcnow()
    statement = (
        update(articles)
        .where(articles.c.id == bindparam("b_id"))
        .values(
            story_id=bindparam("b_story"),
            cluster_score=bindparam("b_score"),
            cluster_explanation=bindparam("b_explanation"),
            clustered_at=bindparam("b_at"),
        )
    )
    conn.execute(
        statement,
        [
            {
                "b_id": a.article_id,
                "b_story": a.story_id,
                "b_score": a.score,
                "b_explanation": a.explanation,
                "b_at": now,
            }
            for a in assignments
        ],
    )


def refresh_story_stats(conn: Connection, story_ids: Iterable[int]) -> None:
    """Recount articles and outlets and re-date the stories; marks them dirty for analysis."""
    ids = sorted(set(story_ids))
    now = utcnow()
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        rows = conn.execute(
            select(
                articles.c.story_id,
                func.count(articles.c.id).label("n"),
                func.count(func.distinct(articles.c.outlet_id)).label("outlets"),
                func.min(_event_time()).label("first"),
                func.max(_event_time()).label("last"),
            )
            .where(articles.c.story_id.in_(chunk))
            .group_by(articles.c.story_id)
        ).all()
        seen = {int(r.story_id) for r in rows}
        params = [
            {
                "b_id": int(r.story_id),
                "b_n": int(r.n),
                "b_outlets": int(r.outlets),
                "b_first": as_utc(r.first),
                "b_last": as_utc(r.last),
            }
            for r in rows
        ]
        if params:
            conn.execute(
                update(stories)
                .where(stories.c.id == bindparam("b_id"))
                .values(
                    article_count=bindparam("b_n"),
                    outlet_count=bindparam("b_outlets"),
                    first_published=bindparam("b_first"),
                    last_updated=bindparam("b_last"),
                    updated_at=now,
                    dirty=True,
                ),
                params,
            )
        empty = [sid for sid in chunk if sid not in seen]
        if empty:
            conn.execute(
                update(stories)
                .where(stories.c.id.in_(empty))
                .values(article_count=0, outlet_count=0, updated_at=now, dirty=True)
            )


def merge_story(
    conn: Connection,
    survivor: int,
    merged: int,
    explanation: dict[str, Any] | None = None,
    score: float | None = None,
) -> None:
    """Move ``merged``'s articles to ``survivor``; ``merged`` (and what pointed to it) redirects.

    ``explanation`` and ``score`` replace the moved articles' own: they are in the survivor
    because their story was merged into it, whatever placed them in that story first."""
    moved: dict[str, Any] = {"story_id": survivor}
    if explanation is not None:
        moved.update(cluster_explanation=explanation, cluster_score=score)
    conn.execute(update(articles).where(articles.c.story_id == merged).values(**moved))
    conn.execute(
        update(stories)
        .where((stories.c.id == merged) | (stories.c.merged_into == merged))
        .values(merged_into=survivor, updated_at=utcnow())
    )
    refresh_story_stats(conn, [survivor, merged])
    # The emptied story needs no analysis; its page redirects.
    conn.execute(update(stories).where(stories.c.id == merged).values(dirty=False))


def resolve_story_id(conn: Connection, story_id: int) -> int | None:
    """The id that now holds a story: itself, or the survivor it was merged into; None if absent."""
    if not 0 < story_id <= MAX_ID:
        return None  # no such row, and SQLite cannot even bind an integer beyond 64 bits
    current = story_id
    for _ in range(MAX_MERGE_HOPS):
        row = conn.execute(select(stories.c.merged_into).where(stories.c.id == current)).first()
        if row is None:
            return None
        if row.merged_into is None or int(row.merged_into) == current:
            return current
        current = int(row.merged_into)
    return current


def generation(conn: Connection) -> int:
    row = conn.execute(select(meta.c.value).where(meta.c.key == GENERATION_KEY)).first()
    return int(row[0]) if row and row[0] is not None else 0


def bump_generation(conn: Connection) -> int:
    """Record that stories changed; returns the new generation (callers hold the stories lock)."""
    current = generation(conn)
    exists = conn.execute(select(meta.c.key).where(meta.c.key == GENERATION_KEY)).first()
    if exists:
        conn.execute(update(meta).where(meta.c.key == GENERATION_KEY).values(value=current + 1))
    else:
        conn.execute(insert(meta).values(key=GENERATION_KEY, value=current + 1))
    return current + 1
