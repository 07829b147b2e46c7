"""Canonical article URLs: one spelling per article, so the same page is stored once.

Feeds, aggregators and social shares decorate links with tracking parameters, AMP and mobile
variants and fragments. ``canonicalize_url`` strips those and normalizes the rest; it is
idempotent (canonical in, same canonical out). ``article_key`` is the store's unique key.
A parameter is stripped only where it cannot pick the page: names of analytics platforms
everywhere, ordinary words ("module", "source", "ref") only on the sites that use them for
tracking.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from urllib.parse import (
    parse_qsl,
    quote_from_bytes,
    unquote_to_bytes,
    urlencode,
    urlsplit,
    urlunsplit,
)

from newsprism.domains import registrable_domain

# Query parameters that say where a click came from, on any site: names made by analytics, ad
# and mail platforms, which no site uses to pick a page. Sources: Google Analytics/Ads (utm_*,
# gclid, gclsrc, dclid, _ga, _gl), Meta (fbclid, igshid), Microsoft (msclkid, ocid), Yandex
# (yclid, _openstat), Mailchimp (mc_cid, mc_eid), HubSpot (_hsenc, _hsmi, hsa_*, __hs*),
# Matomo/Piwik (pk_campaign…, mtm_*), AT Internet (at_*, xtor), comScore (ns_*), Adobe (cmpid,
# s_cid, icid), Webtrends (wt.*), Yahoo's consent redirect (guccounter, guce_*), share buttons
# (soc_src, soc_trk, sr_share, __twitter_impression) and AMP viewers (amp, amp_js_v, amp_gsa,
# usqp, outputtype: a rendering of the article, not another article).
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "gclsrc",
        "dclid",
        "msclkid",
        "yclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "ocid",
        "cmpid",
        "icid",
        "s_cid",
        "xtor",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "_openstat",
        "pk_campaign",
        "pk_cpn",
        "pk_kwd",
        "pk_keyword",
        "pk_source",
        "pk_medium",
        "pk_content",
        "pk_cid",
        "pk_group",
        "pk_placement",
        "pk_vid",
        "sr_share",
        "guccounter",
        "guce_referrer",
        "guce_referrer_sig",
        "soc_src",
        "soc_trk",
        "amp",
        "amp_js_v",
        "amp_gsa",
        "usqp",
        "outputtype",
        "__twitter_impression",
    }
)
TRACKING_PREFIXES = ("utm_", "wt.", "ns_", "at_", "mtm_", "hsa_", "__")

# Ordinary words that some sites use for tracking but many others use to pick the page
# ("index.php?module=news&id=5", "?action=view", "?source=3", "?ref=1234"): stripped only on
# the sites (registrable domains) known to use them for tracking. A name missing here costs at
# most a second copy of an article, which near-duplicate detection catches; a name stripped
# where it picks the page merges two articles into one and stores an address that may not exist.
_NYT = frozenset(
    {
        # Click and share tracking of nytimes.com: "?action=click&module=Top Stories
        # &pgtype=Homepage&region=top-news&contentCollection=…", "?smid=tw-nytimes&smtyp=cur",
        # feeds' "?partner=rss&emc=rss", "?src=me", "?ref=todayspaper", "?hp&_r=0", "?rref=…",
        # "?mtrref=www.google.com", "?clickSource=story-heading", newsletters' "&referer=".
        "action",
        "module",
        "region",
        "pgtype",
        "contentcollection",
        "contentplacement",
        "clicksource",
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
        "referer",
        "referrer",
    }
)
# Dow Jones (WSJ, MarketWatch, Barron's): "?mod=hp_lead_pos1", "?mod=mw_rss_topstories".
_DOW_JONES = frozenset({"mod"})
# CBS Interactive (CNET, ZDNet, TechRepublic, CBS News…): "?ftag=CAD590a51e".
_CBS = frozenset({"ftag"})
# Alibaba's click tracking ("super position model"): "?spm=a2g0s.9042311.0.0".
_ALIBABA = frozenset({"spm"})
# True Anthem's social posting: "?taid=5e0fd5c0b1b456000180ac56&utm_campaign=trueanthem".
_TRUE_ANTHEM = frozenset({"taid"})
SITE_TRACKING_PARAMS: dict[str, frozenset[str]] = {
    "nytimes.com": _NYT,
    # South China Morning Post follows the NYT scheme: "?module=perpetual_scroll_0&pgtype=article".
    "scmp.com": frozenset({"module", "pgtype"}),
    "wsj.com": _DOW_JONES,
    "marketwatch.com": _DOW_JONES,
    "barrons.com": _DOW_JONES,
    # The Guardian: "?CMP=share_btn_tw" (names are compared lower-cased).
    "theguardian.com": frozenset({"cmp"}),
    "guardian.co.uk": frozenset({"cmp"}),
    # CNN: "?cnn=yes".
    "cnn.com": frozenset({"cnn"}),
    # BBC: "?ito=…" on shared and newsletter links.
    "bbc.co.uk": frozenset({"ito"}),
    "bbc.com": frozenset({"ito"}),
    # Reuters' feeds: "?feedType=RSS&feedName=topNews".
    "reuters.com": frozenset({"feedtype", "feedname"}),
    # Politico's homepage slots: "?hp=t1_3".
    "politico.com": frozenset({"hp"}),
    # The Daily Beast and BuzzFeed News: "?ref=home", "?source=twitter", "?ref=bfnsplash".
    "thedailybeast.com": frozenset({"ref", "source"}),
    "buzzfeednews.com": frozenset({"ref"}),
    # The Christian Science Monitor: "?src=promo", "?src=highlight".
    "csmonitor.com": frozenset({"src"}),
    # Esquire: "?src=socialflowTW" beside True Anthem's "taid".
    "esquire.com": frozenset({"src", "taid"}),
    "aljazeera.com": _TRUE_ANTHEM,
    "nationalreview.com": _TRUE_ANTHEM,
    # Bloomberg's share links: "?sref=P6Q0mxvj".
    "bloomberg.com": frozenset({"sref"}),
    # Fortune's newsletter and search links: "?tpcc=nlceodaily".
    "fortune.com": frozenset({"tpcc"}),
    # Medium's feeds: "?source=rss----abcdef---4" (one post, a different value per feed).
    "medium.com": frozenset({"source"}),
    # Twitter/X embeds and widgets: "?ref_src=twsrc%5Etfw", "&ref_url=…".
    "twitter.com": frozenset({"ref_src", "ref_url"}),
    "x.com": frozenset({"ref_src", "ref_url"}),
    "cnet.com": _CBS,
    "zdnet.com": _CBS,
    "techrepublic.com": _CBS,
    "cbsnews.com": _CBS,
    "cbssports.com": _CBS,
    "gamespot.com": _CBS,
    "metacritic.com": _CBS,
    "alibaba.com": _ALIBABA,
    "alibabacloud.com": _ALIBABA,
    "aliyun.com": _ALIBABA,
    "aliexpress.com": _ALIBABA,
    "alizila.com": _ALIBABA,
    "taobao.com": _ALIBABA,
    "tmall.com": _ALIBABA,
}

# Host labels that name a variant of the site rather than a different site.
VARIANT_HOST_LABELS = frozenset({"www", "m", "mobile", "amp", "www1", "www2"})

_DEFAULT_PORTS = {"http": 80, "https": 443}
_AMP_CACHE = re.compile(r"^[a-z0-9-]+\.cdn\.ampproject\.org$")
# Characters a path or query may carry without escaping (RFC 3986 unreserved + sub-delims + :@/).
_PATH_SAFE = "/:@!$&'()*+,;=-._~"
# The same within one path segment: a "/" there is data (%2F), not a separator.
_SEGMENT_SAFE = _PATH_SAFE.replace("/", "")


class InvalidURL(ValueError):
    """A string that is not an absolute http(s) URL."""


def _is_tracking(name: str, site_params: frozenset[str]) -> bool:
    key = name.lower()
    return key in TRACKING_PARAMS or key in site_params or key.startswith(TRACKING_PREFIXES)


def _strip_variant_labels(host: str) -> str:
    # Only strip while something more than the registrable domain remains: "m.example.com"
    # becomes "example.com", but the outlet "m.tt" (its own registrable domain) is untouched.
    registrable = registrable_domain(host)
    while host != registrable and "." in host:
        label, rest = host.split(".", 1)
        if label not in VARIANT_HOST_LABELS or not rest.endswith(registrable):
            break
        host = rest
    return host


def _unwrap_amp_cache(host: str, path: str) -> tuple[str, str, str] | None:
    """``…cdn.ampproject.org/c/s/example.com/x`` and ``google.com/amp/s/example.com/x``."""
    parts = path.split("/")
    if _AMP_CACHE.match(host) and len(parts) > 3 and parts[1] in ("c", "v"):
        scheme = "https" if parts[2] == "s" else "http"
        rest = parts[3:] if parts[2] == "s" else parts[2:]
        return scheme, rest[0], "/" + "/".join(rest[1:])
    if registrable_domain(host).startswith("google.") and len(parts) > 3 and parts[1] == "amp":
        scheme = "https" if parts[2] == "s" else "http"
        rest = parts[3:] if parts[2] == "s" else parts[2:]
        return scheme, rest[0], "/" + "/".join(rest[1:])
    return None


def _normalize_path(path: str) -> str:
    if not path:
        return "/"
    # Decode then re-encode each segment as bytes: %7E and ~ are the same path, as are %c3%a9
    # and %C3%A9; but %E9 and %E8 (Latin-1 pages) stay two paths instead of both turning into
    # U+FFFD, %2F stays within its segment, and %25 stays %25 however often this runs.
    path = "/".join(
        quote_from_bytes(unquote_to_bytes(segment), safe=_SEGMENT_SAFE)
        for segment in path.split("/")
    )
    trailing = path.endswith("/")
    normalized = posixpath.normpath(path)
    if normalized.startswith("//"):
        normalized = "/" + normalized.lstrip("/")
    if trailing and normalized != "/":
        normalized += "/"
    path = normalized
    # AMP variants of an article page.
    if path.endswith(".amp.html"):
        path = path[: -len(".amp.html")] + ".html"
    elif path.endswith(".amp"):
        path = path[: -len(".amp")]
    if path.endswith("/amp/"):
        path = path[: -len("amp/")]
    elif path.endswith("/amp"):
        path = path[: -len("/amp")]
    elif "/amp/" in path and path.startswith("/amp/"):
        path = path[len("/amp") :]
    return path or "/"


def canonicalize_url(url: str) -> str:
    """The canonical spelling of an article URL; raises ``InvalidURL`` for non-http(s) input."""
    text = url.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise InvalidURL(f"not a URL: {url!r} ({exc})") from None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if scheme not in _DEFAULT_PORTS or not host:
        raise InvalidURL(f"not an absolute http(s) URL: {url!r}")
    path = parts.path
    unwrapped = _unwrap_amp_cache(host, path)
    if unwrapped:
        return canonicalize_url(
            urlunsplit((unwrapped[0], unwrapped[1], unwrapped[2], parts.query, ""))
        )
    host = _strip_variant_labels(host)
    netloc = host if ":" not in host else f"[{host}]"
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        netloc = f"{netloc}:{port}"
    site_params = SITE_TRACKING_PARAMS.get(registrable_domain(host), frozenset())
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not _is_tracking(k, site_params)
    ]
    query.sort()
    return urlunsplit((scheme, netloc, _normalize_path(path), urlencode(query), ""))


def article_key(url: str) -> str:
    """The store's unique key: sha1 of the canonical URL without its scheme.

    http:// and https:// spellings of one page are one article (old links and feeds mix them).
    """
    return key_of_canonical(canonicalize_url(url))


def key_of_canonical(canonical: str) -> str:
    """``article_key`` for a URL that is already canonical (saves canonicalizing twice)."""
    return hashlib.sha1(canonical.split(":", 1)[1].encode("utf-8")).hexdigest()
