"""The bundled outlet registry: its on-disk format, shared by the generator and the loader.

``data/outlets.json.gz`` holds ``{"version", "sources", "outlets": [...]}``; each outlet is a
``BundledOutlet`` as a dict. The version is a digest of the outlets, so any change in content is a
new version and the loader upgrades a store that holds an older one.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from newsprism.errors import NewsprismError

OUTLETS_FILE = "outlets.json.gz"
WIKIPEDIA_RSP_FILE = "wikipedia_rsp.json.gz"


@dataclass(slots=True)
class BundledFeed:
    url: str
    title: str | None = None
    # Feeds a fresh install polls: the main feeds of default-set outlets.
    default: bool = False


@dataclass(slots=True)
class BundledOutlet:
    domain: str
    name: str
    country: str | None = None
    language: str | None = None
    homepage: str | None = None
    ownership: str | None = None
    owner: str | None = None
    categories: list[str] = field(default_factory=list)
    default: bool = False
    feeds: list[BundledFeed] = field(default_factory=list)


@dataclass(slots=True)
class Bundle:
    version: str
    sources: list[str]
    outlets: list[BundledOutlet]


def bundle_version(outlets: list[BundledOutlet]) -> str:
    payload = json.dumps([asdict(o) for o in outlets], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


def write_bundle(path: Path, outlets: list[BundledOutlet], sources: list[str]) -> str:
    version = bundle_version(outlets)
    document = {"version": version, "sources": sources, "outlets": [asdict(o) for o in outlets]}
    raw = json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    # mtime=0 keeps the file byte-identical across rebuilds of the same content.
    with path.open("wb") as handle, gzip.GzipFile(fileobj=handle, mode="wb", mtime=0) as gz:
        gz.write(raw.encode("utf-8"))
    return version


def _outlet_from_dict(raw: dict[str, Any]) -> BundledOutlet:
    feeds = [BundledFeed(**feed) for feed in raw.pop("feeds", [])]
    return BundledOutlet(**raw, feeds=feeds)


def read_bundle(path: Path) -> Bundle:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            document = json.load(handle)
        outlets = [_outlet_from_dict(dict(o)) for o in document["outlets"]]
        return Bundle(str(document["version"]), list(document.get("sources", [])), outlets)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise NewsprismError(f"bundled outlet registry {path}: unreadable ({exc})") from None


def bundled_path(name: str) -> Path:
    return Path(str(resources.files("newsprism.registry").joinpath("data", name)))


@lru_cache(maxsize=2)
def load_bundle(path: Path | None = None) -> Bundle:
    return read_bundle(path or bundled_path(OUTLETS_FILE))
