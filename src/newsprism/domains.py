"""Registrable domains ("eTLD+1"): the key that outlets, feeds, ratings and articles meet on."""

from __future__ import annotations

import ipaddress
import re
from functools import lru_cache
from urllib.parse import urlsplit

import tldextract

# The public-suffix snapshot bundled with tldextract: nothing is fetched at run time.
_extract = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def hostname(url_or_host: str) -> str:
    """The lower-cased host name; '' when there is none or the address is malformed."""
    text = url_or_host.strip()
    if "://" not in text:
        text = "//" + text
    try:
        host = urlsplit(text).hostname or ""
    except ValueError:
        return ""  # "http://[::1": an unclosed bracket
    return host.rstrip(".").lower()


def is_web_address(url: str) -> bool:
    """Whether ``url`` is an absolute http(s) address with a host: not "javascript:…",
    "data:…", a relative path or a malformed "http://[::1"."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


# Labels of letters, digits and hyphens (any script), at least two of them.
_DOMAIN_NAME = re.compile(r"^(?:[^\W_](?:[\w-]*[^\W_])?\.)+[^\W\d_][\w-]*[^\W_]$")


def is_domain_name(text: str) -> bool:
    """Whether ``text`` is a domain name a user may name an outlet by ("example.com", not
    "not a domain", "com" or "http://[::1")."""
    host = text.strip().rstrip(".").lower()
    return bool(_DOMAIN_NAME.match(host)) and "_" not in host


@lru_cache(maxsize=65536)
def _registrable(host: str) -> str:
    parts = _extract(host)
    if parts.suffix and parts.domain:
        return f"{parts.domain}.{parts.suffix}"
    return host


def registrable_domain(url_or_host: str) -> str:
    """``https://amp.www.theguardian.co.uk/x`` -> ``theguardian.co.uk``; '' when there is no host."""
    host = hostname(url_or_host)
    if not host:
        return ""
    return _registrable(host)


def is_host_name(host: str) -> bool:
    """Whether ``host`` names a host a feed can be on: a domain name, an IP address or
    "localhost" (loopback sites, when private networks are allowed)."""
    if is_domain_name(host) or host == "localhost":
        return True
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True
