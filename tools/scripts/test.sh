#!/usr/bin/env bash
# The one test command (README): brings real Kafka/Postgres/Redis up, then unit and integration tests.
# LIVEPROMO_REQUIRE_INFRA=1 makes missing infrastructure fail the run instead of skipping.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
if [[ -z "${KAFKA_BROKERS:-}" ]]; then
  if env_lines="$(bash tools/infra/infra.sh up)"; then
    # only well-formed NAME=value lines count (a tool's stray escape codes must not break the export)
    while IFS= read -r line; do
      if [[ "$line" =~ ^(KAFKA_BROKERS|DATABASE_URL|REDIS_URL)=([^[:space:]]+)$ ]]; then export "${BASH_REMATCH[1]}=${BASH_REMATCH[2]}"; fi
    done <<<"$env_lines"
    if [[ -z "${KAFKA_BROKERS:-}" ]]; then echo "infra.sh up printed no KAFKA_BROKERS line:" >&2; echo "$env_lines" >&2; exit 1; fi
  elif [[ "${LIVEPROMO_REQUIRE_INFRA:-}" == "1" ]]; then
    echo "infrastructure could not be started and LIVEPROMO_REQUIRE_INFRA=1" >&2; exit 1
  else
    echo "!!!! infrastructure could not be started: integration tests will skip !!!!" >&2
  fi
fi
set -e
npx jest -c jest.config.js --ci "$@"
npx jest -c jest.int.config.js --ci --runInBand "$@"
npx jest -c jest.e2e.config.js --ci --runInBand "$@"
