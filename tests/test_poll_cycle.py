"""Polling cycles against real servers on 127.0.0.1: articles stored, every bad case logged."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from sqlalchemy import select, update

from loopback import FEEDS, LoopbackServer, dripping, huge, stalling
from newsprism.config import Settings
from newsprism.ingest.extract_pool import ExtractionPool
from newsprism.ingest.poll import PollReport, poll_cycle
from newsprism.ingest.schedule import GONE_POLLS, MISSING_DAYS, MISSING_POLLS
from newsprism.registry.sources import set_sources_enabled, source_listing
from newsprism.store.database import Database
from newsprism.store.feeds import feed_state, recent_fetches
from newsprism.store.outlets import add_feed, get_or_create_outlet
from newsprism.store.schema import articles, fetch_log
from newsprism.timeutil import as_utc, utcnow

PAGES = Path(__file__).with_name("fixtures") / "pages"


@pytest.fixture(scope="module")
def extractor() -> Iterator[ExtractionPool]:
    # One worker process for the whole module: starting trafilatura is the slow part.
    with ExtractionPool(1, 30.0) as pool:
        yield pool


@pytest.fixture
def fast(settings: Settings) -> Settings:
    return replace(settings, http_timeout_s=1.0, max_feed_bytes=1024 * 1024)


def add_test_feed(
    db: Database, settings: Settings, url: str, domain: str = "harbor.example"
) -> int:
    with db.write() as conn:
        outlet = get_or_create_outlet(conn, domain, "Harbor Gazette", origin="user")
        assert outlet is not None
        return add_feed(conn, outlet, url, settings=settings)


def rss(items: list[tuple[str, str, str]], title: str = "Harbor Gazette") -> str:
    """RSS 2.0 with (title, link, description) items."""
    body = "".join(
        f"<item><title>{t}</title><link>{link}</link><guid>{link}</guid>"
        f"<pubDate>Thu, 10 Jan 2030 08:00:00 GMT</pubDate><description>{d}</description></item>"
        for t, link, d in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
        f"<link>https://harbor.example/</link>{body}</channel></rss>"
    )


def serve_pages(server: LoopbackServer) -> tuple[str, str]:
    budget = server.route(
        "/news/harbor-budget",
        (PAGES / "harbor_budget.html").read_bytes(),
        content_type="text/html; charset=utf-8",
    )
    ferry = server.route(
        "/news/ferry", (PAGES / "ferry.html").read_bytes(), content_type="text/html"
    )
    return budget, ferry


def stored(db: Database) -> dict[str, dict[str, object]]:
    with db.read() as conn:
        rows = conn.execute(select(articles)).mappings().all()
    return {str(r["title"]): dict(r) for r in rows}


def run(db: Database, settings: Settings, extractor: ExtractionPool, **kw: object) -> PollReport:
    return poll_cycle(db, settings, extractor=extractor, **kw)  # type: ignore[arg-type]


def test_new_entries_become_extracted_articles(
    db: Database, settings: Settings, server: LoopbackServer, extractor: ExtractionPool
) -> None:
    budget, ferry = serve_pages(server)
    feed_url = server.route(
        "/rss.xml",
        rss(
            [
                ("City council approves new harbor budget", budget, "Vote 7–2."),
                ("Ferry service resumes after storm", ferry, "Ferries run again."),
            ]
        ),
        headers={"ETag": '"rev-1"', "Last-Modified": "Thu, 10 Jan 2030 09:00:00 GMT"},
    )
    feed_id = add_test_feed(db, settings, feed_url)

    report = run(db, settings, extractor)

    assert (report.feeds, report.ok, report.failed, report.new_articles) == (1, 1, 0, 2)
    arts = stored(db)
    budget_row = arts["City council approves new harbor budget"]
    assert budget_row["extraction_status"] == "extracted"
    assert "dredging the main channel" in str(budget_row["text"])
    assert budget_row["feed_id"] == feed_id
    assert budget_row["summary"] == "Vote 7–2."
    with db.read() as conn:
        state = feed_state(conn, feed_id)
        log = recent_fetches(conn, feed_id=feed_id)
    assert state is not None
    assert state["last_status"] == "ok"
    assert state["etag"] == '"rev-1"'
    assert state["last_modified"] == "Thu, 10 Jan 2030 09:00:00 GMT"
    assert state["consecutive_failures"] == 0
    assert state["next_poll_at"] > utcnow()
    assert state["title"] == "Harbor Gazette"
    kinds = sorted((e.kind, e.outcome) for e in log)
    assert kinds == [("feed", "ok"), ("page", "ok"), ("page", "ok")]
    assert next(e for e in log if e.kind == "feed").new_items == 2


def test_second_poll_is_conditional_and_adds_nothing(
    db: Database, settings: Settings, server: LoopbackServer, extractor: ExtractionPool
) -> None:
    budget, _ = serve_pages(server)
    document = rss([("City council approves new harbor budget", budget, "Vote.")]).encode()

    def conditional(h: BaseHTTPRequestHandler) -> None:
        if h.headers.get("If-None-Match") == '"rev-1"':
            h.send_response(304)
            h.send_header("Content-Length", "0")
            h.end_headers()
            return
        h.send_response(200)
        h.send_header("ETag", '"rev-1"')
        h.send_header("Content-Length", str(len(document)))
        h.end_headers()
        h.wfile.write(document)

    feed_id = add_test_feed(db, settings, server.route("/rss.xml", handler=conditional))
    assert run(db, settings, extractor).new_articles == 1
    second = run(db, settings, extractor, feed_ids=[feed_id])
    assert (second.not_modified, second.new_articles) == (1, 0)
    assert server.requests[-1].headers["if-none-match"] == '"rev-1"'
    assert server.hits("/news/harbor-budget") == 1
    with db.read() as conn:
        state = feed_state(conn, feed_id)
    assert state is not None and state["last_status"] == "not_modified"
    assert state["etag"] == '"rev-1"'


def test_known_entries_are_not_fetched_again(
    db: Database, settings: Settings, server: LoopbackServer, extractor: ExtractionPool
) -> None:
    budget, ferry = serve_pages(server)
    feed_id = add_test_feed(
        db,
        settings,
        server.route("/rss.xml", rss([("Budget", budget, "a"), ("Ferry", ferry, "b")])),
    )
    run(db, settings, extractor)
    again = run(db, settings, extractor, feed_ids=[feed_id])
    assert (again.ok, again.entries, again.new_entries, again.new_articles) == (1, 2, 0, 0)
    assert server.hits("/news/harbor-budget") == 1
    assert server.hits("/news/ferry") == 1


def test_a_refused_entry_is_not_fetched_or_counted_again_until_a_day_later(
    db: Database, settings: Settings, server: LoopbackServer, extractor: ExtractionPool
) -> None:
    budget, _ferry = serve_pages(server)
    gone = server.url("/news/gone")  # 404, and the entry has neither title nor summary
    feed_id = add_test_feed(
        db, settings, server.route("/rss.xml", rss([("Budget", budget, "a"), ("", gone, "")]))
    )
    first = run(db, settings, extractor)
    assert (first.new_entries, first.new_articles, first.pages_failed) == (1, 1, 0)
    with db.read() as conn:
        [refused] = recent_fetches(conn, feed_id=feed_id, kind="entry")
    assert refused.url == gone and refused.outcome == "skipped"
    assert refused.error is not None and "no title and no text" in refused.error
    again = run(db, settings, extractor, feed_ids=[feed_id])
    assert (again.entries, again.new_entries, again.new_articles) == (2, 0, 0)
    assert server.hits("/news/gone") == 1
    # A day later it is tried once more: the page may have been fixed.
    with db.write() as conn:
        conn.execute(
            update(fetch_log)
            .where(fetch_log.c.kind == "entry")
            .values(started_at=utcnow() - timedelta(days=1, minutes=1))
        )
    run(db, settings, extractor, feed_ids=[feed_id])
    assert server.hits("/news/gone") == 2


def test_unfetchable_page_keeps_the_feed_title_and_summary(
    db: Database, settings: Settings, server: LoopbackServer, extractor: ExtractionPool
) -> None:
    gone = server.url("/news/removed")
    server.route("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    private = server.url("/private/story")
    server.route("/private/story", "<html><body>secret</body></html>", content_type="text/html")
    pdf = server.route("/files/report.pdf", b"%PDF-1.4 ...", content_type="application/pdf")
    add_test_feed(
        db,
        settings,
        server.route(
            "/rss.xml",
            rss(
                [
                    ("Removed story", gone, "<p>The <b>summary</b> survives.</p>"),
                    ("Private story", private, "Robots say no."),
                    ("Annual report", pdf, "A PDF."),
                ]
            ),
        ),
    )
    report = run(db, settings, extractor)
    assert (report.new_articles, report.pages_failed) == (3, 3)
    arts = stored(db)
    removed = arts["Removed story"]
    assert removed["extraction_status"] == "feed_only"
    assert removed["text"] == "The summary survives."
    assert removed["extraction_note"] == "page not fetched: HTTP 404 Not Found"
    assert arts["Private story"]["extraction_note"] == (
        f"page not fetched: robots.txt of {server.url('')} disallows /private/story"
    )
    assert arts["Annual report"]["extraction_note"] == (
        "page not extracted: it is application/pdf, not HTML"
    )
    assert server.hits("/private/story") == 0


def test_page_fetching_can_be_switched_off(
    db: Database, settings: Settings, server: LoopbackServer, extractor: ExtractionPool
) -> None:
    budget, _ = serve_pages(server)
    add_test_feed(db, settings, server.route("/rss.xml", rss([("Budget", budget, "Short.")])))
    report = run(db, replace(settings, fetch_pages=False), extractor)
    assert report.new_articles == 1
    row = stored(db)["Budget"]
    assert row["extraction_status"] == "feed_only"
    assert row["extraction_note"] == "page not fetched: page fetching is off (fetch_pages = false)"
    assert server.hits("/news/harbor-budget") == 0


def _bad_feeds(server: LoopbackServer) -> dict[str, tuple[str, str, str]]:
    """path -> (fetch-log outcome, expected reason fragment, description)."""
    server.route("/html", FEEDS.joinpath("html_page.html").read_bytes(), content_type="text/html")
    server.route("/404", "missing", status=404, content_type="text/plain")
    server.route("/410", "gone", status=410, content_type="text/plain")
    server.route("/500", "boom", status=500, content_type="text/plain")
    server.route("/stall", handler=stalling(3.0))
    server.route("/drip", handler=dripping(total_s=6.0, step_s=0.1))
    server.route("/huge", handler=huge(50 * 1024 * 1024, declare_length=False))
    server.route("/loop-a", status=302, headers={"Location": "/loop-b"}, content_type=None)
    server.route("/loop-b", status=302, headers={"Location": "/loop-a"}, content_type=None)
    server.fixture("/bomb", "xml_bomb.xml")
    server.route("/429", "later", status=429, headers={"Retry-After": "7200"})
    server.route("/robots.txt", "User-agent: *\nDisallow: /blocked\n", content_type="text/plain")
    server.fixture("/blocked", "rss20.xml")
    return {
        "/html": ("error", "not a feed: the server sent an HTML page", "HTML instead of a feed"),
        "/404": ("error", "HTTP 404 Not Found", "404"),
        "/410": ("error", "HTTP 410 Gone", "410"),
        "/500": ("error", "HTTP 500 Internal Server Error", "500"),
        "/stall": ("error", "timed out", "timeout"),
        "/drip": ("error", "timed out: no complete response within 1 s", "dripping server"),
        "/huge": ("error", "response too large", "50 MB response"),
        "/loop-a": ("error", "redirect loop", "redirect loop"),
        "/bomb": ("error", "declares XML entities", "XML bomb"),
        "/429": ("error", "HTTP 429 Too Many Requests", "429 + Retry-After"),
        "/blocked": ("skipped", "robots.txt of", "robots disallow"),
    }


def test_every_bad_feed_is_logged_backs_off_and_spares_the_cycle(
    db: Database, fast: Settings, server: LoopbackServer, extractor: ExtractionPool
) -> None:
    cases = _bad_feeds(server)
    budget, _ = serve_pages(server)
    good_url = server.route("/good.xml", rss([("Budget", budget, "Short.")]))
    ids = {path: add_test_feed(db, fast, server.url(path)) for path in cases}
    good_id = add_test_feed(db, fast, good_url)
    before = utcnow()

    report = run(db, fast, extractor)

    assert report.feeds == len(cases) + 1
    assert (report.ok, report.failed, report.new_articles) == (1, len(cases), 1)
    with db.read() as conn:
        for path, (outcome, reason, what) in cases.items():
            state = feed_state(conn, ids[path])
            assert state is not None
            assert state["last_status"] == "error", what
            assert reason in str(state["last_error"]), what
            assert state["consecutive_failures"] == 1, what
            # Backed off: the next try waits at least twice the regular interval.
            assert state["next_poll_at"] >= before + timedelta(
                seconds=2 * fast.default_poll_interval_s
            ), what
            (entry,) = recent_fetches(conn, feed_id=ids[path], kind="feed")
            assert entry.url == server.url(path), what
            assert entry.outcome == outcome, what
            assert entry.error is not None and reason in entry.error, what
        good = feed_state(conn, good_id)
    assert good is not None and good["last_status"] == "ok"
    assert sum(1 for e in report.errors if "HTTP 404" in e) == 1


def test_retry_after_longer_than_backoff_sets_the_next_poll(
    db: Database, settings: Settings, server: LoopbackServer, extractor: ExtractionPool
) -> None:
    feed_id = add_test_feed(
        db, settings, server.route("/rss.xml", "busy", status=503, headers={"Retry-After": "90000"})
    )
    before = utcnow()
    run(db, settings, extractor)
    with db.read() as conn:
        state = feed_state(conn, feed_id)
    assert state is not None
    assert state["last_error"] == "HTTP 503 Service Unavailable"
    assert state["next_poll_at"] >= before + timedelta(seconds=90000)


def test_failures_grow_the_backoff_and_success_resets_it(
    db: Database, settings: Settings, server: LoopbackServer, extractor: ExtractionPool
) -> None:
    feed_id = add_test_feed(db, settings, server.route("/rss.xml", "no", status=500))
    delays = []
    for _ in range(3):
        before = utcnow()
        run(db, settings, extractor, feed_ids=[feed_id])
        with db.read() as conn:
            state = feed_state(conn, feed_id)
        assert state is not None
        delays.append((state["next_poll_at"] - before).total_seconds())
    assert state["consecutive_failures"] == 3
    assert delays[0] < delays[1] < delays[2]
    server.fixture("/rss.xml", "empty_channel.xml")
    run(db, settings, extractor, feed_ids=[feed_id])
    with db.read() as conn:
        state = feed_state(conn, feed_id)
    assert state is not None
    assert (state["last_status"], state["consecutive_failures"], state["last_error"]) == (
        "ok",
        0,
        None,
    )


def test_tolerated_defects_store_articles_and_are_noted(
    db: Database, settings: Settings, server: LoopbackServer, extractor: ExtractionPool
) -> None:
    quiet = replace(settings, fetch_pages=False)
    ids = {
        "dupes": add_test_feed(db, quiet, server.fixture("/dupes.xml", "duplicate_guids.xml")),
        "dates": add_test_feed(db, quiet, server.fixture("/dates.xml", "dates.xml")),
        "plain": add_test_feed(
            db,
            quiet,
            server.route(
                "/plain.xml",
                FEEDS.joinpath("rss20.xml").read_bytes(),
                content_type="text/plain; charset=utf-8",
            ),
        ),
    }
    report = run(db, quiet, extractor)
    assert (report.ok, report.failed) == (3, 0)
    arts = stored(db)
    assert {"Story one", "Story two"} <= set(arts)
    future = arts["From the future"]
    assert "is in the future; set to fetch time" in str(future["date_note"])
    assert as_utc(future["published_at"]) <= utcnow()  # type: ignore[arg-type]
    assert arts["No date at all"]["published_at"] is None
    assert arts["No date at all"]["date_note"] == "no date in feed"
    with db.read() as conn:
        notes = {name: recent_fetches(conn, feed_id=i, kind="feed")[0] for name, i in ids.items()}
        states = {name: feed_state(conn, i) for name, i in ids.items()}
    assert all(entry.outcome == "ok" for entry in notes.values())
    assert all(s is not None and s["consecutive_failures"] == 0 for s in states.values())
    assert "2 duplicate entries (same GUID or link) dropped" in str(notes["dupes"].error)
    assert "dated in the future (set to fetch time)" in str(notes["dates"].error)
    assert "1 entry without a date" in str(notes["dates"].error)
    # A feed served as text/plain is common and harmless: not a defect of the document.
    assert not any(word in str(notes["plain"].error) for word in ("XML", "encoding", "HTML"))


def _broken_documents(server: LoopbackServer) -> dict[str, tuple[int, str]]:
    """name -> (feed id route, expected reason fragment) for documents parsed leniently."""
    item = (
        "<item><title>Wrapped story</title><link>https://harbor.example/wrapped</link>"
        "<description>Inside a page.</description></item>"
    )
    wrapped = (
        "<!DOCTYPE html><html><head><title>Feed</title></head><body>"
        f'<rss version="2.0"><channel><title>Harbor</title>{item}</channel></rss></body></html>'
    )
    server.fixture("/malformed.xml", "malformed.xml")
    server.route(
        "/latin.xml",
        FEEDS.joinpath("latin1_no_declaration.xml").read_bytes(),
        content_type="application/rss+xml; charset=utf-8",
    )
    server.route("/wrapped", wrapped, content_type="text/html; charset=utf-8")
    return {
        "/malformed.xml": (2, "malformed XML, parsed leniently"),
        "/latin.xml": (1, "encoding:"),
        "/wrapped": (1, "an HTML page, not a feed: 1 feed item recovered"),
    }


def test_recovered_documents_keep_their_entries_but_fail_and_back_off(
    db: Database, settings: Settings, server: LoopbackServer, extractor: ExtractionPool
) -> None:
    quiet = replace(settings, fetch_pages=False)
    cases = _broken_documents(server)
    ids = {path: add_test_feed(db, quiet, server.url(path)) for path in cases}
    before = utcnow()

    report = run(db, quiet, extractor)

    assert (report.ok, report.failed, report.new_articles) == (0, 3, 4)
    arts = stored(db)
    assert {"First story survives", "Second story", "Wrapped story"} <= set(arts)
    assert "Bürgermeister eröffnet Straße" in arts
    with db.read() as conn:
        for path, (entries, reason) in cases.items():
            state = feed_state(conn, ids[path])
            assert state is not None
            assert state["last_status"] == "error", path
            assert reason in str(state["last_error"]), path
            assert state["consecutive_failures"] == 1, path
            assert state["enabled"], path
            assert state["next_poll_at"] >= before + timedelta(
                seconds=2 * quiet.default_poll_interval_s
            ), path
            # The broken document is fetched in full again next time, not answered by a 304.
            assert state["etag"] is None and state["last_modified"] is None, path
            (entry,) = recent_fetches(conn, feed_id=ids[path], kind="feed")
            assert entry.outcome == "error", path
            assert entry.error is not None and reason in entry.error, path
            assert f"{entries} entries read, {entries} new articles stored" in entry.error, path
            assert entry.new_items == entries, path
    listing = {f["url"]: f for row in source_listing(db, failing=True) for f in row["feeds"]}
    assert {server.url(p) for p in cases} <= set(listing)
    assert "malformed XML" in str(listing[server.url("/malformed.xml")]["last_error"])


def test_a_fixed_document_recovers(
    db: Database, settings: Settings, server: LoopbackServer, extractor: ExtractionPool
) -> None:
    quiet = replace(settings, fetch_pages=False)
    feed_id = add_test_feed(db, quiet, server.fixture("/feed.xml", "malformed.xml"))
    run(db, quiet, extractor, feed_ids=[feed_id])
    run(db, quiet, extractor, feed_ids=[feed_id])
    with db.read() as conn:
        state = feed_state(conn, feed_id)
    assert state is not None and state["consecutive_failures"] == 2
    assert len(stored(db)) == 2  # the second poll found nothing new
    server.fixture("/feed.xml", "rss20.xml")
    run(db, quiet, extractor, feed_ids=[feed_id])
    with db.read() as conn:
        state = feed_state(conn, feed_id)
    assert state is not None
    assert (state["last_status"], state["consecutive_failures"]) == ("ok", 0)


def _poll_times(
    db: Database, settings: Settings, extractor: ExtractionPool, feed_id: int, n: int
) -> None:
    for _ in range(n):
        run(db, settings, extractor, feed_ids=[feed_id])


def test_a_feed_answering_410_again_and_again_is_switched_off(
    db: Database, settings: Settings, server: LoopbackServer, extractor: ExtractionPool
) -> None:
    feed_id = add_test_feed(db, settings, server.route("/gone.xml", "gone", status=410))
    _poll_times(db, settings, extractor, feed_id, GONE_POLLS - 1)
    with db.read() as conn:
        state = feed_state(conn, feed_id)
    assert state is not None and state["enabled"] and state["last_status"] == "error"

    report = run(db, settings, extractor, feed_ids=[feed_id])

    assert report.failed == 1 and "disabled: HTTP 410 Gone" in report.errors[0]
    with db.read() as conn:
        state = feed_state(conn, feed_id)
    assert state is not None
    assert not state["enabled"]
    assert state["last_status"] == "disabled"
    assert f"HTTP 410 Gone on the last {GONE_POLLS} polls" in str(state["last_error"])
    assert "newsprism sources enable harbor.example" in str(state["last_error"])
    # No longer polled, and still shown with the reason in the default listing.
    assert run(db, settings, extractor).feeds == 0
    (row,) = source_listing(db, domains=["harbor.example"])
    assert "410 Gone" in str(row["feeds"][0]["last_error"])
    assert server.hits("/gone.xml") == GONE_POLLS

    # An operator switches it back on; the feed is back, and it is polled at once.
    server.route("/gone.xml", rss([("Back again", "https://harbor.example/back", "Yes.")]))
    set_sources_enabled(db, enabled=True, domains=["harbor.example"])
    report = run(db, replace(settings, fetch_pages=False), extractor)
    assert (report.feeds, report.ok, report.new_articles) == (1, 1, 1)
    with db.read() as conn:
        state = feed_state(conn, feed_id)
    assert state is not None and state["enabled"] and state["last_status"] == "ok"


def test_404_switches_a_feed_off_only_after_a_week_of_polls(
    db: Database, settings: Settings, server: LoopbackServer, extractor: ExtractionPool
) -> None:
    url = server.route("/missing.xml", "missing", status=404)
    feed_id = add_test_feed(db, settings, url)
    # A CMS that answers 404 for an afternoon is not a dead feed: many polls in minutes.
    _poll_times(db, settings, extractor, feed_id, MISSING_POLLS + 1)
    with db.read() as conn:
        state = feed_state(conn, feed_id)
    assert state is not None and state["enabled"]
    assert state["consecutive_failures"] == MISSING_POLLS + 1

    # The same streak spread over more than a week (as backoff spreads it): switched off.
    with db.write() as conn:
        conn.execute(
            update(fetch_log)
            .where(fetch_log.c.feed_id == feed_id)
            .values(started_at=utcnow() - timedelta(days=MISSING_DAYS + 1))
        )
    run(db, settings, extractor, feed_ids=[feed_id])
    with db.read() as conn:
        state = feed_state(conn, feed_id)
    assert state is not None and not state["enabled"]
    assert f"HTTP 404 Not Found on the last {MISSING_POLLS + 2} polls" in str(state["last_error"])


def test_a_streak_broken_by_another_answer_keeps_the_feed(
    db: Database, settings: Settings, server: LoopbackServer, extractor: ExtractionPool
) -> None:
    feed_id = add_test_feed(db, settings, server.route("/flaky.xml", "gone", status=410))
    _poll_times(db, settings, extractor, feed_id, GONE_POLLS - 1)
    server.route("/flaky.xml", "boom", status=500)
    _poll_times(db, settings, extractor, feed_id, 1)
    server.route("/flaky.xml", "gone", status=410)
    _poll_times(db, settings, extractor, feed_id, GONE_POLLS - 1)
    with db.read() as conn:
        state = feed_state(conn, feed_id)
    assert state is not None and state["enabled"]
    assert state["consecutive_failures"] == 2 * GONE_POLLS - 1


def test_private_addresses_are_refused_without_the_switch(
    db: Database, settings: Settings, server: LoopbackServer, extractor: ExtractionPool
) -> None:
    feed_id = add_test_feed(db, settings, server.fixture("/rss.xml", "rss20.xml"))
    report = run(db, replace(settings, allow_private_networks=False), extractor)
    assert report.failed == 1
    with db.read() as conn:
        state = feed_state(conn, feed_id)
        (entry,) = recent_fetches(conn, feed_id=feed_id)
    assert state is not None and "resolves to non-public address 127.0.0.1" in state["last_error"]
    assert entry.outcome == "skipped"
    assert server.requests == []


def test_stop_before_start_leaves_feeds_due(
    db: Database, settings: Settings, server: LoopbackServer, extractor: ExtractionPool
) -> None:
    import threading

    feed_id = add_test_feed(db, settings, server.fixture("/rss.xml", "rss20.xml"))
    stop = threading.Event()
    stop.set()
    report = run(db, settings, extractor, stop=stop)
    assert report.feeds == 0
    assert server.requests == []
    with db.read() as conn:
        state = feed_state(conn, feed_id)
    assert state is not None and state["last_polled_at"] is None


def test_feeds_not_due_are_left_alone(
    db: Database, settings: Settings, server: LoopbackServer, extractor: ExtractionPool
) -> None:
    add_test_feed(db, settings, server.fixture("/rss.xml", "empty_channel.xml"))
    assert run(db, settings, extractor).feeds == 1
    assert run(db, settings, extractor).feeds == 0
    assert server.hits("/rss.xml") == 1


def test_stop_during_a_feed_stores_nothing_and_keeps_it_due(
    db: Database, settings: Settings, server: LoopbackServer, extractor: ExtractionPool
) -> None:
    import threading

    stop = threading.Event()
    html = (PAGES / "ferry.html").read_bytes()

    def page_then_stop(h: BaseHTTPRequestHandler) -> None:
        stop.set()
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Length", str(len(html)))
        h.end_headers()
        h.wfile.write(html)

    links = [server.route(f"/p{i}", handler=page_then_stop) for i in range(4)]
    feed_id = add_test_feed(
        db,
        settings,
        server.route(
            "/rss.xml",
            rss([(f"Story {i}", link, "s") for i, link in enumerate(links)]),
            headers={"ETag": '"e1"'},
        ),
    )
    report = run(db, replace(settings, per_host_connections=1), extractor, stop=stop)
    assert report.new_articles == 0
    assert report.failed == 1
    assert "interrupted" in report.errors[0]
    assert stored(db) == {}
    with db.read() as conn:
        state = feed_state(conn, feed_id)
    assert state is not None
    assert state["etag"] is None and state["last_polled_at"] is None


def test_permanently_moved_feed_gets_its_new_url(
    db: Database, settings: Settings, server: LoopbackServer, extractor: ExtractionPool
) -> None:
    server.route("/old.xml", status=301, headers={"Location": "/new.xml"}, content_type=None)
    new_url = server.fixture("/new.xml", "empty_channel.xml")
    server.route("/temp.xml", status=302, headers={"Location": "/new2.xml"}, content_type=None)
    server.fixture("/new2.xml", "empty_channel.xml")
    moved = add_test_feed(db, settings, server.url("/old.xml"))
    temporary = add_test_feed(db, settings, server.url("/temp.xml"))
    report = run(db, settings, extractor)
    assert report.ok == 2
    with db.read() as conn:
        moved_state = feed_state(conn, moved)
        temp_state = feed_state(conn, temporary)
        (entry,) = recent_fetches(conn, feed_id=moved)
    assert moved_state is not None and temp_state is not None
    assert moved_state["url"] == new_url
    assert moved_state["last_error"] == f"feed moved permanently to {new_url}; its URL was updated"
    assert entry.error == moved_state["last_error"]
    assert temp_state["url"] == server.url("/temp.xml")


def test_feeds_are_interleaved_by_host() -> None:
    from newsprism.ingest.poll import interleave_by_host
    from newsprism.store.feeds import FeedRow

    def row(i: int, url: str) -> FeedRow:
        return FeedRow(i, url, None, None, None, None, None, None, 1800, 0)

    feeds = [
        row(1, "https://a.example.com/1"),
        row(2, "https://a.example.com/2"),
        row(3, "https://a.example.com/3"),
        row(4, "https://b.example.com/1"),
        row(5, "https://c.example.com/1"),
        row(6, "https://b.example.com/2"),
    ]
    assert [f.id for f in interleave_by_host(feeds)] == [1, 4, 5, 2, 6, 3]
