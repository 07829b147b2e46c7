"""Quality floor of the production summarizer on the NeuS validation split.

Measured 2026-11-28 with clause units and at least two bullets per story (the default):
ROUGE-1 0.4118, ROUGE-2 0.1818, ROUGE-L 0.2698, verbatim share 1.0. Allowing one-bullet
summaries scores 0.4173 / 0.1828 / 0.2748, but a one-bullet summary reads as broken, so the
floors follow the product default (whole sentences only: 0.4165, 0.1846, 0.2772; first paragraph of one
article 0.366, a plain TF-IDF centroid pick 0.388). A floor is raised when the summarizer
improves and never lowered to let a change through.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

FLOORS = {"rouge1": 0.41, "rouge2": 0.18, "rougeL": 0.265}


@pytest.mark.evalgate
@pytest.mark.slow
def test_summaries_on_neus_val_stay_above_the_floors(shared_data: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    path = shared_data / "eval" / "neus" / "neus_val_clusters.jsonl"
    result = run_cli("eval", "summary", "--format", "neus", str(path), "--json")
    assert result.exit_code == 0, result.stderr
    scores = json.loads(result.stdout)
    assert scores["stories"] == 307
    assert scores["verbatim_share"] == 1.0
    for key, floor in FLOORS.items():
        assert scores[key] >= floor, f"{key} {scores[key]:.4f} fell below its floor {floor}"
