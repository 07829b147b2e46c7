"""``newsprism stats``: counts of what the store holds."""

from __future__ import annotations

import json

from sqlalchemy import insert

from newsprism.config import Settings
from newsprism.models import ArticleDraft
from newsprism.store.articles import add_articles
from newsprism.store.database import Database
from newsprism.store.schema import ratings, stories
from newsprism.timeutil import utcnow


def test_stats_counts_outlets_articles_stories_and_ratings_per_provider(
    db: Database, settings: Settings, run_cli
) -> None:  # type: ignore[no-untyped-def]
    text = "The committee met on Monday to discuss the harbour plan and its costs. " * 10
    result = add_articles(
        db,
        [
            ArticleDraft(url="https://one.com/a", title="A", text=text),
            ArticleDraft(url="https://two.com/b", title="B", text=text),
            ArticleDraft(url="https://two.com/c", title="C", text="Short note on the harbour."),
        ],
        settings,
    )
    now = utcnow()
    with db.write() as conn:
        outlet_id = conn.execute(insert(stories).values(created_at=now, updated_at=now))
        conn.execute(
            insert(stories).values(
                created_at=now, updated_at=now, merged_into=outlet_id.inserted_primary_key[0]
            )
        )
        for provider in ("mbfc", "allsides"):
            conn.execute(
                insert(ratings).values(
                    outlet_id=1, provider=provider, imported_at=now, extra={}, bias_score=0.0
                )
            )
    cli = run_cli("stats", "--json")
    assert cli.exit_code == 0, cli.stderr
    counts = json.loads(cli.stdout)
    assert counts["outlets"] == 2
    assert counts["feeds"] == 0
    assert counts["articles"] == len(result.added_ids) == 3
    assert counts["stories"] == 1 and counts["stories_merged"] == 1
    assert counts["ratings"] == {"allsides": 1, "mbfc": 1}
    assert counts["reposts"] == 1
    assert counts["articles_unclustered"] == 3
    assert counts["languages"] == {"en": 3}
    text_out = run_cli("stats")
    assert text_out.exit_code == 0
    assert "articles   3 (1 reposts" in text_out.stdout
    assert "ratings    2 (allsides 1, mbfc 1)" in text_out.stdout


def test_stats_on_an_empty_store(run_cli) -> None:  # type: ignore[no-untyped-def]
    cli = run_cli("stats", "--json")
    counts = json.loads(cli.stdout)
    assert {k: counts[k] for k in ("outlets", "feeds", "articles", "stories", "ratings")} == {
        "outlets": 0,
        "feeds": 0,
        "articles": 0,
        "stories": 0,
        "ratings": {},
    }


def test_a_typed_db_wins_over_the_environment_before_and_after_the_command(
    tmp_path, monkeypatch, run_cli
) -> None:  # type: ignore[no-untyped-def]
    elsewhere = tmp_path / "environment.db"
    monkeypatch.setenv("NEWSPRISM_DB", str(elsewhere))
    typed = tmp_path / "typed.db"
    for argv in (["--db", str(typed), "stats", "--json"], ["stats", "--db", str(typed), "--json"]):
        result = run_cli(*argv, db=False)
        assert result.exit_code == 0, result.stderr
    assert typed.exists() and not elsewhere.exists()
    assert run_cli("stats", "--json", db=False).exit_code == 0
    assert elsewhere.exists()  # without --db, the environment's store
