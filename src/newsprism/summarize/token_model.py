"""How often will the story's ideal summary use each word? A small learned model answers that.

The extractive summarizer picks the sentences whose words the ideal summary is expected to use
(see ``extractive.py``). This module computes, for every distinct token of a story's candidate
sentences, the features below, and evaluates a gradient-boosted tree ensemble (Poisson loss)
fitted by ``scripts/train_summary_model.py`` on the NeuS training split and shipped as JSON in
``summarize/data/token_model.json`` (plain numbers: no pickle, no model download), together with
its lexicon: for each token seen in at least LEXICON_MIN_STORIES training stories, how often the
editors' summaries of those stories used it (NeuS val ROUGE-1 at three bullets 0.4027 with the
lexicon features, 0.3999 without, before fragment spans were dropped).
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import numpy as np

from newsprism.summarize.sentences import summary_tokens, token_pairs

FEATURES = (
    "log_count",  # occurrences in the story's candidate sentences
    "doc_share",  # share of the story's articles that use it
    "in_all_docs",
    "log_title_count",
    "title_doc_share",  # share of headlines that use it
    "is_stopword",
    "length",  # characters, capped at 12
    "is_number",
    "first_position",  # earliest relative position in any article (0 = first word)
    "in_lede",  # appears in some article's first sentence
    "capitalized_share",  # share of its uses after a sentence's first word written with a capital
    "log_articles",
    "lede_doc_share",  # share of articles whose first sentence uses it
    "lexicon_rate",  # smoothed uses per reference of training stories that contain it
    "lexicon_log_df",  # log inverse share of training stories that contain it
)
# A token seen in fewer training stories than this has no lexicon entry: its rate would be noise.
LEXICON_MIN_STORIES = 5
# Pseudo-count of the lexicon rate's prior (a token with no entry gets this rate).
LEXICON_PRIOR = 0.3
MODEL_RESOURCE = "token_model.json"


@dataclass(frozen=True)
class StoryText:
    """The sentences of each article (lede first) and its headline, as the model sees them."""

    sentences: Sequence[Sequence[str]]
    titles: Sequence[str]


@dataclass(frozen=True)
class Lexicon:
    """What the training stories say about a token in itself, apart from this story: in how
    many stories it appeared and how often their editors' summaries used it. The summaries
    prefer plain, neutral words; loaded ones are common in articles and rare in references."""

    stories: int = 0
    counts: dict[str, tuple[int, float]] = field(default_factory=dict)  # token -> (stories, uses)

    def features(self, token: str) -> tuple[float, float]:
        seen, uses = self.counts.get(token, (0, 0.0))
        return (uses + LEXICON_PRIOR) / (seen + 1), math.log((self.stories + 1) / (seen + 1))


@lru_cache(maxsize=1)
def function_words() -> frozenset[str]:
    """scikit-learn's English stopwords as summary tokens (the model's ``is_stopword``)."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(t for word in ENGLISH_STOP_WORDS for t in summary_tokens(word))


def token_features(
    story: StoryText, lexicon: Lexicon | None = None
) -> tuple[list[str], np.ndarray]:
    """The story's distinct tokens and one feature row per token (columns as in FEATURES)."""
    lexicon = lexicon or Lexicon()
    stop = function_words()
    n_docs = max(1, len(story.sentences))
    counts: Counter[str] = Counter()
    docs: dict[str, set[int]] = {}
    first: dict[str, float] = {}
    lede: set[str] = set()
    lede_docs: Counter[str] = Counter()
    capital: Counter[str] = Counter()
    uses: Counter[str] = Counter()
    for doc_index, sentences in enumerate(story.sentences):
        tokenized = [token_pairs(s) for s in sentences]
        length = sum(len(t) for t in tokenized) or 1
        if tokenized:
            lede_docs.update({token for _word, token in tokenized[0]})
        seen = 0
        for sentence_index, pairs in enumerate(tokenized):
            for position, (word, token) in enumerate(pairs):
                counts[token] += 1
                docs.setdefault(token, set()).add(doc_index)
                first[token] = min(first.get(token, 1.0), seen / length)
                seen += 1
                if sentence_index == 0:
                    lede.add(token)
                if position > 0:
                    uses[token] += 1
                    capital[token] += word[0].isupper()
    title_counts: Counter[str] = Counter()
    title_docs: dict[str, set[int]] = {}
    for doc_index, title in enumerate(story.titles):
        for token in summary_tokens(title):
            title_counts[token] += 1
            title_docs.setdefault(token, set()).add(doc_index)
    vocab = list(counts)
    rows = [
        (
            math.log1p(counts[t]),
            len(docs[t]) / n_docs,
            float(len(docs[t]) == n_docs),
            math.log1p(title_counts[t]),
            len(title_docs.get(t, ())) / n_docs,
            float(t in stop),
            float(min(len(t), 12)),
            float(t.isdigit()),
            first[t],
            float(t in lede),
            capital[t] / max(1, uses[t]),
            math.log(n_docs),
            lede_docs[t] / n_docs,
            *lexicon.features(t),
        )
        for t in vocab
    ]
    return vocab, np.asarray(rows, dtype=float).reshape(len(vocab), len(FEATURES))


class TreeEnsemble:
    """Sum of regression trees on a log link: prediction = exp(baseline + Σ tree(x))."""

    def __init__(self, data: dict[str, object]) -> None:
        if data.get("features") != list(FEATURES):
            raise ValueError("token model was fitted on different features; retrain it")
        self.baseline = float(data["baseline"])  # type: ignore[arg-type]
        lexicon: dict[str, object] = data.get("lexicon") or {}  # type: ignore[assignment]
        self.lexicon = Lexicon(
            int(lexicon.get("stories", 0)),  # type: ignore[call-overload]
            {t: (int(n), float(u)) for t, (n, u) in lexicon.get("tokens", {}).items()},  # type: ignore[attr-defined]
        )
        # Each tree: parallel arrays feature, threshold, left, right, value (leaf: feature = -1).
        self.trees = [
            tuple(
                np.asarray(tree[key]) for key in ("feature", "threshold", "left", "right", "value")
            )
            for tree in data["trees"]  # type: ignore[attr-defined]
        ]

    def predict(self, x: np.ndarray) -> np.ndarray:
        raw = np.full(x.shape[0], self.baseline)
        rows = np.arange(x.shape[0])
        for feature, threshold, left, right, value in self.trees:
            node = np.zeros(x.shape[0], dtype=np.int64)
            # Trees are shallow (≤ 15 leaves): step all rows down one level per pass.
            while True:
                inner = feature[node] >= 0
                if not inner.any():
                    break
                f = feature[node[inner]]
                go_left = x[rows[inner], f] <= threshold[node[inner]]
                node[inner] = np.where(go_left, left[node[inner]], right[node[inner]])
            raw += value[node]
        return np.exp(raw)


@lru_cache(maxsize=1)
def load_token_model() -> TreeEnsemble:
    text = resources.files("newsprism.summarize").joinpath("data", MODEL_RESOURCE).read_text()
    return TreeEnsemble(json.loads(text))


def expected_reference_counts(story: StoryText) -> dict[str, float]:
    """Token → expected number of uses in an ideal summary of the story."""
    model = load_token_model()
    vocab, features = token_features(story, model.lexicon)
    if not vocab:
        return {}
    predicted = model.predict(features)
    return dict(zip(vocab, predicted.tolist(), strict=True))
