"""``newsprism eval cluster``: the production clusterer on a labelled set, scored by B³ and pairs.

The articles go through the same path as ``import`` and ``poll``: ``add_articles`` into a fresh
temporary store, then ``assign_pending`` and ``merge_stories`` with the user's settings, and the
partition is read back from the store. Nothing is clustered in a shortcut of its own.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
from sqlalchemy import select

from newsprism.cli.common import app_context, db_option, emit_json, json_option, progress_bar
from newsprism.cluster.service import assign_pending, forget_index, merge_stories
from newsprism.config import Settings
from newsprism.errors import InputError
from newsprism.eval.cluster_data import FORMATS, GoldArticle, read_gold
from newsprism.eval.metrics import ClusterScores, score_partition
from newsprism.store.articles import add_articles
from newsprism.store.database import Database
from newsprism.store.schema import articles
from newsprism.store.stories import resolve_story_id

# Drafts per add_articles call: what one poll cycle or import batch typically stores.
INSERT_BATCH = 500


@dataclass
class ClusterEvalResult:
    scores: ClusterScores
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = dict(self.scores.as_dict())
        out["articles_per_second"] = round(
            self.scores.articles / self.seconds if self.seconds > 0 else 0.0, 1
        )
        return out


def evaluate(
    gold: list[GoldArticle], settings: Settings, workdir: Path, on_progress: Any = None
) -> ClusterEvalResult:
    """Store, cluster and score ``gold`` in a fresh store under ``workdir``."""
    db = Database(str(workdir / "eval.db"))
    try:
        started = time.monotonic()
        ids: list[int] = []
        for start in range(0, len(gold), INSERT_BATCH):
            chunk = gold[start : start + INSERT_BATCH]
            result = add_articles(db, [g.draft for g in chunk], settings)
            ids.extend(_ids_in_order(result, len(chunk), start))
            # Streaming: what has arrived is clustered before the next batch comes in.
            assign_pending(db, settings)
            merge_stories(db, settings)
            if on_progress is not None:
                on_progress(len(chunk))
        seconds = time.monotonic() - started
        predicted = _read_partition(db, ids)
    finally:
        forget_index(db)
        db.dispose()
    gold_map = {i: g.story for i, g in enumerate(gold)}
    return ClusterEvalResult(score_partition(predicted, gold_map), seconds)


def _ids_in_order(result: Any, count: int, offset: int) -> list[int]:
    """The stored article id of each draft, in draft order (duplicates map to their original)."""
    if result.rejected_at:
        position, reason = min(result.rejected_at.items())
        raise InputError(f"item {offset + position}: article rejected by the store: {reason}")
    added = iter(result.added_ids)
    out = []
    for position in range(count):
        if position in result.duplicate_of:
            out.append(int(result.duplicate_of[position]))
            continue
        article_id = next(added, None)
        if article_id is None:
            raise RuntimeError(f"item {offset + position}: the store reported no id for it")
        out.append(int(article_id))
    return out


def _read_partition(db: Database, ids: list[int]) -> dict[int, int]:
    with db.read() as conn:
        rows = conn.execute(select(articles.c.id, articles.c.story_id)).all()
        story_of = {int(r.id): r.story_id for r in rows}
        resolved: dict[int, int] = {}
        predicted: dict[int, int] = {}
        for position, article_id in enumerate(ids):
            story = story_of.get(article_id)
            if story is None:
                raise InputError(f"item {position}: article {article_id} was not clustered")
            if story not in resolved:
                resolved[story] = resolve_story_id(conn, int(story)) or int(story)
            predicted[position] = resolved[story]
    return predicted


@click.command("cluster")
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True, help="Layout of FILE.")
@click.argument("file", type=click.Path(path_type=Path))
@json_option
@db_option
def eval_cluster(fmt: str, file: Path, as_json: bool) -> None:
    """Cluster FILE's articles with the production clusterer and score against its stories."""
    settings = app_context().settings
    gold = read_gold(file, fmt)
    if not gold:
        raise InputError(f"{file}: no articles")
    with (
        tempfile.TemporaryDirectory(prefix="newsprism-eval-") as tmp,
        progress_bar("clustering", len(gold)) as advance,
    ):
        result = evaluate(gold, settings, Path(tmp), on_progress=advance)
    out = result.as_dict()
    if as_json:
        emit_json(out)
        return
    click.echo(
        f"B³        precision {out['bcubed_precision']:.4f}  recall {out['bcubed_recall']:.4f}"
        f"  F1 {out['bcubed_f1']:.4f}"
    )
    click.echo(
        f"pairwise  precision {out['pairwise_precision']:.4f}  recall {out['pairwise_recall']:.4f}"
        f"  F1 {out['pairwise_f1']:.4f}"
    )
    click.echo(
        f"clusters {out['clusters']}  gold clusters {out['gold_clusters']}  "
        f"articles {out['articles']}  articles/s {out['articles_per_second']}"
    )
