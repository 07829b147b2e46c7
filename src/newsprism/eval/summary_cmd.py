"""``newsprism eval summary``: ROUGE and verbatim share of the production summarizer on NeuS.

Each gold story's articles go through the same extractive summarizer the pipeline uses; the
bullets, joined, are scored with the ``rouge-score`` package (ROUGE-1/2/L F1, Porter stemming)
against the editors' neutral summary. ``verbatim_share`` is the share of summary sentences that
occur word for word in one of the story's articles (case-sensitively; only a bullet's first
letter may be a capital where the source has none): an extractive summary must score 1.0.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import click

from newsprism import jsontext
from newsprism.cli.common import app_context, db_option, emit_json, json_option, progress_bar
from newsprism.config import Settings
from newsprism.errors import InputError
from newsprism.eval.lines import numbered_lines
from newsprism.summarize.extractive import SourceArticle
from newsprism.summarize.sentences import is_verbatim, split_sentences
from newsprism.summarize.service import summarize_story


@dataclass(frozen=True)
class NeusStory:
    cluster_id: str
    docs: list[tuple[str, str]]
    reference: str


@dataclass
class SummaryScores:
    rouge1: float
    rouge2: float
    rougeL: float  # spelled as the contract spells it
    verbatim_share: float
    stories: int
    stories_per_second: float


def read_neus(path: Path) -> Iterator[NeusStory]:
    """Stories of a NeuS file; a malformed line stops with its line number and the field."""
    for number, line in numbered_lines(path):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            row = jsontext.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{where}: not valid JSON ({exc.msg})") from None
        if not isinstance(row, dict):
            raise InputError(f"{where}: expected an object with 'docs' and 'neutral_summary'")
        yield NeusStory(
            str(row.get("cluster_id", number)),
            _docs(row.get("docs"), where),
            _reference(row, where),
        )


def _docs(docs: Any, where: str) -> list[tuple[str, str]]:
    if not isinstance(docs, list) or not docs:
        raise InputError(f"{where}: field 'docs' must be a non-empty list of articles")
    out = []
    for position, doc in enumerate(docs):
        if not isinstance(doc, dict):
            raise InputError(f"{where}: docs[{position}] must be an object with 'title' and 'text'")
        title, text = doc.get("title") or "", doc.get("text") or ""
        if not isinstance(title, str) or not isinstance(text, str):
            raise InputError(f"{where}: docs[{position}]: 'title' and 'text' must be text")
        if not (title.strip() or text.strip()):
            raise InputError(f"{where}: docs[{position}] has neither title nor text")
        out.append((title, text))
    return out


def _reference(row: dict[str, Any], where: str) -> str:
    reference = row.get("neutral_summary")
    if not isinstance(reference, str) or not reference.strip():
        raise InputError(f"{where}: field 'neutral_summary' must be the reference summary (text)")
    return reference


def score_stories(stories: list[NeusStory], settings: Settings) -> SummaryScores:
    """Scores the summarizer the pipeline runs, with the same settings (bullet counts, backend)."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    totals = {"rouge1": 0.0, "rouge2": 0.0, "rougeL": 0.0}
    sentences = verbatim = 0
    started = time.perf_counter()
    with progress_bar("Summarizing", len(stories)) as advance:
        for story in stories:
            articles = [
                SourceArticle(id=i, title=title, text=text)
                for i, (title, text) in enumerate(story.docs)
            ]
            bullets = summarize_story(articles, settings).bullets
            summary = "\n".join(b.text for b in bullets)
            scores = scorer.score(story.reference, summary)
            for key in totals:
                totals[key] += scores[key].fmeasure
            sources = [text for _title, text in story.docs]
            for bullet in bullets:
                for sentence in split_sentences(bullet.text):
                    sentences += 1
                    verbatim += is_verbatim(sentence, sources)
            advance(1)
    elapsed = max(time.perf_counter() - started, 1e-9)
    n = max(1, len(stories))
    return SummaryScores(
        rouge1=totals["rouge1"] / n,
        rouge2=totals["rouge2"] / n,
        rougeL=totals["rougeL"] / n,
        verbatim_share=verbatim / sentences if sentences else 0.0,
        stories=len(stories),
        stories_per_second=len(stories) / elapsed,
    )


@click.command("summary")
@click.option("--format", "fmt", type=click.Choice(["neus"]), required=True, help="File format.")
@click.argument("file", type=click.Path(path_type=Path))
@json_option
@db_option
def eval_summary(fmt: str, file: Path, as_json: bool) -> None:
    """Summarize each gold story of FILE and score the summaries against the reference."""
    stories = list(read_neus(file))
    if not stories:
        raise InputError(f"{file}: no stories in the file")
    result = score_stories(stories, app_context().settings)
    if as_json:
        emit_json(asdict(result))
        return
    data: dict[str, Any] = asdict(result)
    for key, value in data.items():
        click.echo(f"{key:>18}: {value:.4f}" if isinstance(value, float) else f"{key:>18}: {value}")
