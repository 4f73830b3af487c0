#!/usr/bin/env bash
# Runs the Kubernetes-discovery demo: a fake API server, three HTTP "pods" on 127.0.0.2-4 and a
# mesh client that follows readiness, scaling and pod deletion. Builds what is missing first.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
if ! ls examples/discovery-demo/target/discovery-demo-*.jar >/dev/null 2>&1; then
  echo "building (first run only)..."
  mvn -B -q install -DskipTests
fi
exec mvn -B -q -o -pl examples/discovery-demo exec:java
