"""Page extraction: text and metadata, hostile pages, charsets, and the pool's hard timeout."""

from __future__ import annotations

import os
import time

from newsprism.ingest.extract import Extracted, decode_html, extract_page
from newsprism.ingest.extract_pool import ExtractionPool, PageJob

_BODY = (
    "The city council approved the new transit budget on Tuesday after a long debate. "
    "Supporters said the plan would add bus lines to neighbourhoods that have waited years. "
    "Opponents warned that the cost estimates were too optimistic and asked for an audit. "
)


def _page(body: str = _BODY * 4, head: str = "", extra: str = "") -> str:
    return (
        "<!doctype html><html><head>"
        f"<title>Council approves transit budget</title>{head}"
        '<meta property="og:image" content="https://news.example/img/bus.jpg">'
        '<meta name="author" content="Jane Reporter">'
        '<meta property="article:published_time" content="2024-03-05T09:30:00+01:00">'
        "</head><body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>Council approves transit budget</h1><p>{body}</p>"
        f"<p>{body}</p></article>{extra}"
        "<footer>Copyright News Example. All rights reserved.</footer></body></html>"
    )


def test_extracts_text_and_metadata_from_an_article_page() -> None:
    result = extract_page(_page().encode(), "https://news.example/transit")
    assert "approved the new transit budget" in result.text
    assert "All rights reserved" not in result.text
    assert result.title == "Council approves transit budget"
    assert result.author == "Jane Reporter"
    assert result.image_url == "https://news.example/img/bus.jpg"
    assert result.published_at is not None and result.published_at.year == 2024
    assert result.language == "en"
    assert result.note is None


def test_scripts_and_handlers_never_reach_the_text() -> None:
    hostile = _page(
        extra="<script>alert('pwned')</script><img src=x onerror=alert(1)>"
        "<style>body{display:none}</style>"
    )
    result = extract_page(hostile.encode(), "https://news.example/x")
    assert "alert" not in result.text and "onerror" not in result.text
    assert "display:none" not in result.text
    assert "<" not in result.text


def test_page_with_wrong_declared_charset_decodes_correctly() -> None:
    body = "Der Bürgermeister äußerte sich über die Straßenbahn. " * 12
    latin1_page = _page(body, head='<meta charset="utf-8">').encode("latin-1")
    text, encoding = decode_html(latin1_page, "text/html; charset=utf-8")
    assert "Bürgermeister" in text and encoding != "utf-8"
    utf8_labelled_latin1 = _page(body).encode("utf-8")
    text, encoding = decode_html(utf8_labelled_latin1, "text/html; charset=iso-8859-1")
    assert "äußerte" in text and encoding == "utf-8"
    result = extract_page(latin1_page, "https://zeitung.example/a")
    assert "Straßenbahn" in result.text
    assert result.language == "de"


def test_meta_declared_legacy_charset_is_used() -> None:
    body = "Москва объявила о новых мерах поддержки экономики страны. " * 10
    page = _page(
        body, head='<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
    )
    text, encoding = decode_html(page.encode("cp1251"))
    assert encoding == "cp1251" and "Москва" in text


def test_huge_page_is_cut_to_the_cap_and_says_so() -> None:
    page = _page(extra="<div>" + "filler " * 400_000 + "</div>").encode()
    result = extract_page(page, "https://news.example/huge", max_bytes=200_000)
    assert result.note is not None and "cut to 200000" in result.note
    assert "transit budget" in result.text


def test_page_without_an_article_returns_empty_text_with_a_note() -> None:
    result = extract_page(b"<html><body></body></html>", "https://news.example/empty")
    assert result.text == ""
    assert result.note == "no article text found in the page"
    result = extract_page(b"\x00\xff\xfe garbage \x00", "https://news.example/binary")
    assert result.text == "" and result.note


def slow_or_crashing_extractor(
    html: bytes, url: str, *, content_type: str | None = None, max_bytes: int = 0
) -> Extracted:
    """Stands in for a runaway page (sleeps) or a crashing parser (exits the process)."""
    if url.endswith("/slow"):
        time.sleep(60)
    if url.endswith("/crash"):
        os._exit(3)
    if url.endswith("/raise"):
        raise ValueError("parser exploded")
    return Extracted(text=html.decode(), title=url)


def test_pool_kills_a_runaway_page_and_keeps_working() -> None:
    jobs = [
        PageJob("a", b"first", "https://x.example/a"),
        PageJob("slow", b"", "https://x.example/slow"),
        PageJob("b", b"second", "https://x.example/b"),
        PageJob("crash", b"", "https://x.example/crash"),
        PageJob("raise", b"", "https://x.example/raise"),
        PageJob("c", b"third", "https://x.example/c"),
    ]
    with ExtractionPool(workers=2, timeout_s=2.0, extractor=slow_or_crashing_extractor) as pool:
        results = pool.extract_many(jobs)
        assert [r.key for r in results] == ["a", "slow", "b", "crash", "raise", "c"]
        by_key = {r.key: r for r in results}
        assert by_key["slow"].extracted is None
        assert "longer than 2 s" in (by_key["slow"].error or "")
        assert "crashed" in (by_key["crash"].error or "")
        assert "parser exploded" in (by_key["raise"].error or "")
        assert [by_key[k].extracted.text for k in "abc"] == ["first", "second", "third"]  # type: ignore[union-attr]
        assert pool.killed == 2  # the runaway page's worker and the crashed one
        assert pool.extract(b"after", "https://x.example/after").text == "after"
        timed_out = pool.extract(b"", "https://x.example/slow")
        assert timed_out.text == "" and "worker killed" in (timed_out.note or "")


def test_pool_runs_the_real_extractor() -> None:
    with ExtractionPool(workers=1, timeout_s=60) as pool:
        result = pool.extract(_page().encode(), "https://news.example/transit")
    assert "transit budget" in result.text and result.title == "Council approves transit budget"


def test_pool_is_reachable_from_the_extract_module() -> None:
    from newsprism.ingest import extract

    assert extract.ExtractionPool is ExtractionPool


def test_closed_pool_answers_with_an_error_not_an_exception() -> None:
    pool = ExtractionPool(workers=1, timeout_s=5, extractor=slow_or_crashing_extractor)
    pool.close()
    result = pool.extract(b"x", "https://x.example/a")
    assert result.text == "" and result.note == "extraction pool is closed"
