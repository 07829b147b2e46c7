"""LLM summaries against a fake OpenAI-compatible server on 127.0.0.1 that invents quotes."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from sqlalchemy import select

from newsprism.analyze.refresh import refresh_dirty_stories
from newsprism.config import Settings
from newsprism.store.schema import story_summaries
from newsprism.summarize.extractive import SourceArticle
from newsprism.summarize.llm import build_messages, validate_bullets
from newsprism.summarize.service import summarize_story
from storydata import add_bridge_story

ARTICLES = [
    SourceArticle(
        1,
        "Pittsburgh bridge collapses",
        "A bridge in Pittsburgh collapsed on Friday, injuring ten people. The mayor said "
        "the city would rebuild quickly.",
        "left",
    ),
    SourceArticle(
        2,
        "Ten hurt in Pittsburgh bridge fall",
        "Officials said the span had been rated in poor condition. Investigators are on site.",
        "right",
    ),
]


class FakeLLM(ThreadingHTTPServer):
    """Answers each POST with the next scripted reply: (status, message content)."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.replies: list[tuple[int, str]] = []
        self.requests: list[dict[str, Any]] = []
        self.headers_seen: list[dict[str, str]] = []

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"


class _Handler(BaseHTTPRequestHandler):
    server: FakeLLM

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        self.server.requests.append(json.loads(self.rfile.read(length)))
        self.server.headers_seen.append({k.lower(): v for k, v in self.headers.items()})
        status, content = self.server.replies.pop(0) if self.server.replies else (500, "")
        body = json.dumps({"choices": [{"message": {"role": "assistant", "content": content}}]})
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def llm() -> Iterator[FakeLLM]:
    server = FakeLLM()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _settings(server: FakeLLM, base: Settings | None = None) -> Settings:
    return replace(
        base or Settings(),
        llm_base_url=server.base_url,
        llm_model="tiny",
        llm_api_key="k",
        llm_timeout_s=5,
    )


def _answer(*bullets: dict[str, Any], fence: bool = False) -> str:
    text = json.dumps({"bullets": list(bullets)})
    return f"Here you go:\n```json\n{text}\n```" if fence else text


GOOD = {"text": "A Pittsburgh bridge collapsed, injuring ten people.", "article_ids": [1]}
QUOTED = {
    "text": 'Officials said the span "had been rated in poor condition".',
    "article_ids": [2],
}
INVENTED = {"text": 'The mayor said "we failed this city badly".', "article_ids": [1]}
REBUILD = {"text": 'The mayor said "the city would rebuild quickly".', "article_ids": [1]}


def test_checked_llm_bullets_are_used_and_an_invented_quote_is_dropped(llm: FakeLLM) -> None:
    llm.replies.append((200, _answer(GOOD, INVENTED, QUOTED, REBUILD, fence=True)))
    summary = summarize_story(ARTICLES, _settings(llm))
    assert summary.method == "llm"
    assert [b.text for b in summary.bullets] == [GOOD["text"], QUOTED["text"], REBUILD["text"]]
    assert summary.bullets[1].article_ids == [2]
    assert any("quote not found" in note for note in summary.notes)
    sent = llm.requests[0]
    assert sent["model"] == "tiny" and sent["messages"][0]["role"] == "system"
    assert llm.headers_seen[0]["authorization"] == "Bearer k"


def test_bullets_without_a_valid_citation_are_dropped() -> None:
    result = validate_bullets(
        {
            "bullets": [
                {"text": "Uncited claim.", "article_ids": []},
                {"text": "Cites a stranger.", "article_ids": [77]},
                {"text": "", "article_ids": [1]},
                GOOD,
            ]
        },
        ARTICLES,
    )
    assert [b.text for b in result.bullets] == [GOOD["text"]]
    assert len(result.dropped) == 3


def test_a_quote_must_come_from_an_article_the_bullet_cites() -> None:
    # The quoted words are in article 2, but the bullet cites only article 1.
    wrong_source = {"text": QUOTED["text"], "article_ids": [1]}
    assert validate_bullets({"bullets": [wrong_source]}, ARTICLES).bullets == []


def test_too_few_surviving_bullets_fall_back_to_the_extractive_summary(llm: FakeLLM) -> None:
    # Two bullets pass the checks: fewer than the three a summary has.
    llm.replies.append((200, _answer(INVENTED, GOOD, QUOTED)))
    summary = summarize_story(ARTICLES, _settings(llm))
    assert summary.method == "extractive"
    assert summary.bullets and all(b.article_ids for b in summary.bullets)
    assert "passed the checks" in summary.notes[0]


@pytest.mark.parametrize(
    "reply",
    [
        (500, ""),
        (200, "I cannot help with that."),
        (200, '{"bullets": "none"}'),
        (200, "x" * (2 * 1024 * 1024)),
    ],
)
def test_a_failing_or_confused_server_falls_back_to_the_extractive_summary(
    llm: FakeLLM, reply: tuple[int, str]
) -> None:
    llm.replies.append(reply)
    summary = summarize_story(ARTICLES, _settings(llm))
    assert summary.method == "extractive" and summary.bullets
    assert summary.notes


@pytest.mark.parametrize(
    "text",
    [
        "The mayor called it ‘a total failure of the city’.",
        "The mayor called it «a complete and utter disaster».",
        "The mayor said „we will never approve it“.",
        "The mayor called it 'a lie from start to end'.",
        'The mayor called it "deadly".',  # one word in quotes is a claim about what was said
    ],
)
def test_an_invented_quote_in_any_quote_style_drops_its_bullet(text: str) -> None:
    result = validate_bullets({"bullets": [{"text": text, "article_ids": [1]}]}, ARTICLES)
    assert result.bullets == [] and "quote not found" in result.dropped[0]


def test_quotes_found_in_a_source_and_apostrophes_pass() -> None:
    for text in (
        "The mayor said ‘the city would rebuild quickly’.",
        "The mayor's office said the city's plan 'would rebuild quickly' is set.",
        "Officials said the span had been rated in «poor condition».",
    ):
        ids = [1] if "rebuild" in text else [2]
        assert validate_bullets({"bullets": [{"text": text, "article_ids": ids}]}, ARTICLES).bullets


def test_a_bullet_of_the_wrong_shape_or_size_is_dropped_not_an_error() -> None:
    result = validate_bullets(
        {
            "bullets": [
                {"text": "Cites one id as a number.", "article_ids": 1},
                {"text": "Cites true.", "article_ids": [True]},
                {"text": "A bridge collapsed. " * 60, "article_ids": [1]},
                GOOD,
            ]
        },
        ARTICLES,
    )
    assert [b.text for b in result.bullets] == [GOOD["text"]]
    assert any("longer than" in note for note in result.dropped)


def test_a_deeply_nested_answer_falls_back_to_the_extractive_summary(llm: FakeLLM) -> None:
    llm.replies.append((200, "{" + '"a":[' * 100_000 + "]" * 100_000 + "}"))
    summary = summarize_story(ARTICLES, _settings(llm))
    assert summary.method == "extractive" and summary.bullets


def test_an_answer_trickled_past_the_time_limit_is_not_waited_for() -> None:
    import socket
    import time

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)

    def trickle() -> None:
        conn, _ = listener.accept()
        conn.recv(65536)
        body = json.dumps({"choices": [{"message": {"content": _answer(GOOD, QUOTED, REBUILD)}}]})
        conn.sendall(f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\n\r\n".encode())
        try:
            for byte in body.encode():
                conn.sendall(bytes([byte]))
                time.sleep(0.02)
        except OSError:
            pass
        conn.close()

    thread = threading.Thread(target=trickle, daemon=True)
    thread.start()
    settings = replace(
        Settings(),
        llm_base_url=f"http://127.0.0.1:{listener.getsockname()[1]}/v1",
        llm_model="tiny",
        llm_timeout_s=1,
    )
    started = time.monotonic()
    summary = summarize_story(ARTICLES, settings)
    assert summary.method == "extractive"
    assert time.monotonic() - started < 3
    assert "within 1 s" in summary.notes[0]
    listener.close()


def test_the_prompt_names_each_article_by_id_and_side() -> None:
    messages = build_messages(ARTICLES)
    assert "[1] (left-leaning outlet) Pittsburgh bridge collapses" in messages[1]["content"]
    assert "[2] (right-leaning outlet)" in messages[1]["content"]


def test_refresh_stores_the_llm_summary_with_its_method(db, settings, llm: FakeLLM) -> None:  # type: ignore[no-untyped-def]
    story_id, _outlets, article_ids = add_bridge_story(db)
    first = {"text": "A bridge in Pittsburgh collapsed on Friday.", "article_ids": [article_ids[0]]}
    second = {
        "text": 'Investigators say "The National Transportation Safety Board is investigating."',
        "article_ids": [article_ids[2]],
    }
    third = {"text": "Officials are checking other bridges.", "article_ids": [article_ids[1]]}
    llm.replies.append((200, _answer(first, second, third)))
    refresh_dirty_stories(db, _settings(llm, settings))
    with db.read() as conn:
        row = conn.execute(
            select(story_summaries).where(story_summaries.c.story_id == story_id)
        ).one()
    assert row.method == "llm"
    assert [b["article_ids"] for b in row.bullets] == [
        [article_ids[0]],
        [article_ids[2]],
        [article_ids[1]],
    ]
