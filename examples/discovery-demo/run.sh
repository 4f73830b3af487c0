#!/usr/bin/env bash
# Runs the Kubernetes-discovery demo: a fake API server, three HTTP "pods" on 127.0.0.2-4 and a
# mesh client that follows readiness, scaling and pod deletion. Builds what is missing first.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
# Build the demo and what it depends on (offline when the dependencies are already cached).
# The demo itself is always rebuilt clean: the compiler does not notice that an upstream
# module's API changed under an unchanged source file.
echo "building..."
mvn -B -q -o install -DskipTests -pl examples/discovery-demo -am 2>/dev/null \
  || mvn -B -q install -DskipTests -pl examples/discovery-demo -am
mvn -B -q -o clean install -DskipTests -pl examples/discovery-demo
exec mvn -B -q -pl examples/discovery-demo exec:java
