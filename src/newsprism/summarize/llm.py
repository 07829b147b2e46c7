"""Optional LLM summaries over the OpenAI-compatible chat API (Ollama, llama.cpp server, vLLM).

The model is asked for JSON bullets that cite article ids and quote only verbatim. Its answer is
then checked, because models invent quotes: a bullet is dropped when it cites no article of the
story, or when any quoted span in it does not occur word for word in an article it cites. When
fewer than ``summary_min_bullets`` survive, or the server fails, the caller uses the extractive
summary.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from newsprism.config import Settings
from newsprism.summarize.extractive import Bullet, SourceArticle
from newsprism.summarize.sentences import is_verbatim

# Enough of each article for the facts of its lede, and enough articles for every side's view,
# while the prompt stays within a small local model's context (≈ 4k tokens).
PROMPT_ARTICLE_CHARS = 1200
PROMPT_MAX_ARTICLES = 10
# A few bullets are a few kilobytes; anything near this is a misbehaving server.
MAX_RESPONSE_BYTES = 1024 * 1024
# A bullet is a sentence or two; the extractive ones stay under ~70 words.
MAX_BULLET_CHARS = 600
# Quoted spans in any common style: straight and typographic double quotes, low-9 and
# guillemets, and single quotes that open after a space or bracket and close before one (so
# that apostrophes in "don't" or "Trump's" open no quote). Every quoted span, a single word
# included, must be in a cited source: a scare-quoted word is a claim about what was said.
_QUOTED = re.compile(
    r"[\"“”„«»]([^\"“”„«»]+)[\"“”«»]"
    r"|(?:(?<=^)|(?<=[\s(\[—–-]))[‘'‚‹›]([^‘’'‚‹›\n]+?)[’'‹›](?=[\s.,;:!?)\]—–-]|$)"
)

SYSTEM_PROMPT = (
    "You write neutral news summaries. Answer with JSON only: "
    '{"bullets": [{"text": "...", "article_ids": [1, 2]}]}. Write 3 to 5 short bullets in '
    "plain, neutral language. Every bullet must list the ids of the articles it is based on. "
    "Put words in double quotes only when they appear exactly so in a cited article."
)


@dataclass
class LLMResult:
    bullets: list[Bullet]
    dropped: list[str]  # why each rejected bullet was rejected


class LLMUnavailable(Exception):
    """The server could not be reached or did not answer in the expected form."""


def build_messages(articles: Sequence[SourceArticle]) -> list[dict[str, str]]:
    parts = []
    for article in articles[:PROMPT_MAX_ARTICLES]:
        side = f" ({article.side}-leaning outlet)" if article.side else ""
        parts.append(f"[{article.id}]{side} {article.title}\n{article.text[:PROMPT_ARTICLE_CHARS]}")
    return [
        {"role": "system", "content": SYSTEM_PROMPT},
        {"role": "user", "content": "Articles:\n\n" + "\n\n".join(parts)},
    ]


def request_completion(settings: Settings, messages: list[dict[str, str]]) -> str:
    url = settings.llm_base_url.rstrip("/") + "/chat/completions"
    headers = {"Authorization": f"Bearer {settings.llm_api_key}"} if settings.llm_api_key else {}
    body = {"model": settings.llm_model, "messages": messages, "temperature": 0}
    # httpx's timeout bounds each read; a server that trickles its answer is cut off here.
    deadline = time.monotonic() + settings.llm_timeout_s
    try:
        with httpx.stream(
            "POST", url, json=body, headers=headers, timeout=settings.llm_timeout_s
        ) as response:
            response.raise_for_status()
            data = bytearray()
            for chunk in response.iter_bytes():
                data += chunk
                if len(data) > MAX_RESPONSE_BYTES:
                    raise LLMUnavailable(f"LLM server {url}: answer larger than 1 MiB")
                if time.monotonic() > deadline:
                    raise LLMUnavailable(
                        f"LLM server {url}: no whole answer within {settings.llm_timeout_s:g} s"
                    )
        return str(json.loads(bytes(data))["choices"][0]["message"]["content"])
    except (httpx.HTTPError, ValueError, KeyError, IndexError, TypeError, RecursionError) as exc:
        raise LLMUnavailable(f"LLM server {url}: {type(exc).__name__}: {exc}") from None


def _json_payload(content: str) -> Any:
    # Models often wrap JSON in a code fence or a sentence; take the outermost object.
    start, end = content.find("{"), content.rfind("}")
    if start < 0 or end <= start:
        raise LLMUnavailable("LLM answer holds no JSON object")
    try:
        return json.loads(content[start : end + 1])
    except (json.JSONDecodeError, RecursionError) as exc:
        raise LLMUnavailable(f"LLM answer is not valid JSON: {type(exc).__name__}") from None


def validate_bullets(payload: Any, articles: Sequence[SourceArticle]) -> LLMResult:
    texts = {a.id: a.text for a in articles}
    titles = {a.id: a.title for a in articles}
    raw = payload.get("bullets") if isinstance(payload, dict) else None
    if not isinstance(raw, list):
        raise LLMUnavailable("LLM answer has no 'bullets' list")
    kept: list[Bullet] = []
    dropped: list[str] = []
    for item in raw:
        if not isinstance(item, dict) or not str(item.get("text") or "").strip():
            dropped.append("a bullet without text")
            continue
        text = " ".join(str(item["text"]).split())
        if len(text) > MAX_BULLET_CHARS:
            dropped.append(f"{text[:60]!r}: longer than {MAX_BULLET_CHARS} characters")
            continue
        cited = item.get("article_ids")
        cited = cited if isinstance(cited, list) else []
        ids = [i for i in cited if isinstance(i, int) and not isinstance(i, bool) and i in texts]
        if not ids:
            dropped.append(f"{text[:60]!r}: cites no article of the story")
            continue
        sources = [texts[i] for i in ids] + [titles[i] for i in ids]
        invented = [
            quote
            for pair in _QUOTED.findall(text)
            if (quote := next(q for q in pair if q)).strip() and not is_verbatim(quote, sources)
        ]
        if invented:
            dropped.append(f"{text[:60]!r}: quote not found in its sources: {invented[0]!r}")
            continue
        kept.append(Bullet(text, sorted(set(ids))))
    return LLMResult(kept, dropped)


def summarize_llm(articles: Sequence[SourceArticle], settings: Settings) -> LLMResult:
    """Checked LLM bullets; raises LLMUnavailable when fewer than ``summary_min_bullets``
    passed the checks (a summary the extractive path would have made longer)."""
    content = request_completion(settings, build_messages(articles))
    result = validate_bullets(_json_payload(content), articles)
    result.bullets = result.bullets[: settings.summary_max_bullets]
    if len(result.bullets) < settings.summary_min_bullets:
        raise LLMUnavailable(
            f"only {len(result.bullets)} of the LLM's bullets passed the checks"
            + (f" ({result.dropped[0]})" if result.dropped else "")
        )
    return result
