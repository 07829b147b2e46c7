"""A hand-made news site on 127.0.0.1: outlets' RSS feeds and article pages about distinct events.

Each story is one invented event (a place, two people, an organisation, a figure, all with
invented names) covered by several outlets in their own words; stories share no names, so a
sound clusterer, whatever order the articles reach it in, finds the same partition. Used by the scale-out end-to-end test
and its benchmark.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import random
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# Every event happens to its own kind of place; the incidents, responders and evidence repeat
# across events (as "fire" or "police" do in real news), the places and names never do.
SITES = [
    "bridge", "dam", "airport", "refinery", "library", "stadium", "ferry", "tunnel",
    "reservoir", "brewery", "cathedral", "factory", "warehouse", "pipeline", "lighthouse",
    "observatory", "harbour", "vineyard", "orchard", "mine", "quarry", "power plant", "school",
    "hospital", "prison", "zoo", "aquarium", "theatre", "market", "shopping centre", "railway",
    "tramline", "motorway", "canal", "levee", "seawall", "shipyard", "mill", "bakery", "dairy",
    "laboratory", "archive", "courthouse", "embassy", "barracks", "monastery", "castle",
    "palace", "museum", "gallery", "casino", "hotel", "campsite", "ski resort", "marina",
    "racetrack", "farm", "greenhouse", "data centre", "telescope",
]  # fmt: skip
INCIDENTS = [
    ("collapse", "collapsed"), ("fire", "burned"), ("flood", "flooded"), ("strike", "shut down"),
    ("explosion", "exploded"), ("break-in", "was raided"), ("outage", "went dark"),
]  # fmt: skip
RESPONDERS = [
    "engineers", "firefighters", "detectives", "inspectors", "volunteers", "paramedics",
    "auditors", "divers", "surveyors", "union officials", "insurers",
]  # fmt: skip
EVIDENCE = [
    "inspection records", "security footage", "water samples", "maintenance logs", "emails",
    "sensor data", "witness statements", "invoices", "satellite images", "radio recordings",
    "safety permits", "blueprints", "payroll files",
]  # fmt: skip
# Lengths coprime with each other and with the other lists, so that no two events share the
# same combination of common words.
ORGS = ["Authority", "Union", "Institute", "Commission", "Foundation"]
COMPANIES = ["Holdings", "Group", "Partners"]
STREETS = ["Street", "Road", "Avenue", "Lane"]
_ONSETS = [
    "b",
    "d",
    "f",
    "g",
    "k",
    "l",
    "m",
    "n",
    "p",
    "r",
    "s",
    "t",
    "v",
    "z",
    "br",
    "dr",
    "gr",
    "kr",
    "pr",
    "st",
    "tr",
]
_VOWELS = ["a", "e", "i", "o", "u", "ai", "ei", "ou"]
_CODAS = ["", "", "n", "r", "s", "l", "th", "nd"]


def _names(rng: random.Random, taken: set[str], count: int) -> list[str]:
    """Invented proper nouns (Kelvorin, Drastamund, …), never used by another story."""
    names: list[str] = []
    while len(names) < count:
        syllables = rng.randint(2, 3)
        word = "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(syllables))
        word = (word + rng.choice(_CODAS)).capitalize()
        if word not in taken:
            taken.add(word)
            names.append(word)
    return names


@dataclass
class Article:
    slug: str
    outlet: int
    story: int
    title: str
    paragraphs: list[str]
    published: datetime


@dataclass
class Newsroom:
    outlets: int
    articles: list[Article] = field(default_factory=list)

    def feed_path(self, outlet: int) -> str:
        return f"/outlet{outlet}/rss.xml"

    def page_path(self, article: Article) -> str:
        return f"/outlet{article.outlet}/{article.slug}.html"


@dataclass(frozen=True)
class Facts:
    """What one event is about: every article of the story reuses these, in its own words."""

    place: str
    person: str
    other: str
    org: str
    company: str
    street: str
    spokesperson: str
    figure: int
    event: tuple[str, str, str, str]


def _facts(rng: random.Random, story: int, taken: set[str]) -> Facts:
    place, first, last, first2, last2, org, company, street, spoke1, spoke2 = _names(rng, taken, 10)
    incident, verb = INCIDENTS[story % len(INCIDENTS)]
    return Facts(
        place=place,
        person=f"{first} {last}",
        other=f"{first2} {last2}",
        org=f"{org} {ORGS[story % len(ORGS)]}",
        company=f"{company} {COMPANIES[story % len(COMPANIES)]}",
        street=f"{street} {STREETS[story % len(STREETS)]}",
        spokesperson=f"{spoke1} {spoke2}",
        figure=100 + story * 37,
        event=(
            f"{SITES[story % len(SITES)]} {incident}",
            verb,
            RESPONDERS[story % len(RESPONDERS)],
            EVIDENCE[story % len(EVIDENCE)],
        ),
    )


def _story_text(rng: random.Random, f: Facts) -> tuple[str, list[str]]:
    event, verb, actors, evidence = f.event
    titles = [
        f"{f.place} {event}: {f.person} says {f.figure} affected",
        f"{f.person} responds as {f.place} {event} leaves {f.figure} affected",
        f"{f.org} opens inquiry into {f.place} {event} at {f.company}",
        f"What we know about the {f.place} {event} and {f.person}",
        f"{f.place} {event}: {f.other} of the {f.org} demands answers",
        f"{f.figure} affected after {f.place} {event}, {f.org} says",
    ]
    sentences = [
        f"A {event} in {f.place} {verb}, and {f.figure} people were affected, "
        f"according to the {f.org}.",
        f"{f.person}, who leads the response in {f.place}, said {actors} were examining "
        f"{evidence} from {f.company}.",
        f"{f.other} of the {f.org} called for an independent review of the {f.place} {event}.",
        f"{f.company}, which runs the site on {f.street}, said it was cooperating fully.",
        f"The {f.org} said the figure of {f.figure} could still change as {evidence} are checked.",
        f"Residents of {f.street} in {f.place} gathered outside the offices of {f.company}.",
        f"{f.person} promised to publish the {evidence} once {actors} had finished in {f.place}.",
        f"Critics including {f.other} said {f.company} had ignored warnings about {f.street}.",
        f"{f.spokesperson}, speaking for {f.company}, declined to say who approved the work.",
        f"Traffic around {f.street} and the centre of {f.place} was diverted by {actors}.",
        f"{f.spokesperson} said {f.company} would compensate the {f.figure} households.",
        f"The {f.org} has asked {f.person} and {f.spokesperson} to testify about the {event}.",
    ]
    rng.shuffle(sentences)
    chosen = sentences[: rng.randint(7, 10)]
    paragraphs = [" ".join(chosen[i : i + 2]) for i in range(0, len(chosen), 2)]
    return rng.choice(titles), paragraphs


def build_newsroom(
    stories: int = 60, outlets: int = 10, per_story: int = 5, seed: int = 7
) -> Newsroom:
    """``stories`` events, each covered by ``per_story`` of ``outlets`` outlets, in the last day.

    Recent dates, because pollers fetch the pages only of entries inside the story window.
    """
    rng = random.Random(seed)
    room = Newsroom(outlets=outlets)
    start = (datetime.now(UTC) - timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    taken: set[str] = set()
    for story in range(stories):
        facts = _facts(rng, story, taken)
        covering = rng.sample(range(outlets), per_story)
        base = start + timedelta(minutes=17 * story)
        for rank, outlet in enumerate(covering):
            title, paragraphs = _story_text(rng, facts)
            room.articles.append(
                Article(
                    slug=f"story-{story}-report",
                    outlet=outlet,
                    story=story,
                    title=title,
                    paragraphs=paragraphs,
                    published=base + timedelta(minutes=11 * rank + outlet),
                )
            )
    return room


def page_html(article: Article) -> bytes:
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in article.paragraphs)
    title = html.escape(article.title)
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{title}</title>"
        f"<meta property='article:published_time' content='{article.published.isoformat()}'>"
        "</head><body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>{title}</h1>{body}</article>"
        "<footer>Copyright The Outlet. All rights reserved.</footer></body></html>"
    ).encode()


def feed_xml(room: Newsroom, outlet: int, base_url: str) -> bytes:
    items = []
    for article in room.articles:
        if article.outlet != outlet:
            continue
        link = base_url + room.page_path(article)
        items.append(
            "<item>"
            f"<title>{html.escape(article.title)}</title>"
            f"<link>{html.escape(link)}</link>"
            f"<guid>{html.escape(link)}</guid>"
            f"<pubDate>{format_datetime(article.published)}</pubDate>"
            f"<description>{html.escape(article.paragraphs[0])}</description>"
            "</item>"
        )
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
        f"<title>Outlet {outlet}</title><link>{base_url}/outlet{outlet}/</link>"
        f"<description>News from outlet {outlet}</description>{''.join(items)}"
        "</channel></rss>"
    ).encode()


class _Handler(BaseHTTPRequestHandler):
    server: _Site
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        found = self.server.documents.get(self.path.split("?", 1)[0])
        status, content_type, body = (200, *found) if found else (404, "text/plain", b"not found")
        # Feeds carry an ETag, so a client that recorded it before storing every article of the
        # feed would get 304 Not Modified on a retry and lose the rest: tests would see that.
        etag = f'"{hashlib.sha1(body).hexdigest()}"'
        if found and self.headers.get("If-None-Match") == etag:
            status, body = 304, b""
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if found:
            self.send_header("ETag", etag)
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Site(ThreadingHTTPServer):
    daemon_threads = True
    documents: dict[str, tuple[str, bytes]]


class StaticSite:
    """Serves fixed documents (path -> (content type, body)) on 127.0.0.1, an ephemeral port."""

    def __init__(self) -> None:
        self._server = _Site(("127.0.0.1", 0), _Handler)
        self._server.documents = {"/robots.txt": ("text/plain", b"User-agent: *\n")}
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def add(self, path: str, content_type: str, body: bytes) -> str:
        self._server.documents[path] = (content_type, body)
        return self.base_url + path

    def __enter__(self) -> StaticSite:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


class NewsroomServer(StaticSite):
    """Serves a Newsroom's feeds and pages."""

    def __init__(self, room: Newsroom) -> None:
        super().__init__()
        self.room = room
        for outlet in range(room.outlets):
            body = feed_xml(room, outlet, self.base_url)
            self.add(room.feed_path(outlet), "application/rss+xml", body)
        for article in room.articles:
            self.add(room.page_path(article), "text/html; charset=utf-8", page_html(article))

    def feed_urls(self) -> list[str]:
        return [self.base_url + self.room.feed_path(o) for o in range(self.room.outlets)]

    def article_url(self, article: Article) -> str:
        return self.base_url + self.room.page_path(article)

    def __enter__(self) -> NewsroomServer:
        super().__enter__()
        return self
