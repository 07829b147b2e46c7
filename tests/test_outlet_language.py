"""An article whose text cannot tell its language takes its outlet's, and so meets its story."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from clusterdata import BASE, EVENTS, draft
from newsprism.cluster.service import assign_pending
from newsprism.config import Settings
from newsprism.models import ArticleDraft
from newsprism.store.articles import add_articles
from newsprism.store.database import Database
from newsprism.store.schema import articles, outlets

BRIEF_TITLE = "Hokkaido quake"
BRIEF_TEXT = "Kushiro alert lifted."


def _brief(outlet: str, n: int, minutes: int = 30) -> ArticleDraft:
    # Too few letters for the identifier: without help its language is unknown.
    return draft(
        outlet, BRIEF_TITLE, BRIEF_TEXT, BASE + timedelta(minutes=minutes), f"brief-{n}", None
    )


def _language_of(db: Database, article_id: int) -> str | None:
    with db.read() as conn:
        return conn.execute(
            select(articles.c.language).where(articles.c.id == article_id)
        ).scalar_one()


def _quake(n: int = 0) -> list[ArticleDraft]:
    return [
        draft(outlet, title, text, BASE + timedelta(minutes=10 * i), n + i)
        for i, (outlet, title, text) in enumerate(EVENTS["quake"])
    ]


def test_a_brief_takes_the_language_of_its_outlets_stored_articles_and_joins_its_story(
    db: Database, settings: Settings
) -> None:
    quake = add_articles(db, _quake(), settings)
    brief = add_articles(db, [_brief("wire.example", 1)], settings)
    assign_pending(db, settings)

    assert _language_of(db, brief.added_ids[0]) == "en"
    with db.read() as conn:
        story_of = dict(conn.execute(select(articles.c.id, articles.c.story_id)).all())
    assert story_of[brief.added_ids[0]] == story_of[quake.added_ids[0]]


def test_the_registrys_language_for_the_outlet_comes_first(
    db: Database, settings: Settings
) -> None:
    add_articles(db, _quake(), settings)
    with db.write() as conn:
        conn.execute(
            update(outlets).where(outlets.c.domain == "wire.example").values(language="de")
        )
    brief = add_articles(db, [_brief("wire.example", 1)], settings)
    assert _language_of(db, brief.added_ids[0]) == "de"


def test_an_outlet_with_articles_in_this_batch_lends_their_language(
    db: Database, settings: Settings
) -> None:
    brief = add_articles(db, [_brief("wire.example", 1), *_quake()], settings)
    assert _language_of(db, brief.added_ids[0]) == "en"


def test_an_unknown_outlet_leaves_the_language_unknown(db: Database, settings: Settings) -> None:
    brief = add_articles(db, [_brief("newcomer.example", 1)], settings)
    assert _language_of(db, brief.added_ids[0]) is None


def test_a_detected_or_given_language_is_kept(db: Database, settings: Settings) -> None:
    add_articles(db, _quake(), settings)
    given = draft("wire.example", "Séisme", "Alerte levée.", BASE, "fr-1", language="fr")
    added = add_articles(db, [given], settings)
    assert _language_of(db, added.added_ids[0]) == "fr"
