"""Feed parsing on hand-made documents: the four formats and every kind of bad input."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsprism.ingest.feeds import FeedError, declares_xml_entities, parse_feed, plain_text

FEEDS = Path(__file__).with_name("fixtures") / "feeds"
FETCHED = datetime(2030, 1, 12, tzinfo=UTC)
BASE = "https://feeds.example.com/path/feed"


def test_rss20_entries_have_links_titles_dates_authors_images() -> None:
    feed = parse_feed((FEEDS / "rss20.xml").read_bytes(), url=BASE, fetched_at=FETCHED)
    assert feed.kind == "rss20"
    assert feed.title == "Harbor Gazette"
    assert feed.site_url == "https://news.example.org/"
    first, second, third = feed.entries
    # Relative links resolve against the feed URL; markup leaves titles.
    assert first.url == "https://feeds.example.com/2030/01/10/harbor-budget"
    assert first.title == "City council approves new harbor budget"
    assert first.published == datetime(2030, 1, 10, 7, 30, tzinfo=UTC)
    assert first.guid == "hg-1001"
    assert first.author == "Ana Ruiz"
    assert first.image == "https://news.example.org/img/harbor.jpg"
    assert first.content is not None and "dredging" in first.content
    assert first.summary is not None and "<script>" not in first.summary
    assert second.image == "https://news.example.org/img/ferry.png"
    # A permalink GUID stands in for a missing <link>.
    assert third.url == "https://news.example.org/2030/01/08/fish-market"
    assert feed.notes == []
    assert feed.problems == []


def test_rss10_rdf_is_parsed() -> None:
    feed = parse_feed((FEEDS / "rss10.rdf").read_bytes(), url=BASE, fetched_at=FETCHED)
    assert feed.kind == "rss10"
    assert [e.url for e in feed.entries] == [
        "https://rdf.example.net/a",
        "https://rdf.example.net/b",
    ]
    assert feed.entries[1].published == datetime(2030, 1, 9, 10, 0, tzinfo=UTC)
    assert feed.entries[0].author == "J. Smith"


def test_atom_honours_xml_base_and_prefers_published_date() -> None:
    feed = parse_feed((FEEDS / "atom.xml").read_bytes(), url=BASE, fetched_at=FETCHED)
    assert feed.kind == "atom10"
    assert feed.title == "Atom & Co News"
    storm, schools = feed.entries
    assert storm.url == "https://atom.example.com/news/storm-closes-passes"
    assert storm.published == datetime(2030, 1, 10, 12, 0, tzinfo=UTC)
    assert storm.author == "Lee Park"
    assert schools.published == datetime(2030, 1, 11, 6, 0, tzinfo=UTC)


def test_json_feed_items_and_the_item_without_link() -> None:
    feed = parse_feed(
        (FEEDS / "jsonfeed.json").read_bytes(),
        url="https://json.example.com/feed.json",
        content_type="application/feed+json",
        fetched_at=FETCHED,
    )
    assert feed.kind == "json11"
    assert feed.title == "JSON Wire"
    markets, oil = feed.entries
    assert markets.author == "Kim Ode"
    assert markets.image == "https://json.example.com/img/markets.jpg"
    assert markets.content == "<p>Stocks rose sharply.</p>"
    assert oil.url == "https://json.example.com/oil-prices"
    assert oil.published == datetime(2030, 1, 9, 11, 0, tzinfo=UTC)
    assert oil.content == "<p>Brent fell 2%.</p>"
    assert feed.notes == ["entry 'No link here' has no http(s) link"]


def test_malformed_xml_keeps_usable_entries_and_says_so() -> None:
    feed = parse_feed((FEEDS / "malformed.xml").read_bytes(), url=BASE, fetched_at=FETCHED)
    assert [e.title for e in feed.entries] == ["First story survives", "Second story"]
    (problem,) = feed.problems
    assert problem.startswith("malformed XML, parsed leniently:")
    assert feed.notes == ["1 entry without a date"]


def test_html_page_is_not_a_feed() -> None:
    with pytest.raises(FeedError, match=r"^not a feed: the server sent an HTML page \(text/html"):
        parse_feed(
            (FEEDS / "html_page.html").read_bytes(),
            url=BASE,
            content_type="text/html; charset=utf-8",
            fetched_at=FETCHED,
        )


def test_feed_items_inside_an_html_page_are_kept_as_a_problem() -> None:
    body = (
        b"<!DOCTYPE html><html><body><rss version='2.0'><channel><title>T</title>"
        b"<item><title>Kept</title><link>https://news.example.org/kept</link></item>"
        b"</channel></rss></body></html>"
    )
    feed = parse_feed(body, url=BASE, content_type="text/html", fetched_at=FETCHED)
    assert [e.title for e in feed.entries] == ["Kept"]
    assert feed.problems == ["an HTML page, not a feed: 1 feed item recovered from it"]


def test_html_page_is_recognised_without_content_type() -> None:
    with pytest.raises(FeedError, match="HTML page"):
        parse_feed((FEEDS / "html_page.html").read_bytes(), url=BASE, fetched_at=FETCHED)


def test_wrong_charset_header_is_overridden_and_noted() -> None:
    feed = parse_feed(
        (FEEDS / "latin1_no_declaration.xml").read_bytes(),
        url=BASE,
        content_type="application/rss+xml; charset=utf-8",
        fetched_at=FETCHED,
    )
    assert feed.title == "Café Crème Zeitung"
    assert feed.entries[0].title == "Bürgermeister eröffnet Straße"
    assert any(problem.startswith("encoding:") for problem in feed.problems)


@pytest.mark.parametrize("name", ["latin1_no_declaration.xml", "latin1_declared.xml"])
def test_missing_charset_still_reads_accents(name: str) -> None:
    feed = parse_feed((FEEDS / name).read_bytes(), url=BASE, fetched_at=FETCHED)
    assert feed.entries[0].title == "Bürgermeister eröffnet Straße"
    assert feed.entries[0].summary == "Größer als geplant."


def test_duplicate_guids_and_links_are_dropped_once_each() -> None:
    feed = parse_feed((FEEDS / "duplicate_guids.xml").read_bytes(), url=BASE, fetched_at=FETCHED)
    assert [(e.guid, e.title) for e in feed.entries] == [("g-1", "Story one"), ("g-2", "Story two")]
    assert "2 duplicate entries (same GUID or link) dropped" in feed.notes


def test_missing_future_placeholder_and_garbage_dates() -> None:
    feed = parse_feed((FEEDS / "dates.xml").read_bytes(), url=BASE, fetched_at=FETCHED)
    by_title = {e.title: e for e in feed.entries}
    assert by_title["No date at all"].published is None
    assert by_title["No date at all"].date_note == "no date in feed"
    future = by_title["From the future"]
    assert future.published == FETCHED
    assert (
        future.date_note
        == "feed date 2050-01-01T00:00:00+00:00 is in the future; set to fetch time"
    )
    assert by_title["Placeholder date"].published is None
    assert (
        by_title["Placeholder date"].date_note == "feed date 1970-01-01 is a placeholder; ignored"
    )
    assert by_title["Garbage date"].published is None
    assert by_title["Garbage date"].date_note == "unreadable date in feed: 'sometime last week'"
    assert by_title["Normal date"].date_note is None
    assert feed.notes == [
        "1 entry without a date",
        "1 entry with an unreadable date",
        "1 entry dated in the future (set to fetch time)",
        "1 entry with a placeholder date (ignored)",
    ]


@pytest.mark.parametrize("name", ["xml_bomb.xml", "external_entity.xml"])
def test_entity_declarations_are_refused(name: str) -> None:
    with pytest.raises(FeedError, match="declares XML entities"):
        parse_feed((FEEDS / name).read_bytes(), url=BASE, fetched_at=FETCHED)


def test_utf16_encoded_bomb_is_refused_too() -> None:
    text = (FEEDS / "xml_bomb.xml").read_text(encoding="utf-8")
    body = text.replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>')
    assert declares_xml_entities(body.encode("utf-16"))


def test_plain_doctype_without_entities_is_accepted() -> None:
    body = (
        b'<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"'
        b' "http://my.netscape.com/publish/formats/rss-0.91.dtd"><rss version="0.91"><channel>'
        b"<title>Old</title><item><title>A</title><link>https://old.example.com/a</link></item>"
        b"</channel></rss>"
    )
    feed = parse_feed(body, url=BASE, fetched_at=FETCHED)
    assert [e.url for e in feed.entries] == ["https://old.example.com/a"]


def test_a_malformed_address_drops_its_entry_and_keeps_the_rest() -> None:
    body = (
        b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>'
        b"<link>http://[oops</link>"
        b"<item><title>Good one</title><link>https://a.example/1</link>"
        b'<enclosure url="http://[bad/img.jpg" type="image/jpeg" length="1"/></item>'
        b"<item><title>Bad address</title><link>http://[::1/x</link></item>"
        b"<item><title>Good two</title><link>https://a.example/2</link></item>"
        b"</channel></rss>"
    )
    feed = parse_feed(body, url=BASE, fetched_at=FETCHED)
    assert [e.url for e in feed.entries] == ["https://a.example/1", "https://a.example/2"]
    assert feed.entries[0].image is None
    assert feed.site_url is None
    assert any("Bad address" in note for note in feed.notes + feed.problems)
    json_body = (
        b'{"version": "https://jsonfeed.org/version/1.1", "title": "J",'
        b' "home_page_url": "http://[x", "items": [{"id": "1", "url": "http://[::1/x"},'
        b' {"id": "2", "url": "https://a.example/3", "title": "Fine"}]}'
    )
    feed = parse_feed(json_body, url=BASE, fetched_at=FETCHED)
    assert [e.url for e in feed.entries] == ["https://a.example/3"]


def test_empty_channel_is_a_valid_feed_without_entries() -> None:
    feed = parse_feed((FEEDS / "empty_channel.xml").read_bytes(), url=BASE, fetched_at=FETCHED)
    assert feed.entries == []
    assert feed.title == "Quiet"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "not a feed: the response was empty"),
        (b"   \n", "not a feed: the response was empty"),
        (b"{not json", "not a feed: invalid JSON"),
        (b'{"hello": "world"}', "not a feed: JSON without a JSON Feed version"),
        (b'{"version": "https://jsonfeed.org/version/1"}', "without an 'items' list"),
        (b"just some text, no markup at all", "not a feed: unreadable XML"),
    ],
)
def test_unusable_documents_raise_one_line_reasons(body: bytes, message: str) -> None:
    with pytest.raises(FeedError) as info:
        parse_feed(body, url=BASE, fetched_at=FETCHED)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_plain_text_strips_markup_and_entities() -> None:
    assert plain_text("  <b>Bold</b> &amp; <i>brave</i>\n news ") == "Bold & brave news"
    assert plain_text("   ") is None


def test_the_body_decides_the_format_not_the_content_type() -> None:
    rss = parse_feed(
        (FEEDS / "rss20.xml").read_bytes(),
        url=BASE,
        content_type="application/json",
        fetched_at=FETCHED,
    )
    assert rss.kind == "rss20"
    json_feed = parse_feed(
        (FEEDS / "jsonfeed.json").read_bytes(),
        url=BASE,
        content_type="text/xml",
        fetched_at=FETCHED,
    )
    assert json_feed.kind == "json11"


def test_json_feed_in_a_legacy_encoding_is_read_and_noted() -> None:
    body = (
        '{"version": "https://jsonfeed.org/version/1.1", "title": "Café", "items": ['
        '{"id": "1", "url": "https://cafe.example.fr/a", "title": "Crème brûlée"}]}'
    ).encode("cp1252")
    feed = parse_feed(body, url=BASE, fetched_at=FETCHED)
    assert feed.entries[0].title == "Crème brûlée"
    assert feed.problems == ["encoding: JSON Feed is not UTF-8; read as windows-1252"]


# A guard against a hang, not a speed test: the old pattern never finished on 40 comments.
@pytest.mark.timeout(60)
@pytest.mark.parametrize("comments", [b"<!---->" * 40, b"<!-- a --> <!--b-->\n" * 200])
def test_comments_before_a_feed_are_skipped_in_linear_time(comments: bytes) -> None:
    body = (
        comments + b'<rss version="2.0"><channel><title>x</title><item><title>a</title>'
        b"<link>http://e.com/a</link></item></channel></rss>"
    )
    parsed = parse_feed(body, url="http://e.com/f")
    assert [e.title for e in parsed.entries] == ["a"]


@pytest.mark.parametrize(
    ("start", "html"),
    [
        (b"<!DOCTYPE html><p>", True),
        (b"  <!-- x --> <HTML lang=en>", True),
        (b"<!-- a --><!-- b -->\n<body>", True),
        (b"<?xml version='1.0'?><rss>", False),
        (b"<!-- unclosed <html>", False),
        (b"<!---->" * 40 + b"<rss>", False),
    ],
)
def test_an_html_page_is_told_after_white_space_and_comments(start: bytes, html: bool) -> None:
    from newsprism.ingest.feeds import looks_like_html

    assert looks_like_html(start) is html


def test_dates_out_of_range_are_dropped_with_a_note_and_the_other_entries_kept() -> None:
    import json

    atom = (
        b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
        b'<entry><title>zero</title><link href="http://e.com/a"/><id>1</id>'
        b"<updated>0000-01-01T00:00:00Z</updated></entry>"
        b'<entry><title>end</title><link href="http://e.com/c"/><id>3</id>'
        b"<updated>9999-12-31T23:59:59-23:59</updated></entry>"
        b'<entry><title>good</title><link href="http://e.com/b"/><id>2</id>'
        b"<updated>2020-01-01T00:00:00Z</updated></entry></feed>"
    )
    items = [
        {"id": str(n), "url": f"http://e.com/{n}", "title": "a", "date_published": raw}
        for n, raw in enumerate(("0001-01-01T00:00:00+01:00", "Fri, 31 Dec 9999 23:59:59 -1400"))
    ] + [
        {"id": "3", "url": "http://e.com/c", "title": "c", "date_published": "2020-01-01T00:00:00Z"}
    ]
    jsonfeed = json.dumps(
        {"version": "https://jsonfeed.org/version/1.1", "title": "t", "items": items}
    ).encode()
    for body, kind in ((atom, "application/atom+xml"), (jsonfeed, "application/feed+json")):
        entries = parse_feed(body, url="http://e.com/f", content_type=kind).entries
        assert len(entries) == 3
        assert [e.published is None for e in entries] == [True, True, False]
        assert all(e.date_note for e in entries[:2])


def test_a_guid_shared_by_items_of_other_pages_does_not_drop_them() -> None:
    # Some CMSs give every item the site's address as its GUID.
    items = "".join(
        f"<item><title>Story {n}</title><link>https://site.example/{n}</link>"
        "<guid>https://site.example/</guid></item>"
        for n in range(5)
    )
    body = f'<rss version="2.0"><channel><title>t</title>{items}</channel></rss>'.encode()
    feed = parse_feed(body, url="https://site.example/feed", fetched_at=FETCHED)
    assert [e.title for e in feed.entries] == [f"Story {n}" for n in range(5)]
    assert "4 entries share a GUID with another page; kept by their links" in feed.notes


def test_json_feed_values_that_are_not_text_are_ignored_not_written_out() -> None:
    import json

    body = json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": ["x"],
            "items": [
                {
                    "id": 1,
                    "url": "http://e.com/a",
                    "title": {"a": 1},
                    "summary": [1],
                    "image": 7,
                    "date_published": 12345,
                }
            ],
        }
    ).encode()
    feed = parse_feed(body, url="http://e.com/f.json", content_type="application/feed+json")
    [entry] = feed.entries
    assert feed.title is None
    assert (entry.guid, entry.title, entry.summary, entry.image, entry.published) == (
        "1",
        "",
        None,
        None,
        None,
    )
    assert entry.date_note == "unreadable date in feed: '12345'"


def test_a_zero_padded_year_in_a_feed_is_a_placeholder_not_2001() -> None:
    body = (
        b'<rss version="2.0"><channel><title>t</title>'
        b"<item><title>zero</title><link>http://e.com/a</link>"
        b"<pubDate>Mon, 01 Jan 0001 00:00:00 +0000</pubDate></item>"
        b"<item><title>real</title><link>http://e.com/b</link>"
        b"<pubDate>Tue, 10 Jun 2003 04:00:00 +0000</pubDate></item></channel></rss>"
    )
    zero, real = parse_feed(body, url="http://e.com/f", fetched_at=FETCHED).entries
    assert zero.published is None and "placeholder" in str(zero.date_note)
    assert real.published == datetime(2003, 6, 10, 4, tzinfo=UTC)
