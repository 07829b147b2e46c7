"""``newsprism stats``: what the store holds."""

from __future__ import annotations

import click

from newsprism.cli.common import app_context, db_option, emit_json, json_option


@click.command("stats")
@json_option
@db_option
def stats(as_json: bool) -> None:
    """Counts of outlets, feeds, articles, stories and ratings (per provider)."""
    from newsprism.store.stats import store_counts

    app = app_context()
    with app.db.read() as conn:
        counts = store_counts(conn)
    if as_json:
        emit_json(counts)
        return
    ratings = counts["ratings"]
    rating_text = ", ".join(f"{p} {n}" for p, n in ratings.items()) or "none"
    lines = [
        ("outlets", f"{counts['outlets']} ({counts['outlets_with_articles']} with articles)"),
        (
            "feeds",
            f"{counts['feeds']} ({counts['feeds_enabled']} enabled, "
            f"{counts['feeds_failing']} failing)",
        ),
        (
            "articles",
            f"{counts['articles']} ({counts['reposts']} reposts, "
            f"{counts['articles_unclustered']} not yet in a story, "
            f"{counts['articles_without_date']} without a date)",
        ),
        ("stories", f"{counts['stories']} ({counts['stories_merged']} merged into others)"),
        ("ratings", f"{sum(ratings.values())} ({rating_text})"),
        ("published", f"{counts['first_published'] or '-'} … {counts['last_published'] or '-'}"),
    ]
    languages = ", ".join(f"{code} {n}" for code, n in counts["languages"].items())
    if languages:
        lines.append(("languages", languages))
    for label, value in lines:
        click.echo(f"{label:<10} {value}")
