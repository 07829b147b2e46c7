"""Similarity features between an incoming article and a candidate story.

The learned model weighs these; the explanation shows the strongest of them. Every feature is a
bounded number computed in O(article terms × members kept), so the cost per comparison does not
grow with the story or with history.
"""

from __future__ import annotations

import math

from newsprism.cluster.documents import ArticleDoc, StoryState
from newsprism.cluster.vectors import dot

# The order here is the order of the model's weights (cluster/data/model.json names them too).
PAIR_FEATURES = (
    "title_centroid",
    "title_nearest",
    "lede_centroid",
    "title_to_text",
    "text_to_titles",
    "body_centroid",
    "body_nearest",
    "body_mean",
    "entity_overlap",
    "entity_story_overlap",
    "shared_entities",
    "shared_numbers",
    "shared_terms",
)
# Filled in after every candidate is scored: how this candidate compares with the others.
RELATIVE_FEATURES = ("body_margin", "title_margin")
FEATURES = PAIR_FEATURES + RELATIVE_FEATURES


def pair_features(doc: ArticleDoc, story: StoryState) -> list[float]:
    body_sims = [dot(doc.body, m.body) for m in story.members]
    title_sims = [dot(doc.title, m.title) for m in story.members]
    shared = [k for k in doc.entities if k in story.entities]
    doc_weight = sum(doc.entities.values())
    shared_weight = sum(doc.entities[k] for k in shared)
    # The story's "core" entities: named by at least half its articles (all of them when small).
    core_need = max(1, math.ceil(story.size / 2))
    core = [k for k, c in story.entities.items() if c >= core_need]
    core_weight = sum(story.entity_weights[k] for k in core)
    core_shared = sum(story.entity_weights[k] for k in core if k in doc.entities)
    numbers = sum(1 for n in doc.numbers if n in story.numbers)
    return [
        story.title.cosine(doc.title),
        max(title_sims, default=0.0),
        story.lede.cosine(doc.lede),
        # Headlines and ledes word one event differently; across them framing matters less.
        story.body.cosine(doc.title),
        story.title.cosine(doc.body),
        story.body.cosine(doc.body),
        max(body_sims, default=0.0),
        sum(body_sims) / len(body_sims) if body_sims else 0.0,
        shared_weight / doc_weight if doc_weight else 0.0,
        core_shared / core_weight if core_weight else 0.0,
        math.log1p(shared_weight) / 4.0,
        min(numbers, 3) / 3.0,
        _shared_terms(doc, story),
    ]


def _shared_terms(doc: ArticleDoc, story: StoryState) -> float:
    """How many of the article's distinctive terms the story uses at all (0…1).

    Unlike cosine this ignores how much else the story says, so a short lede that names the
    event's key words still scores high against a long, many-sided story.
    """
    if not doc.query_terms:
        return 0.0
    total = story.body.total
    weights = [doc.body.get(t, 0.0) for t in doc.query_terms]
    hit = sum(w for t, w in zip(doc.query_terms, weights, strict=True) if t in total)
    whole = sum(weights)
    return hit / whole if whole else 0.0


def with_relative(rows: list[list[float]]) -> list[list[float]]:
    """Append each candidate's lead over the best *other* candidate (negative when behind).

    An article about Tuesday's vote resembles every vote story a little; what singles out its
    story is being clearly closer to it than to the rest.
    """
    body_index = PAIR_FEATURES.index("body_centroid")
    title_index = PAIR_FEATURES.index("title_centroid")
    out = []
    for i, row in enumerate(rows):
        others = [r for j, r in enumerate(rows) if j != i]
        best_body = max((r[body_index] for r in others), default=0.0)
        best_title = max((r[title_index] for r in others), default=0.0)
        out.append([*row, row[body_index] - best_body, row[title_index] - best_title])
    return out


def shared_entity_names(doc: ArticleDoc, story: StoryState, limit: int = 5) -> list[str]:
    """The rarest names the article shares with the story, as written in the story."""
    shared = [k for k in doc.entities if k in story.entities]
    # Phrases before their own words ("Bernie Sanders", not also "Sanders"), rarest first.
    shared.sort(key=lambda k: (-doc.entities[k], -k.count(" "), k))
    names: list[str] = []
    for key in shared:
        surface = story.surfaces.get(key) or doc.surfaces.get(key, key)
        if any(surface.lower() in n.lower() for n in names):
            continue
        names.append(surface)
        if len(names) == limit:
            break
    return names
