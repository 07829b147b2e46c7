"""OPML 2.0 round-trips, copes with sloppy real exports, and refuses hostile XML safely."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from newsprism.config import Settings
from newsprism.errors import InputError
from newsprism.registry.bundle import Bundle, BundledFeed, BundledOutlet, bundle_version
from newsprism.registry.load import load_registry
from newsprism.registry.opml import OpmlOutlet, parse_opml, write_opml
from newsprism.registry.sources import export_opml, import_opml
from newsprism.store.database import Database
from newsprism.store.schema import feeds, outlets


def snapshot(db: Database) -> tuple[set[Any], set[Any]]:
    with db.read() as conn:
        outlet_rows = {
            (r.domain, r.name, r.country, r.language, r.homepage, tuple(sorted(r.categories)))
            for r in conn.execute(select(outlets))
        }
        feed_rows = {
            (r.domain, r.url, r.title, bool(r.enabled))
            for r in conn.execute(
                select(outlets.c.domain, feeds.c.url, feeds.c.title, feeds.c.enabled).join(
                    outlets, outlets.c.id == feeds.c.outlet_id
                )
            )
        }
    return outlet_rows, feed_rows


def sample_bundle() -> Bundle:
    items = [
        BundledOutlet(
            domain="zeitung.de",
            name="Die Zeitung & Co",
            country="de",
            language="de",
            homepage="https://www.zeitung.de/",
            categories=["Germany", "Politik, Wirtschaft"],
            default=True,
            feeds=[
                BundledFeed("https://www.zeitung.de/rss?a=1&b=2", "Schlagzeilen <Top>", True),
                BundledFeed("https://www.zeitung.de/sport/rss", None, False),
            ],
        ),
        BundledOutlet(
            domain="wire.co.uk",
            name='The "Wire"',
            country="gb",
            language="en",
            homepage="https://wire.co.uk/",
            categories=[],
            default=False,
            feeds=[BundledFeed("https://feeds.wire.co.uk/all.xml", "All stories", False)],
        ),
    ]
    return Bundle(bundle_version(items), [], items)


def test_export_then_import_into_a_fresh_store_gives_the_same_sources(
    db: Database, settings: Settings, tmp_path: Path
) -> None:
    load_registry(db, settings, sample_bundle())
    path = tmp_path / "sources.opml"
    path.write_bytes(export_opml(db))
    fresh = Database(str(tmp_path / "fresh.db"))
    try:
        report = import_opml(fresh, settings, path)
        assert (report.feeds_added, report.outlets_added, report.skipped) == (3, 2, [])
        assert snapshot(fresh) == snapshot(db)
        # importing again adds nothing
        again = import_opml(fresh, settings, path)
        assert (again.feeds_added, again.feeds_existing) == (0, 3)
    finally:
        fresh.dispose()


@pytest.mark.slow
def test_the_whole_bundled_registry_round_trips(
    db: Database, settings: Settings, tmp_path: Path
) -> None:
    load_registry(db, settings)
    path = tmp_path / "all.opml"
    path.write_bytes(export_opml(db))
    fresh = Database(str(tmp_path / "fresh.db"))
    try:
        report = import_opml(fresh, settings, path)
        assert report.skipped == []
        assert snapshot(fresh) == snapshot(db)
    finally:
        fresh.dispose()


def test_enabled_only_export_leaves_out_feeds_not_polled(db: Database, settings: Settings) -> None:
    load_registry(db, settings, sample_bundle())
    urls = [f.url for f in parse_opml(export_opml(db, enabled_only=True), "export")]
    assert urls == ["https://www.zeitung.de/rss?a=1&b=2"]


SLOPPY = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0"><head><title>Export</title></head><body>
  <outline text="News &amp; Politics" title="News">
    <outline text="World & Nation" type="rss" xmlUrl="https://paper.example.com/world?x=1&y=2"/>
    <outline text="Crikey" type="rss" xmlUrl="https://feeds.feedburner.com/com/rCTl"
             htmlUrl="https://www.crikey.com.au/"/>
    <outline text="Hidden" type="rss" xmlUrl="https://feeds.feedburner.com/Hidden"/>
    <outline text="Google" type="rss" xmlUrl="https://news.google.com/rss/search?q=x"/>
    <outline text="Local" type="rss" xmlUrl="javascript:alert(1)"/>
  </outline>
</body></opml>
"""


def test_real_world_opml_imports_what_it_can_and_says_why_not(
    db: Database, settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "reader.opml"
    path.write_bytes(SLOPPY)
    report = import_opml(db, settings, path)
    assert (report.feeds, report.feeds_added, len(report.skipped)) == (5, 2, 3)
    outlet_rows, feed_rows = snapshot(db)
    assert {d for d, *_ in feed_rows} == {"example.com", "crikey.com.au"}
    assert (
        "example.com",
        "https://paper.example.com/world?x=1&y=2",
        "World & Nation",
        True,
    ) in feed_rows
    assert any("Hidden" in s and "shared platform" in s for s in report.skipped)
    assert any("Google" in s for s in report.skipped)
    assert any("javascript:alert(1)" in s and "http" in s for s in report.skipped)
    categories = {row[5] for row in outlet_rows}
    assert ("News",) in categories  # the folder an outline sat in


def test_unescaped_quotes_in_attributes_are_recovered() -> None:
    data = (
        b'<opml version="2.0"><body>'
        b'<outline text="Gazeta "Kommersant"" xmlUrl="https://www.kommersant.ru/rss/main.xml"/>'
        b'<outline text="TASS" xmlUrl="https://tass.com/rss/v2.xml"/>'
        b"</body></opml>"
    )
    urls = [f.url for f in parse_opml(data, "quotes.opml")]
    assert "https://tass.com/rss/v2.xml" in urls


def test_private_addresses_are_refused_unless_allowed(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "local.opml"
    path.write_bytes(
        b'<opml version="2.0"><body>'
        b'<outline text="Router" xmlUrl="http://192.168.1.1/feed" htmlUrl="https://router.example.net/"/>'
        b'<outline text="Metadata" xmlUrl="http://169.254.169.254/latest" htmlUrl="https://meta.example.org/"/>'
        b"</body></opml>"
    )
    strict = Settings(db=db.url, allow_private_networks=False)
    report = import_opml(db, strict, path)
    assert report.feeds_added == 0
    assert all("private, loopback or link-local" in s for s in report.skipped)
    allowed = import_opml(db, Settings(db=db.url, allow_private_networks=True), path)
    assert allowed.feeds_added == 2


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<opml version="2.0"><body><outline text="&lol4;" xmlUrl="https://a.example.com/feed"/></body></opml>
"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE opml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<opml version="2.0"><body><outline text="&xxe;" xmlUrl="https://a.example.com/feed"/></body></opml>
"""

BROKEN_BOMB = BILLION_LAUGHS.replace(b"</body></opml>", b"<unclosed></body></opml>")


@pytest.mark.parametrize("payload", [BILLION_LAUGHS, EXTERNAL_ENTITY, BROKEN_BOMB])
def test_hostile_xml_is_refused_without_expansion(
    payload: bytes, db: Database, settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "hostile.opml"
    path.write_bytes(payload)
    with pytest.raises(InputError) as info:
        import_opml(db, settings, path)
    message = str(info.value)
    assert str(path) in message
    assert "DTD" in message or "not well-formed" in message
    assert "\n" not in message
    assert snapshot(db) == (set(), set())


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        (b"this is not xml at all", "not well-formed XML"),
        (b"<rss><channel/></rss>", "not OPML (root element is <rss>"),
        (b'<opml version="2.0"><head/></opml>', "OPML without a <body>"),
    ],
)
def test_files_that_are_not_opml_are_named_with_the_reason(
    payload: bytes, expected: str, db: Database, settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "bad.opml"
    path.write_bytes(payload)
    with pytest.raises(InputError, match=re.escape(expected)) as info:
        import_opml(db, settings, path)
    assert str(info.value).startswith(str(path))


def test_a_missing_file_is_a_one_line_error(
    db: Database, settings: Settings, tmp_path: Path
) -> None:
    with pytest.raises(InputError, match="no such file"):
        import_opml(db, settings, tmp_path / "none.opml")


def test_oversized_opml_is_refused_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    from newsprism.registry import opml

    monkeypatch.setattr(opml, "MAX_OPML_BYTES", 64)
    with pytest.raises(InputError, match=r"big\.opml: 100 bytes is over the 64-byte OPML limit"):
        parse_opml(b" " * 100, "big.opml")


_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40
).filter(lambda t: t.strip() == t and t.strip())
_CONTROL = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=31), max_size=3)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=_TEXT,
    title=st.none() | _TEXT,
    categories=st.lists(_TEXT, max_size=4, unique=True),
    enabled=st.booleans(),
)
def test_any_names_titles_and_categories_survive_write_then_parse(
    name: str, title: str | None, categories: list[str], enabled: bool
) -> None:
    outlet = OpmlOutlet(
        domain="example.org",
        name=name,
        homepage="https://example.org/",
        country="fr",
        language="fr",
        categories=categories,
        feeds=[("https://example.org/rss?a=1&b=<2>", title, enabled)],
    )
    (feed,) = parse_opml(write_opml([outlet]), "generated.opml")
    assert feed.url == "https://example.org/rss?a=1&b=<2>"
    assert feed.outlet_domain == "example.org" and feed.outlet_name == name
    assert feed.title == title
    assert feed.categories == categories
    assert (feed.country, feed.language) == ("fr", "fr")
    assert (feed.enabled is not False) == enabled  # absent means enabled, as in other readers


@settings(max_examples=40, deadline=None)
@given(name=_TEXT, noise=_CONTROL)
def test_control_characters_in_titles_never_make_an_unreadable_file(name: str, noise: str) -> None:
    dirty = f"{name}{noise}"
    outlet = OpmlOutlet("example.org", dirty, feeds=[("https://example.org/rss", dirty, True)])
    (feed,) = parse_opml(write_opml([outlet]), "generated.opml")
    assert feed.outlet_name is not None and feed.outlet_name.startswith(name)


def test_an_undefined_entity_is_recovered_with_a_note() -> None:
    data = (
        b'<opml version="2.0"><body><outline text="a" xmlUrl="https://example.org/feed">&foo;'
        b"</outline></body></opml>"
    )
    notes: list[str] = []
    urls = [f.url for f in parse_opml(data, "entity.opml", notes)]
    assert urls == ["https://example.org/feed"]
    assert len(notes) == 1 and notes[0].startswith("entity.opml: not well-formed XML")
    assert "undefined entity" in notes[0]


TRUNCATED = (
    b'<?xml version="1.0"?>\n<opml version="2.0"><body>\n'
    b'<outline text="A" xmlUrl="https://a.example.org/feed"/>\n'
    b'<outline text="B" xmlUrl="https://b.example.org/feed"/>\n'
    b'<outline text="C" xmlUrl="https://c.example.org/fe'
)


def test_a_truncated_file_keeps_the_complete_outlines_and_says_it_is_damaged(
    db: Database, settings: Settings, tmp_path: Path
) -> None:
    notes: list[str] = []
    urls = [f.url for f in parse_opml(TRUNCATED, "cut.opml", notes)]
    assert urls == ["https://a.example.org/feed", "https://b.example.org/feed"]
    assert len(notes) == 1 and "cut.opml" in notes[0] and "cut short" in notes[0]
    # The import reports it among what it skipped.
    path = tmp_path / "cut.opml"
    path.write_bytes(TRUNCATED)
    report = import_opml(db, settings, path)
    assert report.feeds_added == 2
    assert any(str(path) in m and "cut short" in m for m in report.skipped)


def test_an_outline_with_a_malformed_address_is_skipped_alone(
    db: Database, settings: Settings, tmp_path: Path
) -> None:
    data = (
        b'<opml version="2.0"><body>'
        b'<outline text="Good" xmlUrl="https://good.example.org/feed"/>'
        b'<outline text="Bad" xmlUrl="http://[::1"/>'
        b'<outline text="Odd home" xmlUrl="https://odd.example.net/rss" htmlUrl="http://[x"/>'
        b"</body></opml>"
    )
    notes: list[str] = []
    feeds = parse_opml(data, "bad.opml", notes)
    assert [(f.url, f.html_url) for f in feeds] == [
        ("https://good.example.org/feed", None),
        ("https://odd.example.net/rss", None),
    ]
    assert notes[0] == (
        "bad.opml: outline 'Bad': xmlUrl 'http://[::1' is not an address (Invalid IPv6 URL); "
        "outline skipped"
    )
    assert "'Odd home': htmlUrl 'http://[x'" in notes[1] and "ignored" in notes[1]
    path = tmp_path / "bad.opml"
    path.write_bytes(data)
    report = import_opml(db, settings, path)
    assert (report.feeds, report.feeds_added) == (2, 2)
    assert any("'Bad'" in m and "skipped" in m for m in report.skipped)


def test_outlines_nested_thousands_deep_are_skipped_with_a_note() -> None:
    from newsprism.registry.opml import MAX_OUTLINE_DEPTH, parse_opml

    shallow = '<outline xmlUrl="https://a.example/feed.xml" text="A"/>'
    deep = '<outline text="f">' * 5000 + shallow + "</outline>" * 5000
    data = f'<opml version="2.0"><head/><body>{shallow}{deep}</body></opml>'.encode()
    notes: list[str] = []
    feeds = parse_opml(data, "deep.opml", notes)
    assert [f.url for f in feeds] == ["https://a.example/feed.xml"]
    assert notes == [
        f"deep.opml: outlines nested more than {MAX_OUTLINE_DEPTH} levels deep skipped"
    ]
