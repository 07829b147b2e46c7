"""OPML 2.0 in and out: feed lists from other readers, and our own sources for backup or moving.

Parsing goes through defusedxml: an OPML file comes from anywhere, and entity expansion ("billion
laughs") or external entities must not reach the parser. Our export nests each outlet's feeds under
one outline and keeps the outlet's domain, country and language in a namespaced attribute, so that
export followed by import gives back the same outlets and feeds.
"""

from __future__ import annotations

import json
import logging
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime
from typing import Any
from urllib.parse import urlsplit

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException
from lxml import etree

from newsprism import jsontext
from newsprism.errors import InputError
from newsprism.timeutil import utcnow

log = logging.getLogger(__name__)

NS = "https://newsprism.org/ns/opml/1"
ET.register_namespace("newsprism", NS)

# Real OPML exports are kilobytes; a 20 MB one is a mistake or an attack.
MAX_OPML_BYTES = 20 * 1024 * 1024
# Outline levels read below <body>; deeper ones are skipped with a note.
MAX_OUTLINE_DEPTH = 64
# Exporters often write a bare '&' in titles and URLs; escaping it is the only repair we make.
_BARE_AMPERSAND = re.compile(rb"&(?!#\d+;|#x[0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9]*;)")


@dataclass(slots=True)
class OpmlFeed:
    url: str
    title: str | None = None
    html_url: str | None = None
    # From our own export (namespaced attributes) or from the enclosing outline.
    outlet_domain: str | None = None
    outlet_name: str | None = None
    country: str | None = None
    language: str | None = None
    categories: list[str] = field(default_factory=list)
    enabled: bool | None = None


@dataclass(slots=True)
class OpmlOutlet:
    domain: str
    name: str
    homepage: str | None = None
    country: str | None = None
    language: str | None = None
    categories: list[str] = field(default_factory=list)
    feeds: list[tuple[str, str | None, bool]] = field(default_factory=list)  # url, title, enabled


def _parse_tree(data: bytes, source: str, notes: list[str]) -> ET.Element:
    try:
        return SafeET.fromstring(data, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise InputError(
            f"{source}: refused: the file declares a DTD or entities ({type(exc).__name__}), "
            "which OPML never needs and XML bombs do"
        ) from None
    except ET.ParseError as first:
        repaired = _BARE_AMPERSAND.sub(b"&amp;", data)
        try:
            return SafeET.fromstring(repaired, forbid_dtd=True)
        except ET.ParseError:
            pass
        recovered = _recover(repaired)
        if recovered is None:
            raise InputError(f"{source}: not well-formed XML: {first}") from None
        # Recovery can drop outlines (a file cut short loses its last one): the import must say so.
        notes.append(
            f"{source}: not well-formed XML ({first}): the file is damaged or cut short; "
            "imported the outlines that could be read, others may be missing"
        )
        return recovered


def _recover(data: bytes) -> ET.Element | None:
    """libxml2's recovering parser for the sloppy exports seen in the wild (unescaped quotes).

    Only reached after defusedxml has parsed far enough to refuse any DTD; a document that still
    mentions one is not recovered, so entity tricks never get a second parser to try.
    """
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        return None
    parser = etree.XMLParser(
        recover=True, resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return None
    if root is None:
        return None
    # Undefined entities (&nbsp; with no DTD) stay as reference nodes that no strict parser takes.
    for entity in list(root.iter(etree.Entity)):
        _remove_keeping_tail(entity)
    try:
        return SafeET.fromstring(etree.tostring(root), forbid_dtd=True)
    except (ET.ParseError, DefusedXmlException):
        return None


def _remove_keeping_tail(node: Any) -> None:
    parent = node.getparent()
    if parent is None:
        return
    if node.tail:
        previous = node.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + node.tail
        else:
            parent.text = (parent.text or "") + node.tail
    parent.remove(node)


def _attr(node: ET.Element, name: str) -> str | None:
    value = node.get(name)
    if value is None:
        value = node.get(f"{{{NS}}}{name}")
    value = (value or "").strip()
    return value or None


def _address(
    node: ET.Element, name: str, source: str, notes: list[str], outcome: str
) -> str | None:
    """An address attribute, or None with a note when no URL parser takes it ("http://[::1")."""
    value = _attr(node, name)
    if value is None:
        return None
    try:
        urlsplit(value if "://" in value else f"//{value}")
    except ValueError as exc:
        label = _attr(node, "title") or _attr(node, "text") or "(untitled)"
        notes.append(
            f"{source}: outline {label!r}: {name} {value!r} is not an address ({exc}); {outcome}"
        )
        return None
    return value


def parse_opml(data: bytes, source: str, notes: list[str] | None = None) -> list[OpmlFeed]:
    """Every feed outline (one with ``xmlUrl``) in the file, with what its parents say.

    What was damaged or left out goes to ``notes`` (one line each, naming the file); without a
    list it is logged as a warning, so it is never silent.
    """
    if len(data) > MAX_OPML_BYTES:
        raise InputError(
            f"{source}: {len(data)} bytes is over the {MAX_OPML_BYTES}-byte OPML limit"
        )
    found: list[str] = []
    try:
        return _parse_opml(data, source, found)
    finally:
        if notes is not None:
            notes.extend(found)
        else:
            for note in found:
                log.warning("%s", note)


def _parse_opml(data: bytes, source: str, notes: list[str]) -> list[OpmlFeed]:
    root = _parse_tree(data, source, notes)
    if root.tag.lower() != "opml":
        raise InputError(f"{source}: not OPML (root element is <{root.tag}>, expected <opml>)")
    body = root.find("body")
    if body is None:
        raise InputError(f"{source}: OPML without a <body>")
    feeds: list[OpmlFeed] = []

    too_deep = f"{source}: outlines nested more than {MAX_OUTLINE_DEPTH} levels deep skipped"

    def walk(node: ET.Element, parent: OpmlFeed | None, trail: list[str], depth: int = 0) -> None:
        if depth == MAX_OUTLINE_DEPTH:
            # Real lists nest folders a few levels deep; thousands would exhaust the recursion.
            if node.find("outline") is not None and too_deep not in notes:
                notes.append(too_deep)
            return
        for child in node.findall("outline"):
            name = "xmlUrl" if _attr(child, "xmlUrl") else "xmlurl"
            url = _address(child, name, source, notes, "outline skipped")
            if url is None and _attr(child, name):
                continue  # a feed whose address no parser takes: noted, and only it is skipped
            text = _attr(child, "title") or _attr(child, "text")
            enabled = _attr(child, "enabled")
            html_url = _address(child, "htmlUrl", source, notes, "attribute ignored")
            domain = _address(child, "domain", source, notes, "attribute ignored")
            if url:
                # Our export writes an untitled feed's text as its outlet's name (OPML wants text).
                untitled = _attr(child, "title") is None and parent and text == parent.outlet_name
                feeds.append(
                    OpmlFeed(
                        url=url,
                        title=None if untitled else text,
                        html_url=html_url or (parent.html_url if parent else None),
                        outlet_domain=domain or (parent.outlet_domain if parent else None),
                        outlet_name=parent.outlet_name if parent else None,
                        country=_attr(child, "country") or (parent.country if parent else None),
                        language=_attr(child, "language") or (parent.language if parent else None),
                        categories=[*trail, *_categories(child)],
                        enabled=None if enabled is None else enabled.lower() != "false",
                    )
                )
                continue
            # A group outline: either one of our outlets (it has a domain) or a folder.
            group = OpmlFeed(
                url="",
                html_url=html_url or (parent.html_url if parent else None),
                outlet_domain=domain or (parent.outlet_domain if parent else None),
                outlet_name=text if domain else (parent.outlet_name if parent else None),
                country=_attr(child, "country") or (parent.country if parent else None),
                language=_attr(child, "language") or (parent.language if parent else None),
            )
            folder = [] if domain else ([text] if text else [])
            walk(child, group, [*trail, *folder, *_categories(child)], depth + 1)

    walk(body, None, [])
    return feeds


def _categories(node: ET.Element) -> list[str]:
    """Our exact list (JSON in a namespaced attribute) or OPML's comma-separated ``category``."""
    exact = node.get(f"{{{NS}}}categories")
    if exact:
        try:
            value = jsontext.loads(exact)
        except ValueError:
            value = None
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return value
    return _split(_attr(node, "category"))


def _split(value: str | None) -> list[str]:
    if not value:
        return []
    return [part.strip().strip("/") for part in value.split(",") if part.strip().strip("/")]


# Characters XML 1.0 cannot carry at all (C0 controls but tab, CR, LF; lone surrogates; FFFE/F).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_safe(value: str) -> str:
    """Feed titles come from anywhere; a stray control character would make the file unreadable."""
    return _NOT_XML.sub("", value)


def write_opml(outlets: list[OpmlOutlet], *, title: str = "newsprism sources") -> bytes:
    """OPML 2.0 with one outline per outlet holding its feeds."""
    root = ET.Element("opml", {"version": "2.0"})
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    created: datetime = utcnow()
    ET.SubElement(head, "dateCreated").text = format_datetime(created, usegmt=True)
    body = ET.SubElement(root, "body")
    for outlet in outlets:
        name = _xml_safe(outlet.name)
        attrs = {"text": name, "title": name, f"{{{NS}}}domain": outlet.domain}
        if outlet.homepage:
            attrs["htmlUrl"] = outlet.homepage
        if outlet.country:
            attrs[f"{{{NS}}}country"] = outlet.country
        if outlet.language:
            attrs[f"{{{NS}}}language"] = outlet.language
        if outlet.categories:
            # OPML's own attribute for other readers; ours keeps names with commas intact.
            attrs["category"] = _xml_safe(",".join(c.replace(",", " ") for c in outlet.categories))
            attrs[f"{{{NS}}}categories"] = json.dumps(outlet.categories)  # \u-escaped: always safe
        group = ET.SubElement(body, "outline", attrs)
        for url, raw_title, enabled in outlet.feeds:
            feed_title = _xml_safe(raw_title) if raw_title else None
            feed_attrs = {"type": "rss", "text": feed_title or name, "xmlUrl": _xml_safe(url)}
            if feed_title:
                feed_attrs["title"] = feed_title
            if outlet.homepage:
                feed_attrs["htmlUrl"] = outlet.homepage
            if not enabled:
                feed_attrs[f"{{{NS}}}enabled"] = "false"
            ET.SubElement(group, "outline", feed_attrs)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
