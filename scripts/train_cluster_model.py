"""Fit the clustering model's IDF table and weights on the NeuS train split.

    python scripts/train_cluster_model.py [--data ../shared/data/eval/neus] [--embeddings]

Writes ``src/newsprism/cluster/data/idf.json`` and ``model.json``; with ``--embeddings``, only
``model_embeddings.json``: the weights used when the ``cluster_embeddings`` setting is on, fitted
with the two sentence-vector features (the default local model, the ``embeddings`` extra) on top
of the shipped IDF table, which it checks is the one this split gives. Only the train split is used
for fitting and tuning; the val split is streamed at the end for information (the eval gate
measures it through the store with ``newsprism eval cluster``).

How: stream the training articles in a fixed shuffled order through the production
``Clusterer`` with gold decisions ("teacher forcing"), recording the features of every candidate
story and whether it was the article's true story; fit a logistic regression on those rows; then
stream again with the model's own decisions, merge passes included, to fit the merge scorer (a
second logistic regression over the merge pass's candidate pairs) and to choose the join and
merge thresholds together by B³-F1.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from newsprism.cluster import embeddings
from newsprism.cluster.documents import ArticleDoc, vectorize
from newsprism.cluster.engine import Clusterer
from newsprism.cluster.features import DENSE_MODEL_FEATURES, FEATURES, MERGE_FEATURES
from newsprism.cluster.model import ClusterModel
from newsprism.cluster.text import terms
from newsprism.cluster.vectors import IdfTable, default_idf
from newsprism.config import load_settings
from newsprism.eval.metrics import ClusterScores, score_partition

ROOT = Path(__file__).resolve().parents[1]
DATA_OUT = ROOT / "src" / "newsprism" / "cluster" / "data"
SEED = 13
STORIES_PER_WINDOW = 300
# Articles between merge passes: one import or eval batch.
MERGE_EVERY = 500
WINDOW = timedelta(days=7)
# NeuS has no dates; every article is "now", as the eval harness stores them too.
NOW = datetime(2024, 1, 1, tzinfo=UTC)

Article = tuple[str, str, str]  # (gold story, title, text)
_DOCS: dict[tuple[int, int], ArticleDoc] = {}
# Sentence vectors by id() of the article tuple, filled by encode_all (with --embeddings).
_DENSE: dict[int, np.ndarray] = {}


def document(position: int, article: Article, idf: IdfTable) -> ArticleDoc:
    """Vectorize once per run: the streams below revisit the same articles many times."""
    key = (id(article), position)
    if key not in _DOCS:
        _story, title, text = article
        doc = vectorize(position, title, text, time=NOW, language="en", outlet_id=None, idf=idf)
        doc.dense = _DENSE.get(id(article))
        _DOCS[key] = doc
    return _DOCS[key]


def encode_all(articles: list[Article], encoder: embeddings.Encoder) -> None:
    """Sentence vectors of every article, with the production encoder and text."""
    todo = [a for a in articles if id(a) not in _DENSE]
    cpu, wall = time.process_time(), time.monotonic()
    vectors = encoder.encode_articles([(title, text) for _story, title, text in todo])
    cpu, wall = time.process_time() - cpu, time.monotonic() - wall
    for article, vector in zip(todo, vectors, strict=True):
        _DENSE[id(article)] = vector
    print(
        f"encoded {len(todo)} articles: {1000 * cpu / max(1, len(todo)):.1f} ms CPU and "
        f"{1000 * wall / max(1, len(todo)):.1f} ms wall per article"
    )


def read_neus(path: Path) -> list[Article]:
    out = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            for doc in row["docs"]:
                out.append((str(row["cluster_id"]), doc["title"], doc["text"]))
    return out


def fit_idf(articles: list[Article]) -> IdfTable:
    df: Counter[str] = Counter()
    for _story, title, text in articles:
        df.update(set(terms(f"{title}. {text}", "en")))
    # Terms seen once carry no more information than unseen ones (both get the top weight).
    kept = {t: c for t, c in sorted(df.items()) if c >= 2}
    return IdfTable(documents=len(articles), frequencies=kept)


def shuffled(articles: list[Article], seed: int) -> list[Article]:
    order = list(articles)
    random.Random(seed).shuffle(order)
    return order


def windows(articles: list[Article], stories_per_window: int, seed: int) -> list[list[Article]]:
    """Split the split's stories into groups streamed separately, each shuffled.

    A group of ~300 stories matches the density of a real week of one language's national news
    (and of the val split); one window of all 2,452 stories would be an unrealistic crowd.
    """
    names = sorted({story for story, _, _ in articles})
    random.Random(seed).shuffle(names)
    group_of = {name: i // stories_per_window for i, name in enumerate(names)}
    groups: list[list[Article]] = [[] for _ in range(max(group_of.values()) + 1)]
    for article in articles:
        groups[group_of[article[0]]].append(article)
    return [shuffled(g, seed + i) for i, g in enumerate(groups)]


def teacher_forced_rows(articles: list[Article], idf: IdfTable, model: ClusterModel):  # type: ignore[no-untyped-def]
    clusterer = Clusterer(model, WINDOW)
    story_ids: dict[str, int] = {}
    xs: list[list[float]] = []
    ys: list[int] = []
    found = missed = 0
    for i, article in enumerate(articles):
        story = article[0]
        doc = document(i, article, idf)
        sid = story_ids.get(story)
        rows = clusterer.feature_rows(doc)
        for candidate, row in rows:
            xs.append(row)
            ys.append(int(candidate == sid))
        if sid is None:
            sid = len(story_ids) + 1
            story_ids[story] = sid
            clusterer.start_story(sid, doc)
        else:
            if any(c == sid for c, _ in rows):
                found += 1
            else:
                missed += 1
            clusterer.join(sid, doc)
    print(f"candidate recall {found / max(1, found + missed):.4f} ({missed} true stories missed)")
    return np.array(xs), np.array(ys)


def stream(
    articles: list[Article],
    idf: IdfTable,
    model: ClusterModel,
    *,
    merge_rows: list[tuple[list[float], int]] | None = None,
) -> ClusterScores:
    """Stream with the model's own decisions, a merge pass after every MERGE_EVERY articles.

    With ``merge_rows``, the merge scorer's candidates at each pass are recorded first, labelled
    by whether the two stories' main gold stories are the same.
    """
    clusterer = Clusterer(model, WINDOW)
    assigned: dict[int, int] = {}
    gold: dict[int, str] = {}
    contents: dict[int, Counter[str]] = {}
    redirect: dict[int, int] = {}
    next_id = 1
    for i, article in enumerate(articles):
        story = article[0]
        doc = document(i, article, idf)
        decision = clusterer.decide(doc)
        if decision.joins and decision.best is not None:
            sid = decision.best.story.story_id
            clusterer.join(sid, doc)
        else:
            sid = next_id
            next_id += 1
            clusterer.start_story(sid, doc)
        assigned[i] = sid
        gold[i] = story
        contents.setdefault(sid, Counter())[story] += 1
        if (i + 1) % MERGE_EVERY and i + 1 < len(articles):
            continue
        if merge_rows is not None:
            for sid in sorted(clusterer.touched):
                found = clusterer.merge_row(clusterer.stories[sid])
                if found is not None:
                    other, row = found
                    main = contents[sid].most_common(1)[0][0]
                    label = contents[other.story_id].most_common(1)[0][0] == main
                    merge_rows.append((row, int(label)))
        for survivor, merged, _p in clusterer.merge_pass():
            redirect[merged] = survivor
            contents[survivor] += contents.pop(merged)

    def final(sid: int) -> int:
        while sid in redirect:
            sid = redirect[sid]
        return sid

    return score_partition({i: final(s) for i, s in assigned.items()}, gold)


def fit_merge_scorer(
    groups: list[list[Article]], idf: IdfTable, model: ClusterModel, c: float
) -> ClusterModel:
    """Fit the merge scorer on the merge candidates met while streaming with ``model``."""
    rows: list[tuple[list[float], int]] = []
    for group in groups:
        stream(group, idf, model, merge_rows=rows)
    x = np.array([r for r, _ in rows])
    y = np.array([label for _, label in rows])
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    fit = LogisticRegression(C=c, max_iter=2000).fit((x - mean) / scale, y)
    print(f"merge rows {len(x)}, positives {int(y.sum())}")
    for name, w in zip(MERGE_FEATURES, fit.coef_[0], strict=True):
        print(f"  {name:22s} {w:+.3f}")
    return replace(
        model,
        merge_mean=tuple(float(v) for v in mean),
        merge_scale=tuple(float(v) for v in scale),
        merge_coef=tuple(float(v) for v in fit.coef_[0]),
        merge_intercept=float(fit.intercept_[0]),
    )


def mean_f1(groups: list[list[Article]], idf: IdfTable, model: ClusterModel) -> float:
    total = sum(len(g) for g in groups)
    return sum(stream(g, idf, model).bcubed_f1 * len(g) for g in groups) / total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared/data/eval/neus")
    parser.add_argument("--c", type=float, default=1.0, help="inverse L2 regularization")
    parser.add_argument(
        "--embeddings",
        action="store_true",
        help="fit model_embeddings.json with the sentence-vector features",
    )
    args = parser.parse_args(argv)
    train = read_neus(args.data / "neus_train_clusters.jsonl")
    idf = fit_idf(train)
    print(f"train: {len(train)} articles; idf: {len(idf.frequencies)} terms")
    features = FEATURES
    encoder: embeddings.Encoder | None = None
    if args.embeddings:
        if idf != default_idf():
            print("the shipped idf.json is not this split's: refit without --embeddings first")
            return 1
        features = DENSE_MODEL_FEATURES
        # The model the user's settings name (cluster_embeddings_model, NEWSPRISM_… variables),
        # so that weights can be fitted for a model other than the default one.
        encoder = embeddings.load_encoder(replace(load_settings(), cluster_embeddings=True))
        print(f"encoder: {encoder.key}")
        encode_all(train, encoder)

    groups = windows(train, STORIES_PER_WINDOW, SEED)
    placeholder = ClusterModel(
        features=features,
        mean=(0.0,) * len(features),
        scale=(1.0,) * len(features),
        coef=(0.0,) * len(features),
        intercept=0.0,
        join_threshold=0.5,
        merge_threshold=0.9,
    )
    parts = [teacher_forced_rows(g, idf, placeholder) for g in groups]
    x = np.vstack([p[0] for p in parts])
    y = np.concatenate([p[1] for p in parts])
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    fit = LogisticRegression(C=args.c, max_iter=2000).fit((x - mean) / scale, y)
    model = replace(
        placeholder,
        mean=tuple(float(v) for v in mean),
        scale=tuple(float(v) for v in scale),
        coef=tuple(float(v) for v in fit.coef_[0]),
        intercept=float(fit.intercept_[0]),
        trained_on=f"NeuS train split: {len(train)} articles, {len(x)} candidate rows",
    )
    print(f"rows {len(x)}, positives {int(y.sum())}")
    for name, w in zip(features, model.coef, strict=True):
        print(f"  {name:22s} {w:+.3f}")

    # The thresholds are chosen together: a stricter join leaves more to the merge pass, whose
    # scorer is fitted anew, for each join threshold, on the merges left to it (candidates met
    # while streaming with the plain rule: members' mean probability 0.5).
    best = (-1.0, model)
    for join in np.arange(0.5, 0.91, 0.05):
        joining = replace(model, join_threshold=round(float(join), 2), merge_threshold=0.5)
        scorer = fit_merge_scorer(groups, idf, joining, args.c)
        for threshold in np.arange(0.3, 0.71, 0.05):
            candidate = replace(scorer, merge_threshold=round(float(threshold), 2))
            f1 = mean_f1(groups, idf, candidate)
            print(f"join {join:.2f} merge {threshold:.2f}: B3-F1 {f1:.4f}")
            if f1 > best[0]:
                best = (f1, candidate)
    model = best[1]
    print(f"chosen: join {model.join_threshold}, merge {model.merge_threshold}")

    DATA_OUT.mkdir(parents=True, exist_ok=True)
    if encoder is None:
        (DATA_OUT / "idf.json").write_text(
            json.dumps(
                {"documents": idf.documents, "frequencies": idf.frequencies}, sort_keys=True
            ),
            encoding="utf-8",
        )
    name = "model.json" if encoder is None else "model_embeddings.json"
    (DATA_OUT / name).write_text(json.dumps(model.to_json(), indent=1) + "\n", encoding="utf-8")
    val_path = args.data / "neus_val_clusters.jsonl"
    if val_path.is_file():
        val = read_neus(val_path)
        if encoder is not None:
            encode_all(val, encoder)
        for name, articles in (("file order", val), ("shuffled", shuffled(val, SEED))):
            s = stream(articles, idf, model)
            print(
                f"val ({name}): B3 P {s.bcubed_precision:.4f} R {s.bcubed_recall:.4f} "
                f"F1 {s.bcubed_f1:.4f}; pairwise F1 {s.pairwise_f1:.4f}; {s.clusters} clusters"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
