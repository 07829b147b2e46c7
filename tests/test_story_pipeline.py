"""From imported articles to story pages: import, cluster, refresh, then the story commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

DOMAINS = ("leftpaper.com", "centerwire.com", "rightpost.com")


@pytest.mark.slow
def test_imported_neus_stories_get_headlines_cited_summaries_and_coverage(
    shared_data: Path, tmp_path: Path, run_cli
) -> None:  # type: ignore[no-untyped-def]
    source = shared_data / "eval" / "neus" / "neus_val_clusters.jsonl"
    lines = []
    with source.open(encoding="utf-8") as handle:
        for n, line in zip(range(6), handle, strict=False):
            row = json.loads(line)
            for side, doc in enumerate(row["docs"]):
                lines.append(
                    {
                        "url": f"https://{DOMAINS[side]}/{n}/{side}",
                        "title": doc["title"],
                        "text": doc["text"],
                        "published": f"2026-03-0{1 + n % 5}T1{side}:00:00Z",
                        "source_url": DOMAINS[side],
                    }
                )
    path = tmp_path / "articles.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    imported = run_cli("import", str(path))
    assert imported.exit_code == 0, imported.stderr
    listed = run_cli("stories", "--json", "--limit", "50")
    assert listed.exit_code == 0, listed.stderr
    stories = json.loads(listed.stdout)
    assert stories and sum(s["articles"] for s in stories) == len(lines)
    for brief in stories:
        detail = json.loads(run_cli("story", str(brief["id"]), "--json").stdout)
        assert detail["headline"] in {a["title"] for a in detail["articles"]}
        ids = {a["id"] for a in detail["articles"]}
        assert detail["summary"], f"story {brief['id']} has no summary"
        assert all(set(b["article_ids"]) <= ids and b["article_ids"] for b in detail["summary"])
        assert detail["coverage"]["articles"] == len(detail["articles"])
        assert sum(detail["bias"].values()) == detail["outlets"]


def test_a_ratings_import_has_the_stories_of_its_outlets_analysed_again(
    tmp_path: Path, run_cli
) -> None:  # type: ignore[no-untyped-def]
    article = {
        "url": "https://www.rightpost.com/politics/x1",
        "title": "Senate passes the budget bill",
        "text": "The Senate passed the budget bill on Tuesday after a long debate.",
        "source_url": "rightpost.com",
        "published": "2026-03-02T10:00:00Z",
    }
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(article) + "\n", encoding="utf-8")
    assert run_cli("import", str(path)).exit_code == 0
    [before] = json.loads(run_cli("stories", "--json").stdout)
    assert before["bias"]["unrated"] == 1
    ratings = tmp_path / "r.csv"
    ratings.write_text("domain,bias,factuality\nrightpost.com,2,2\n", encoding="utf-8")
    imported = run_cli("ratings", "import", "--provider", "csv", str(ratings))
    assert imported.exit_code == 0, imported.stderr
    assert "1 stories to analyse again" in imported.stdout
    # A poll with nothing new still analyses the waiting stories.
    polled = run_cli("poll", "--once")
    assert polled.exit_code == 0, polled.stderr
    assert "1 story pages refreshed" in polled.stdout
    [after] = json.loads(run_cli("stories", "--json").stdout)
    assert after["bias"]["right"] == 1 and after["bias"]["unrated"] == 0


def test_an_undated_article_is_marked_so_in_the_story_json(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    lines = [
        {
            "url": "https://rightpost.com/politics/undated",
            "title": "Senate passes the budget bill after a long debate",
            "text": "The Senate passed the budget bill on Tuesday after a long debate.",
            "source_url": "rightpost.com",
        },
        {
            "url": "https://leftpaper.com/politics/dated",
            "title": "Senate passes budget bill after long debate on Tuesday",
            "text": "The Senate passed the budget bill on Tuesday after a long debate in the chamber.",
            "source_url": "leftpaper.com",
            "published": "2026-03-02T10:00:00Z",
        },
    ]
    path = tmp_path / "two.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    assert run_cli("import", str(path)).exit_code == 0
    details = [
        json.loads(run_cli("story", str(brief["id"]), "--json").stdout)
        for brief in json.loads(run_cli("stories", "--json").stdout)
    ]
    known = {a["url"]: a["date_known"] for d in details for a in d["articles"]}
    assert known == {lines[0]["url"]: False, lines[1]["url"]: True}
    for detail in details:
        broke = detail["coverage"]["broke_the_news"]
        article = next(a for a in detail["articles"] if a["id"] == broke["article_id"])
        assert broke["date_known"] is article["date_known"]
