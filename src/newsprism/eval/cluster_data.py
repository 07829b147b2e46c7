"""Labelled clustering sets read into drafts with their gold story: NeuS, Miranda et al., JSONL.

Each reader yields ``GoldArticle`` values in file order and names the file and item in every
error. Articles get a unique synthetic URL and outlet where the set has none, so that the store
keeps every gold article as its own row (two identical texts stay two articles).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newsprism import jsontext
from newsprism.errors import InputError, require_regular_file
from newsprism.eval.lines import numbered_lines
from newsprism.ingest.dates import normalize_date
from newsprism.ingest.importer import parse_line
from newsprism.models import ArticleDraft
from newsprism.timeutil import utcnow

FORMATS = ("neus", "miranda", "jsonl")
# Miranda et al. 2018 label languages with ISO 639-3 codes; the store uses ISO 639-1.
_ISO3 = {"eng": "en", "deu": "de", "ger": "de", "spa": "es", "fra": "fr", "fre": "fr"}
_ISO3.update({"ita": "it", "por": "pt", "nld": "nl", "dut": "nl", "rus": "ru", "ara": "ar"})
_EVAL_HOST = "eval.newsprism.invalid"


@dataclass(slots=True)
class GoldArticle:
    story: str
    draft: ArticleDraft


def read_gold(path: Path, fmt: str) -> list[GoldArticle]:
    require_regular_file(path)
    if fmt == "neus":
        return list(_read_neus(path))
    if fmt == "miranda":
        return list(_read_miranda(path))
    if fmt == "jsonl":
        return list(_read_jsonl(path))
    raise InputError(f"--format: unknown format {fmt!r} (choose from {', '.join(FORMATS)})")


def _synthetic(index: int) -> tuple[str, str]:
    # One made-up outlet per article: the set says nothing about outlets, and sharing one would
    # turn identical texts into duplicates of each other instead of separate gold articles.
    return f"https://{_EVAL_HOST}/a/{index}", f"outlet{index}.example"


def _text(value: Any, where: str, field: str) -> str:
    if not isinstance(value, str):
        raise InputError(f"{where}: field {field!r} must be a string")
    return value


def _read_neus(path: Path) -> Iterator[GoldArticle]:
    index = 0
    for line_no, line in numbered_lines(path):
        if not line.strip():
            continue
        where = f"{path}:{line_no}"
        try:
            row = jsontext.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{where}: not valid JSON ({exc.msg})") from None
        if not isinstance(row, dict) or "cluster_id" not in row:
            raise InputError(f"{where}: expected an object with 'cluster_id' and 'docs'")
        docs = row.get("docs")
        if not isinstance(docs, list) or not docs:
            raise InputError(f"{where}: field 'docs' must be a non-empty list")
        for doc in docs:
            if not isinstance(doc, dict):
                raise InputError(f"{where}: each of 'docs' must be an object")
            url, outlet = _synthetic(index)
            index += 1
            yield GoldArticle(
                str(row["cluster_id"]),
                ArticleDraft(
                    url=url,
                    title=_text(doc.get("title"), where, "title"),
                    text=_text(doc.get("text", ""), where, "text"),
                    outlet_domain=outlet,
                ),
            )


def _parse_date(value: Any, where: str) -> datetime | None:
    if value in (None, ""):
        return None
    result = normalize_date(str(value), now=utcnow())
    if result.value is None:
        raise InputError(f"{where}: field 'date' is not a date: {value!r}")
    return result.value


def _read_miranda(path: Path) -> Iterator[GoldArticle]:
    try:
        items = jsontext.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: not a JSON document ({exc})") from None
    if not isinstance(items, list):
        raise InputError(f"{path}: expected a JSON array of articles")
    for index, item in enumerate(items):
        where = f"{path}: item {index}"
        if not isinstance(item, dict):
            raise InputError(f"{where}: expected an object")
        for field in ("title", "text", "cluster"):
            if field not in item:
                raise InputError(f"{where}: missing field {field!r}")
        url, outlet = _synthetic(index)
        lang = str(item.get("lang") or "").lower()
        yield GoldArticle(
            str(item["cluster"]),
            ArticleDraft(
                url=f"{url}-{item.get('id', index)}",
                title=_text(item["title"], where, "title"),
                text=_text(item["text"], where, "text"),
                published_at=_parse_date(item.get("date"), where),
                language=_ISO3.get(lang, lang[:2] or None),
                outlet_domain=outlet,
            ),
        )


def _read_jsonl(path: Path) -> Iterator[GoldArticle]:
    now = datetime.now(UTC)
    for line_no, line in numbered_lines(path):
        if not line.strip():
            continue
        parsed = parse_line(line_no, line, now)
        if isinstance(parsed, str):
            raise InputError(f"{path}:{line_no}: {parsed}")
        story = parsed.draft.extra.pop("story", None)
        if story in (None, ""):
            raise InputError(f"{path}:{line_no}: missing field 'story' (the gold story id)")
        yield GoldArticle(str(story), parsed.draft)
