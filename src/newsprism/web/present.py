"""Turning story data into what templates draw: bar segments, distributions, times, SVG timeline.

Charts are plain markup with CSS classes (no inline style, no script) so that they render under
the strict Content-Security-Policy and without JavaScript; every segment carries its label.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from markupsafe import Markup, escape

from newsprism.domains import is_web_address
from newsprism.models import FACTUALITY_LABELS, OWNERSHIP_CATEGORIES, counted
from newsprism.timeutil import as_utc, utcnow

SIDES = ("left", "center", "right")
SIDE_LABELS = {"left": "Left", "center": "Center", "right": "Right", "unrated": "Unrated"}
SIDE_SHORT = {"left": "L", "center": "C", "right": "R"}
OWNERSHIP_LABELS = {
    "independent": "Independent",
    "corporation": "Corporation",
    "private_equity": "Private equity",
    "individual": "Billionaire / individual",
    "government": "Government / state",
    "public_broadcaster": "Public broadcaster",
    "non_profit": "Non-profit",
    "other": "Other",
    "unknown": "Unknown",
}


@dataclass(frozen=True)
class Segment:
    key: str
    label: str
    count: int
    pct: int  # rounded share of the rated total, 0…100

    @property
    def width_class(self) -> str:
        return f"w-{max(0, min(100, self.pct))}"


def web_link(url: Any) -> str:
    """``url`` when it is an absolute http(s) address, else "": an imported rating, an OPML
    outline or a stored feed could carry a "javascript:" or "data:" address, and a page links
    only to the web."""
    return url if isinstance(url, str) and is_web_address(url) else ""


def _as_int(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def rounded_shares(counts: list[int]) -> list[int]:
    """Whole percentages of ``counts``: each share rounded down or up, equal counts showing
    equal percentages, adding up to 100 whenever that allows, and never to more.

    Largest remainder: every share starts rounded down and the points missing from 100 go to
    the shares that lost the most. Equal counts take a point all together or not at all, so
    which sides gain one never depends on their order. When equal counts make 100 impossible
    the display stays equal and falls short: 1:1:1 reads 33/33/33 (not 34/33/33) and 1:1:6
    reads 12/12/75 (not 13/12/75); rounding both 12.5s up instead would reach 101 and
    overflow the bar. Bars stretch their segments over the missing point.
    """
    total = sum(counts)
    if total <= 0:
        return [0 for _ in counts]
    # Integer arithmetic: equal counts get exactly equal remainders.
    shares = [count * 100 // total for count in counts]
    remainders = [count * 100 % total for count in counts]
    missing = 100 - sum(shares)
    groups: dict[int, list[int]] = {}
    for index, count in enumerate(counts):
        if remainders[index]:  # an exact share is never rounded up
            groups.setdefault(count, []).append(index)
    # Largest remainder first, then the larger count: a fixed order for equal remainders.
    ordered = sorted(groups.values(), key=lambda g: (-remainders[g[0]], -counts[g[0]]))
    # 0/1 knapsack over the groups: for each number of points handed out, the choice of groups
    # with the largest total remainder (the smallest rounding error). Few sides, so tiny.
    best: dict[int, tuple[int, tuple[int, ...]]] = {0: (0, ())}
    for position, members in enumerate(ordered):
        gain = remainders[members[0]] * len(members)
        for points, (score, chosen) in sorted(best.items(), reverse=True):
            reached = points + len(members)
            if reached <= missing and (reached not in best or score + gain > best[reached][0]):
                best[reached] = (score + gain, (*chosen, position))
    for position in best[max(best)][1]:
        for index in ordered[position]:
            shares[index] += 1
    return shares


def side_segments(bias: Mapping[str, Any] | None) -> list[Segment]:
    """Left/center/right segments over rated outlets; unrated outlets are counted apart."""
    bias = bias or {}
    counts = [_as_int(bias.get(side)) for side in SIDES]
    shares = rounded_shares(counts)
    return [
        Segment(side, SIDE_LABELS[side], count, pct)
        for side, count, pct in zip(SIDES, counts, shares, strict=True)
    ]


def rated_total(bias: Mapping[str, Any] | None) -> int:
    return sum(_as_int((bias or {}).get(side)) for side in SIDES)


def _label_order(kind: str) -> list[str]:
    if kind == "factuality":
        return [*reversed(FACTUALITY_LABELS), "Unrated", "Unknown"]
    return [*OWNERSHIP_CATEGORIES, "unknown"]


def distribution(values: Mapping[str, Any] | None, kind: str) -> list[Segment]:
    """Factuality or ownership counts as bars, in the scale's own order, shares of the total."""
    items = [(str(k), _as_int(v)) for k, v in (values or {}).items() if _as_int(v) > 0]
    order = _label_order(kind)
    rank = {label.lower(): i for i, label in enumerate(order)}
    items.sort(key=lambda kv: (rank.get(kv[0].lower(), len(order)), kv[0]))
    shares = rounded_shares([count for _k, count in items])
    labels = OWNERSHIP_LABELS if kind == "ownership" else {}
    return [
        Segment(
            _slug(key),
            labels.get(key, key.replace("_", " ").title() if kind != "factuality" else key),
            count,
            pct,
        )
        for (key, count), pct in zip(items, shares, strict=True)
    ]


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text.lower()).strip("-") or "none"


def date_only(when: datetime) -> bool:
    """Whether ``when`` stands for a calendar day rather than a moment.

    A feed or import that gives a bare date ("2016-09-20") is stored as midnight UTC, and the
    store keeps nothing that tells it apart from a report published at exactly 00:00:00 UTC.
    Such a time is therefore shown as the date alone: a report really published on the stroke
    of midnight loses its "00:00", while the far more common date-only value is no longer
    passed off as a time nobody gave.
    """
    return when.hour == when.minute == when.second == when.microsecond == 0


def ago(value: datetime | str | None, now: datetime | None = None) -> str:
    when = parse_time(value)
    if when is None:
        return "date unknown"
    now = now or utcnow()
    seconds = (now - when).total_seconds()
    if seconds < 0:
        return when.strftime("%d %b %Y")
    if date_only(when):
        # A calendar day: counted in days, not in hours since its midnight.
        days = (now.date() - when.date()).days
        if days < 7:
            return "today" if days == 0 else "yesterday" if days == 1 else f"{days} days ago"
        return when.strftime("%d %b %Y")
    if seconds < 90:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86400:
        hours = int(seconds // 3600)
        return f"{hours} hour{'s' if hours != 1 else ''} ago"
    if seconds < 7 * 86400:
        days = int(seconds // 86400)
        return f"{days} day{'s' if days != 1 else ''} ago"
    return when.strftime("%d %b %Y")


def parse_time(value: datetime | str | None) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return as_utc(value)
    try:
        return as_utc(datetime.fromisoformat(str(value).replace("Z", "+00:00")))
    except ValueError:
        return None


def iso_time(value: datetime | str | None) -> str:
    """A ``<time datetime>`` value: the day alone for a date without a time (see date_only)."""
    when = parse_time(value)
    if when is None:
        return ""
    return when.date().isoformat() if date_only(when) else when.isoformat().replace("+00:00", "Z")


def long_time(value: datetime | str | None) -> str:
    """Day and time in UTC, as "08 Oct 2015, 14:05 UTC"; for a date without a time (see
    date_only), the day alone: "08 Oct 2015"."""
    when = parse_time(value)
    if when is None:
        return "unknown"
    return when.strftime("%d %b %Y" if date_only(when) else "%d %b %Y, %H:%M UTC")


# --- timeline ------------------------------------------------------------------------------

_TL_WIDTH, _TL_HEIGHT = 360, 180
_TL_LEFT, _TL_BOTTOM, _TL_TOP = 28, 24, 10
# Bins from one hour up to one week, picked so a story's whole life fits in ≤ 36 bars (readable in the side column).
_BIN_HOURS = (1, 2, 3, 6, 12, 24, 48, 168)
_MAX_BINS = 36


def timeline_points(articles: Iterable[Mapping[str, Any]]) -> list[tuple[datetime, str]]:
    points = []
    for article in articles:
        when = parse_time(article.get("published"))
        if when is not None:
            side = article.get("side") or "unrated"
            points.append((when, side if side in SIDES else "unrated"))
    return points


def timeline_svg(points: list[tuple[datetime, str]], label: str = "Articles over time") -> Markup:
    """Stacked bars of articles per time bin and side, as inline SVG with text labels."""
    if not points:
        return Markup("")
    start = min(p[0] for p in points)
    end = max(p[0] for p in points)
    span_h = max(1.0, (end - start).total_seconds() / 3600)
    bin_h = next((h for h in _BIN_HOURS if span_h / h <= _MAX_BINS), _BIN_HOURS[-1])
    if all(date_only(p[0]) for p in points):
        bin_h = max(bin_h, 24)  # calendar days only: hour bars would all stand at midnight
    origin = start.replace(minute=0, second=0, microsecond=0)
    if bin_h >= 24:
        origin = origin.replace(hour=0)
    bins: dict[int, Counter[str]] = {}
    for when, side in points:
        index = int((when - origin).total_seconds() // (bin_h * 3600))
        bins.setdefault(index, Counter())[side] += 1
    n_bins = max(bins) + 1
    tallest = max(sum(c.values()) for c in bins.values())
    plot_w = _TL_WIDTH - _TL_LEFT - 8
    plot_h = _TL_HEIGHT - _TL_BOTTOM - _TL_TOP
    bar_w = plot_w / n_bins
    parts = [
        f'<svg class="timeline" viewBox="0 0 {_TL_WIDTH} {_TL_HEIGHT}" role="img" '
        f'aria-labelledby="tl-title tl-desc" preserveAspectRatio="xMidYMid meet">',
        f'<title id="tl-title">{escape(label)}</title>',
        f'<desc id="tl-desc">{counted(len(points), "article")}, one bar per '
        f"{counted(bin_h, 'hour')}, stacked by side: left, center, right, unrated.</desc>",
    ]
    for tick in sorted({0, tallest // 2, tallest}):
        y = _TL_TOP + plot_h - plot_h * tick / tallest
        parts.append(
            f'<line class="tl-grid" x1="{_TL_LEFT}" x2="{_TL_WIDTH - 8}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="tl-axis" x="{_TL_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{tick}</text>'
        )
    for index, counts in sorted(bins.items()):
        x = _TL_LEFT + index * bar_w
        y = _TL_TOP + plot_h
        when = origin + timedelta(hours=index * bin_h)
        tip = ", ".join(
            f"{counts[s]} {SIDE_LABELS[s].lower()}" for s in (*SIDES, "unrated") if counts[s]
        )
        bin_start = when.strftime("%d %b" if bin_h >= 24 else "%d %b %H:%M UTC")
        parts.append(f"<g><title>{bin_start}: {escape(tip)}</title>")
        for side in (*SIDES, "unrated"):
            if not counts[side]:
                continue
            h = plot_h * counts[side] / tallest
            y -= h
            parts.append(
                f'<rect class="tl-{side}" x="{x + bar_w * 0.12:.1f}" y="{y:.1f}" '
                f'width="{max(1.0, bar_w * 0.76):.1f}" height="{h:.1f}"/>'
            )
        parts.append("</g>")
    fmt = "%d %b" if bin_h >= 24 or span_h > 48 else "%d %b %H:%M"
    for frac, anchor in ((0.0, "start"), (1.0, "end")):
        when = origin + timedelta(hours=bin_h * (n_bins * frac))
        x = _TL_LEFT + plot_w * frac
        parts.append(
            f'<text class="tl-axis" x="{x:.1f}" y="{_TL_HEIGHT - 8}" text-anchor="{anchor}">'
            f"{when.strftime(fmt)}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


# --- framing and tags: accept the analysis stage's plain shapes ----------------------------

_WORD_KEYS = ("words", "terms", "phrases", "distinctive", "top_words")
_HEADLINE_KEYS = ("headlines", "titles")


def _term(item: Any) -> str | None:
    if isinstance(item, str):
        return item
    if isinstance(item, dict):
        for key in ("term", "word", "phrase", "text", "name"):
            if item.get(key):
                return str(item[key])
    if isinstance(item, list | tuple) and item:
        return str(item[0])
    return None


def _headline(item: Any) -> dict[str, Any] | None:
    if isinstance(item, str):
        return {"title": item, "outlet": None, "id": None}
    if isinstance(item, dict) and (item.get("title") or item.get("headline")):
        outlet = item.get("outlet")
        if isinstance(outlet, dict):
            outlet = outlet.get("name")
        return {
            "title": str(item.get("title") or item.get("headline")),
            "outlet": outlet or item.get("outlet_name"),
            "id": item.get("id") or item.get("article_id"),
        }
    return None


def framing_columns(
    framing: Any, headlines_by_side: Any = None, max_words: int = 10, max_heads: int = 4
) -> list[dict[str, Any]]:
    """Per side: the words that set its coverage apart and its headlines, for three columns."""
    framing = framing if isinstance(framing, dict) else {}
    words_root = next((framing[k] for k in _WORD_KEYS if isinstance(framing.get(k), dict)), None)
    heads_root = headlines_by_side if isinstance(headlines_by_side, dict) else None
    if heads_root is None:
        heads_root = next(
            (framing[k] for k in _HEADLINE_KEYS if isinstance(framing.get(k), dict)), None
        )
    columns = []
    for side in SIDES:
        own = framing.get(side)
        if words_root is not None:
            raw_words = words_root.get(side) or []
        elif isinstance(own, dict):
            raw_words = next((own[k] for k in _WORD_KEYS if own.get(k)), [])
        else:
            raw_words = own if isinstance(own, list) else []
        if heads_root is not None:
            raw_heads = heads_root.get(side) or []
        elif isinstance(own, dict):
            raw_heads = next((own[k] for k in _HEADLINE_KEYS if own.get(k)), [])
        else:
            raw_heads = []
        words = [w for w in (_term(i) for i in raw_words) if w][:max_words]
        heads = [h for h in (_headline(i) for i in raw_heads) if h][:max_heads]
        columns.append(
            {"side": side, "label": SIDE_LABELS[side], "words": words, "headlines": heads}
        )
    return columns if any(c["words"] or c["headlines"] for c in columns) else []


def tag_list(tags: Any, limit: int = 16) -> list[dict[str, str]]:
    found = []
    for item in tags or []:
        if isinstance(item, str):
            found.append({"name": item, "kind": ""})
        elif isinstance(item, dict):
            name = item.get("name") or item.get("text") or item.get("label") or item.get("tag")
            if name:
                found.append(
                    {"name": str(name), "kind": str(item.get("kind") or item.get("type") or "")}
                )
    return found[:limit]


def first_report(articles: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The article that broke the news: the earliest dated report (opinion pieces only when the
    story has nothing else)."""
    dated = [
        a
        for a in articles
        if a.get("date_known", True) and parse_time(a.get("published")) is not None
    ]
    dated = [a for a in dated if not a.get("opinion")] or dated
    return min(dated, key=lambda a: parse_time(a.get("published"))) if dated else None  # type: ignore[arg-type,return-value]
