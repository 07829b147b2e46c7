"""Registrable domains ("eTLD+1"): the key that outlets, feeds, ratings and articles meet on."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

import tldextract

# The public-suffix snapshot bundled with tldextract: nothing is fetched at run time.
_extract = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def hostname(url_or_host: str) -> str:
    text = url_or_host.strip()
    if "://" not in text:
        text = "//" + text
    host = urlsplit(text).hostname or ""
    return host.rstrip(".").lower()


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
