"""``newsprism eval cluster`` on small files of each format, and its errors on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsprism.eval.cluster_data import read_gold

FIXTURES = Path(__file__).with_name("fixtures") / "cluster"
KEYS = {
    "bcubed_precision",
    "bcubed_recall",
    "bcubed_f1",
    "pairwise_precision",
    "pairwise_recall",
    "pairwise_f1",
    "clusters",
    "gold_clusters",
    "articles",
    "articles_per_second",
}


@pytest.mark.parametrize(
    ("fmt", "name", "articles", "gold_clusters"),
    [
        ("neus", "neus_small.jsonl", 8, 3),
        ("miranda", "miranda_small.json", 9, 4),
        ("jsonl", "stories_small.jsonl", 8, 3),
    ],
)
def test_eval_cluster_prints_contract_keys_and_recovers_the_stories(
    run_cli, fmt: str, name: str, articles: int, gold_clusters: int
) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("eval", "cluster", "--format", fmt, str(FIXTURES / name), "--json")
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    assert set(out) == KEYS
    assert out["articles"] == articles
    assert out["gold_clusters"] == gold_clusters
    # Hand-made events with shared names: the clusterer must get them exactly right.
    assert out["bcubed_f1"] == pytest.approx(1.0)
    assert out["pairwise_f1"] == pytest.approx(1.0)
    assert out["clusters"] == gold_clusters
    assert out["articles_per_second"] > 0


def test_eval_cluster_plain_output_names_every_figure(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("eval", "cluster", "--format", "neus", str(FIXTURES / "neus_small.jsonl"))
    assert result.exit_code == 0, result.stderr
    for word in ("B³", "pairwise", "precision", "recall", "F1", "clusters", "articles/s"):
        assert word in result.stdout


def test_miranda_reader_maps_languages_and_dates() -> None:
    gold = read_gold(FIXTURES / "miranda_small.json", "miranda")
    assert {g.draft.language for g in gold} == {"en", "de"}
    assert all(g.draft.published_at is not None for g in gold)
    assert len({g.draft.url for g in gold}) == len(gold)


def test_identical_texts_stay_separate_gold_articles(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    doc = {"title": "Harbour budget passes", "text": "Parliament passed the harbour budget."}
    path = tmp_path / "twins.jsonl"
    path.write_text(json.dumps({"cluster_id": "x", "docs": [doc, doc]}) + "\n", encoding="utf-8")
    result = run_cli("eval", "cluster", "--format", "neus", str(path), "--json")
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["articles"] == 2
    assert out["bcubed_f1"] == pytest.approx(1.0)


def test_one_article_listed_under_two_gold_stories_is_scored_at_both(
    run_cli, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """A roundup may link the same report from two stories: the file's two lines are one stored
    article, which the scores count at both positions."""
    lines = [
        json.loads(line) for line in (FIXTURES / "stories_small.jsonl").read_text().splitlines()
    ]
    again = {**lines[0], "story": "elsewhere"}
    path = tmp_path / "twice.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in [*lines, again]), encoding="utf-8")
    result = run_cli("eval", "cluster", "--format", "jsonl", str(path), "--json")
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["articles"] == len(lines) + 1
    assert out["gold_clusters"] == 4
    # The repeated line joins its first copy's story, not the gold "elsewhere" of its own.
    assert out["bcubed_precision"] < 1.0
    assert out["clusters"] == 3


def test_gzipped_and_non_utf8_files_and_rejected_items_are_named(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import gzip

    plain = (FIXTURES / "stories_small.jsonl").read_bytes()
    packed = tmp_path / "stories.jsonl.gz"
    packed.write_bytes(gzip.compress(plain))
    result = run_cli("eval", "cluster", "--format", "jsonl", str(packed), "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["articles"] == 8
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes(plain.splitlines(keepends=True)[0] + "caf\u00e9\n".encode("latin-1"))
    result = run_cli("eval", "cluster", "--format", "jsonl", str(latin))
    assert result.exit_code == 1 and f"{latin}:2: not UTF-8 text" in result.stderr
    second_bad = tmp_path / "second.jsonl"
    good = json.loads(plain.splitlines()[0])
    second_bad.write_text(
        json.dumps(good) + "\n" + json.dumps({**good, "url": "notaurl"}) + "\n", encoding="utf-8"
    )
    result = run_cli("eval", "cluster", "--format", "jsonl", str(second_bad))
    assert result.exit_code == 1 and "item 1: article rejected by the store" in result.stderr


@pytest.mark.parametrize(
    ("fmt", "content", "message"),
    [
        ("neus", "{not json\n", "bad.txt:1: not valid JSON"),
        (
            "neus",
            '{"cluster_id": 1, "docs": []}\n',
            "bad.txt:1: field 'docs' must be a non-empty list",
        ),
        ("miranda", '{"a": 1}', "expected a JSON array"),
        ("miranda", '[{"title": "t", "text": "x"}]', "item 0: missing field 'cluster'"),
        (
            "miranda",
            '[{"title": "t", "text": "x", "cluster": 1, "date": "soon"}]',
            "item 0: field 'date'",
        ),
        (
            "jsonl",
            '{"url": "https://a.example/1", "title": "t", "text": "x"}\n',
            "missing field 'story'",
        ),
        ("jsonl", '{"title": "t", "text": "x", "story": 1}\n', "bad.txt:1: missing field 'url'"),
    ],
)
def test_bad_files_fail_with_one_line_naming_file_and_item(
    run_cli, tmp_path: Path, fmt: str, content: str, message: str
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bad.txt"
    path.write_text(content, encoding="utf-8")
    result = run_cli("eval", "cluster", "--format", fmt, str(path))
    assert result.exit_code == 1
    assert message in result.stderr
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_missing_file_and_unknown_format_are_refused(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    missing = run_cli("eval", "cluster", "--format", "neus", str(tmp_path / "nope.jsonl"))
    assert missing.exit_code == 1
    assert "no such file" in missing.stderr
    unknown = run_cli("eval", "cluster", "--format", "csv", str(tmp_path / "nope.jsonl"))
    assert unknown.exit_code == 2
