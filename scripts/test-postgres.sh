#!/usr/bin/env bash
# Run the whole test suite against PostgreSQL: a fresh database per run, dropped afterwards.
# Each test then works in its own schema inside it (tests/conftest.py). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

PGHOST="${PGHOST:-127.0.0.1}"
PGPORT="${PGPORT:-5432}"
PGUSER="${PGUSER:-postgres}"
export PGHOST PGPORT PGUSER

bash scripts/ensure-services.sh

DBNAME="newsprism_ci_$(date +%s)_$RANDOM"
psql -v ON_ERROR_STOP=1 -q -d postgres -c "CREATE DATABASE \"$DBNAME\"" >/dev/null
cleanup() {
  psql -q -d postgres -c "DROP DATABASE IF EXISTS \"$DBNAME\" WITH (FORCE)" >/dev/null || true
}
trap cleanup EXIT

echo "PostgreSQL test database: $DBNAME"
NEWSPRISM_TEST_DB="postgresql+psycopg://$PGUSER@$PGHOST:$PGPORT/$DBNAME" python -m pytest "$@"
