"""Canonical article URLs: one spelling per article, so the same page is stored once.

Feeds, aggregators and social shares decorate links with tracking parameters, AMP and mobile
variants and fragments. ``canonicalize_url`` strips those and normalizes the rest; it is
idempotent (canonical in, same canonical out). ``article_key`` is the store's unique key.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

from newsprism.domains import registrable_domain

# Query parameters that only say where a click came from, never which article it is.
# Sources: Google Analytics/Ads (utm_*, gclid, dclid, _ga, _gl), Meta (fbclid, igshid),
# Microsoft (msclkid, ocid), Yandex (yclid), Mailchimp (mc_cid, mc_eid), HubSpot (_hsenc, hsa_*),
# Matomo/Piwik (pk_*, mtm_*), AT Internet (at_*, xtor), comScore (ns_*), Adobe (cmpid, s_cid,
# icid), Webtrends (wt.*), and the share/referral parameters of large news sites (NYT's smid,
# pgtype, module, region; BBC's ito; CNN's cnn; Guardian's CMP).
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
        "cmp",
        "icid",
        "s_cid",
        "xtor",
        "ito",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "_openstat",
        "smid",
        "smtyp",
        "pgtype",
        "clicksource",
        "action",
        "module",
        "region",
        "contentcollection",
        "contentplacement",
        "hp",
        "emc",
        "partner",
        "_r",
        "rref",
        "mtrref",
        "ref",
        "ref_src",
        "ref_url",
        "referer",
        "referrer",
        "src",
        "source",
        "share",
        "sr_share",
        "taid",
        "feedtype",
        "feedname",
        "rss",
        "cnn",
        "ftag",
        "mod",
        "sref",
        "spm",
        "tpcc",
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
TRACKING_PREFIXES = ("utm_", "wt.", "ns_", "at_", "pk_", "mtm_", "hsa_", "__")

# Host labels that name a variant of the site rather than a different site.
VARIANT_HOST_LABELS = frozenset({"www", "m", "mobile", "amp", "www1", "www2"})

_DEFAULT_PORTS = {"http": 80, "https": 443}
_AMP_CACHE = re.compile(r"^[a-z0-9-]+\.cdn\.ampproject\.org$")
# Characters a path or query may carry without escaping (RFC 3986 unreserved + sub-delims + :@/).
_PATH_SAFE = "/:@!$&'()*+,;=-._~"


class InvalidURL(ValueError):
    """A string that is not an absolute http(s) URL."""


def _is_tracking(name: str) -> bool:
    key = name.lower()
    return key in TRACKING_PARAMS or key.startswith(TRACKING_PREFIXES)


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
    # Decode then re-encode: %7E and ~ are the same path, as are %c3%a9 and %C3%A9.
    path = quote(unquote(path), safe=_PATH_SAFE + "%")
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
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)
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
