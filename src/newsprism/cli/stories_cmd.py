"""``newsprism stories`` and ``newsprism story ID``: story briefs and one story's page."""

from __future__ import annotations

from typing import Any

import click
from rich.console import Console
from rich.table import Table

from newsprism.analyze.views import list_stories, story_detail
from newsprism.cli.common import app_context, db_option, emit_json, json_option
from newsprism.cli.common import terminal_text as escape
from newsprism.errors import InputError
from newsprism.models import counted

SIDE_STYLE = {"left": "blue", "center": "magenta", "right": "red", "unrated": "dim"}


def _bias_line(bias: dict[str, int]) -> str:
    return "  ".join(
        f"[{SIDE_STYLE[s]}]{s.title()} {bias.get(s, 0)}[/]"
        for s in ("left", "center", "right", "unrated")
    )


@click.command("stories")
@click.option("--limit", type=click.IntRange(1, 10_000), default=20, show_default=True)
@json_option
@db_option
def stories(limit: int, as_json: bool) -> None:
    """Stories, newest activity first."""
    app = app_context()
    with app.db.read() as conn:
        found = list_stories(conn, limit=limit, order="recent")
    if as_json:
        emit_json(found)
        return
    console = Console(highlight=False)
    if not found:
        console.print("No stories yet: import or poll articles, then they are grouped here.")
        return
    table = Table(show_lines=False, caption="outlets by side: left/center/right/unrated")
    for name in ("id", "headline", "articles", "outlets", "L/C/R/U", "updated"):
        table.add_column(name, overflow="fold")
    for s in found:
        bias = s["bias"]
        headline = escape(s["headline"] or "(not analysed yet)")
        if s["blindspot"]:
            headline += f"  [yellow]blindspot for the {s['blindspot']['side']}[/]"
        table.add_row(
            str(s["id"]),
            headline,
            str(s["articles"]),
            str(s["outlets"]),
            "/".join(str(bias.get(k, 0)) for k in ("left", "center", "right", "unrated")),
            s["last_updated"] or "",
        )
    console.print(table)


def _print_story(detail: dict[str, Any]) -> None:
    console = Console(highlight=False)
    coverage = detail["coverage"]
    headline = escape(detail["headline"] or "(not analysed yet)")
    console.print(f"[bold]{headline}[/]  (story {detail['id']})")
    if detail.get("requested_id"):
        console.print(f"[dim]story {detail['requested_id']} was merged into this one[/]")
    console.print(
        f"{counted(coverage['articles'], 'article')} from {counted(coverage['outlets'], 'outlet')}"
        f" · {coverage['independent_reports']} independent, {counted(coverage['reposts'], 'repost')}"
        " · "
        f"first {coverage['first_published']} · last {coverage['last_updated']}"
    )
    console.print(_bias_line(coverage["bias"]) + "  (outlets; unrated apart)")
    if detail["blindspot"]:
        spot = detail["blindspot"]
        console.print(f"[yellow]Blindspot for the {spot['side']}:[/] {escape(spot['reason'])}")
    if detail["summary"]:
        console.print("\n[bold]Summary[/]")
        for bullet in detail["summary"]:
            cites = ", ".join(str(i) for i in bullet["article_ids"])
            console.print(f" • {escape(bullet['text'])} [dim]\\[{cites}][/]")
    if coverage["factuality"]:
        console.print(
            "\nFactuality: " + ", ".join(f"{k} {v}" for k, v in coverage["factuality"].items())
        )
    if coverage["ownership"]:
        console.print(
            "Ownership: " + ", ".join(f"{k} {v}" for k, v in coverage["ownership"].items())
        )
    words = (detail.get("framing") or {}).get("words") or {}
    for side in ("left", "center", "right"):
        if words.get(side):
            terms = escape(", ".join(w["term"] for w in words[side]))
            console.print(f"[{SIDE_STYLE[side]}]{side.title()} framing:[/] {terms}")
    if detail.get("tags"):
        console.print("Tags: " + escape(", ".join(t["name"] for t in detail["tags"])))
    table = Table(title="Articles", show_lines=False)
    for name in ("id", "outlet", "side", "factuality", "published", "title"):
        table.add_column(name, overflow="fold")
    for a in detail["articles"]:
        title = (
            ("[dim]Opinion:[/] " if a.get("opinion") else "")
            + escape(a["title"])
            + (f" [dim](repost of {a['repost_of']})[/]" if a["repost_of"] else "")
        )
        table.add_row(
            str(a["id"]),
            escape(a["outlet"] or ""),
            f"[{SIDE_STYLE[a['side']]}]{a['side']}[/]",
            a["factuality"] or "",
            a["published"] or "",
            title,
        )
    console.print(table)


@click.command("story")
@click.argument("story_id", type=int)
@json_option
@db_option
def story(story_id: int, as_json: bool) -> None:
    """One story: headline, cited summary, coverage details and articles."""
    app = app_context()
    with app.db.read() as conn:
        detail = story_detail(conn, story_id, app.settings)
    if detail is None:
        raise InputError(f"story {story_id}: no such story (see 'newsprism stories')")
    if as_json:
        emit_json(detail)
        return
    _print_story(detail)
