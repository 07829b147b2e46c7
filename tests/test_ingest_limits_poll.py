"""Polling limits against real servers on 127.0.0.1: a time budget for one feed's pages, Ctrl-C
during page fetching, validators kept whole or not at all, and pages that are no article."""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from http.server import BaseHTTPRequestHandler

import pytest
from sqlalchemy import select

from loopback import LoopbackServer
from newsprism.config import Settings
from newsprism.ingest import poll
from newsprism.ingest.extract import Extracted, extract_page, looks_like_stub
from newsprism.ingest.poll import PollReport, page_budget_s, poll_cycle
from newsprism.store.database import Database
from newsprism.store.feeds import feed_state, recent_fetches
from newsprism.store.outlets import add_feed, get_or_create_outlet
from newsprism.store.schema import articles

ARTICLE = (
    "<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
    + "<p>"
    + " ".join(["The harbor commission met again on Tuesday to discuss the dredging plan."] * 12)
    + "</p></article></body></html>"
)


class InProcessExtractor:
    """extract_page in this process, errors reported as the extraction pool reports them."""

    def extract(self, html: bytes, url: str, content_type: str | None = None) -> Extracted:
        try:
            return extract_page(html, url, content_type=content_type)
        except Exception as exc:
            return Extracted(text="", note=f"extraction failed: {type(exc).__name__}: {exc}")


class QuickExtractor:
    """Every page is an article; keeps the tests about fetching, not extraction."""

    def extract(self, html: bytes, url: str, content_type: str | None = None) -> Extracted:
        return Extracted(text=f"The full article text of {url}.")


def add_test_feed(db: Database, settings: Settings, url: str) -> int:
    with db.write() as conn:
        outlet = get_or_create_outlet(conn, "harbor.example", "Harbor Gazette", origin="user")
        assert outlet is not None
        return add_feed(conn, outlet, url, settings=settings)


def rss(items: list[tuple[str, str, str]]) -> str:
    body = "".join(
        f"<item><title>{t}</title><link>{link}</link><guid>{link}</guid>"
        f"<pubDate>Thu, 10 Jan 2030 08:00:00 GMT</pubDate><description>{d}</description></item>"
        for t, link, d in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Harbor Gazette</title><link>https://harbor.example/</link>{body}</channel></rss>"
    )


def stored(db: Database) -> dict[str, dict[str, object]]:
    with db.read() as conn:
        rows = conn.execute(select(articles)).mappings().all()
    return {str(r["title"]): dict(r) for r in rows}


def slow_page(delay_s: float, started: threading.Event | None = None) -> Callable[..., None]:
    def handle(h: BaseHTTPRequestHandler) -> None:
        if started is not None:
            started.set()
        time.sleep(delay_s)
        body = ARTICLE.format(title=h.path).encode()
        h.send_response(200)
        h.send_header("Content-Type", "text/html; charset=utf-8")
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    return handle


def slow_feed(server: LoopbackServer, count: int, delay_s: float, **kw: object) -> str:
    items = []
    for i in range(count):
        link = server.route(f"/story/{i}", handler=slow_page(delay_s, **kw))  # type: ignore[arg-type]
        items.append((f"Story {i}", link, f"Summary of story {i}."))
    return server.route("/rss.xml", rss(items))


# -- a time budget for one feed's pages -------------------------------------------------------


def test_pages_past_the_feed_budget_are_kept_from_the_feed(
    db: Database, settings: Settings, server: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(poll, "PAGE_BUDGET_S", 1.0)
    monkeypatch.setattr(poll, "MIN_PAGE_BUDGET_S", 1.0)
    # Ten pages of 1 s each, two at a time: 5 s without a budget.
    feed_id = add_test_feed(db, settings, slow_feed(server, 10, 1.0))
    report = poll_cycle(db, settings, extractor=QuickExtractor())

    assert report.new_articles == 10  # nothing lost
    rows = stored(db)
    fetched = [r for r in rows.values() if r["extraction_status"] == "extracted"]
    kept = [r for r in rows.values() if r["extraction_status"] == "feed_only"]
    assert 1 <= len(fetched) <= 4
    assert len(kept) == 10 - len(fetched)
    for row in kept:
        assert str(row["text"]).startswith("Summary of story")
        assert row["extraction_note"] == (
            "page not fetched: the feed's 1 s for fetching pages in one poll ran out; "
            "kept from the feed"
        )
    with db.read() as conn:
        state = feed_state(conn, feed_id)
    assert state is not None
    assert state["last_status"] == "ok"
    assert f"{len(kept)} pages not fetched: the feed's 1 s" in str(state["last_error"])


def test_a_long_crawl_delay_does_not_hold_the_feed(
    db: Database, settings: Settings, server: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(poll, "PAGE_BUDGET_S", 1.0)
    monkeypatch.setattr(poll, "MIN_PAGE_BUDGET_S", 1.0)
    server.route("/robots.txt", "User-agent: *\nCrawl-delay: 4\n", content_type="text/plain")
    add_test_feed(db, settings, slow_feed(server, 3, 0.0))
    report = poll_cycle(db, settings, extractor=QuickExtractor())

    # Each page would wait 4 s for its turn; the turn comes after the budget, so none waits.
    assert report.new_articles == 3
    assert all(r["extraction_status"] == "feed_only" for r in stored(db).values())
    assert sum(server.hits(f"/story/{i}") for i in range(3)) == 0


def test_page_budget_stays_well_inside_the_broker_redelivery_delay(settings: Settings) -> None:
    assert page_budget_s(settings) == poll.PAGE_BUDGET_S
    assert page_budget_s(replace(settings, broker_visibility_timeout_s=300)) == 100.0
    # Never under a minute, even where the broker redelivers within seconds.
    assert page_budget_s(replace(settings, broker_visibility_timeout_s=5)) == 60.0


def test_ctrl_c_during_page_fetching_ends_the_cycle_promptly(
    db: Database, settings: Settings, server: LoopbackServer
) -> None:
    first_page = threading.Event()
    # Ten pages of 1 s each, two at a time: 5 s if every page were still fetched.
    feed_id = add_test_feed(db, settings, slow_feed(server, 10, 1.0, started=first_page))

    main = threading.main_thread().ident
    assert main is not None and threading.get_ident() == main

    def press_ctrl_c() -> None:
        # What a terminal's Ctrl-C does: SIGINT, taken by the main thread.
        if first_page.wait(10):
            time.sleep(0.2)
            signal.pthread_kill(main, signal.SIGINT)

    threading.Thread(target=press_ctrl_c, daemon=True).start()
    with pytest.raises(KeyboardInterrupt):
        poll_cycle(db, settings, extractor=QuickExtractor())

    assert sum(server.hits(f"/story/{i}") for i in range(10)) <= 4
    # Nothing half-stored: the feed stays due and sees the same entries next time.
    assert stored(db) == {}
    with db.read() as conn:
        state = feed_state(conn, feed_id)
    assert state is not None
    assert state["last_polled_at"] is None


# -- the fetch log --------------------------------------------------------------------------


def test_fetch_log_duration_is_the_fetch_not_the_politeness_wait(
    db: Database, settings: Settings, server: LoopbackServer
) -> None:
    polite = replace(settings, per_host_delay_s=1.2, fetch_pages=False)
    feed_id = add_test_feed(db, polite, server.route("/rss.xml", rss([])))
    started = time.monotonic()
    poll_cycle(db, polite, extractor=QuickExtractor())
    # robots.txt took the host's first turn, so the feed waited for its own.
    assert time.monotonic() - started >= 1.0
    with db.read() as conn:
        (entry,) = recent_fetches(conn, feed_id=feed_id, kind="feed")
    assert entry.outcome == "ok"
    # A loopback answer takes milliseconds; the wait before it took over a second.
    assert entry.duration_ms is not None and entry.duration_ms < 1000


# -- validators ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("length", "kept"), [(600, False), (512, True)])
def test_etag_is_kept_whole_or_not_at_all(
    db: Database, settings: Settings, server: LoopbackServer, length: int, kept: bool
) -> None:
    etag = '"' + "e" * (length - 2) + '"'
    url = server.route(
        "/rss.xml",
        rss([]),
        headers={"ETag": etag, "Last-Modified": "Thu, 10 Jan 2030 09:00:00 GMT"},
    )
    feed_id = add_test_feed(db, settings, url)
    poll_cycle(db, settings, extractor=QuickExtractor())
    with db.read() as conn:
        state = feed_state(conn, feed_id)
    assert state is not None
    assert state["etag"] == (etag if kept else None)
    assert state["last_modified"] == "Thu, 10 Jan 2030 09:00:00 GMT"

    poll_cycle(db, settings, feed_ids=[feed_id], extractor=QuickExtractor())
    sent = [r.headers for r in server.requests if r.path == "/rss.xml"][-1]
    assert sent.get("if-none-match") == (etag if kept else None)


# -- answers that are no feed, pages that are no article --------------------------------------


def test_multiple_choices_feed_is_a_failure_not_a_document(
    db: Database, settings: Settings, server: LoopbackServer
) -> None:
    story = server.route("/story", ARTICLE.format(title="t"), content_type="text/html")
    url = server.route("/rss.xml", rss([("From a 300", story, "Body.")]), status=300)
    add_test_feed(db, settings, url)
    report: PollReport = poll_cycle(db, settings, extractor=QuickExtractor())
    assert (report.failed, report.new_articles) == (1, 0)
    assert report.errors == [f"{url}: HTTP 300 Multiple Choices"]
    assert stored(db) == {}


def test_svg_and_redirect_stub_pages_keep_the_feed_summary(
    db: Database, settings: Settings, server: LoopbackServer
) -> None:
    svg = server.route(
        "/chart",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script>'
        b"<text>hello</text></svg>",
        content_type="image/svg+xml",
    )
    stub = server.route(
        "/moved",
        b'<html><head><meta http-equiv="refresh" content="0; url=http://169.254.169.254/">'
        b"</head><body>Redirecting</body></html>",
        content_type="text/html",
    )
    real = server.route("/real", ARTICLE.format(title="Dredging plan"), content_type="text/html")
    url = server.route(
        "/rss.xml",
        rss(
            [
                ("Chart of the week", svg, "The chart in words."),
                ("Council approves plan", stub, "The council approved the dredging plan."),
                ("Dredging plan", real, "Short teaser."),
            ]
        ),
    )
    add_test_feed(db, settings, url)
    report = poll_cycle(db, settings, extractor=InProcessExtractor())
    assert report.new_articles == 3
    rows = stored(db)

    chart = rows["Chart of the week"]
    assert chart["extraction_status"] == "feed_only"
    assert chart["text"] == "The chart in words."
    assert chart["extraction_note"] == "page not extracted: it is image/svg+xml, not HTML"

    moved = rows["Council approves plan"]
    assert moved["extraction_status"] == "feed_only"
    assert moved["text"] == "The council approved the dredging plan."
    assert str(moved["extraction_note"]).startswith(
        "page not extracted: the page is a redirect stub without article text"
    )

    assert rows["Dredging plan"]["extraction_status"] == "extracted"


def test_redirect_stubs_are_recognised_and_articles_that_refresh_are_not() -> None:
    stub = extract_page(
        b'<html><head><meta content="0;url=/x" http-equiv="Refresh"></head>'
        b"<body><p>One moment.</p></body></html>",
        "https://harbor.example/a",
    )
    assert stub.text == ""
    assert stub.note is not None and "redirect stub" in stub.note
    # A live page that reloads itself every five minutes is still an article.
    live = ARTICLE.format(title="Live: the harbor vote").replace(
        "<head>", '<head><meta http-equiv="refresh" content="300">'
    )
    assert "dredging plan" in extract_page(live.encode(), "https://harbor.example/live").text
    assert looks_like_stub("Redirecting…")
    assert looks_like_stub("Please wait while you are redirected")
    assert not looks_like_stub("Loading of the new cargo ship begins Monday at pier 4.")
    assert not looks_like_stub("Redirecting traffic around the harbor bridge, explained. " * 4)


def test_svg_sniffed_without_a_content_type_is_no_article() -> None:
    page = extract_page(
        b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><text>hi</text></svg>',
        "https://harbor.example/chart",
    )
    assert page.text == ""
    assert page.note == "the page is an image (SVG), not an article"
