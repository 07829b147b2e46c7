"""Fit the summarizer's token model on the NeuS training split and write it as JSON.

    python scripts/train_summary_model.py ../shared/data/eval/neus/neus_train_clusters.jsonl

For every distinct token of a story's sentences the target is how often the AllSides editors'
neutral summary uses it; a Poisson-loss gradient-boosted ensemble learns that from the features
in ``newsprism.summarize.token_model``. The trees are exported as plain arrays and checked to
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
from newsprism.summarize.token_model import FEATURES, TreeEnsemble, token_features

OUT = Path(__file__).resolve().parents[1] / "src/newsprism/summarize/data/token_model.json"


def training_rows(path: Path) -> tuple[np.ndarray, np.ndarray]:
    features, targets = [], []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            story = story_text_from_docs(
                [(d.get("title") or "", d.get("text") or "") for d in row["docs"]]
            )
            vocab, x = token_features(story)
            reference = Counter(rouge_tokens(row["neutral_summary"]))
            features.append(x)
            targets.append([reference[t] for t in vocab])
    return np.vstack(features), np.concatenate(targets).astype(float)


def export(model: HistGradientBoostingRegressor) -> dict[str, object]:
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
        "trained_on": "NeuS train split (Lee et al., NAACL 2022), neutral_summary unigram counts",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("train", type=Path)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    x, y = training_rows(args.train)
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
    data = export(model)
    check = TreeEnsemble(data).predict(x[:5000])
    if not np.allclose(check, model.predict(x[:5000]), rtol=1e-6):
        raise SystemExit("exported trees disagree with scikit-learn's predictions")
    args.out.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{len(y)} token rows, {len(data['trees'])} trees -> {args.out}")  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
