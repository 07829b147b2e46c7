"""``newsprism eval …``: quality harnesses over labelled data, with the production code paths."""

from __future__ import annotations

import click

from newsprism.cli.lazy import LazyGroup

EVAL_COMMANDS = {
    "cluster": "newsprism.eval.cluster_cmd:eval_cluster",
    "extract": "newsprism.eval.extract_cmd:eval_extract",
    "summary": "newsprism.eval.summary_cmd:eval_summary",
}


@click.group("eval", cls=LazyGroup, lazy=EVAL_COMMANDS)
def eval_group() -> None:
    """Measure clustering, extraction and summaries on labelled data."""
