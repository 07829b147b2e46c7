"""What a story *is* for readers: the dicts the CLI, the web pages and the JSON API show.

``list_stories`` and ``blindspots`` return **story briefs**; ``story_detail`` returns a brief
plus the page's content. Times are ISO 8601 strings in UTC (``…Z``) or null.

Story brief (``newsprism stories --json``)::

    id                int
    headline          str | None      chosen by newsprism.summarize.headline
    articles          int             articles in the story (reposts included)
    outlets           int             distinct outlets
    independent_reports int           articles that are not reposts
    bias              {"left", "center", "right", "unrated": int}   outlet counts
    bias_share        {"left", "center", "right": float}  shares of *rated* outlets (0…1)
    factuality        {label: int}    outlets per factuality label ("High", …, "Unrated")
    ownership         {category: int} outlets per ownership category ("unknown" when none)
    countries         {iso2: int}     outlets per country (outlets without one left out)
    blindspot         None | {"side": "left"|"right", "reason": str}
    first_published   str | None      the earliest article
    last_updated      str | None      the latest article
    tags              [{"name", "kind", "articles", "search"}]  kind: person | organisation |
                                      place | other; search: a /search?q= link
    rank_score        float | None    coverage + recency (higher first)
    analyzed          bool            False until the analysis step has seen the story

Story detail (``newsprism story ID --json``), the brief's keys plus::

    articles          [article]       (replaces the count; the count is in coverage)
    summary           [{"text": str, "article_ids": [int]}]   3–5 cited bullets
    summary_method    "extractive" | "llm" | None
    summary_written_at str | None
    summary_versions  int             how many summaries the story has had
    coverage          {"articles", "outlets", "independent_reports", "reposts", "opinion_pieces",
                       "bias", "bias_share", "rated_outlets", "articles_by_side", "factuality",
                       "ownership", "countries", "first_published", "last_updated",
                       "broke_the_news": report | None, "latest_report": report | None,
                       "timeline": [{"hour", "left", "center", "right", "unrated"}]}
                      report = {"article_id", "title", "outlet_id", "outlet", "published"}
    timeline          the same list as coverage.timeline (articles per hour and side)
    framing           {"method": str, "words": {side: [{"term", "z", "count"}]}}
    headlines_by_side {side: [{"id", "title", "outlet"}]}   side incl. "unrated"
    explanations      {article id (str): the clusterer's explanation}
    headline_article_id int | None
    language          str | None

Article (in a detail)::

    id, url, title, snippet (first 280 characters of the text), published,
    outlet (name), outlet_id, outlet_domain, country,
    bias (combined score −3…+3 or None), bias_label ("Lean Left"…), side (left | center |
    right | unrated), factuality (label or None), ownership (category or None),
    repost_of (article id or None), reposted_by (reposts of it in this story),
    opinion (a column, op-ed or editorial, by its address, label or note),
    explanation (the clusterer's, or None), cluster_score

Coverage, bias, factuality and ownership in a detail are computed from the current articles and
ratings when the page is read, so they always agree with the article list; the blindspot flag,
framing, tags and headlines come from the last analysis (the blindspot is computed on the spot,
with ``settings`` or the defaults, when the story was never analysed or ``settings`` is given).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection

from newsprism.analyze.blindspots import BlindspotRules, find_blindspot
from newsprism.analyze.coverage import coverage_details, outlet_side
from newsprism.analyze.opinion import is_opinion
from newsprism.config import Settings
from newsprism.models import OutletProfile, bias_step_label
from newsprism.registry.profiles import outlet_profiles
from newsprism.store.stories import resolve_story_id
from newsprism.store.story_pages import (
    StoryArticle,
    latest_summary,
    list_story_rows,
    story_articles,
    story_row,
    summary_versions,
)
from newsprism.summarize.extractive import lede_sentences
from newsprism.timeutil import iso

SNIPPET_CHARS = 280


def snippet(lede: str) -> str:
    """The start of the article as a reader meets it: its lede sentences, without the photo
    credits, players, time stamps and repeated headline that extraction leaves at the top."""
    head = lede[: SNIPPET_CHARS * 4]
    text = " ".join(lede_sentences(head)) or head
    return " ".join(text.split())[:SNIPPET_CHARS]


_EMPTY_BIAS = {"left": 0, "center": 0, "right": 0, "unrated": 0}


def _brief(row: Any, coverage: Mapping[str, Any] | None, blindspot: Any) -> dict[str, Any]:
    analysis = row.analysis or {}
    coverage = coverage or analysis.get("coverage") or {}
    return {
        "id": int(row.id),
        "headline": row.headline,
        "articles": int(coverage.get("articles", row.article_count or 0)),
        "outlets": int(coverage.get("outlets", row.outlet_count or 0)),
        "independent_reports": int(coverage.get("independent_reports", row.article_count or 0)),
        "bias": dict(coverage.get("bias") or _EMPTY_BIAS),
        "bias_share": dict(
            coverage.get("bias_share") or {"left": 0.0, "center": 0.0, "right": 0.0}
        ),
        "factuality": dict(coverage.get("factuality") or {}),
        "ownership": dict(coverage.get("ownership") or {}),
        "countries": dict(coverage.get("countries") or {}),
        "blindspot": blindspot,
        "first_published": coverage.get("first_published") or iso(row.first_published),
        "last_updated": coverage.get("last_updated") or iso(row.last_updated),
        "tags": list(analysis.get("tags") or []),
        "rank_score": row.rank_score,
        "analyzed": row.analyzed_at is not None,
    }


def list_stories(
    conn: Connection,
    *,
    limit: int,
    offset: int = 0,
    side: str | None = None,
    country: str | None = None,
    q: str | None = None,
    order: str = "rank",
) -> list[dict[str, Any]]:
    """Story briefs, best ranked first (``order="recent"``: latest activity first).

    ``side``: only stories covered by that side; ``country``: only stories with an outlet from
    that country (ISO 3166-1 alpha-2); ``q``: stories whose articles or headline match.
    """
    rows = list_story_rows(
        conn, limit=limit, offset=offset, side=side, country=country, q=q, order=order
    )
    return [_brief(row, None, (row.analysis or {}).get("blindspot")) for row in rows]


def blindspots(conn: Connection, side: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
    """Briefs of stories that are a blindspot (for ``side`` when given), best ranked first."""
    rows = list_story_rows(conn, limit=limit, blindspots_only=True, blindspot_side=side)
    return [_brief(row, None, (row.analysis or {}).get("blindspot")) for row in rows]


def _article_dict(
    article: StoryArticle, profile: OutletProfile | None, reposted_by: int
) -> dict[str, Any]:
    bias = profile.bias_score if profile else None
    return {
        "id": article.id,
        "url": article.url,
        "title": article.title,
        "snippet": snippet(article.lede),
        # Its publication date, else when it was found: ``date_known`` tells which.
        "published": iso(article.when),
        "date_known": article.published_at is not None,
        "outlet": profile.name if profile else article.source_name,
        "outlet_id": article.outlet_id,
        "outlet_domain": profile.domain if profile else None,
        "country": profile.country if profile else None,
        "bias": round(bias, 2) if bias is not None else None,
        "bias_label": bias_step_label(bias) if bias is not None else None,
        "side": outlet_side(profile),
        "factuality": profile.factuality_label if profile else None,
        "ownership": profile.ownership if profile else None,
        "repost_of": article.repost_of,
        "reposted_by": reposted_by,
        "opinion": is_opinion(article.url, article.title, article.lede),
        "explanation": article.explanation,
        "cluster_score": article.cluster_score,
    }


def _summary(conn: Connection, story_id: int, article_ids: set[int]) -> dict[str, Any]:
    row = latest_summary(conn, story_id)
    bullets = []
    for bullet in (row.bullets if row else None) or []:
        # An article may have left the story since (a merge or re-assignment): cite what remains.
        cited = [i for i in bullet.get("article_ids", []) if i in article_ids]
        if cited:
            bullets.append({"text": bullet["text"], "article_ids": cited})
    return {
        "summary": bullets,
        "summary_method": row.method if row else None,
        "summary_written_at": iso(row.created_at) if row else None,
        "summary_versions": summary_versions(conn, story_id),
    }


def story_detail(
    conn: Connection, story_id: int, settings: Settings | None = None
) -> dict[str, Any] | None:
    """The full story (see the module docstring); None for an unknown id.

    A merged story's id gives its survivor's detail (``id`` says which).
    """
    resolved = resolve_story_id(conn, story_id)
    row = story_row(conn, resolved) if resolved is not None else None
    if row is None:
        return None
    articles = story_articles(conn, int(row.id))
    profiles = outlet_profiles(conn, {a.outlet_id for a in articles if a.outlet_id is not None})
    coverage = coverage_details(articles, profiles)
    analysis = row.analysis or {}
    if row.analyzed_at is not None:
        # The flag the listings show, computed by the analysis with its configuration: the page,
        # the API and `newsprism story` must not disagree with the lists on it.
        blindspot = analysis.get("blindspot")
    else:
        # Not analysed yet: computed now, with the caller's thresholds where it has them.
        rules = BlindspotRules.from_settings(settings or Settings())
        blindspot = find_blindspot(articles, profiles, rules)
    reposts = Counter(a.repost_of for a in articles if a.repost_of is not None)
    detail = _brief(row, coverage, blindspot)
    detail.update(
        {
            "articles": [
                _article_dict(
                    a,
                    profiles.get(a.outlet_id) if a.outlet_id is not None else None,
                    reposts.get(a.id, 0),
                )
                for a in sorted(articles, key=lambda a: (a.when, a.id))
            ],
            "coverage": coverage,
            "timeline": coverage["timeline"],
            "framing": analysis.get("framing") or {"method": None, "words": {}},
            "headlines_by_side": analysis.get("headlines_by_side")
            or {side: [] for side in (*_EMPTY_BIAS,)},
            "explanations": {str(a.id): a.explanation for a in articles if a.explanation},
            "headline_article_id": row.headline_article_id,
            "language": row.language,
        }
    )
    detail.update(_summary(conn, int(row.id), {a.id for a in articles}))
    if resolved != story_id:
        detail["requested_id"] = story_id
    return detail
