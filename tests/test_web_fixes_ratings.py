"""Ratings imported on the admin page reach the story listings, not only the story pages."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from newsprism.config import Settings
from newsprism.store.database import Database
from newsprism.store.schema import stories
from webdata import Newsroom, csrf_token, register

# Center Wire (rated 0 and +0.5) rated Far Left by a new rater: its combined lean moves left.
CSV = b"domain,bias,factuality,url,date\nwire.example,-3,1,https://rater.example/wire,2026-02-01\n"


def _listed(client: Any, story_id: int) -> dict[str, Any]:
    items = client.get("/api/stories", params={"limit": 100}).json()["items"]
    return next(item for item in items if item["id"] == story_id)


def _import(client: Any, csv: bytes = CSV) -> Any:
    token = csrf_token(client, "/admin")
    return client.post(
        "/admin/ratings",
        data={"provider": "csv", "csrf_token": token},
        files={"file": ("ratings.csv", csv, "text/csv")},
    )


def _dirty(db: Database) -> set[int]:
    with db.read() as conn:
        return {int(r.id) for r in conn.execute(select(stories.c.id).where(stories.c.dirty))}


def test_admin_ratings_import_marks_the_rated_outlets_stories_for_analysis(
    client: Any, db: Database, settings: Settings, room: Newsroom
) -> None:
    from newsprism.analyze.refresh import refresh_dirty_stories

    register(client, "editor")
    before = _listed(client, room.story_id)
    assert before["bias"]["center"] == 2  # Center Wire and Centerline
    assert not _dirty(db)

    response = _import(client)
    assert response.status_code == 200, response.text
    # Center Wire covers the harbour budget, the floods and the teachers' story.
    assert _dirty(db) == {room.story_id, room.other_story_id, room.blindspot_story_id}
    assert "3 stories will be analysed again" in response.text

    refresh_dirty_stories(db, settings)
    for story_id in (room.story_id, room.other_story_id, room.blindspot_story_id):
        listed = _listed(client, story_id)
        detail = client.get(f"/api/stories/{story_id}").json()
        for key in ("bias", "factuality", "blindspot"):
            assert listed[key] == detail[key], (story_id, key)
    assert _listed(client, room.story_id)["bias"]["center"] == 1


def test_outlets_that_lose_their_rating_are_marked_too(
    client: Any, db: Database, settings: Settings, room: Newsroom
) -> None:
    """Re-importing a provider replaces its rows: outlets it no longer rates change as well."""
    from newsprism.analyze.refresh import refresh_dirty_stories

    register(client, "editor")
    assert _import(client).status_code == 200
    refresh_dirty_stories(db, settings)
    assert not _dirty(db)
    elsewhere = b"domain,bias,factuality,url,date\nnowhere.example,1,3,,2026-02-01\n"
    assert _import(client, elsewhere).status_code == 200
    assert room.other_story_id in _dirty(db)
