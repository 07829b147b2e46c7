"""Coverage details of one story: who covered it, from which side, how reliable, since when.

Outlets are counted once however many articles they ran. Sides come from each outlet's combined
lean (−3…+3 collapsed to left/center/right); unrated outlets are counted apart and left out of
the percentages, as readers of Ground News expect. Reposts (near duplicates of an earlier
article) count as articles but not as independent reports.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from newsprism.analyze.opinion import is_opinion
from newsprism.models import FACTUALITY_LABELS, OutletProfile
from newsprism.store.story_pages import StoryArticle
from newsprism.timeutil import iso

SIDES = ("left", "center", "right")
UNRATED = "unrated"
UNKNOWN_OWNERSHIP = "unknown"
UNRATED_FACTUALITY = "Unrated"


def outlet_side(profile: OutletProfile | None) -> str:
    side = profile.side if profile is not None else None
    return side or UNRATED


def _ordered(counts: Counter[str], order: Sequence[str]) -> dict[str, int]:
    rank = {key: i for i, key in enumerate(order)}
    return dict(sorted(counts.items(), key=lambda kv: (rank.get(kv[0], len(order)), kv[0])))


def _shares(counts: Mapping[str, int]) -> dict[str, float]:
    rated = sum(counts[s] for s in SIDES)
    return {s: round(counts[s] / rated, 4) if rated else 0.0 for s in SIDES}


def _timeline(
    articles: Sequence[StoryArticle], sides: Mapping[int | None, str]
) -> list[dict[str, Any]]:
    """Articles per hour and side, hours without articles left out."""
    bins: dict[datetime, Counter[str]] = {}
    for article in articles:
        hour = article.when.replace(minute=0, second=0, microsecond=0)
        bins.setdefault(hour, Counter())[sides[article.outlet_id]] += 1
    return [
        {"hour": iso(hour), **{side: counts[side] for side in (*SIDES, UNRATED)}}
        for hour, counts in sorted(bins.items())
    ]


def coverage_details(
    articles: Sequence[StoryArticle], profiles: Mapping[int, OutletProfile]
) -> dict[str, Any]:
    outlet_ids = sorted({a.outlet_id for a in articles if a.outlet_id is not None})
    sides: dict[int | None, str] = {None: UNRATED}
    sides.update({oid: outlet_side(profiles.get(oid)) for oid in outlet_ids})
    bias = Counter({side: 0 for side in (*SIDES, UNRATED)})
    factuality: Counter[str] = Counter()
    ownership: Counter[str] = Counter()
    countries: Counter[str] = Counter()
    for oid in outlet_ids:
        profile = profiles.get(oid)
        bias[sides[oid]] += 1
        factuality[(profile.factuality_label if profile else None) or UNRATED_FACTUALITY] += 1
        ownership[(profile.ownership if profile else None) or UNKNOWN_OWNERSHIP] += 1
        if profile is not None and profile.country:
            countries[profile.country.lower()] += 1
    articles_by_side = Counter({side: 0 for side in (*SIDES, UNRATED)})
    for article in articles:
        articles_by_side[sides[article.outlet_id]] += 1
    reposts = sum(1 for a in articles if a.repost_of is not None)
    opinion = {a.id for a in articles if is_opinion(a.url, a.title, a.lede)}
    # A column argues about the news; the first report broke it (a story of columns only has
    # its first column).
    reports = [a for a in articles if a.id not in opinion] or list(articles)
    broke = min(reports, key=lambda a: (a.when, a.id), default=None)
    first = min(articles, key=lambda a: (a.when, a.id), default=None)
    last = max(articles, key=lambda a: (a.when, a.id), default=None)
    return {
        "articles": len(articles),
        "outlets": len(outlet_ids),
        "independent_reports": len(articles) - reposts,
        "reposts": reposts,
        "opinion_pieces": len(opinion),
        "bias": dict(bias),
        "bias_share": _shares(bias),
        "rated_outlets": sum(bias[s] for s in SIDES),
        "articles_by_side": dict(articles_by_side),
        "factuality": _ordered(factuality, [*reversed(FACTUALITY_LABELS), UNRATED_FACTUALITY]),
        "ownership": dict(sorted(ownership.items(), key=lambda kv: (-kv[1], kv[0]))),
        "countries": dict(sorted(countries.items(), key=lambda kv: (-kv[1], kv[0]))),
        "first_published": iso(first.when) if first else None,
        "last_updated": iso(last.when) if last else None,
        "broke_the_news": _report(broke, profiles) if broke else None,
        "latest_report": _report(last, profiles) if last else None,
        "timeline": _timeline(articles, sides),
    }


def _report(article: StoryArticle, profiles: Mapping[int, OutletProfile]) -> dict[str, Any]:
    profile = profiles.get(article.outlet_id) if article.outlet_id is not None else None
    return {
        "article_id": article.id,
        "title": article.title,
        "outlet_id": article.outlet_id,
        "outlet": profile.name if profile else article.source_name,
        "published": iso(article.when),
        "date_known": article.published_at is not None,
    }
