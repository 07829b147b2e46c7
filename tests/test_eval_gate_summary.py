"""Quality floor of the production summarizer on the NeuS validation split.

Measured 2026-11-28 with three to five bullets per story (the default), clause units without
fragments or datelines, claims kept with their speakers, the token model with its training
lexicon, and no bullet forced in that restates a chosen one: ROUGE-1 0.4045, ROUGE-2 0.1763,
ROUGE-L 0.2657, verbatim share 1.0. At least two bullets score ROUGE-1 about 0.412; three bullets
are the product's promise, so the floors follow that default (first paragraph of one article
0.366, a plain TF-IDF centroid pick 0.388). A floor is raised when the summarizer improves. It
was lowered once, from 0.40 to 0.398, for bullets that read on their own: no questions, no
"He…"/"But…" openings, no subject cut from its verb by a bracket, an aside or ", but", no
sentence the text cuts off (−0.0015 on this split, about four stories of 307; see
BENCHMARKS.md). It is not lowered to let any other change through.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

FLOORS = {"rouge1": 0.403, "rouge2": 0.175, "rougeL": 0.263}


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
