"""The learned article-to-story scorer: a logistic regression shipped as JSON weights.

Fitted by ``scripts/train_cluster_model.py`` on the NeuS train split only. JSON keeps the package
free of pickles (nothing executable is loaded) and the weights readable in review.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from newsprism.cluster.features import DENSE_MODEL_FEATURES, FEATURES, MERGE_FEATURES
from newsprism.errors import NewsprismError


@dataclass(frozen=True)
class ClusterModel:
    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    # Join the best candidate when its probability reaches this; tuned on the training split
    # by streaming it and maximizing B³-F1 (see the training script).
    join_threshold: float
    # Merge two stories when the merge scorer (below) reaches this; tuned with join_threshold.
    merge_threshold: float
    # Beyond a day apart, each further day lowers the log-odds by this much. Not learned: the
    # training data carries no dates; news coverage of one event mostly arrives within 48 h.
    time_decay_per_day: float = 0.35
    trained_on: str = ""
    # The merge scorer: a second logistic regression over MERGE_FEATURES, fitted on the merge
    # candidates that streaming the training split produces. Empty (weights fitted before it
    # existed): two stories merge when the first's members' mean probability reaches the
    # merge threshold.
    merge_mean: tuple[float, ...] = ()
    merge_scale: tuple[float, ...] = ()
    merge_coef: tuple[float, ...] = ()
    merge_intercept: float = 0.0

    @property
    def uses_dense(self) -> bool:
        """Whether this weight set scores the sentence-vector features too."""
        return self.features == DENSE_MODEL_FEATURES

    def logit(self, row: list[float]) -> float:
        z = self.intercept
        for x, m, s, w in zip(row, self.mean, self.scale, self.coef, strict=True):
            z += w * (x - m) / s
        return z

    def probability(self, row: list[float], gap_days: float = 0.0) -> float:
        return _sigmoid(self.logit(row) - self.time_decay_per_day * max(0.0, gap_days - 1.0))

    def merge_probability(self, row: list[float]) -> float:
        """How likely two stories are one, from their MERGE_FEATURES row."""
        z = self.merge_intercept
        for x, m, s, w in zip(row, self.merge_mean, self.merge_scale, self.merge_coef, strict=True):
            z += w * (x - m) / s
        return _sigmoid(z)

    def contributions(self, row: list[float]) -> dict[str, float]:
        """Each feature's share of the log-odds, relative to an average candidate."""
        return {
            name: w * (x - m) / s
            for name, x, m, s, w in zip(
                self.features, row, self.mean, self.scale, self.coef, strict=True
            )
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "features": list(self.features),
            "mean": list(self.mean),
            "scale": list(self.scale),
            "coef": list(self.coef),
            "intercept": self.intercept,
            "join_threshold": self.join_threshold,
            "merge_threshold": self.merge_threshold,
            "time_decay_per_day": self.time_decay_per_day,
            "trained_on": self.trained_on,
            **(
                {
                    "merge_features": list(MERGE_FEATURES),
                    "merge_mean": list(self.merge_mean),
                    "merge_scale": list(self.merge_scale),
                    "merge_coef": list(self.merge_coef),
                    "merge_intercept": self.merge_intercept,
                }
                if self.merge_coef
                else {}
            ),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ClusterModel:
        features = tuple(data["features"])
        if features not in (FEATURES, DENSE_MODEL_FEATURES):
            raise NewsprismError(
                "cluster model weights do not match this version's features "
                f"({len(features)} vs {len(FEATURES)}); refit with scripts/train_cluster_model.py"
            )
        merge: dict[str, Any] = {}
        if "merge_coef" in data:
            if tuple(data.get("merge_features", ())) != MERGE_FEATURES:
                raise NewsprismError(
                    "cluster merge weights do not match this version's merge features; "
                    "refit with scripts/train_cluster_model.py"
                )
            merge = {
                "merge_mean": tuple(float(v) for v in data["merge_mean"]),
                "merge_scale": tuple(float(v) for v in data["merge_scale"]),
                "merge_coef": tuple(float(v) for v in data["merge_coef"]),
                "merge_intercept": float(data["merge_intercept"]),
            }
        return cls(
            features=features,
            mean=tuple(float(v) for v in data["mean"]),
            scale=tuple(float(v) for v in data["scale"]),
            coef=tuple(float(v) for v in data["coef"]),
            intercept=float(data["intercept"]),
            join_threshold=float(data["join_threshold"]),
            merge_threshold=float(data["merge_threshold"]),
            time_decay_per_day=float(data.get("time_decay_per_day", 0.35)),
            trained_on=str(data.get("trained_on", "")),
            **merge,
        )


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


@lru_cache(maxsize=1)
def default_model() -> ClusterModel:
    return _packaged("model.json")


@lru_cache(maxsize=1)
def embeddings_model() -> ClusterModel:
    """The weights fitted with the sentence-vector features (setting cluster_embeddings)."""
    return _packaged("model_embeddings.json")


def _packaged(name: str) -> ClusterModel:
    raw = resources.files("newsprism.cluster").joinpath(f"data/{name}").read_text("utf-8")
    return ClusterModel.from_json(json.loads(raw))
