"""The JSON API against its own OpenAPI schema: generated requests never get a 500, and every
response matches the schema (status codes, content types, bodies)."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from newsprism.config import Settings
from newsprism.store.database import Database
from newsprism.web.app import create_app
from webdata import seed_newsroom


@pytest.fixture
def web_schema(db: Database, settings: Settings):  # type: ignore[no-untyped-def]
    seed_newsroom(db, settings)
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(settings, db))


schema = schemathesis.pytest.from_fixture("web_schema")


@pytest.mark.slow
@schema.parametrize()
@hypothesis_settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_answers_every_generated_request_within_its_schema(case) -> None:  # type: ignore[no-untyped-def]
    case.call_and_validate()
