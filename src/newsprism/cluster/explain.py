"""Why an article is in its story: the score and the strongest evidence, as stored JSON.

The story page prints these keys as "shared: NATO, Kursk; title similarity: 0.71", so they are
named for readers, and only the few that carry the decision are kept.
"""

from __future__ import annotations

from typing import Any

from newsprism.cluster.documents import ArticleDoc
from newsprism.cluster.engine import Decision
from newsprism.cluster.features import shared_entity_names
from newsprism.cluster.model import ClusterModel

_READABLE = {
    "title_centroid": "title_similarity",
    "body_centroid": "text_similarity",
    "body_nearest": "closest_article_similarity",
    "lede_centroid": "lede_similarity",
    "entity_overlap": "names_shared_share",
    "shared_numbers": "numbers_shared_share",
    "body_margin": "lead_over_next_story",
    "dense_centroid": "meaning_similarity",
    "dense_nearest": "closest_article_meaning",
}


def _r(value: float) -> float:
    return round(float(value), 3)


def joined(doc: ArticleDoc, decision: Decision, model: ClusterModel) -> dict[str, Any]:
    assert decision.best is not None
    best = decision.best
    row = dict(zip(model.features, best.row, strict=True))
    contributions = model.contributions(best.row)
    strongest = sorted(contributions, key=lambda name: (-contributions[name], name))[:3]
    out: dict[str, Any] = {
        "decision": "joined",
        "score": _r(best.probability),
        "shared": shared_entity_names(doc, best.story),
        # The plain cosine; the model's title features cap it at what the titles can tell.
        "title_similarity": _r(best.story.title.cosine(doc.title)),
        "text_similarity": _r(row["body_centroid"]),
    }
    if "dense_centroid" in row:
        # Sentence-vector cosine to the story's mean (setting cluster_embeddings).
        out["meaning_similarity"] = _r(row["dense_centroid"])
    for name in strongest:
        key = _READABLE.get(name, name)
        out.setdefault(key, _r(row[name]))
    out["candidates"] = decision.candidates
    return out


def new_story(decision: Decision) -> dict[str, Any]:
    out: dict[str, Any] = {"decision": "new story", "candidates": decision.candidates}
    if decision.best is not None:
        # The nearest miss says how close the article came to joining.
        out["closest_story"] = decision.best.story.story_id
        out["closest_score"] = _r(decision.best.probability)
    return out


def repost(original_id: int) -> dict[str, Any]:
    return {"decision": "repost", "score": 1.0, "repost_of": original_id}


def merged(survivor: int, merged_story: int, probability: float) -> dict[str, Any]:
    return {
        "decision": "its story was merged into this one",
        "merged_from": merged_story,
        "into": survivor,
        "merge_score": _r(probability),
    }
