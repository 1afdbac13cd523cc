#!/usr/bin/env bash
# make test: every tier that exists so far, failing loudly when one cannot run.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -ntp verify
