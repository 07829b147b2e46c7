"""The bundled registry loads once, fast and whole, and upgrades without undoing the operator."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from sqlalchemy import func, select

from newsprism.config import Settings
from newsprism.domains import registrable_domain
from newsprism.registry.bundle import (
    OUTLETS_FILE,
    Bundle,
    BundledFeed,
    BundledOutlet,
    bundle_version,
    bundled_path,
    load_bundle,
)
from newsprism.registry.load import ensure_registry_loaded, load_registry
from newsprism.registry.platforms import is_platform_domain
from newsprism.registry.ratings import import_ratings
from newsprism.store.database import Database
from newsprism.store.outlets import add_feed, get_or_create_outlet, set_outlets_enabled
from newsprism.store.schema import feeds, outlets, ratings


def counts(db: Database) -> tuple[int, int, int]:
    with db.read() as conn:
        return (
            conn.execute(select(func.count()).select_from(outlets)).scalar_one(),
            conn.execute(select(func.count()).select_from(feeds)).scalar_one(),
            conn.execute(
                select(func.count()).select_from(feeds).where(feeds.c.enabled)
            ).scalar_one(),
        )


def small_bundle(*outlet_list: BundledOutlet) -> Bundle:
    items = list(outlet_list)
    return Bundle(bundle_version(items), [], items)


def outlet(domain: str, *, default: bool, feeds: int = 2, name: str | None = None) -> BundledOutlet:
    return BundledOutlet(
        domain=domain,
        name=name or domain.split(".")[0].title(),
        country="de",
        language="de",
        categories=["Germany"],
        default=default,
        feeds=[
            BundledFeed(f"https://{domain}/feed{i}.xml", f"Feed {i}", default=default and i == 0)
            for i in range(feeds)
        ],
    )


def test_first_start_loads_the_whole_bundle_and_then_does_nothing(
    db: Database, settings: Settings
) -> None:
    bundle = load_bundle()
    added = ensure_registry_loaded(db, settings)
    assert added == len(bundle.outlets)
    total_feeds = sum(len(o.feeds) for o in bundle.outlets)
    default_feeds = sum(f.default for o in bundle.outlets for f in o.feeds)
    assert counts(db) == (len(bundle.outlets), total_feeds, default_feeds)
    assert ensure_registry_loaded(db, settings) == 0
    assert counts(db) == (len(bundle.outlets), total_feeds, default_feeds)
    with db.read() as conn:
        enabled_outlets = conn.execute(
            select(func.count()).select_from(outlets).where(outlets.c.enabled)
        ).scalar_one()
        rsp = conn.execute(
            select(func.count()).select_from(ratings).where(ratings.c.provider == "wikipedia-rsp")
        ).scalar_one()
    assert enabled_outlets == sum(o.default for o in bundle.outlets)
    assert rsp > 100  # Wikipedia's statuses ship with the registry (CC BY-SA)


def test_bundled_registry_is_real_balanced_and_free_of_platforms() -> None:
    bundle = load_bundle()
    assert len(bundle.outlets) > 5000
    defaults = [o for o in bundle.outlets if o.default]
    assert 300 <= len(defaults) <= 600
    assert len({o.country for o in defaults if o.country}) >= 40
    for item in bundle.outlets:
        assert item.domain == registrable_domain(item.domain)
        assert not is_platform_domain(item.domain), item.domain
        assert item.feeds, item.domain
        assert all(f.url.startswith(("http://", "https://")) for f in item.feeds)
        assert not any(f.default for f in item.feeds) or item.default
        spellings = {
            f.url.split("://", 1)[1].lower().removeprefix("www.").rstrip("/") for f in item.feeds
        }
        assert len(spellings) == len(item.feeds), item.domain  # http/https, www, slash variants
    assert bundled_path(OUTLETS_FILE).stat().st_size < 3 * 1024 * 1024


def test_bundle_holds_no_rater_labels() -> None:
    raw = gzip.decompress(bundled_path(OUTLETS_FILE).read_bytes()).decode("utf-8")
    document = json.loads(raw)
    keys = {key for o in document["outlets"] for key in o}
    assert keys == {
        "domain", "name", "country", "language", "homepage", "ownership", "owner",
        "categories", "default", "feeds",
    }  # fmt: skip
    for word in ("mediabiasfactcheck", "allsides.com/news-source", "adfontes", "Least Biased"):
        assert word not in raw


def test_store_with_articles_outlets_is_completed_not_duplicated(
    db: Database, settings: Settings
) -> None:
    with db.write() as conn:
        imported = get_or_create_outlet(conn, "https://www.alpha.de/x", None)  # name = domain
    bundle = small_bundle(outlet("alpha.de", default=True), outlet("beta.de", default=False))
    report = load_registry(db, settings, bundle)
    assert (report.outlets_added, report.outlets_updated, report.feeds_added) == (1, 1, 4)
    with db.read() as conn:
        row = conn.execute(select(outlets).where(outlets.c.id == imported)).one()
    assert (row.name, row.country, row.origin, row.is_default) == ("Alpha", "de", "import", True)
    assert counts(db) == (2, 4, 1)


def test_upgrade_adds_new_feeds_and_keeps_the_operators_choices(
    db: Database, settings: Settings
) -> None:
    first = small_bundle(outlet("alpha.de", default=True), outlet("beta.de", default=False))
    load_registry(db, settings, first)
    with db.write() as conn:
        alpha = get_or_create_outlet(conn, "alpha.de")
        assert alpha is not None
        set_outlets_enabled(conn, [alpha], False)  # the operator switched alpha off
        mine = get_or_create_outlet(conn, "mine.org", "Mine", origin="user")
        assert mine is not None
        add_feed(conn, mine, "https://mine.org/rss", settings=settings)

    second = small_bundle(
        outlet("alpha.de", default=True, feeds=3, name="Alpha Zeitung"),
        outlet("beta.de", default=False),
        outlet("gamma.de", default=True),
    )
    report = load_registry(db, settings, second)
    assert report.previous == first.version and report.version == second.version
    assert (report.outlets_added, report.feeds_added) == (1, 3)
    with db.read() as conn:
        rows = {r.domain: r for r in conn.execute(select(outlets))}
        enabled_feeds = {url for (url,) in conn.execute(select(feeds.c.url).where(feeds.c.enabled))}
    assert rows["alpha.de"].name == "Alpha Zeitung"  # registry facts refresh
    assert not rows["alpha.de"].enabled  # the operator's switch stays
    assert rows["mine.org"].origin == "user"
    assert enabled_feeds == {"https://mine.org/rss", "https://gamma.de/feed0.xml"}
    assert load_registry(db, settings, second).outlets_added == 0


def test_operators_own_wikipedia_import_is_not_overwritten(
    db: Database, settings: Settings, tmp_path: Path
) -> None:
    with db.write() as conn:
        get_or_create_outlet(conn, "theguardian.com", "The Guardian")
    own = tmp_path / "rsp.json"
    own.write_text('{"theguardian.com": -2}')
    import_ratings(db, "wikipedia-rsp", own)
    ensure_registry_loaded(db, settings)
    with db.read() as conn:
        rows = conn.execute(
            select(ratings.c.factuality_label).where(ratings.c.provider == "wikipedia-rsp")
        ).all()
    assert [r[0] for r in rows] == ["deprecated"]


def test_processes_starting_together_load_the_registry_once(
    db: Database, settings: Settings
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    bundle = small_bundle(*(outlet(f"site{i}.de", default=i < 3) for i in range(40)))
    others = [Database(db.url) for _ in range(3)]
    try:
        with ThreadPoolExecutor(max_workers=3) as pool:
            reports = list(pool.map(lambda d: load_registry(d, settings, bundle), others))
    finally:
        for other in others:
            other.dispose()
    assert sorted(r.outlets_added for r in reports) == [0, 0, 40]
    assert counts(db) == (40, 80, 3)
