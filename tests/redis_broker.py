"""The local Redis as a Celery broker for tests, in a key space of this test process's own.

A Celery app connects to its broker once per process, as workers and schedulers do, so every
test of a process shares one key prefix; the keys are cleared before and after each test.
"""

from __future__ import annotations

import base64
import json
import os
import uuid
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from newsprism.config import Settings

REDIS_URL = "redis://127.0.0.1:6379/0"
PREFIX = f"newsprism-test-{os.getpid()}-{uuid.uuid4().hex[:6]}:"


def _client() -> Any:
    redis = pytest.importorskip("redis")
    pytest.importorskip("celery")
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as exc:
        pytest.skip(f"Redis on 127.0.0.1:6379 is not reachable: {exc}")
    return client


def _clear(client: Any, prefix: str) -> None:
    keys = list(client.scan_iter(f"{prefix}*"))
    if keys:
        client.delete(*keys)


def broker_settings(settings: Settings) -> Iterator[Settings]:
    """For a fixture: ``settings`` pointed at the test broker, with empty queues."""
    client = _client()
    _clear(client, PREFIX)
    try:
        yield replace(settings, broker_url=REDIS_URL, broker_key_prefix=PREFIX)
    finally:
        _clear(client, PREFIX)
        client.close()


def private_prefix() -> Iterator[str]:
    """For a fixture: a fresh key prefix for processes the test starts, removed afterwards."""
    client = _client()
    prefix = f"newsprism-test-{uuid.uuid4().hex[:10]}:"
    try:
        yield prefix
    finally:
        _clear(client, prefix)
        client.close()


def queued(queue: str, prefix: str = PREFIX) -> list[tuple[str, list[Any]]]:
    """Tasks waiting in ``queue``, oldest first, as (task name, positional args)."""
    client = _client()
    raw = client.lrange(f"{prefix}{queue}", 0, -1)
    client.close()
    tasks = []
    for item in reversed(raw):  # kombu pushes new messages on the left
        message = json.loads(item)
        args = json.loads(base64.b64decode(message["body"]))[0]
        tasks.append((message["headers"]["task"], args))
    return tasks
