"""Quality floor of the production clusterer on the NeuS validation split.

``newsprism eval cluster`` streams the 921 articles (307 stories) through the store exactly as
``import`` would and scores the stories it made. Measured 2026-11-28: see FLOORS' comment.
A floor is raised when the clusterer improves and never lowered to let a change through.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

# Measured B³-F1 0.8733, pairwise F1 0.7714 (2026-11-28, with the merge scorer); floors sit a
# hair below so that harmless numeric noise does not fail the gate.
FLOORS = {"bcubed_f1": 0.87, "pairwise_f1": 0.76}


@pytest.mark.evalgate
@pytest.mark.slow
def test_clustering_of_neus_val_stays_above_the_floors(shared_data: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    path = shared_data / "eval" / "neus" / "neus_val_clusters.jsonl"
    result = run_cli("eval", "cluster", "--format", "neus", str(path), "--json")
    assert result.exit_code == 0, result.stderr
    scores = json.loads(result.stdout)
    assert scores["articles"] == 921
    assert scores["gold_clusters"] == 307
    for key, floor in FLOORS.items():
        assert scores[key] >= floor, f"{key} {scores[key]:.4f} fell below its floor {floor}"
