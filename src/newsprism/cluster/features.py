"""Similarity features between an incoming article and a candidate story.

The learned model weighs these; the explanation shows the strongest of them. Every feature is a
bounded number computed in O(article terms × members kept), so the cost per comparison does not
grow with the story or with history.

Title similarities count only as far as the titles can tell events apart. Identical titles such
as "Live updates" or "Morning briefing" name a format, not an event: a title similarity is capped
at the informativeness of the titles compared (their IDF mass, ``ArticleDoc.title_weight``), and
an outlet's titles are no evidence for its own other articles, since an outlet reuses its formats
(a daily newsletter, a live blog) for unrelated events. Capping rather than scaling changes a
similarity only where it exceeds what the titles can tell.
"""

from __future__ import annotations

import math

import numpy as np

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
# Appended when articles carry sentence vectors (setting cluster_embeddings): cosine to the
# story's mean vector and to its closest recent member. A second weight set is fitted with them.
DENSE_FEATURES = ("dense_centroid", "dense_nearest")
DENSE_MODEL_FEATURES = FEATURES + DENSE_FEATURES
# What the merge scorer weighs for two stories A and B: the probabilities the article model gives
# A's recent members for joining B (mean and max) and B's for joining A, and the cosines of their
# body and title centroids. Both directions: a story that a few of the other's articles would join
# but whose own articles would not join back is usually a neighbouring event.
MERGE_FEATURES = (
    "forward_mean",
    "forward_max",
    "backward_mean",
    "backward_max",
    "body_cosine",
    "title_cosine",
)


# Candidates that get the full feature set: the best by text similarity. The rest still count
# for the margins, which only need the cheap centroid cosines.
SCORED_CANDIDATES = 6
# Latest members compared one by one for the nearest-article features.
NEAREST_MEMBERS = 8
# What the margins measure a candidate against when it is the only one: about what the best
# other candidate reaches for the training split's true stories (median body and title cosine
# 0.16). Against 0.0, a lone story's margins would repeat its raw cosines, and an unrelated story
# that happens to be the only one sharing a word would look clearly ahead.
LONE_RIVAL = 0.15


def candidate_rows(
    doc: ArticleDoc, stories: list[StoryState]
) -> list[tuple[StoryState, list[float]]]:
    """Feature rows (in FEATURES order) for the most similar of ``stories``, best first."""
    quick = [(s.body.cosine(doc.body), title_similarity(doc, s)) for s in stories]
    order = sorted(range(len(stories)), key=lambda i: (-quick[i][0], stories[i].story_id))
    out = []
    for i in order[:SCORED_CANDIDATES]:
        body_cos, title_cos = quick[i]
        best_body = max((q[0] for j, q in enumerate(quick) if j != i), default=LONE_RIVAL)
        best_title = max((q[1] for j, q in enumerate(quick) if j != i), default=LONE_RIVAL)
        # The lead over the best other candidate: an article about Tuesday's vote resembles
        # every vote story a little; what singles out its story is being clearly closer to it.
        row = pair_features(doc, stories[i], body_cos, title_cos)
        row += [body_cos - best_body, title_cos - best_title]
        if doc.dense is not None:
            row += dense_features(doc.dense, stories[i])
        out.append((stories[i], row))
    return out


def title_similarity(doc: ArticleDoc, story: StoryState) -> float:
    """Cosine of the article's title to the story's titles, at most the title weight of either
    side, times the share of the story's articles from other outlets (excluding the article's
    own outlet exactly would need a title sum per outlet; the share costs O(1) and is exact for
    a story all from that outlet)."""
    cosine = story.title.cosine(doc.title)
    if cosine <= 0.0:
        return 0.0
    return min(cosine, doc.title_weight, story.title_weight) * _other_outlets(doc, story)


def _other_outlets(doc: ArticleDoc, story: StoryState) -> float:
    if doc.outlet_id is None or not story.size:
        return 1.0
    return 1.0 - story.outlets[doc.outlet_id] / story.size


def pair_features(
    doc: ArticleDoc, story: StoryState, body_cos: float, title_cos: float
) -> list[float]:
    """The PAIR_FEATURES row; ``title_cos`` is ``title_similarity(doc, story)``."""
    members = list(story.members)[-NEAREST_MEMBERS:]
    body_sims = [dot(doc.body, m.body) for m in members]
    # As in title_similarity: capped by both titles' weight, none from the article's own outlet.
    outlet, title, cap = doc.outlet_id, doc.title, doc.title_weight
    title_sims = [
        0.0
        if outlet is not None and m.outlet_id == outlet
        else min(dot(title, m.title), cap, m.title_weight)
        for m in members
    ]
    shared = [k for k in doc.entities if k in story.entities]
    doc_weight = sum(doc.entities.values())
    shared_weight = sum(doc.entities[k] for k in shared)
    core, core_weight = story.core_entities()
    core_shared = sum(story.entity_weights[k] for k in core if k in doc.entities)
    numbers = sum(1 for n in doc.numbers if n in story.numbers)
    return [
        title_cos,
        max(title_sims, default=0.0),
        story.lede.cosine(doc.lede),
        # Headlines and ledes word one event differently; across them framing matters less.
        # (Bodies include their titles, so a format title is capped here too.)
        min(story.body.cosine(doc.title), doc.title_weight),
        min(story.title.cosine(doc.body), story.title_weight),
        body_cos,
        max(body_sims, default=0.0),
        sum(body_sims) / len(body_sims) if body_sims else 0.0,
        shared_weight / doc_weight if doc_weight else 0.0,
        core_shared / core_weight if core_weight else 0.0,
        math.log1p(shared_weight) / 4.0,
        min(numbers, 3) / 3.0,
        _shared_terms(doc, story),
    ]


def dense_features(vector: np.ndarray, story: StoryState) -> list[float]:
    """Cosine of the article's unit sentence vector to the story's mean and nearest member."""
    total = story.dense_total
    if total is None:
        return [0.0, 0.0]
    norm = float(np.linalg.norm(total))
    centroid = float(vector @ total) / norm if norm > 0.0 else 0.0
    members = [m.dense for m in list(story.members)[-NEAREST_MEMBERS:] if m.dense is not None]
    nearest = float(np.max(np.stack(members) @ vector)) if members else 0.0
    return [centroid, nearest]


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


def shared_entity_names(doc: ArticleDoc, story: StoryState, limit: int = 5) -> list[str]:
    """The rarest names the article shares with the story, as written in the story."""
    shared = [k for k in doc.entities if k in story.entities]
    # Phrases before their own words ("Bernie Sanders", not also "Sanders"), rarest first.
    shared.sort(key=lambda k: (-doc.entities[k], -k.count(" "), k))
    names: list[str] = []
    for key in shared:
        surface = story.surfaces.get(key) or doc.surfaces.get(key, key)
        # "President Barack Obama's" reads as the name it is.
        surface = surface.removesuffix("'s").removesuffix("’s")
        if any(surface.lower() in n.lower() for n in names):
            continue
        names.append(surface)
        if len(names) == limit:
            break
    return names
