"""A title that names a format, not an event ("Live updates", "Morning briefing"), does not make
two unrelated articles one story: not when the second arrives, not in the merge pass."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from clusterdata import BASE, draft
from newsprism.cluster import features, service
from newsprism.cluster.documents import ArticleDoc, vectorize
from newsprism.cluster.engine import Clusterer
from newsprism.cluster.model import default_model
from newsprism.cluster.vectors import default_idf
from newsprism.config import Settings
from newsprism.store.articles import add_articles
from newsprism.store.database import Database
from newsprism.store.schema import articles, stories

GENERIC_TITLES = ["Live updates", "Morning briefing", "Letters to the editor", "The Daily Briefing"]

# Feed summaries of two unrelated events, one sentence each, as many feeds carry them.
HURRICANE = (
    "Hurricane Milton made landfall near Sarasota, Florida, as a Category 3 storm, knocking out "
    "power to two million homes."
)
HURRICANE_NEXT_DAY = (
    "Floodwater from Hurricane Milton swamped Sarasota and Tampa on Thursday; Florida officials "
    "said two million homes still had no power."
)
ELECTION = (
    "French voters went to the polls in a snap parliamentary election called by President "
    "Emmanuel Macron."
)
OUTLET = 7


def _doc(n: int, title: str, text: str, hours: float, outlet: int = OUTLET) -> ArticleDoc:
    return vectorize(
        n,
        title,
        text,
        time=BASE + timedelta(hours=hours),
        language="en",
        outlet_id=outlet,
        idf=default_idf(),
    )


def _clusterer() -> Clusterer:
    return Clusterer(default_model(), timedelta(days=2))


@pytest.mark.parametrize("title", GENERIC_TITLES)
@pytest.mark.parametrize("outlet", [OUTLET, OUTLET + 1], ids=["same outlet", "other outlet"])
def test_an_unrelated_article_under_the_same_generic_title_starts_its_own_story(
    title: str, outlet: int
) -> None:
    clusterer = _clusterer()
    clusterer.start_story(1, _doc(1, title, HURRICANE, 0))
    decision = clusterer.decide(_doc(2, title, ELECTION, 24, outlet))
    assert decision.best is not None, "the shared title words make the story a candidate"
    assert not decision.joins, decision.best.probability


@pytest.mark.parametrize("title", GENERIC_TITLES)
def test_the_next_days_article_about_the_same_event_still_joins(title: str) -> None:
    clusterer = _clusterer()
    clusterer.start_story(1, _doc(1, title, HURRICANE, 0))
    decision = clusterer.decide(_doc(2, title, HURRICANE_NEXT_DAY, 24))
    assert decision.joins


@pytest.mark.parametrize("title", GENERIC_TITLES)
def test_the_merge_pass_keeps_two_stories_under_one_generic_title_apart(title: str) -> None:
    clusterer = _clusterer()
    clusterer.start_story(1, _doc(1, title, HURRICANE, 0))
    clusterer.start_story(2, _doc(2, title, ELECTION, 20))
    assert clusterer.merge_pass() == []
    assert sorted(clusterer.stories) == [1, 2]


def test_a_generic_title_weighs_less_than_a_headline_and_a_lone_story_gets_no_free_lead() -> None:
    generic = _doc(1, "Live updates", HURRICANE, 0)
    headline = _doc(2, "Hurricane Milton makes landfall near Sarasota", HURRICANE, 0)
    assert generic.title_weight < 0.5
    assert headline.title_weight == 1.0
    clusterer = _clusterer()
    story = clusterer.start_story(1, generic)
    [(_story, row)] = features.candidate_rows(_doc(3, "Live updates", ELECTION, 24), [story])
    values = dict(zip(features.FEATURES, row, strict=True))
    # The same outlet's own format title is no evidence, and the margins of the only candidate
    # are its lead over a typical rival, not over nothing.
    rival = features.LONE_RIVAL
    assert values["title_centroid"] == values["title_nearest"] == 0.0
    assert values["title_margin"] == pytest.approx(-rival)
    assert values["body_margin"] == pytest.approx(values["body_centroid"] - rival)
    # From another outlet the identical title counts, but no more than it can tell.
    [(_story, row)] = features.candidate_rows(_doc(4, "Live updates", ELECTION, 24, 8), [story])
    values = dict(zip(features.FEATURES, row, strict=True))
    assert (
        values["title_centroid"] == values["title_nearest"] == pytest.approx(generic.title_weight)
    )


def test_a_daily_live_blog_makes_a_story_a_day_in_the_store(
    db: Database, settings: Settings
) -> None:
    texts = [HURRICANE, ELECTION, HURRICANE_NEXT_DAY]
    drafts = [
        draft("daily.example", "Live updates", text, BASE + timedelta(days=day), day)
        for day, text in enumerate(texts)
    ]
    added = add_articles(db, drafts, settings)
    service.assign_pending(db, settings)
    service.merge_stories(db, settings)
    with db.read() as conn:
        story_of = dict(conn.execute(select(articles.c.id, articles.c.story_id)).all())
        live = conn.execute(
            select(stories.c.id, stories.c.article_count).where(stories.c.merged_into.is_(None))
        ).all()
    hurricane, election, hurricane_again = (story_of[i] for i in added.added_ids)
    assert hurricane == hurricane_again
    assert election != hurricane
    assert sorted(r.article_count for r in live if r.article_count) == [1, 2]
