"""Tracking parameters by site: ordinary words ("module", "source", "ref") that pick the page
on most sites are stripped only on the sites that use them for tracking."""

from __future__ import annotations

import random
from collections import Counter
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from newsprism.config import Settings
from newsprism.domains import registrable_domain
from newsprism.ingest.canonical import (
    SITE_TRACKING_PARAMS,
    TRACKING_PARAMS,
    article_key,
    canonicalize_url,
)
from newsprism.models import ArticleDraft
from newsprism.store.articles import add_articles, load_articles
from newsprism.store.database import Database

# Names that some CMS uses to pick the page; a few sites (SITE_CASES) use them for tracking.
GENERIC_NAMES = [
    "action",
    "module",
    "region",
    "pgtype",
    "contentCollection",
    "contentplacement",
    "clickSource",
    "smid",
    "smtyp",
    "partner",
    "emc",
    "src",
    "ref",
    "hp",
    "_r",
    "rref",
    "mtrref",
    "mod",
    "CMP",
    "cmp",
    "cnn",
    "ito",
    "feedType",
    "feedname",
    "sref",
    "tpcc",
    "source",
    "ref_src",
    "ref_url",
    "ftag",
    "spm",
    "share",
    "rss",
    "referer",
    "referrer",
    "taid",
    "pk_id",
]


def _query_names(url: str) -> list[str]:
    return [name for name, _ in parse_qsl(urlsplit(url).query, keep_blank_values=True)]


def test_one_cms_page_per_module_is_three_articles() -> None:
    urls = [f"http://example.org/index.php?module={m}&id=5" for m in ("news", "events", "gallery")]
    canonical = [canonicalize_url(u) for u in urls]
    assert canonical == [
        "http://example.org/index.php?id=5&module=news",
        "http://example.org/index.php?id=5&module=events",
        "http://example.org/index.php?id=5&module=gallery",
    ]
    assert len({article_key(u) for u in urls}) == 3
    assert [canonicalize_url(c) for c in canonical] == canonical


def test_a_feed_of_three_modules_stores_three_articles(db: Database, settings: Settings) -> None:
    rng = random.Random(11)
    drafts = [
        ArticleDraft(
            url=f"http://example.org/index.php?module={module}&id=5",
            title=f"Item 5 of {module}",
            text=" ".join(f"w{rng.randrange(4000)}" for _ in range(200)),
        )
        for module in ("news", "events", "gallery")
    ]
    result = add_articles(db, drafts, settings)
    assert len(result.added_ids) == 3 and result.duplicates == 0
    with db.read() as conn:
        stored = [r.url for r in load_articles(conn, result.added_ids)]
    assert stored == [
        "http://example.org/index.php?id=5&module=news",
        "http://example.org/index.php?id=5&module=events",
        "http://example.org/index.php?id=5&module=gallery",
    ]


@pytest.mark.parametrize("name", GENERIC_NAMES)
def test_an_ordinary_word_is_kept_on_a_site_without_tracking_rules(name: str) -> None:
    url = f"https://example.org/page.php?{name}=7"
    assert canonicalize_url(url) == url
    assert canonicalize_url(f"https://www.example.org/page.php?{name}=7&utm_source=rss") == url


# (URL as shared, its canonical URL, its key as stored before the per-site rules, the names
# the same address keeps on a site without tracking rules).
SITE_CASES = [
    (
        "https://www.nytimes.com/2024/05/01/world/europe/story.html?action=click"
        "&module=Top%20Stories&pgtype=Homepage&region=top-news&contentCollection=world"
        "&contentPlacement=2&smid=tw-nytimes&smtyp=cur&partner=rss&emc=rss&ref=todayspaper"
        "&src=me&hp&_r=0&rref=collection&mtrref=www.google.com&clickSource=story-heading"
        "&utm_source=x",
        "https://nytimes.com/2024/05/01/world/europe/story.html",
        "6a465a304537dfad4bcb35e037a3a86ca082daf3",
        {
            "action",
            "module",
            "pgtype",
            "region",
            "contentCollection",
            "contentPlacement",
            "smid",
            "smtyp",
            "partner",
            "emc",
            "ref",
            "src",
            "hp",
            "_r",
            "rref",
            "mtrref",
            "clickSource",
        },
    ),
    (
        "http://mobile.nytimes.com/2015/07/26/us/trooper.html?emc=edit_th_20150726"
        "&nl=todaysheadlines&nlid=69486580&_r=0&referrer=",
        "http://nytimes.com/2015/07/26/us/trooper.html?nl=todaysheadlines&nlid=69486580",
        "fc621289319f17c30fcdd1483c07333057a504c8",
        {"emc", "nl", "nlid", "_r", "referrer"},
    ),
    (
        "http://www.politico.com/story/2013/01/obama-guns-plan-86260.html?hp=t1_3",
        "http://politico.com/story/2013/01/obama-guns-plan-86260.html",
        "4c741c35d252d5f6845c0349e9ce5b42c31446ed",
        {"hp"},
    ),
    (
        "https://www.thedailybeast.com/biden-backers-say?ref=home&source=twitter",
        "https://thedailybeast.com/biden-backers-say",
        "ebdfd8c9d44111a41a83cfbdc22cb02f6ac2e58e",
        {"ref", "source"},
    ),
    (
        "https://www.buzzfeednews.com/article/someone/story?ref=bfnsplash",
        "https://buzzfeednews.com/article/someone/story",
        "9a86950ca77f81a82562834ef343097b84d3eba0",
        {"ref"},
    ),
    (
        "https://www.csmonitor.com/World/2019/1203/story?cmpid=shared-email&src=highlight",
        "https://csmonitor.com/World/2019/1203/story",
        "1e6c7ab45a5c507d4027a10a016054725e91dbf3",
        {"src"},
    ),
    (
        "https://www.aljazeera.com/news/2020/01/story.html?taid=5e0fd5c0b1b456000180ac56"
        "&utm_campaign=trueanthem&utm_medium=social&utm_source=twitter",
        "https://aljazeera.com/news/2020/01/story.html",
        "91577c340877e5308dc7f0740292f054d1f35d73",
        {"taid"},
    ),
    (
        "https://www.esquire.com/news-politics/a26016262/letter/?src=socialflowTW"
        "&taid=5dd9120ebd53880001eb7f58",
        "https://esquire.com/news-politics/a26016262/letter/",
        "a0fd0eecf8ce3e81d649414d0884399664031c9f",
        {"src", "taid"},
    ),
    (
        "https://www.wsj.com/articles/story-11714567890?mod=hp_lead_pos1",
        "https://wsj.com/articles/story-11714567890",
        "dd0c86d96af471478a6644c49244f2bbaced14bf",
        {"mod"},
    ),
    (
        "https://www.marketwatch.com/story/story-2024-05-01?mod=mw_rss_topstories",
        "https://marketwatch.com/story/story-2024-05-01",
        "2c0893e830450875b3bd01172587eb74608eebe2",
        {"mod"},
    ),
    (
        "https://www.barrons.com/articles/story-51714567890?mod=hp_LEAD_1",
        "https://barrons.com/articles/story-51714567890",
        "685e656b4a6adf9ab219abcb69718530f267e142",
        {"mod"},
    ),
    (
        "https://www.theguardian.com/world/2024/may/01/story?CMP=share_btn_tw",
        "https://theguardian.com/world/2024/may/01/story",
        "ab62cc61f4cf9026c3e8c36a020228aa08855791",
        {"CMP"},
    ),
    (
        "https://edition.cnn.com/2024/05/01/world/story/index.html?cnn=yes",
        "https://edition.cnn.com/2024/05/01/world/story/index.html",
        "2cd6b331c5d58a54a12f0af450afaf1d0b61eeae",
        {"cnn"},
    ),
    (
        "https://www.bbc.co.uk/news/world-12345678?ito=social&at_medium=custom7",
        "https://bbc.co.uk/news/world-12345678",
        "48c01f2f8a41d26f12108515b2a3a4d4fbfaa1e1",
        {"ito"},
    ),
    (
        "https://www.bbc.com/news/world-12345678?ito=social",
        "https://bbc.com/news/world-12345678",
        "4f384ac4c88528781b90d79769410a11c18cbdb8",
        {"ito"},
    ),
    (
        "http://www.reuters.com/article/us-story-idUSKBN1X0001?feedType=RSS&feedName=topNews",
        "http://reuters.com/article/us-story-idUSKBN1X0001",
        "770581588274a0d07ae4859f45aead905d2418ab",
        {"feedType", "feedName"},
    ),
    (
        "https://www.cnet.com/tech/story/?ftag=CAD590a51e",
        "https://cnet.com/tech/story/",
        "d9936d23375b3b187c562f194ec26b0a8a0f7463",
        {"ftag"},
    ),
    (
        "https://www.cbsnews.com/news/story/?ftag=YHF4eb9d17",
        "https://cbsnews.com/news/story/",
        "dd0ff6f490df50331b64bbb108d327b23701b3da",
        {"ftag"},
    ),
    (
        "https://www.bloomberg.com/news/articles/2024-05-01/story?sref=P6Q0mxvj",
        "https://bloomberg.com/news/articles/2024-05-01/story",
        "adec11dd3507ff3fba9ca55e3409b3d201d4c79c",
        {"sref"},
    ),
    (
        "https://fortune.com/2024/05/01/story/?tpcc=nlceodaily",
        "https://fortune.com/2024/05/01/story/",
        "a89a97b54a3c3cc8d56a4ea912ec0379e5d59e8d",
        {"tpcc"},
    ),
    (
        "https://www.scmp.com/news/china/article/3261234/story?module=perpetual_scroll_0"
        "&pgtype=article",
        "https://scmp.com/news/china/article/3261234/story",
        "44db660a01231a3d5a42e83b62d19ea80446efa3",
        {"module", "pgtype"},
    ),
    (
        "https://medium.com/@writer/story-0123456789ab?source=rss----abcdef---4",
        "https://medium.com/@writer/story-0123456789ab",
        "edde9cbd190bbd7732dc1e4c9473ed60a0c79663",
        {"source"},
    ),
    (
        "https://twitter.com/user/status/1785000000000000000?ref_src=twsrc%5Etfw",
        "https://twitter.com/user/status/1785000000000000000",
        "7e008b1ac2c19e9ce85ae75a9f12e1b7e777a6c8",
        {"ref_src"},
    ),
    (
        "https://www.aliexpress.com/item/4000805311240.html?spm=a2g0s.9042311.0.0",
        "https://aliexpress.com/item/4000805311240.html",
        "3f87c53d736510b7a03c59e92341c8aba3b3426e",
        {"spm"},
    ),
]


@pytest.mark.parametrize(
    ("url", "canonical", "key", "kept_elsewhere"),
    SITE_CASES,
    ids=[urlsplit(case[1]).hostname for case in SITE_CASES],
)
def test_a_sites_own_tracking_is_stripped_there_only(
    url: str, canonical: str, key: str, kept_elsewhere: set[str]
) -> None:
    assert canonicalize_url(url) == canonical
    assert canonicalize_url(canonical) == canonical
    assert article_key(url) == key  # the key articles of this site were stored under
    site = urlsplit(canonical).hostname or ""
    site = site.removeprefix("edition.")
    elsewhere = canonicalize_url(url.replace(site, "example.org"))
    assert set(_query_names(elsewhere)) == kept_elsewhere


@pytest.mark.parametrize(
    "url",
    [
        "https://m.nytimes.com/2024/05/01/world/story.html?module=inline&smid=url-share",
        "https://mobile.nytimes.com/2024/05/01/world/story.html?action=click&pgtype=Article",
        "https://cooking.nytimes.com/recipes/1?smid=ck-recipe-iOS-share",
        "https://www-nytimes-com.cdn.ampproject.org/c/s/www.nytimes.com/2024/05/01/world/"
        "story.amp.html?module=amp&region=header",
    ],
)
def test_a_sites_tracking_is_stripped_on_its_variant_hosts(url: str) -> None:
    canonical = canonicalize_url(url)
    assert urlsplit(canonical).query == ""
    assert canonicalize_url(canonical) == canonical
    # The same decoration on a site without tracking rules is kept.
    other = canonicalize_url(url.replace("nytimes.com", "example.org"))
    assert urlsplit(other).query != ""


_HOSTS = [
    "example.org",
    "www.example.org",
    "m.example.co.uk",
    "news.example.net:8080",
    "www.nytimes.com",
    "m.wsj.com",
    "theguardian.com",
    "medium.com",
]
_SITES_WITH_RULES = ("nytimes.com", "wsj.com", "theguardian.com", "medium.com")
_NAMES = st.one_of(
    st.sampled_from(GENERIC_NAMES),
    st.sampled_from(["id", "page", "utm_source", "UTM_Medium", "fbclid", "pk_campaign", "amp"]),
    st.text(min_size=1, max_size=8),
)
_VALUES = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=8)
_GENERIC = {name.lower() for name in GENERIC_NAMES} | {"id", "page"}


@hypothesis_settings(max_examples=200, deadline=None)
@given(
    host=st.sampled_from(_HOSTS),
    pairs=st.lists(st.tuples(_NAMES, _VALUES), max_size=6),
)
def test_canonical_is_idempotent_and_keeps_page_parameters(
    host: str, pairs: list[tuple[str, str]]
) -> None:
    url = urlunsplit(("https", host, "/index.php", urlencode(pairs), ""))
    canonical = canonicalize_url(url)
    assert canonicalize_url(canonical) == canonical
    assert article_key(canonical) == article_key(url)
    if not host.endswith(_SITES_WITH_RULES):
        kept = parse_qsl(urlsplit(canonical).query, keep_blank_values=True)
        wanted = Counter((n, v) for n, v in pairs if n.lower() in _GENERIC)
        assert Counter((n, v) for n, v in kept if n.lower() in _GENERIC) == wanted


def test_site_rules_name_lower_case_parameters_of_registrable_domains() -> None:
    # Names are compared lower-cased and sites looked up by registrable domain: an entry
    # spelled otherwise would never match.
    for domain, names in SITE_TRACKING_PARAMS.items():
        assert registrable_domain(domain) == domain
        assert names and all(name == name.lower() for name in names)
        assert not names & TRACKING_PARAMS


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("http://a.com/caf%E9", "http://a.com/caf%E8"),  # Latin-1 escapes are not one U+FFFD
        ("http://a.com/a%2Fb", "http://a.com/a/b"),  # an escaped slash is data
        ("http://a.com/a%2525b", "http://a.com/a%25b"),  # an escaped percent stays escaped
    ],
)
def test_paths_that_differ_by_their_escapes_stay_apart_and_idempotent(one: str, other: str) -> None:
    assert canonicalize_url(one) != canonicalize_url(other)
    for url in (one, other):
        assert canonicalize_url(canonicalize_url(url)) == canonicalize_url(url)
