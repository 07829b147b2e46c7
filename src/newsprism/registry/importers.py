"""Readers for raters' published files: each turns one file into plain ``RatingRow`` values.

Formats (see ``scales.py`` for how labels become scores):

- ``mbfc``: the JSON of MBFC's browser extension (``{"sources": [{"domain", "bias", "reporting",
  "url", …}], "date"}``), or the CSV layout ``source,country,bias,factual_reporting,…`` (idiap).
- ``allsides``: CSV ``<name>,bias,type,allsides_url,agree,disagree,url,confidence``; only rows of
  type ``News`` are outlets (authors and think tanks are rated too, but publish no feeds).
- ``adfontes``: CSV ``source,reliability,bias`` with names and no domains; matched by name.
- ``wikipedia-rsp``: JSON ``{domain: status}`` with status −2…1 (idiap), or our bundled file.
- ``csv``: the generic layout ``domain,bias,factuality,url,date`` with a header; bias a number
  −3…+3 or a label (Far Left … Far Right, Left-Center, Least Biased …), factuality a number 0…5
  or a label (Very Low … Very High); url and date may be empty.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from newsprism import jsontext
from newsprism.domains import hostname, is_web_address
from newsprism.errors import InputError
from newsprism.registry import scales

PROVIDERS = ("mbfc", "allsides", "adfontes", "wikipedia-rsp", "csv")
# Raters' files are a few MB; far larger means a wrong file.
MAX_RATINGS_BYTES = 100 * 1024 * 1024
RSP_PAGE = "https://en.wikipedia.org/wiki/Wikipedia:Reliable_sources/Perennial_sources"


@dataclass(slots=True)
class RatingRow:
    """One rater entry: an outlet by domain (or by name, for Ad Fontes) and its labels."""

    line: int
    domain: str | None
    name: str | None
    bias_label: str | None = None
    bias_score: float | None = None
    factuality_label: str | None = None
    factuality_score: float | None = None
    url: str | None = None
    rated_at: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    # Why the row cannot be a rating at all (not an outlet): counted as unknown, never stored.
    skip_reason: str | None = None
    # The rater's own alias (MBFC: bbc.co.uk is bbc.com): not a row of the file, so not counted;
    # it rates an outlet the store has under the alias when no entry names that outlet itself.
    alias_of: str | None = None

    def __post_init__(self) -> None:
        # The link to the rater's page is shown as one: only a web address is kept ("javascript:"
        # or a bare word in that column is dropped; the rating itself stays).
        if self.url is not None and not is_web_address(self.url):
            self.url = None


def read_ratings(provider: str, path: Path) -> list[RatingRow]:
    if provider not in READERS:
        raise InputError(
            f"--provider: unknown provider {provider!r} (one of {', '.join(PROVIDERS)})"
        )
    data = _read_bytes(path)
    return READERS[provider](data, str(path))


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_RATINGS_BYTES:
            raise InputError(f"{path}: {size} bytes is too large for a ratings file")
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a ratings file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise InputError(f"{path}: broken gzip data ({exc})") from None
    return data


def _text(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{source}: not UTF-8 text (byte {exc.start})") from None


def _json(data: bytes, source: str, what: str) -> Any:
    try:
        return jsontext.loads(_text(data, source))
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{source}: not the {what} JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None


def _csv_rows(
    data: bytes, source: str, required: tuple[str, ...], layout: str
) -> Iterator[tuple[int, dict[str, str]]]:
    text = _text(data, source)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [column for column in required if column not in header]
    if missing:
        raise InputError(
            f"{source}: not the {layout} layout: missing column(s) "
            f"{', '.join(c or '(unnamed first column)' for c in missing)} "
            f"(header: {','.join(header) or 'empty'})"
        )
    reader.fieldnames = header
    try:
        for row in reader:
            # Data starts on line 2; quoted newlines make this an approximation, not a lie.
            yield reader.line_num, {k: (v or "").strip() for k, v in row.items() if k is not None}
    except csv.Error as exc:
        raise InputError(f"{source}: line {reader.line_num}: {exc}") from None


def _iso_day(value: str) -> str | None:
    match = re.match(r"(\d{4}-\d{2}-\d{2})", value.strip())
    if not match:
        return None
    try:
        return date.fromisoformat(match.group(1)).isoformat()
    except ValueError:
        return None


def _date_from_name(source: str) -> str | None:
    """Snapshots are named by date (``…_2022-09.csv``, ``…_2022-01-17.csv``)."""
    match = re.search(r"(\d{4})-(\d{2})(?:-(\d{2}))?", Path(source).name)
    if not match:
        return None
    year, month, day = match.groups()
    return _iso_day(f"{year}-{month}-{day or '01'}")


# --------------------------------------------------------------------------------- mbfc


def read_mbfc(data: bytes, source: str) -> list[RatingRow]:
    stripped = data.lstrip()
    if stripped[:1] in (b"{", b"["):
        return _read_mbfc_json(data, source)
    return _read_mbfc_csv(data, source)


def _read_mbfc_json(data: bytes, source: str) -> list[RatingRow]:
    document = _json(data, source, "MBFC extension")
    if not isinstance(document, dict) or not isinstance(document.get("sources"), list):
        raise InputError(f"{source}: not the MBFC extension JSON (no 'sources' list)")
    rated_at = _iso_day(str(document.get("date") or ""))
    pretty_bias = _mbfc_labels(document, "biases", "bias", source)
    pretty_fact = _mbfc_labels(document, "reporting", "reporting", source)
    rows = []
    for index, entry in enumerate(document["sources"]):
        if not isinstance(entry, dict) or not isinstance(entry.get("domain"), str):
            raise InputError(f"{source}: sources[{index}]: no 'domain' string")
        where = f"sources[{index}] ({entry['domain']!r})"
        bias = _json_str(entry, "bias", source, where) or ""
        reporting = _json_str(entry, "reporting", source, where) or ""
        bias_label = pretty_bias.get(bias) or bias or None
        rows.append(
            RatingRow(
                line=index,
                domain=entry["domain"],
                name=_json_str(entry, "name", source, where),
                bias_label=bias_label,
                bias_score=scales.bias_score(bias),
                factuality_label=pretty_fact.get(reporting) or reporting or None,
                factuality_score=scales.factuality_score(reporting),
                url=_json_str(entry, "url", source, where) or None,
                rated_at=rated_at,
                extra={
                    k: entry[k] for k in ("credibility", "questionable", "traffic") if entry.get(k)
                },
            )
        )
    aliases = document.get("aliases")
    if aliases is not None and not isinstance(aliases, dict):
        raise InputError(
            f"{source}: field 'aliases': expected an object, got {type(aliases).__name__}"
        )
    by_domain = {row.domain: row for row in rows}
    for alias, target in sorted((aliases or {}).items()):
        if not isinstance(target, str):
            raise InputError(
                f"{source}: aliases[{alias!r}]: expected a domain string, "
                f"got {type(target).__name__}"
            )
        if target in by_domain:
            rows.append(replace(by_domain[target], domain=alias, alias_of=target))
    return rows


def _json_str(entry: dict[str, Any], key: str, source: str, where: str) -> str | None:
    """A string field of a JSON entry; absent or null is None, any other type an InputError."""
    value = entry.get(key)
    if value is None or isinstance(value, str):
        return value
    raise InputError(
        f"{source}: {where}: field {key!r}: expected a string, got {type(value).__name__} "
        f"({json.dumps(value)[:40]})"
    )


def _mbfc_labels(document: dict[str, Any], key: str, code: str, source: str) -> dict[str, str]:
    """MBFC's code -> display label table (``biases``: ``[{"bias": "left", "pretty": …}]``)."""
    table = document.get(key)
    if table is None:
        return {}
    if not isinstance(table, list):
        raise InputError(f"{source}: field {key!r}: expected a list, got {type(table).__name__}")
    labels = {}
    for index, item in enumerate(table):
        if not isinstance(item, dict):
            continue
        raw = _json_str(item, code, source, f"{key}[{index}]")
        pretty = _json_str(item, "pretty", source, f"{key}[{index}]")
        if raw is not None and pretty:
            labels[raw] = pretty
    return labels


def _read_mbfc_csv(data: bytes, source: str) -> list[RatingRow]:
    rows = []
    rated_at = _date_from_name(source)
    for line, row in _csv_rows(data, source, ("source", "bias", "factual_reporting"), "MBFC CSV"):
        bias = row["bias"]
        fact = row["factual_reporting"]
        rows.append(
            RatingRow(
                line=line,
                domain=row["source"],
                name=None,
                bias_label=bias or None,
                bias_score=scales.bias_score(bias),
                factuality_label=fact or None,
                factuality_score=scales.factuality_score(fact),
                rated_at=rated_at,
                extra={
                    k: row[k]
                    for k in ("country", "media_type", "mbfc_credibility_rating")
                    if row.get(k)
                },
                skip_reason=None if row["source"] else "empty domain",
            )
        )
    return rows


# ----------------------------------------------------------------------------- allsides


def read_allsides(data: bytes, source: str) -> list[RatingRow]:
    rows = []
    rated_at = _date_from_name(source)
    # The outlet's name sits in the first column, whose header is empty in the published file.
    lines = _text(data, source).splitlines()
    name_column = lines[0].split(",", 1)[0].strip().strip('"').lower() if lines else ""
    required = (name_column, "bias", "type", "allsides_url", "url")
    for line, row in _csv_rows(data, source, required, "AllSides CSV"):
        name = row.get(name_column, "")
        label = row["bias"]
        if not label:
            raise InputError(f"{source}: line {line}: empty 'bias' for {name!r}")
        kind = row["type"]
        rows.append(
            RatingRow(
                line=line,
                domain=row["url"] or None,
                name=name or None,
                bias_label=label,
                bias_score=scales.ALLSIDES_BIAS.get(label.strip().lower()),
                url=row["allsides_url"] or None,
                rated_at=rated_at,
                extra={
                    k: row[k] for k in ("confidence", "agree", "disagree", "type") if row.get(k)
                },
                skip_reason=None
                if kind == "News"
                else f"AllSides type {kind!r} is not a news outlet",
            )
        )
    return rows


# ----------------------------------------------------------------------------- adfontes


def read_adfontes(data: bytes, source: str) -> list[RatingRow]:
    rows = []
    rated_at = _date_from_name(source)
    for line, row in _csv_rows(data, source, ("source", "reliability", "bias"), "Ad Fontes CSV"):
        try:
            reliability = float(row["reliability"])
            bias = float(row["bias"])
        except ValueError:
            raise InputError(
                f"{source}: line {line}: 'reliability' and 'bias' must be numbers, got "
                f"{row['reliability']!r} and {row['bias']!r}"
            ) from None
        if not (0 <= reliability <= 64 and -42 <= bias <= 42):
            raise InputError(
                f"{source}: line {line}: reliability {reliability:g} or bias {bias:g} is "
                "outside Ad Fontes' scales (0…64, −42…+42)"
            )
        rows.append(
            RatingRow(
                line=line,
                domain=None,
                name=row["source"],
                bias_label=f"bias {bias:g}",
                bias_score=round(scales.adfontes_bias(bias), 3),
                factuality_label=f"reliability {reliability:g}",
                factuality_score=round(scales.adfontes_factuality(reliability), 3),
                url="https://adfontesmedia.com/interactive-media-bias-chart/",
                rated_at=rated_at,
                extra={"bias": bias, "reliability": reliability},
            )
        )
    return rows


# ------------------------------------------------------------------------ wikipedia-rsp


def read_wikipedia_rsp(data: bytes, source: str) -> list[RatingRow]:
    document = _json(data, source, "Wikipedia perennial-sources")
    if isinstance(document, dict) and isinstance(document.get("status"), dict):
        statuses: dict[str, Any] = document["status"]  # our bundled file: labels
    elif isinstance(document, dict):
        statuses = document  # idiap: codes
    else:
        raise InputError(f"{source}: not the Wikipedia perennial-sources JSON (expected an object)")
    rows = []
    for index, (domain, status) in enumerate(statuses.items()):
        # bool is an int to Python, but `true` is no status code.
        if isinstance(status, int) and not isinstance(status, bool):
            label = scales.WIKIPEDIA_RSP_CODES.get(status)
        else:
            label = status if isinstance(status, str) else None
        if label not in scales.WIKIPEDIA_RSP:
            raise InputError(
                f"{source}: entry {domain!r}: status {json.dumps(status)[:40]} is not one of "
                "-2 (deprecated), -1 (unreliable), 0 (no consensus), 1 (reliable) "
                f"or a label ({', '.join(scales.WIKIPEDIA_RSP)})"
            )
        rows.append(
            RatingRow(
                line=index,
                domain=str(domain),
                name=None,
                factuality_label=str(label),
                factuality_score=scales.WIKIPEDIA_RSP[str(label)],
                url=RSP_PAGE,
            )
        )
    return rows


# ---------------------------------------------------------------------------------- csv


def read_generic_csv(data: bytes, source: str) -> list[RatingRow]:
    rows = []
    for line, row in _csv_rows(
        data,
        source,
        ("domain", "bias", "factuality"),
        "generic ratings CSV (domain,bias,factuality,url,date)",
    ):
        if not row["domain"]:
            raise InputError(f"{source}: line {line}: empty 'domain'")
        if not hostname(row["domain"]):  # "http://", "http://[::1": no host to rate
            raise InputError(
                f"{source}: line {line}: field 'domain': {row['domain']!r} is not a domain "
                "or web address"
            )
        try:
            bias = scales.numeric_or_label(row["bias"], -3, 3, scales.BIAS_BY_KEY)
        except ValueError as exc:
            raise InputError(f"{source}: line {line}: field 'bias': {exc}") from None
        try:
            fact = scales.numeric_or_label(row["factuality"], 0, 5, scales.FACTUALITY_BY_KEY)
        except ValueError as exc:
            raise InputError(f"{source}: line {line}: field 'factuality': {exc}") from None
        raw_date = row.get("date", "")
        rated_at = _iso_day(raw_date) if raw_date else None
        if raw_date and rated_at is None:
            raise InputError(f"{source}: line {line}: field 'date': {raw_date!r} is not YYYY-MM-DD")
        rows.append(
            RatingRow(
                line=line,
                domain=row["domain"],
                name=None,
                bias_label=row["bias"] or None,
                bias_score=bias,
                factuality_label=row["factuality"] or None,
                factuality_score=fact,
                url=row.get("url") or None,
                rated_at=rated_at,
            )
        )
    return rows


READERS: dict[str, Callable[[bytes, str], list[RatingRow]]] = {
    "mbfc": read_mbfc,
    "allsides": read_allsides,
    "adfontes": read_adfontes,
    "wikipedia-rsp": read_wikipedia_rsp,
    "csv": read_generic_csv,
}
