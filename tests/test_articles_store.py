"""add_articles / load_articles: canonical keys, outlets, duplicates, reposts, sanitizing."""

from __future__ import annotations

import random
from datetime import UTC, datetime

from sqlalchemy import func, select

from newsprism.config import Settings
from newsprism.models import ArticleDraft
from newsprism.store.articles import add_articles, article_id_for_url, load_articles, stored_urls
from newsprism.store.database import Database
from newsprism.store.schema import article_bands, articles, outlets

_rng = random.Random(7)
_VOCAB = [f"w{i}" for i in range(4000)]


def _text(words: int = 300) -> str:
    return " ".join(_rng.choice(_VOCAB) for _ in range(words))


def _wire_copy(text: str) -> str:
    """An outlet's edit of a wire story: a local intro, one changed word, the ending cut."""
    words = text.split()
    words[40] = "edited"
    return "Local desk: " + " ".join(words[: int(len(words) * 0.85)])


def test_same_article_under_tracking_and_www_variants_is_stored_once(
    db: Database, settings: Settings
) -> None:
    text = _text()
    result = add_articles(
        db,
        [
            ArticleDraft(url="https://www.example.com/news/a?utm_source=rss", title="A", text=text),
            ArticleDraft(url="http://example.com/news/a#top", title="A", text=text),
        ],
        settings,
    )
    assert len(result.added_ids) == 1
    assert result.duplicates == 1
    again = add_articles(
        db, [ArticleDraft(url="https://m.example.com/news/a", title="A")], settings
    )
    assert again.added_ids == [] and again.duplicate_of == {0: result.added_ids[0]}
    with db.read() as conn:
        [record] = load_articles(conn, result.added_ids)
        assert record.url == "https://example.com/news/a"
        assert article_id_for_url(conn, "https://example.com/news/a?fbclid=1") == record.id


def test_copies_within_one_batch_map_to_the_first_copys_id(
    db: Database, settings: Settings
) -> None:
    text = _text()
    result = add_articles(
        db,
        [
            ArticleDraft(url="https://example.com/news/a", title="A", text=text),
            ArticleDraft(url="https://other.example/b", title="B", text=_text()),
            # The same URL again (a feed listing a story twice), then the same article of the
            # same outlet under a second address.
            ArticleDraft(url="https://www.example.com/news/a?utm_source=rss", title="A", text=text),
            ArticleDraft(url="https://example.com/news/a-amp", title="A", text=text),
        ],
        settings,
    )
    first, second = result.added_ids
    assert result.duplicates == 2
    assert result.duplicate_of == {2: first, 3: first}
    assert second != first


def test_wire_copy_from_another_outlet_is_marked_repost_of_the_first(
    db: Database, settings: Settings
) -> None:
    original = _text()
    first = add_articles(
        db, [ArticleDraft(url="https://apnews.com/x", title="Wire", text=original)], settings
    )
    copies = add_articles(
        db,
        [
            ArticleDraft(url="https://paper-a.com/x", title="Wire (A)", text=_wire_copy(original)),
            ArticleDraft(url="https://paper-b.com/y", title="Wire (B)", text=original),
            ArticleDraft(url="https://paper-c.com/z", title="Other", text=_text()),
        ],
        settings,
    )
    assert len(copies.added_ids) == 3
    assert copies.reposts == 2
    with db.read() as conn:
        records = load_articles(conn, copies.added_ids)
    assert [r.repost_of for r in records] == [first.added_ids[0], first.added_ids[0], None]


def test_copies_inside_one_batch_point_at_the_earliest(db: Database, settings: Settings) -> None:
    original = _text()
    result = add_articles(
        db,
        [
            ArticleDraft(url="https://one.com/x", title="One", text=original),
            ArticleDraft(url="https://two.com/x", title="Two", text=_wire_copy(original)),
            ArticleDraft(url="https://three.com/x", title="Three", text=_wire_copy(original)),
        ],
        settings,
    )
    with db.read() as conn:
        records = load_articles(conn, result.added_ids)
    assert [r.repost_of for r in records] == [None, records[0].id, records[0].id]


def test_same_text_from_the_same_outlet_under_two_urls_is_a_duplicate(
    db: Database, settings: Settings
) -> None:
    text = _text()
    result = add_articles(
        db,
        [
            ArticleDraft(url="https://site.com/politics/a", title="A", text=text),
            ArticleDraft(url="https://site.com/world/a", title="A", text=text),
        ],
        settings,
    )
    assert len(result.added_ids) == 1 and result.duplicates == 1


def test_short_texts_are_never_called_copies(db: Database, settings: Settings) -> None:
    result = add_articles(
        db,
        [
            ArticleDraft(url="https://a.com/1", title="One", text="Read more on our site."),
            ArticleDraft(url="https://a.com/2", title="Two", text="Read more on our site."),
        ],
        settings,
    )
    assert len(result.added_ids) == 2 and result.reposts == 0


def test_bad_drafts_are_rejected_with_a_reason_and_the_rest_stored(
    db: Database, settings: Settings
) -> None:
    result = add_articles(
        db,
        [
            ArticleDraft(url="ftp://a.com/file", title="x"),
            ArticleDraft(url="https://a.com/empty", title="  ", text=""),
            ArticleDraft(url="https://a.com/ok", title="", text="Only a body\x00 here."),
        ],
        settings,
    )
    assert len(result.added_ids) == 1
    assert len(result.rejected) == 2
    assert "ftp://a.com/file" in result.rejected[0]
    assert "https://a.com/empty" in result.rejected[1]
    with db.read() as conn:
        [record] = load_articles(conn, result.added_ids)
    assert record.title == "Only a body here." and "\x00" not in record.text


def test_summary_html_is_sanitized_and_outlet_resolved_from_domain(
    db: Database, settings: Settings
) -> None:
    published = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    result = add_articles(
        db,
        [
            ArticleDraft(
                url="https://edition.cnn.com/2024/05/01/story",
                title="Story",
                text="The parliament voted on the budget today after a long debate in the chamber.",
                summary='<p onclick="x()">Hi<script>alert(1)</script></p>',
                published_at=published,
                source_name="CNN",
            )
        ],
        settings,
    )
    with db.read() as conn:
        row = conn.execute(select(articles).where(articles.c.id == result.added_ids[0])).one()
        outlet = conn.execute(select(outlets).where(outlets.c.id == row.outlet_id)).one()
        [record] = load_articles(conn, result.added_ids)
    assert row.summary == "<p>Hi</p>"
    assert outlet.domain == "cnn.com" and outlet.name == "CNN"
    assert record.language == "en"
    assert record.published_at == published


def test_a_hover_card_inside_a_sentence_is_not_stored(db: Database, settings: Settings) -> None:
    text = (
        "Speaker Nancy Pelosi Nancy PelosiOn The Money — Presented by Wells Fargo — Trump signs "
        "first phase of US-China trade deal | Senate to vote Thursday on Canada, Mexico deal "
        "MORE (D-Calif.) named the managers for the trial of President Trump Donald John "
        "TrumpDem lawmaker says Nunes threatened to sue him over criticism MORE's conduct, "
        "which prompted Chad WolfChad WolfTrump threatens to double down on Portland MORE — the "
        "acting secretary — to act, and Pete Buttigieg Peter (Pete) Paul ButtigiegBlack leader "
        "endorses Biden The Memo: Impeachment overshadows 2020 MORE agreed.\n\n"
        "READ MORE: the full list of managers."
    )
    result = add_articles(
        db,
        [ArticleDraft(url="https://thehill.com/a/1", title="Pelosi names managers", text=text)],
        settings,
    )
    with db.read() as conn:
        [record] = load_articles(conn, result.added_ids)
    assert record.text == (
        "Speaker Nancy Pelosi (D-Calif.) named the managers for the trial of President "
        "Trump's conduct, which prompted Chad Wolf — the acting secretary — to act, and Pete "
        "Buttigieg agreed.\n\n"
        "READ MORE: the full list of managers."
    )


def test_load_articles_keeps_the_order_asked_and_skips_missing(
    db: Database, settings: Settings
) -> None:
    drafts = [
        ArticleDraft(url=f"https://a.com/{i}", title=f"T{i}", text=_text(60)) for i in range(3)
    ]
    ids = add_articles(db, drafts, settings).added_ids
    with db.read() as conn:
        records = load_articles(conn, [ids[2], 999_999, ids[0]])
        assert stored_urls(conn, ["https://a.com/1?utm_medium=x", "https://a.com/9"]) == {
            "https://a.com/1?utm_medium=x"
        }
        bands = conn.execute(select(func.count()).select_from(article_bands)).scalar_one()
    assert [r.id for r in records] == [ids[2], ids[0]]
    assert bands == 3 * 32


def test_same_outlet_boilerplate_is_neither_duplicate_nor_repost(
    db: Database, settings: Settings
) -> None:
    paywall = _text()
    result = add_articles(
        db,
        [
            ArticleDraft(url="https://mag.com/a", title="First piece", text=paywall),
            ArticleDraft(url="https://mag.com/b", title="Second piece", text=paywall),
            ArticleDraft(url="https://mag.com/c", title="Third", text=_wire_copy(paywall)),
        ],
        settings,
    )
    assert len(result.added_ids) == 3
    assert result.duplicates == 0 and result.reposts == 0


def test_exact_copy_across_outlets_is_a_repost(db: Database, settings: Settings) -> None:
    text = _text()
    result = add_articles(
        db,
        [
            ArticleDraft(url="https://wire.com/a", title="Wire", text=text),
            ArticleDraft(url="https://local.com/a", title="Local headline", text=text),
        ],
        settings,
    )
    with db.read() as conn:
        first, second = load_articles(conn, result.added_ids)
    assert second.repost_of == first.id and result.reposts == 1


def test_mojibake_in_title_and_text_is_repaired(db: Database, settings: Settings) -> None:
    result = add_articles(
        db,
        [
            ArticleDraft(
                url="https://a.com/m",
                title="ObamaÃ¢â‚¬â„¢s Ã¢â‚¬Ëœtrickle downÃ¢â‚¬â„¢ remark",
                text="The candidateâ€™s speech drew a crowd. Café owners in São Paulo cheered.",
            )
        ],
        settings,
    )
    with db.read() as conn:
        [record] = load_articles(conn, result.added_ids)
    assert record.title == "Obama’s ‘trickle down’ remark"
    assert record.text == "The candidate’s speech drew a crowd. Café owners in São Paulo cheered."
