"""Atom 1.0 documents (RFC 4287) built with ElementTree, so every text is escaped by the writer."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from xml.etree import ElementTree as ET

from newsprism.textclean import without_controls
from newsprism.timeutil import utcnow

ATOM_NS = "http://www.w3.org/2005/Atom"
ATOM_MEDIA_TYPE = "application/atom+xml; charset=utf-8"


@dataclass
class Entry:
    id: str
    title: str
    link: str
    updated: datetime | None
    summary: str = ""
    published: datetime | None = None
    author: str | None = None


def _stamp(value: datetime | None) -> str:
    return (value or utcnow()).isoformat().replace("+00:00", "Z")


def _text(parent: ET.Element, tag: str, value: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    # The writer escapes markup but passes characters XML forbids; a store filled before they
    # were refused at the door may still hold some.
    element.text = without_controls(value)
    return element


def atom_document(
    *, feed_id: str, title: str, self_url: str, alternate_url: str, entries: Iterable[Entry]
) -> bytes:
    items = list(entries)
    feed = ET.Element("feed", {"xmlns": ATOM_NS})
    _text(feed, "id", feed_id)
    _text(feed, "title", title)
    updated = max((e.updated for e in items if e.updated), default=None)
    _text(feed, "updated", _stamp(updated))
    ET.SubElement(feed, "link", {"rel": "self", "href": self_url, "type": "application/atom+xml"})
    ET.SubElement(feed, "link", {"rel": "alternate", "href": alternate_url, "type": "text/html"})
    author = ET.SubElement(feed, "author")
    _text(author, "name", "newsprism")
    _text(feed, "generator", "newsprism")
    for item in items:
        entry = ET.SubElement(feed, "entry")
        _text(entry, "id", item.id)
        _text(entry, "title", item.title or "(untitled)")
        ET.SubElement(entry, "link", {"rel": "alternate", "href": without_controls(item.link)})
        _text(entry, "updated", _stamp(item.updated or item.published))
        if item.published:
            _text(entry, "published", _stamp(item.published))
        if item.author:
            _text(ET.SubElement(entry, "author"), "name", item.author)
        if item.summary:
            _text(entry, "summary", item.summary)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8")
