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
from datetime import timedelta

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


@dataclass
class _Index:
    generation: int
    clusterer: Clusterer
    idf: IdfTable
    # Sentence encoder when the cluster_embeddings setting is on.
    encoder: embeddings.Encoder | None = None


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


def _index(db: Database, settings: Settings, model: ClusterModel) -> _Index:
    """The live index for this store, rebuilt from the store when it is missing or stale."""
    key = _key(db, settings)
    encoder = _encoder(settings)
    with db.read() as conn:
        current = generation(conn)
        cached = _INDEXES.get(key)
        if cached is not None and cached.generation == current:
            return cached
        window = timedelta(days=settings.cluster_window_days)
        idf = default_idf()
        clusterer = Clusterer(model, window, timedelta(days=settings.cluster_story_span_days))
        latest = latest_story_time(conn)
        members: dict[int, list[ArticleDoc]] = {}
        encodable: list[PendingArticle] = []
        if latest is not None:
            stored = list(active_story_articles(conn, latest - window))
            for article, doc in zip(stored, _vectorize_all(stored, idf, settings), strict=True):
                assert article.story_id is not None
                members.setdefault(article.story_id, []).append(doc)
                if encoder is not None:
                    encodable.append(embeddings.clipped(article))
    if encoder is not None and encodable:
        # Stored vectors are read back; only members from before the setting was on are encoded.
        docs = {doc.article_id: doc for group in members.values() for doc in group}
        embeddings.attach(db, encoder, encodable, docs)
    clusterer.load(sorted(members.items()))
    index = _Index(current, clusterer, idf, encoder)
    _INDEXES[key] = index
    return index


def forget_index(db: Database) -> None:
    """Drop this store's in-memory index (it is rebuilt on next use)."""
    for key in [k for k in _INDEXES if k[0] == db.url]:
        del _INDEXES[key]


def assign_pending(
    db: Database, settings: Settings, on_progress: Callable[[int], None] | None = None
) -> AssignReport:
    """Give every article with ``clustered_at IS NULL`` a story, in (date, id) order.

    A large backlog (an import) is read a window at a time and vectorized in worker processes
    while this process decides and writes the window's earlier batches; vectors depend on the
    article alone, so the stories are the same as when everything runs here.
    """
    model = _model(settings)
    report = AssignReport()
    pool: ProcessPoolExecutor | None = None
    try:
        while True:
            index = _index(db, settings, model)
            with db.read() as conn:
                window = unclustered_articles(conn, BATCH * WINDOW_BATCHES)
            if not window:
                return report
            if pool is None and len(window) >= POOL_MIN_ARTICLES and settings.extract_workers > 1:
                # One core stays with this process, which decides and writes.
                pool = _vectorizer_pool(settings.extract_workers - 1)
            for docs, batch in _vectorized_batches(window, index.idf, pool):
                if index.encoder is not None:
                    embeddings.attach(db, index.encoder, batch, docs)
                _write_batch(db, batch, docs, index, report)
                if on_progress is not None:
                    on_progress(len(batch))
                index = _index(db, settings, model)
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
