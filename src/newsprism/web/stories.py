"""The story data the pages and the API show, from the analysis stage's views.

``newsprism.analyze.views`` owns what a story *is* (coverage, blindspot, framing…); this module
only reads it and derives what is purely presentational, such as each article's side for the
tabs and how many times an article was reposted.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import Connection, select

from newsprism.models import BIAS_LABELS, bias_step_label, side_for_bias
from newsprism.store.schema import articles as articles_table
from newsprism.web.present import SIDES, parse_time

_BIAS_BY_LABEL = {label.lower(): score for score, label in BIAS_LABELS.items()}


def top_stories(
    conn: Connection,
    *,
    limit: int,
    offset: int = 0,
    side: str | None = None,
    country: str | None = None,
    q: str | None = None,
) -> list[dict[str, Any]]:
    from newsprism.analyze import views

    return list(
        views.list_stories(conn, limit=limit, offset=offset, side=side, country=country, q=q)
    )


def story(conn: Connection, story_id: int) -> dict[str, Any] | None:
    from newsprism.analyze import views

    detail = views.story_detail(conn, story_id)
    return dict(detail) if detail is not None else None


def blindspot_stories(
    conn: Connection, *, side: str | None = None, limit: int = 50
) -> list[dict[str, Any]]:
    from newsprism.analyze import views

    return list(views.blindspots(conn, side=side, limit=limit))


def outlet_name(article: dict[str, Any]) -> str:
    outlet = article.get("outlet")
    if isinstance(outlet, dict):
        return str(outlet.get("name") or outlet.get("domain") or "Unknown outlet")
    return str(outlet or article.get("outlet_name") or "Unknown outlet")


def outlet_id(article: dict[str, Any]) -> int | None:
    outlet = article.get("outlet")
    value = outlet.get("id") if isinstance(outlet, dict) else article.get("outlet_id")
    return int(value) if isinstance(value, int) else None


def article_side(article: dict[str, Any]) -> str:
    """left | center | right | unrated, from whichever form the bias takes."""
    side = article.get("side")
    if side in SIDES:
        return str(side)
    bias = article.get("bias")
    if isinstance(bias, dict):
        bias = bias.get("score", bias.get("side"))
    if isinstance(bias, str):
        if bias in SIDES:
            return bias
        bias = _BIAS_BY_LABEL.get(bias.lower())
    if isinstance(bias, int | float):
        return side_for_bias(float(bias)) or "unrated"
    return "unrated"


def bias_label(article: dict[str, Any]) -> str | None:
    bias = article.get("bias")
    if isinstance(bias, dict):
        bias = bias.get("label", bias.get("score"))
    if isinstance(bias, int | float):
        return bias_step_label(float(bias))
    return str(bias) if bias else None


def prepared_articles(detail: dict[str, Any]) -> list[dict[str, Any]]:
    """The story's articles with side, outlet name and repost count resolved for display."""
    raw = [a for a in detail.get("articles") or [] if isinstance(a, dict)]
    reposts = Counter(a.get("repost_of") for a in raw if a.get("repost_of") is not None)
    prepared = []
    for article in raw:
        item = dict(article)
        item["side"] = article_side(article)
        item["outlet_name"] = outlet_name(article)
        item["outlet_id"] = outlet_id(article)
        item["bias_label"] = bias_label(article)
        item["reposted_by"] = int(article.get("reposted_by") or reposts.get(article.get("id"), 0))
        prepared.append(item)
    return prepared


def undated_article_ids(conn: Connection, story_id: int) -> set[int]:
    """The story's articles that carried no publication date; the analysis dates them by
    when they were imported, which the page must not pass off as a publication time."""
    rows = conn.execute(
        select(articles_table.c.id).where(
            articles_table.c.story_id == story_id, articles_table.c.published_at.is_(None)
        )
    )
    return {int(row.id) for row in rows}


def mark_dates(articles: list[dict[str, Any]], undated: set[int]) -> dict[str, Any]:
    """Flag each article's date as known or not; the story's latest publication date and, for
    its undated articles, their latest import time and count."""
    latest_dated = None
    latest_import = None
    for article in articles:
        article["date_known"] = article.get("id") not in undated
        when = parse_time(article.get("published"))
        if when is None:
            continue
        if article["date_known"]:
            latest_dated = max(latest_dated or when, when)
        else:
            latest_import = max(latest_import or when, when)
    return {
        "last_published": latest_dated,
        "last_imported": latest_import,
        "undated": sum(1 for a in articles if not a["date_known"]),
    }


def side_counts(articles: list[dict[str, Any]]) -> dict[str, int]:
    counts = Counter(a["side"] for a in articles)
    return {side: counts.get(side, 0) for side in (*SIDES, "unrated")}


def reading_snapshot(detail: dict[str, Any]) -> dict[str, Any]:
    """What a reading-history entry keeps: the story's lean and factuality when it was read."""
    bias = detail.get("bias") or {}
    return {
        "headline": detail.get("headline"),
        "bias": {side: int(bias.get(side) or 0) for side in (*SIDES, "unrated")},
        "factuality": {str(k): int(v or 0) for k, v in (detail.get("factuality") or {}).items()},
    }
