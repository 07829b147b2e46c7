"""Language detection: a code for real text, None when the text cannot tell."""

from __future__ import annotations

import pytest

from newsprism.ingest.language import detect_language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The government announced new measures to support small businesses on Monday.", "en"),
        (
            "Le gouvernement a annoncé lundi de nouvelles mesures pour soutenir les entreprises.",
            "fr",
        ),
        (
            "Die Regierung hat am Montag neue Maßnahmen zur Unterstützung von Firmen angekündigt.",
            "de",
        ),
        ("El gobierno anunció el lunes nuevas medidas para apoyar a las pequeñas empresas.", "es"),
        ("Правительство в понедельник объявило о новых мерах поддержки малого бизнеса.", "ru"),
    ],
)
def test_detects_the_language_of_a_sentence(text: str, expected: str) -> None:
    assert detect_language(text) == expected


@pytest.mark.parametrize("text", [None, "", "OK", "Trump", "12:30 — 14:45", "!!! ??? ..."])
def test_too_little_text_gives_none(text: str | None) -> None:
    assert detect_language(text) is None
