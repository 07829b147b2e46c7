"""Rater entries meet outlets by registrable domain (or by name), and each row is counted once."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from newsprism.config import Settings
from newsprism.registry.ratings import import_ratings, normalize_name
from newsprism.store.database import Database
from newsprism.store.outlets import add_feed, get_or_create_outlet
from newsprism.store.schema import outlets, ratings

RATINGS = Path(__file__).with_name("fixtures") / "ratings"

OUTLETS = [
    ("leftpaper.com", "Left Paper"),
    ("centerwire.org", "Center Wire"),
    ("rightdaily.com", "Right Daily"),
    ("dailynews.com", "Daily News"),
    ("nydailynews.com", "Daily News"),
    ("bbc.co.uk", "BBC"),
]


def seed(db: Database, settings: Settings) -> dict[str, int]:
    ids = {}
    with db.write() as conn:
        for domain, name in OUTLETS:
            outlet_id = get_or_create_outlet(conn, domain, name, origin="registry")
            assert outlet_id is not None
            add_feed(conn, outlet_id, f"https://{domain}/feed", settings=settings)
            ids[domain] = outlet_id
    return ids


def stored(db: Database, provider: str) -> dict[str, tuple[object, ...]]:
    with db.read() as conn:
        rows = conn.execute(
            select(
                outlets.c.domain,
                ratings.c.bias_label,
                ratings.c.bias_score,
                ratings.c.factuality_score,
                ratings.c.url,
                ratings.c.rated_at,
            )
            .join(outlets, outlets.c.id == ratings.c.outlet_id)
            .where(ratings.c.provider == provider)
        ).all()
    return {r[0]: tuple(r[1:]) for r in rows}


def test_subdomains_www_amp_and_paths_meet_the_registrable_domain(
    db: Database, settings: Settings
) -> None:
    seed(db, settings)
    report = import_ratings(db, "mbfc", RATINGS / "mbfc_idiap.csv")
    assert report.rows == 4
    # leftpaper.com and amp.rightdaily.com match; conspiracy.net is new; one row has no domain
    assert (report.matched, report.ambiguous, report.unknown) == (2, 0, 2)
    assert stored(db, "mbfc")["rightdaily.com"][:2] == ("extreme right", 3.0)


def test_counts_add_up_and_several_entries_on_one_domain_are_ambiguous(
    db: Database, settings: Settings
) -> None:
    seed(db, settings)
    report = import_ratings(db, "mbfc", RATINGS / "mbfc_extension.json")
    assert report.rows == 7
    assert report.matched + report.ambiguous + report.unknown == report.rows
    # rightdaily.com and rightdaily.com/opinion share an outlet: both ambiguous, the outlet's
    # own entry is the one kept.
    assert report.ambiguous == 2
    assert stored(db, "mbfc")["rightdaily.com"][0] == "Right"
    assert stored(db, "mbfc")["rightdaily.com"][2] == 2.0  # "mixed", not the opinion page's "low"
    # someone.substack.com is one newsletter, not the platform: unknown, nothing stored for it
    assert "substack.com" not in stored(db, "mbfc")
    assert report.reasons["on a shared platform"] == 1


def test_unknown_domains_create_outlets_that_articles_will_meet(
    db: Database, settings: Settings
) -> None:
    seed(db, settings)
    report = import_ratings(db, "mbfc", RATINGS / "mbfc_extension.json")
    assert report.outlets_created == 2  # junk.news and bbc.com
    with db.read() as conn:
        origin = conn.execute(
            select(outlets.c.origin, outlets.c.name).where(outlets.c.domain == "junk.news")
        ).one()
    assert tuple(origin) == ("ratings", "Junk")
    with db.write() as conn:
        # an imported article from www.junk.news resolves to that outlet and its rating
        assert get_or_create_outlet(conn, "https://www.junk.news/a") is not None
    assert stored(db, "mbfc")["junk.news"][3] == "https://mediabiasfactcheck.com/junk/"


def test_no_create_outlets_leaves_unknown_rows_out(db: Database, settings: Settings) -> None:
    seed(db, settings)
    report = import_ratings(db, "mbfc", RATINGS / "mbfc_extension.json", create_outlets=False)
    assert report.outlets_created == 0
    assert "junk.news" not in stored(db, "mbfc")
    assert report.unknown == 3  # junk.news, bbc.com, the substack newsletter


def test_rater_aliases_rate_the_outlet_we_know_under_the_alias(
    db: Database, settings: Settings
) -> None:
    seed(db, settings)
    import_ratings(db, "mbfc", RATINGS / "mbfc_extension.json", create_outlets=False)
    assert stored(db, "mbfc")["bbc.co.uk"][:2] == ("Left-Center", -1.0)


def test_reimport_replaces_only_that_providers_rows(db: Database, settings: Settings) -> None:
    seed(db, settings)
    import_ratings(db, "mbfc", RATINGS / "mbfc_extension.json")
    import_ratings(db, "csv", RATINGS / "generic.csv")
    assert len(stored(db, "csv")) == 3
    before = stored(db, "csv")
    smaller = RATINGS.parent.parent / "fixtures" / "ratings" / "mbfc_idiap.csv"
    import_ratings(db, "mbfc", smaller)
    assert set(stored(db, "mbfc")) == {"leftpaper.com", "rightdaily.com", "conspiracy.net"}
    assert stored(db, "csv") == before


def test_adfontes_names_match_unique_outlets_and_report_the_rest(
    db: Database, settings: Settings
) -> None:
    seed(db, settings)
    report = import_ratings(db, "adfontes", RATINGS / "mrdevs_adfontes_2022-01-17.csv")
    assert report.rows == 5
    # Left Paper, The Center Wire, Right Daily match; "Daily News" fits two outlets; the TV show
    # is no outlet of ours.
    assert (report.matched, report.ambiguous, report.unknown) == (3, 1, 1)
    assert set(stored(db, "adfontes")) == {"leftpaper.com", "centerwire.org", "rightdaily.com"}


def test_allsides_authors_are_unknown_and_news_rows_match_by_url(
    db: Database, settings: Settings
) -> None:
    seed(db, settings)
    report = import_ratings(db, "allsides", RATINGS / "allsides.csv")
    assert report.rows == 5
    assert (report.matched, report.ambiguous, report.unknown) == (3, 0, 2)
    assert stored(db, "allsides")["rightdaily.com"][:2] == ("Lean Right", 1.0)
    assert "gazette.example.org" not in {d for d in stored(db, "allsides")}
    assert "example.org" in stored(db, "allsides")  # created: a news outlet we did not have


def test_names_normalize_across_articles_case_and_punctuation() -> None:
    assert normalize_name("The New York Times") == normalize_name("new-york times")
    assert normalize_name("CNN.com") == "cnn"
    assert normalize_name("Le Monde diplomatique") == "lemondediplomatique"
