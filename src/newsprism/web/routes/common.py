"""Query parameters shared by pages and the API."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Path, Query
from pydantic import BeforeValidator

Side = Literal["left", "center", "right"]

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
SideQuery = Annotated[Side | None, Query(description="Only stories covered by this side.")]


def _blank_is_none(value: object) -> object:
    return value or None


# The pages' filter forms send "side=" for their "Any side" choice: no filter, as an empty
# country or topic is. The API keeps to its schema's three values.
FormSideQuery = Annotated[
    Side | None,
    BeforeValidator(_blank_is_none),
    Query(description="Only stories covered by this side; empty for any side."),
]
CountryQuery = Annotated[
    str | None,
    Query(
        max_length=8,
        pattern=r"^[A-Za-z]{0,8}$",
        description="ISO 3166-1 alpha-2 country of covering outlets.",
    ),
]
TopicQuery = Annotated[
    str | None, Query(max_length=200, description="Topic words that stories must mention.")
]
PageQuery = Annotated[int, Query(ge=1, le=10_000, description="Page number, from 1.")]


def clean(text: str | None) -> str | None:
    """Empty form fields mean 'no filter'."""
    text = (text or "").strip()
    return text or None


# Ids are 32-bit integers on both databases (SQLite would take 64 bits, PostgreSQL's INTEGER not).
MAX_ID = 2**31 - 1
StoryId = Annotated[int, Path(ge=1, le=MAX_ID, description="Story id.")]
OutletId = Annotated[int, Path(ge=1, le=MAX_ID, description="Outlet id.")]
