"""The story page: summary with citations, coverage details, charts, framing, article list."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from newsprism.store.stories import resolve_story_id
from newsprism.store.users import record_reading
from newsprism.web import present
from newsprism.web.context import current_user, render, web_state
from newsprism.web.routes.common import FormSideQuery, StoryId
from newsprism.web.stories import (
    mark_dates,
    prepared_articles,
    reading_snapshot,
    side_counts,
    story,
    undated_article_ids,
)
from newsprism.web.story_cache import render_kept_page

router = APIRouter(include_in_schema=False)


def load_story_or_redirect(request: Request, story_id: int, path: str) -> dict[str, Any] | Response:
    """The story's detail, a redirect when it was merged into another, or a 404."""
    with web_state(request).db.read() as conn:
        survivor = resolve_story_id(conn, story_id)
        if survivor is None:
            raise HTTPException(status_code=404, detail=f"There is no story {story_id}.")
        if survivor != story_id:
            target = path.format(id=survivor)
            if request.url.query:
                target += "?" + request.url.query
            return RedirectResponse(target, status_code=301)
        detail = story(conn, story_id)
        if detail is not None:
            detail["undated_ids"] = undated_article_ids(conn, story_id)
    if detail is None:
        raise HTTPException(status_code=404, detail=f"There is no story {story_id}.")
    return detail


def explanation_lines(article: dict[str, Any], detail: dict[str, Any]) -> list[str]:
    """Why the clusterer put this article in the story, as short readable lines."""
    raw: Any = article.get("explanation")
    if raw is None:
        explanations = detail.get("explanations") or {}
        if isinstance(explanations, dict):
            raw = explanations.get(str(article.get("id")), explanations.get(article.get("id")))
    if raw is None:
        return []
    if isinstance(raw, str):
        return [raw]
    if isinstance(raw, dict):
        lines = []
        for key, value in raw.items():
            if isinstance(value, float):
                value = f"{value:.2f}"
            elif isinstance(value, list):
                value = ", ".join(str(v) for v in value[:8])
            lines.append(f"{str(key).replace('_', ' ')}: {value}")
        return lines
    if isinstance(raw, list):
        return [str(item) for item in raw[:8]]
    return [str(raw)]


# Big stories gather hundreds of articles; the page lists this many until asked for all.
ARTICLES_SHOWN = 60


@router.get("/stories/{story_id}")
def story_page(
    request: Request, story_id: StoryId, side: FormSideQuery = None, all: bool = False
) -> Response:
    state = web_state(request)
    cache_key = None
    if current_user(request) is None:
        # Kept pages are mostly answered by story_cache.CachedStoryPages before routing; the
        # route still serves them for query strings spelled differently.
        cache_key = state.story_versions.page_key(story_id, side or "", all)
        if cache_key is not None:
            body = state.page_cache.get(cache_key)
            if body is not None:
                return render_kept_page(request, body)
    response = _fresh_story_page(request, story_id, side, all)
    if cache_key is not None and response.status_code == 200 and isinstance(response, HTMLResponse):
        state.page_cache.put(cache_key, bytes(response.body))
    return response


def _fresh_story_page(
    request: Request, story_id: int, side: str | None, show_all: bool
) -> Response:
    found = load_story_or_redirect(request, story_id, "/stories/{id}")
    if isinstance(found, Response):
        return found
    detail = found
    articles = prepared_articles(detail)
    dates = mark_dates(articles, detail.get("undated_ids") or set())
    for article in articles:
        article["why"] = explanation_lines(article, detail)
    shown = [a for a in articles if side is None or a["side"] == side]
    by_id = {a.get("id"): a for a in articles}
    user = current_user(request)
    if user is not None:
        with web_state(request).db.write() as conn:
            record_reading(conn, user.id, story_id, reading_snapshot(detail))
    return render(
        request,
        "story.html",
        {
            "story": detail,
            "articles": shown if show_all else shown[:ARTICLES_SHOWN],
            "hidden_articles": 0 if show_all else max(0, len(shown) - ARTICLES_SHOWN),
            "all_articles": articles,
            "article_by_id": by_id,
            "side": side or "",
            "tab_counts": side_counts(articles),
            "timeline": present.timeline_svg(
                present.timeline_points(articles), "Articles over time, by side"
            ),
            "coverage": detail.get("coverage") or {},
            "dates": dates,
        },
    )
