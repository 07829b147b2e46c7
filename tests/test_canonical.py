"""Canonical article URLs: one spelling per article, idempotent."""

from __future__ import annotations

import pytest

from newsprism.ingest.canonical import InvalidURL, article_key, canonicalize_url

CASES = [
    ("HTTPS://WWW.Example.COM/News/Story", "https://example.com/News/Story"),
    ("https://example.com:443/a", "https://example.com/a"),
    ("http://example.com:80/a", "http://example.com/a"),
    ("http://127.0.0.1:8123/feed/a", "http://127.0.0.1:8123/feed/a"),
    ("https://example.com/a#comments", "https://example.com/a"),
    (
        "https://example.com/a?utm_source=tw&utm_medium=social&id=7&fbclid=XYZ",
        "https://example.com/a?id=7",
    ),
    ("https://example.com/a?gclid=1&mc_cid=2&mc_eid=3&ocid=4&cmpid=5", "https://example.com/a"),
    ("https://example.com/a?b=2&a=1", "https://example.com/a?a=1&b=2"),
    (
        "http://www.nytimes.com/2016/09/20/nyregion/x.html?&hp&action=click&pgtype=Homepage"
        "&clickSource=story-heading&module=a-lede-package-region&region=top-news&WT.nav=top-news",
        "http://nytimes.com/2016/09/20/nyregion/x.html",
    ),
    ("https://example.com/2024/05/story/amp/", "https://example.com/2024/05/story/"),
    ("https://example.com/2024/05/story/amp", "https://example.com/2024/05/story"),
    ("https://example.com/story.amp.html", "https://example.com/story.html"),
    ("https://example.com/story?amp", "https://example.com/story"),
    ("https://example.com/story?amp=1&outputType=amp", "https://example.com/story"),
    ("https://amp.example.com/story", "https://example.com/story"),
    ("https://m.example.co.uk/news/1", "https://example.co.uk/news/1"),
    ("https://mobile.example.com/news/1", "https://example.com/news/1"),
    ("https://edition.cnn.com/a", "https://edition.cnn.com/a"),
    (
        "https://www-example-com.cdn.ampproject.org/c/s/www.example.com/news/1/amp",
        "https://example.com/news/1",
    ),
    ("https://www.google.com/amp/s/www.example.com/news/2", "https://example.com/news/2"),
    ("https://example.com", "https://example.com/"),
    ("https://example.com/a/./b/../c", "https://example.com/a/c"),
    ("https://example.com/caf%c3%a9", "https://example.com/caf%C3%A9"),
    ("https://example.com/~user", "https://example.com/~user"),
    ("  https://example.com/a  ", "https://example.com/a"),
]


@pytest.mark.parametrize(("raw", "expected"), CASES)
def test_canonical_form(raw: str, expected: str) -> None:
    assert canonicalize_url(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), CASES)
def test_canonicalization_is_idempotent(raw: str, expected: str) -> None:
    assert canonicalize_url(canonicalize_url(raw)) == canonicalize_url(raw)


def test_mobile_label_is_kept_when_it_is_the_whole_domain() -> None:
    assert canonicalize_url("https://m.tt/x") == "https://m.tt/x"


def test_article_key_ignores_scheme_and_tracking() -> None:
    key = article_key("https://example.com/a")
    assert key == article_key("http://www.example.com/a?utm_campaign=x#top")
    assert key != article_key("https://example.com/b")
    assert len(key) == 40


@pytest.mark.parametrize(
    "bad", ["", "example.com/a", "ftp://example.com/a", "mailto:x@y.z", "http://"]
)
def test_non_http_urls_are_refused(bad: str) -> None:
    with pytest.raises(InvalidURL):
        canonicalize_url(bad)
