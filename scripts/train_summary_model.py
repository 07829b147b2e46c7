"""Fit the summarizer's token model on the NeuS training split and write it as JSON.

    python scripts/train_summary_model.py ../shared/data/eval/neus/neus_train_clusters.jsonl

For every distinct token of a story's sentences the target is how often the AllSides editors'
neutral summary uses it; a Poisson-loss gradient-boosted ensemble learns that from the features
in ``newsprism.summarize.token_model``. The lexicon features (how often the training summaries use
a token) are cross-fitted: a story's rows see the lexicon of the other half of the training
stories only, so the trees do not learn to trust a rate that counted the story's own summary.
The shipped lexicon counts every training story. The trees are exported as plain arrays and checked to
predict what scikit-learn predicts. Tune on train/val only: the NeuS test split is for outside
checks.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.ensemble import HistGradientBoostingRegressor

from newsprism.summarize.extractive import story_text_from_docs
from newsprism.summarize.sentences import rouge_tokens
from newsprism.summarize.token_model import (
    FEATURES,
    LEXICON_MIN_STORIES,
    Lexicon,
    StoryText,
    TreeEnsemble,
    token_features,
)

OUT = Path(__file__).resolve().parents[1] / "src/newsprism/summarize/data/token_model.json"


FOLDS = 2


def read_stories(path: Path) -> list[tuple[StoryText, Counter[str]]]:
    stories = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            story = story_text_from_docs(
                [(d.get("title") or "", d.get("text") or "") for d in row["docs"]]
            )
            stories.append((story, Counter(rouge_tokens(row["neutral_summary"]))))
    return stories


def build_lexicon(stories: list[tuple[StoryText, Counter[str]]]) -> Lexicon:
    seen: Counter[str] = Counter()
    uses: Counter[str] = Counter()
    for story, reference in stories:
        vocab, _x = token_features(story)
        seen.update(vocab)
        uses.update({t: reference[t] for t in vocab})
    kept = {t: (n, float(uses[t])) for t, n in seen.items() if n >= LEXICON_MIN_STORIES}
    return Lexicon(len(stories), kept)


def training_rows(
    stories: list[tuple[StoryText, Counter[str]]],
) -> tuple[np.ndarray, np.ndarray]:
    features, targets = [], []
    for fold in range(FOLDS):
        lexicon = build_lexicon([s for i, s in enumerate(stories) if i % FOLDS != fold])
        for i, (story, reference) in enumerate(stories):
            if i % FOLDS != fold:
                continue
            vocab, x = token_features(story, lexicon)
            features.append(x)
            targets.append([reference[t] for t in vocab])
    return np.vstack(features), np.concatenate(targets).astype(float)


def export(model: HistGradientBoostingRegressor, lexicon: Lexicon) -> dict[str, object]:
    trees = []
    for (predictor,) in model._predictors:
        nodes = predictor.nodes
        trees.append(
            {
                "feature": [
                    int(f) if not leaf else -1
                    for f, leaf in zip(nodes["feature_idx"], nodes["is_leaf"], strict=True)
                ],
                "threshold": [float(t) for t in nodes["num_threshold"]],
                "left": [int(v) for v in nodes["left"]],
                "right": [int(v) for v in nodes["right"]],
                "value": [float(v) for v in nodes["value"]],
            }
        )
    return {
        "features": list(FEATURES),
        "baseline": float(np.ravel(model._baseline_prediction)[0]),
        "trees": trees,
        "lexicon": {
            "stories": lexicon.stories,
            "tokens": {t: [n, u] for t, (n, u) in sorted(lexicon.counts.items())},
        },
        "trained_on": "NeuS train split (Lee et al., NAACL 2022), neutral_summary unigram counts",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("train", type=Path)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    stories = read_stories(args.train)
    x, y = training_rows(stories)
    # Small trees and a leaf minimum: the best of several sizes on the validation split, and
    # small enough to evaluate in pure numpy in well under a millisecond per story.
    model = HistGradientBoostingRegressor(
        loss="poisson",
        max_iter=100,
        learning_rate=0.1,
        max_leaf_nodes=15,
        min_samples_leaf=50,
        early_stopping=False,
        random_state=0,
    ).fit(x, y)
    data = export(model, build_lexicon(stories))
    check = TreeEnsemble(data).predict(x[:5000])
    if not np.allclose(check, model.predict(x[:5000]), rtol=1e-6):
        raise SystemExit("exported trees disagree with scikit-learn's predictions")
    args.out.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{len(y)} token rows, {len(data['trees'])} trees -> {args.out}")  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
