"""``newsprism sources`` and ``newsprism ratings`` as users run them: output, health, errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import update

from loopback import LoopbackServer
from newsprism.config import Settings
from newsprism.registry.bundle import Bundle, BundledFeed, BundledOutlet, bundle_version
from newsprism.registry.load import load_registry
from newsprism.store.database import Database
from newsprism.store.schema import feeds
from newsprism.timeutil import utcnow

RATINGS = Path(__file__).with_name("fixtures") / "ratings"


def bundle() -> Bundle:
    def outlet(domain: str, country: str, default: bool, category: str) -> BundledOutlet:
        return BundledOutlet(
            domain=domain,
            name=domain.split(".")[0].title(),
            country=country,
            language="en",
            categories=[category],
            default=default,
            feeds=[
                BundledFeed(f"https://{domain}/main.xml", "Main", default),
                BundledFeed(f"https://{domain}/sport.xml", "Sport", False),
                BundledFeed(f"https://{domain}/arts.xml", "Arts", False),
                BundledFeed(f"https://{domain}/local.xml", "Local", False),
            ],
        )

    items = [
        outlet("leftpaper.com", "us", True, "USA"),
        outlet("rightdaily.com", "us", True, "USA"),
        outlet("kurier.at", "at", False, "Austria"),
        outlet("techwire.io", "us", False, "Technology"),
    ]
    return Bundle(bundle_version(items), [], items)


def test_ratings_import_json_prints_exactly_the_contract_keys(
    run_cli: Any, db: Database, settings: Settings
) -> None:
    load_registry(db, settings, bundle())
    result = run_cli(
        "ratings", "import", "--provider", "mbfc", str(RATINGS / "mbfc_extension.json"), "--json"
    )
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert list(document) == ["provider", "rows", "matched", "ambiguous", "unknown"]
    assert document["provider"] == "mbfc" and document["rows"] == 7
    assert document["matched"] + document["ambiguous"] + document["unknown"] == 7


def test_ratings_import_text_reports_reasons(run_cli: Any) -> None:
    result = run_cli("ratings", "import", "--provider", "allsides", str(RATINGS / "allsides.csv"))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("allsides: 5 rows:")
    assert "AllSides type" in result.stdout


def test_ratings_import_bad_file_is_one_line_naming_file_and_row(
    run_cli: Any, tmp_path: Path
) -> None:
    bad = tmp_path / "mine.csv"
    bad.write_text("domain,bias,factuality\nok.com,1,High\nbad.com,left-ish,High\n")
    result = run_cli("ratings", "import", "--provider", "csv", str(bad))
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert str(bad) in lines[0] and "line 3" in lines[0] and "'bias'" in lines[0]
    assert result.stdout == ""


def test_ratings_import_unknown_provider_is_a_usage_error(run_cli: Any) -> None:
    result = run_cli("ratings", "import", "--provider", "newsguard", str(RATINGS / "generic.csv"))
    assert result.exit_code == 2
    assert "newsguard" in result.stderr


def test_ratings_import_missing_file_is_named(run_cli: Any, tmp_path: Path) -> None:
    result = run_cli("ratings", "import", "--provider", "mbfc", str(tmp_path / "absent.json"))
    assert result.exit_code == 1
    assert "absent.json: no such file" in result.stderr


def test_sources_list_shows_ratings_and_fetch_health(
    run_cli: Any, db: Database, settings: Settings
) -> None:
    load_registry(db, settings, bundle())
    run_cli("ratings", "import", "--provider", "csv", str(RATINGS / "generic.csv"))
    now = utcnow()
    with db.write() as conn:
        conn.execute(
            update(feeds)
            .where(feeds.c.url == "https://rightdaily.com/main.xml")
            .values(
                last_status="error",
                last_error="HTTP 503 Service Unavailable",
                consecutive_failures=3,
                last_polled_at=now,
                next_poll_at=now,
            )
        )
        conn.execute(
            update(feeds)
            .where(feeds.c.url == "https://leftpaper.com/main.xml")
            .values(last_status="ok", consecutive_failures=0, last_success_at=now)
        )
    result = run_cli("sources", "list", "--json")
    assert result.exit_code == 0, result.stderr
    rows = {row["domain"]: row for row in json.loads(result.stdout)}
    assert set(rows) == {"leftpaper.com", "rightdaily.com"}  # only outlets being polled
    right = rows["rightdaily.com"]
    assert right["bias"] == 1.0 and right["side"] == "right"
    assert right["factuality_label"] == "Mostly Factual"
    assert right["ratings"][0]["provider"] == "csv"
    main = next(f for f in right["feeds"] if f["url"].endswith("main.xml"))
    assert main["last_status"] == "error"
    assert main["last_error"] == "HTTP 503 Service Unavailable"
    assert main["consecutive_failures"] == 3
    assert main["next_poll_at"].endswith("Z")

    failing = json.loads(run_cli("sources", "list", "--failing", "--json").stdout)
    assert [row["domain"] for row in failing] == ["rightdaily.com"]
    text = run_cli("sources", "list").stdout
    assert "HTTP 503 Service Unavailable" in text and "(×3)" in text
    assert len(json.loads(run_cli("sources", "list", "--all", "--json").stdout)) == 4


def test_sources_enable_by_country_and_category_switches_main_feeds(
    run_cli: Any, db: Database, settings: Settings
) -> None:
    load_registry(db, settings, bundle())
    result = run_cli("sources", "enable", "--country", "at", "--category", "technology", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {"outlets": 2, "feeds": 6}  # 3 main feeds each
    listed = json.loads(run_cli("sources", "list", "--country", "at", "--json").stdout)
    assert [sum(f["enabled"] for f in row["feeds"]) for row in listed] == [3]
    off = json.loads(run_cli("sources", "disable", "kurier.at", "--json").stdout)
    assert off == {"outlets": 1, "feeds": 3}
    assert run_cli("sources", "enable").exit_code == 1
    unknown = run_cli("sources", "enable", "nowhere.example")
    assert unknown.exit_code == 1 and "nowhere.example" in unknown.stderr
    for option, value, said in (
        ("--country", "zz", "--country zz: no outlet with feeds in this country"),
        ("--category", "Nope", "--category nope: no outlet with feeds in this category"),
        ("--country", "", "--country and --category need a name"),
    ):
        typo = run_cli("sources", "enable", option, value)
        assert typo.exit_code == 1 and said in typo.stderr, typo.stderr


def test_sources_export_and_import_round_trip_through_the_cli(
    run_cli: Any, db: Database, settings: Settings, tmp_path: Path
) -> None:
    load_registry(db, settings, bundle())
    stdout_export = run_cli("sources", "export")
    assert stdout_export.exit_code == 0
    assert stdout_export.stdout.startswith("<?xml")
    path = tmp_path / "out.opml"
    assert run_cli("sources", "export", "-o", str(path)).exit_code == 0
    assert path.read_text(encoding="utf-8").count("xmlUrl=") == 16
    fresh = tmp_path / "fresh.db"
    result = run_cli("sources", "import", str(path), "--json", "--db", str(fresh), db=False)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["feeds_added"] == 16
    listed = run_cli("sources", "list", "--all", "--json", "--db", str(fresh), db=False)
    assert {row["domain"] for row in json.loads(listed.stdout)} == {
        "leftpaper.com", "rightdaily.com", "kurier.at", "techwire.io",
    }  # fmt: skip


def test_sources_import_hostile_opml_is_refused_in_one_line(run_cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "bomb.opml"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        '<opml version="2.0"><body><outline text="&b;" xmlUrl="https://x.example/f"/></body></opml>'
    )
    result = run_cli("sources", "import", str(path))
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "bomb.opml" in result.stderr and "DTD" in result.stderr


def test_sources_add_registers_a_feed_served_on_loopback(run_cli: Any) -> None:
    with LoopbackServer() as server:
        url = server.fixture("/feed.xml", "rss20.xml")
        result = run_cli("sources", "add", url, "--outlet", "example-outlet.com", "--json")
    assert result.exit_code == 0, result.stderr
    added = json.loads(result.stdout)
    assert added["feed_url"] == url and added["outlet_domain"] == "example-outlet.com"
    listed = json.loads(run_cli("sources", "list", "--json").stdout)
    assert [row["domain"] for row in listed] == ["example-outlet.com"]


def test_ratings_list_counts_per_provider(run_cli: Any) -> None:
    run_cli("ratings", "import", "--provider", "wikipedia-rsp", str(RATINGS / "wikipedia_rsp.json"))
    result = run_cli("ratings", "list", "--json")
    assert json.loads(result.stdout) == {"wikipedia-rsp": 4}


def test_sources_remove_deletes_feeds_and_refuses_unknown_urls(
    run_cli: Any, db: Database, settings: Settings
) -> None:
    load_registry(db, settings, bundle())
    typo = run_cli("sources", "remove", "https://kurier.at/main.xml", "https://kurier.at/nope")
    assert typo.exit_code == 1 and "https://kurier.at/nope" in typo.stderr
    assert run_cli("sources", "remove", "https://kurier.at/main.xml").exit_code == 0
    listed = json.loads(
        run_cli("sources", "list", "--all", "--domain", "kurier.at", "--json").stdout
    )
    urls = [f["url"] for f in listed[0]["feeds"]]
    assert "https://kurier.at/main.xml" not in urls and len(urls) == 3


def test_sources_add_says_what_it_added_in_words(run_cli: Any) -> None:
    with LoopbackServer() as server:
        url = server.fixture("/feed.xml", "rss20.xml")
        first = run_cli("sources", "add", url, "--outlet", "example-outlet.com")
        second = run_cli("sources", "add", url, "--outlet", "example-outlet.com")
    assert first.exit_code == 0, first.stderr
    assert first.stdout.startswith(f"added {url} for example-outlet.com")
    assert second.stdout.startswith(f"already present: {url}")


def test_sources_add_refuses_malformed_addresses_and_outlets_in_one_line(run_cli: Any) -> None:
    for argv in (
        ("sources", "add", "http://[::1"),
        ("sources", "add", "https://example.com:port/feed.xml"),
        ("sources", "add", "https://example.com/feed.xml", "--outlet", "not a domain"),
        ("sources", "add", "https://example.com/feed.xml", "--outlet", "com"),
        ("sources", "add", "https://example.com/feed.xml", "--outlet", "http://[::1"),
    ):
        result = run_cli(*argv)
        assert result.exit_code == 1, argv
        assert result.stderr.count("\n") == 1 and "internal error" not in result.stderr, argv
    assert run_cli("sources", "list", "--domain", "http://[::1", "--json").exit_code == 0


def test_a_known_feed_stays_with_its_outlet_and_says_which(run_cli: Any) -> None:
    with LoopbackServer() as server:
        url = server.fixture("/feed.xml", "rss20.xml")
        run_cli("sources", "add", url, "--outlet", "example-outlet.com")
        again = run_cli("sources", "add", url, "--outlet", "other-outlet.com")
    assert again.stdout.startswith(f"already present: {url} for example-outlet.com")
    listed = json.loads(run_cli("sources", "list", "--all", "--json").stdout)
    assert [row["domain"] for row in listed] == ["example-outlet.com"]


def test_sources_categories_and_countries_count_outlets_and_polled_ones(
    run_cli: Any, db: Database, settings: Settings
) -> None:
    load_registry(db, settings, bundle())
    categories = json.loads(run_cli("sources", "categories", "--json").stdout)
    assert categories[0] == {"name": "USA", "outlets": 2, "enabled": 2}
    assert {"name": "Austria", "outlets": 1, "enabled": 0} in categories
    countries = json.loads(run_cli("sources", "categories", "--countries", "--json").stdout)
    assert countries == [
        {"name": "us", "outlets": 3, "enabled": 2},
        {"name": "at", "outlets": 1, "enabled": 0},
    ]
