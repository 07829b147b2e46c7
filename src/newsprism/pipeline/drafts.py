"""ArticleDraft to and from JSON, for drafts that travel through the broker between machines."""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime
from typing import Any

from newsprism.errors import InputError
from newsprism.models import ArticleDraft

_FIELDS = {f.name for f in fields(ArticleDraft)}


def draft_to_json(draft: ArticleDraft) -> dict[str, Any]:
    data: dict[str, Any] = {name: getattr(draft, name) for name in _FIELDS}
    if draft.published_at is not None:
        data["published_at"] = draft.published_at.isoformat()
    return data


def draft_from_json(data: dict[str, Any]) -> ArticleDraft:
    unknown = set(data) - _FIELDS
    if unknown:
        raise InputError(f"article draft: unknown fields {sorted(unknown)}")
    if not data.get("url") or "title" not in data:
        raise InputError("article draft: 'url' and 'title' are required")
    values = dict(data)
    published = values.get("published_at")
    if isinstance(published, str):
        try:
            values["published_at"] = datetime.fromisoformat(published)
        except ValueError:
            raise InputError(
                f"article draft {data['url']}: published_at is not ISO 8601: {published!r}"
            ) from None
    return ArticleDraft(**values)
