"""Story assignment against the store: the pipeline's entry points for clustering.

``assign_pending`` streams every unclustered article, oldest first, through the in-memory
``Clusterer`` and records each decision; ``merge_stories`` runs the merge pass. The in-memory
index of active stories is built from the store on first use and kept between calls; a
generation counter in the store tells when another process changed stories, and the index is
rebuilt then. Callers serialize these calls per store (embedded mode has one pipeline thread;
scale-out workers hold the stories lock), as DESIGN.md prescribes.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection

from newsprism.cluster import embeddings, explain
from newsprism.cluster.documents import ArticleDoc, vectorize
from newsprism.cluster.engine import Clusterer
from newsprism.cluster.model import ClusterModel, default_model, embeddings_model
from newsprism.cluster.text import MAX_BODY_CHARS
from newsprism.cluster.vectors import IdfTable, default_idf
from newsprism.config import Settings
from newsprism.store.database import Database
from newsprism.store.stories import (
    Assignment,
    NewStory,
    PendingArticle,
    active_story_articles,
    bump_generation,
    create_stories,
    generation,
    latest_story_time,
    merge_story,
    next_story_id,
    refresh_story_stats,
    story_of_articles,
    unclustered_articles,
    write_assignments,
)

# Articles per write transaction: large enough to amortize the commit, small enough that the
# single SQLite writer is never held for more than about a second.
BATCH = 1000
# Batches read at once; with worker processes, vectorized ahead of the decisions.
WINDOW_BATCHES = 8
# Backlogs from this size on are vectorized in worker processes: starting one costs about half
# a second, which a poll cycle's few hundred articles would not repay.
POOL_MIN_ARTICLES = 4000
# Articles per task sent to a worker.
POOL_CHUNK = 250


@dataclass
class AssignReport:
    articles: int = 0
    stories_created: int = 0
    joined: int = 0
    reposts: int = 0
    # Merges made between windows of a long backlog (see ``assign_pending``).
    stories_merged: int = 0


@dataclass
class _Index:
    generation: int
    clusterer: Clusterer
    idf: IdfTable
    # Sentence encoder when the cluster_embeddings setting is on.
    encoder: embeddings.Encoder | None = None
    # Stored stories last active within [since, until] were loaded (those the stream has left
    # behind since were forgotten: see ``Clusterer.horizon``); None before the first load.
    since: datetime | None = None
    until: datetime | None = None


_INDEXES: dict[tuple[str, float, str | None], _Index] = {}


def _key(db: Database, settings: Settings) -> tuple[str, float, str | None]:
    dense = settings.cluster_embeddings_model if settings.cluster_embeddings else None
    return (db.url, settings.cluster_window_days, dense)


def _model(settings: Settings) -> ClusterModel:
    if not settings.cluster_embeddings:
        return default_model()
    # The encoder first: when the extra is missing, its error is the one that names the setting.
    embeddings.load_encoder(settings)
    return embeddings_model()


def _encoder(settings: Settings) -> embeddings.Encoder | None:
    return embeddings.load_encoder(settings) if settings.cluster_embeddings else None


def _document(article: PendingArticle, idf: IdfTable) -> ArticleDoc:
    return vectorize(
        article.id,
        article.title,
        article.text,
        time=article.event_time,
        language=article.language,
        outlet_id=article.outlet_id,
        idf=idf,
    )


def _index(
    db: Database,
    settings: Settings,
    model: ClusterModel,
    span: tuple[datetime, datetime] | None = None,
) -> _Index:
    """The live index for this store, holding the stored stories that articles dated within
    ``span`` (first, last) can join; rebuilt when another process changed the stories.

    Without a span (the merge pass) a new index holds the stories of the newest window. The
    stories loaded follow the articles being placed, not the newest story in the store: an
    import of last year's articles into a store that also holds today's must meet last
    year's stories, and a backfill that runs ahead loads the stored stories it reaches.
    """
    key = _key(db, settings)
    window = timedelta(days=settings.cluster_window_days)
    index = _INDEXES.get(key)
    with db.read() as conn:
        current = generation(conn)
        fresh = index is None or index.generation != current
        # Only a new index for the merge pass starts from the newest story.
        latest = latest_story_time(conn) if fresh and span is None else None
    # Read first, load after: a change committed in between only makes the next call rebuild.
    if index is None or fresh:
        index = _INDEXES[key] = _Index(
            current, _new_clusterer(settings, model), default_idf(), _encoder(settings)
        )
        if latest is not None:
            _cover(db, index, (latest - window, latest), settings, model)
    if span is not None:
        _cover(db, index, (span[0] - window, span[1] + window), settings, model)
    return index


def _new_clusterer(settings: Settings, model: ClusterModel) -> Clusterer:
    window = timedelta(days=settings.cluster_window_days)
    return Clusterer(model, window, timedelta(days=settings.cluster_story_span_days))


def _cover(
    db: Database,
    index: _Index,
    need: tuple[datetime, datetime],
    settings: Settings,
    model: ClusterModel,
) -> None:
    """Load the stored stories last active within ``need`` that the index does not hold."""
    low, high = need
    if index.since is not None and index.until is not None:
        horizon = index.clusterer.horizon
        reach = index.since if horizon is None else max(index.since, horizon)
        if reach <= low <= index.until:
            if high > index.until:
                # The stream moves on: add what it reaches, the clusterer forgets what it left.
                _load(db, index, index.until, high, settings, after=True)
                index.until = high
            return
        if low < reach:
            # Older articles than the index reaches (a backfill): start again around them. Every
            # decision so far is in the store, so nothing is lost.
            index.clusterer = _new_clusterer(settings, model)
        # Otherwise a jump past everything loaded: the stories left behind are evicted as the
        # stream moves on, and the gap between is never needed by articles this new.
    _load(db, index, low, high, settings, after=False)
    index.since, index.until = low, high


def _load(
    db: Database,
    index: _Index,
    low: datetime,
    high: datetime,
    settings: Settings,
    *,
    after: bool,
) -> None:
    """Load the stored stories last active in [low, high] (in (low, high] with ``after``)."""
    known = index.clusterer.stories
    with db.read() as conn:
        stored = [
            a
            for a in active_story_articles(conn, low, high, after=after)
            if a.story_id not in known
        ]
    if not stored:
        return
    members: dict[int, list[ArticleDoc]] = {}
    encodable: list[PendingArticle] = []
    for article, doc in zip(stored, _vectorize_all(stored, index.idf, settings), strict=True):
        assert article.story_id is not None
        members.setdefault(article.story_id, []).append(doc)
        if index.encoder is not None:
            encodable.append(embeddings.clipped(article))
    if index.encoder is not None and encodable:
        # Stored vectors are read back; only members from before the setting was on are encoded.
        docs = {doc.article_id: doc for group in members.values() for doc in group}
        embeddings.attach(db, index.encoder, encodable, docs)
    index.clusterer.load(sorted(members.items()))


def forget_index(db: Database) -> None:
    """Drop this store's in-memory index (it is rebuilt on next use)."""
    for key in [k for k in _INDEXES if k[0] == db.url]:
        del _INDEXES[key]


def assign_pending(
    db: Database,
    settings: Settings,
    on_progress: Callable[[int], None] | None = None,
    *,
    merge: bool = True,
) -> AssignReport:
    """Give every article with ``clustered_at IS NULL`` a story, in (date, id) order.

    A large backlog (an import) is read a window at a time and vectorized in worker processes
    while this process decides and writes the window's earlier batches; vectors depend on the
    article alone, so the stories are the same as when everything runs here. With ``merge``,
    the merge pass runs between windows: an archive spanning months moves on past its early
    stories, which the index then forgets, so a pass only at the end would never see them.
    The caller runs the last pass (``merge_stories``).
    """
    model = _model(settings)
    report = AssignReport()
    pool: ProcessPoolExecutor | None = None
    try:
        while True:
            with db.read() as conn:
                window = unclustered_articles(conn, BATCH * WINDOW_BATCHES)
            if not window:
                return report
            if merge and report.articles:
                report.stories_merged += merge_stories(db, settings)
            last = max(a.event_time for a in window)
            if pool is None and len(window) >= POOL_MIN_ARTICLES and settings.extract_workers > 1:
                # One core stays with this process, which decides and writes.
                pool = _vectorizer_pool(settings.extract_workers - 1)
            for docs, batch in _vectorized_batches(window, default_idf(), pool):
                # The stories this batch and the rest of the window can join: those around
                # their dates, which a backfill finds far from the newest story.
                first = min(a.event_time for a in batch)
                index = _index(db, settings, model, (first, last))
                if index.encoder is not None:
                    embeddings.attach(db, index.encoder, batch, docs)
                _write_batch(db, batch, docs, index, report)
                if on_progress is not None:
                    on_progress(len(batch))
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)


def _write_batch(
    db: Database,
    batch: list[PendingArticle],
    docs: dict[int, ArticleDoc],
    index: _Index,
    report: AssignReport,
) -> None:
    try:
        with db.write() as conn:
            originals = story_of_articles(
                conn, [a.repost_of for a in batch if a.repost_of is not None]
            )
            assignments = _assign_batch(conn, batch, docs, originals, index, report)
            write_assignments(conn, assignments)
            refresh_story_stats(conn, {a.story_id for a in assignments})
            index.generation = bump_generation(conn)
    except BaseException:
        # The in-memory index already holds this batch's decisions; the store does not.
        forget_index(db)
        raise
    report.articles += len(batch)


def _vectorizer_pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))


def _vectorized_batches(
    window: list[PendingArticle], idf: IdfTable, pool: ProcessPoolExecutor | None
) -> Iterator[tuple[dict[int, ArticleDoc], list[PendingArticle]]]:
    """The window in write batches, each with the vectors of its articles (reposts excepted)."""
    batches = [window[i : i + BATCH] for i in range(0, len(window), BATCH)]
    if pool is None:
        for batch in batches:
            yield {a.id: _document(a, idf) for a in batch if a.repost_of is None}, batch
        return
    # Small chunks, all submitted now: the first comes back soon and the workers stay busy.
    futures = [
        [
            pool.submit(_vectorize_chunk, [_clipped(a) for a in chunk])
            for chunk in _chunks([a for a in batch if a.repost_of is None], POOL_CHUNK)
        ]
        for batch in batches
    ]
    for batch, pending in zip(batches, futures, strict=True):
        yield {doc.article_id: doc for f in pending for doc in f.result()}, batch


def _vectorize_all(
    articles: list[PendingArticle], idf: IdfTable, settings: Settings
) -> list[ArticleDoc]:
    """Vectors in article order; a rebuild of a busy window uses worker processes."""
    if len(articles) < POOL_MIN_ARTICLES or settings.extract_workers < 2:
        return [_document(a, idf) for a in articles]
    pool = _vectorizer_pool(settings.extract_workers)
    try:
        chunks = [[_clipped(a) for a in chunk] for chunk in _chunks(articles, POOL_CHUNK)]
        return [doc for part in pool.map(_vectorize_chunk, chunks) for doc in part]
    finally:
        pool.shutdown(cancel_futures=True)


def _chunks(items: list[PendingArticle], size: int) -> Iterator[list[PendingArticle]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _clipped(article: PendingArticle) -> PendingArticle:
    # Only the start of a body is analysed; the rest need not cross to the worker.
    if len(article.text) <= MAX_BODY_CHARS:
        return article
    return dataclasses.replace(article, text=article.text[:MAX_BODY_CHARS])


def _vectorize_chunk(articles: list[PendingArticle]) -> list[ArticleDoc]:
    """Runs in a worker process."""
    idf = default_idf()
    return [_document(a, idf) for a in articles]


def _assign_batch(
    conn: Connection,
    batch: list[PendingArticle],
    docs: dict[int, ArticleDoc],
    originals: dict[int, int],
    index: _Index,
    report: AssignReport,
) -> list[Assignment]:
    clusterer = index.clusterer
    placed: dict[int, int] = {}  # article id -> story id, for reposts of this batch's articles
    out: list[Assignment] = []
    # New stories get their ids here and are inserted together before the assignments.
    new_stories: list[NewStory] = []
    next_id = next_story_id(conn)
    for article in batch:
        original = article.repost_of
        if original is not None:
            story_id = placed.get(original, originals.get(original))
            if story_id is not None and clusterer.takes_copy(story_id, article.event_time):
                placed[article.id] = story_id
                out.append(Assignment(article.id, story_id, 1.0, explain.repost(original)))
                report.reposts += 1
                continue
            # The original has no story (it failed or was deleted), or one closed to the copy's
            # date: cluster the copy itself.
            docs[article.id] = _document(article, index.idf)
            if index.encoder is not None:
                embeddings.attach_in(conn, index.encoder, [article], docs)
        doc = docs[article.id]
        decision = clusterer.decide(doc)
        if decision.joins and decision.best is not None:
            story_id = decision.best.story.story_id
            explanation = explain.joined(doc, decision, clusterer.model)
            score = decision.best.probability
            clusterer.join(story_id, doc)
            report.joined += 1
        else:
            story_id = next_id
            next_id += 1
            new_stories.append(NewStory(story_id, article.language, article.event_time))
            explanation = explain.new_story(decision)
            score = 1.0 - decision.best.probability if decision.best is not None else 1.0
            clusterer.start_story(story_id, doc)
            report.stories_created += 1
        placed[article.id] = story_id
        out.append(Assignment(article.id, story_id, round(score, 4), explanation))
    create_stories(conn, new_stories)
    return out


def merge_stories(db: Database, settings: Settings) -> int:
    """Merge active stories that turned out to be one event; returns how many were merged away."""
    index = _index(db, settings, _model(settings))
    try:
        merges = index.clusterer.merge_pass()
        if not merges:
            return 0
        with db.write() as conn:
            for survivor, merged, probability in merges:
                why = explain.merged(survivor, merged, probability)
                merge_story(conn, survivor, merged, why, round(probability, 4))
            index.generation = bump_generation(conn)
    except BaseException:
        forget_index(db)
        raise
    return len(merges)
