"""Every importer on the raters' real published files (../shared/data/ratings), into a store
that holds the bundled registry, as a fresh install would have it."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from newsprism.config import Settings
from newsprism.registry.load import load_registry
from newsprism.registry.profiles import outlet_profiles
from newsprism.registry.ratings import import_ratings
from newsprism.store.database import Database
from newsprism.store.outlets import outlet_id_for_domain
from newsprism.store.schema import ratings

pytestmark = pytest.mark.shared_data

# (provider, file, rows in the file, least matched with only the registry in the store)
CASES = [
    ("mbfc", "mbfcext_v5_combined.json", 9775, 900),
    ("mbfc", "idiap_mbfc_2024.csv", 4497, 600),
    ("allsides", "lmeynent_allsides_2022-09.csv", 1279, 150),
    ("adfontes", "mrdevs_adfontes_2022-01-17.csv", 428, 90),
    ("wikipedia-rsp", "idiap_wikipedia_perennial_sources.json", 605, 140),
]


@pytest.mark.parametrize(("provider", "name", "rows", "least_matched"), CASES)
def test_real_rater_file_imports_with_every_row_accounted_for(
    provider: str,
    name: str,
    rows: int,
    least_matched: int,
    shared_data: Path,
    db: Database,
    settings: Settings,
) -> None:
    load_registry(db, settings)
    report = import_ratings(db, provider, shared_data / "ratings" / name)
    assert report.rows == rows
    assert report.matched + report.ambiguous + report.unknown == rows
    assert report.matched >= least_matched
    assert report.ambiguous < rows * 0.15
    with db.read() as conn:
        stored = conn.execute(
            select(func.count()).select_from(ratings).where(ratings.c.provider == provider)
        ).scalar_one()
    assert stored == report.stored
    # reimport replaces: the same number of rows, not twice as many
    again = import_ratings(db, provider, shared_data / "ratings" / name)
    assert again.stored == report.stored
    with db.read() as conn:
        assert (
            conn.execute(
                select(func.count()).select_from(ratings).where(ratings.c.provider == provider)
            ).scalar_one()
            == stored
        )


def test_all_raters_combine_into_known_outlet_profiles(
    shared_data: Path, db: Database, settings: Settings
) -> None:
    load_registry(db, settings)
    folder = shared_data / "ratings"
    import_ratings(db, "mbfc", folder / "mbfcext_v5_combined.json")
    import_ratings(db, "allsides", folder / "lmeynent_allsides_2022-09.csv")
    adfontes = import_ratings(db, "adfontes", folder / "mrdevs_adfontes_2022-01-17.csv")
    # names from the other raters' outlets let Ad Fontes' name-only rows find their outlets
    assert adfontes.matched >= 230
    with db.read() as conn:
        ids = {
            d: outlet_id_for_domain(conn, d) for d in ("nytimes.com", "foxnews.com", "apnews.com")
        }
        profiles = outlet_profiles(conn, [i for i in ids.values() if i is not None])
    nyt = profiles[ids["nytimes.com"]]  # type: ignore[index]
    fox = profiles[ids["foxnews.com"]]  # type: ignore[index]
    assert {"mbfc", "allsides", "adfontes"} <= {r.provider for r in nyt.ratings}
    assert nyt.side == "left" and fox.side == "right"
    assert nyt.bias_spread is not None and nyt.bias_spread <= 1.5
    assert fox.factuality_score is not None and nyt.factuality_score is not None
    assert fox.factuality_score < nyt.factuality_score
