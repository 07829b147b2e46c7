"""``newsprism eval summary``: contract keys on a small NeuS file, and one-line input errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

STORY = {
    "cluster_id": "t-1",
    "docs": [
        {
            "title": "Storm hits Florida coast",
            "text": "A powerful storm hit the Florida coast on Monday. Thousands lost power.",
        },
        {
            "title": "Florida storm leaves thousands without power",
            "text": "Thousands of people lost power as a storm hit Florida. Schools closed.",
        },
    ],
    "neutral_title": "Storm hits Florida",
    "neutral_summary": "A storm hit the Florida coast on Monday, and thousands lost power.",
}


def test_eval_summary_prints_the_contract_keys(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "neus.jsonl"
    path.write_text(json.dumps(STORY) + "\n\n" + json.dumps(STORY) + "\n", encoding="utf-8")
    result = run_cli("eval", "summary", "--format", "neus", str(path), "--json")
    assert result.exit_code == 0, result.stderr
    scores = json.loads(result.stdout)
    assert {"rouge1", "rouge2", "rougeL", "verbatim_share", "stories"} <= set(scores)
    assert scores["stories"] == 2
    assert scores["verbatim_share"] == 1.0
    assert 0.3 < scores["rouge1"] <= 1.0
    plain = run_cli("eval", "summary", "--format", "neus", str(path))
    assert plain.exit_code == 0 and "rouge1" in plain.stdout


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"docs": "x", "neutral_summary": "s"}', "field 'docs' must be a non-empty list"),
        ('{"docs": ["x"], "neutral_summary": "s"}', "docs[0] must be an object"),
        ('{"docs": [{"title": 5}], "neutral_summary": "s"}', "docs[0]: 'title' and 'text' must"),
        ('{"docs": [{"title": " "}], "neutral_summary": "s"}', "docs[0] has neither title nor"),
        ('{"docs": [{"title": "t"}], "neutral_summary": 5}', "field 'neutral_summary' must be"),
        ('{"docs": [{"title": "t"}]}', "field 'neutral_summary' must be"),
        ("[1]", "expected an object"),
        ("{not json", "not valid JSON"),
        ('{"docs": ' + "[" * 100_000 + "]" * 100_000 + "}", "not valid JSON (nested too deeply)"),
    ],
)
def test_a_malformed_line_is_named_by_file_line_and_field(
    tmp_path: Path, run_cli, line: str, message: str
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(STORY) + "\n" + line + "\n", encoding="utf-8")
    result = run_cli("eval", "summary", "--format", "neus", str(path))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"newsprism: error: {path}:2: {message}"), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_missing_or_empty_file_is_a_clear_error(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    missing = run_cli("eval", "summary", "--format", "neus", str(tmp_path / "nope.jsonl"))
    assert missing.exit_code == 1 and "cannot read" in missing.stderr
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n", encoding="utf-8")
    result = run_cli("eval", "summary", "--format", "neus", str(empty))
    assert result.exit_code == 1 and "no stories in the file" in result.stderr
