"""Control characters in outside text never reach the store, an Atom feed or the terminal."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from newsprism.textclean import without_controls
from newsprism.web.atom import Entry, atom_document

HOSTILE_TITLE = "ctrl \x1b[31m\x08 title \ufffe end \x85"


@pytest.mark.parametrize(
    ("raw", "kept"),
    [
        ("tab\tline\nreturn\r", "tab\tline\nreturn\r"),
        ("bell\x07 esc\x1b del\x7f c1\x9b", "bell esc del c1"),
        ("non\ufffechar\uffff \ufdd0", "nonchar "),
        ("Zürich – “quotes” 東京", "Zürich – “quotes” 東京"),
    ],
)
def test_without_controls_keeps_text_and_line_breaks(raw: str, kept: str) -> None:
    assert without_controls(raw) == kept


def test_an_atom_feed_stays_well_formed_whatever_a_title_holds() -> None:
    body = atom_document(
        feed_id="urn:x",
        title="Top \x0c stories",
        self_url="http://127.0.0.1/feeds/top.atom",
        alternate_url="http://127.0.0.1/",
        entries=[Entry(id="urn:1", title=HOSTILE_TITLE, link="https://a.example/1", updated=None)],
    )
    feed = ET.fromstring(body)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert feed.find("a:entry/a:title", ns).text == "ctrl [31m title  end "  # type: ignore[union-attr]


def test_imported_titles_are_stored_and_shown_without_control_characters(
    tmp_path: Path, run_cli
) -> None:  # type: ignore[no-untyped-def]
    line = {
        "url": "https://ctl.example.com/a",
        "title": HOSTILE_TITLE,
        "text": "Body words of the article. More\x1b]0;owned\x07 words follow here.",
        "source": "Ctl \x07 News",
        "published": "2020-01-01T10:00:00Z",
    }
    path = tmp_path / "ctl.jsonl"
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    assert run_cli("import", str(path)).exit_code == 0
    [brief] = json.loads(run_cli("stories", "--json").stdout)
    assert brief["headline"] == "ctrl [31m title end"
    shown = run_cli("story", str(brief["id"]))
    listed = run_cli("stories")
    for output in (shown.stdout, listed.stdout):
        assert "\x1b" not in output and "\x07" not in output and "\x08" not in output
    detail = json.loads(run_cli("story", str(brief["id"]), "--json").stdout)
    assert "\x1b" not in json.dumps(detail, ensure_ascii=False)
