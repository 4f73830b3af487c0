#!/usr/bin/env bash
# Builds the three images `inboardctl install` and bookinfo.yaml use, as tar files, with Jib and
# no Docker daemon:
#   mesh-control-plane/target/jib-image.tar   inboard/control-plane:0.1.0
#   mesh-gateway/target/jib-image.tar         inboard/gateway:0.1.0 (the ingress gateway)
#   examples/bookinfo/target/jib-image.tar    inboard/bookinfo:0.1.0
# then checks that each image starts the right main class.
#
#   examples/bookinfo/k8s/build-images.sh [BASE]
#
# BASE is the base image: by default eclipse-temurin:17-jre, pulled from Docker Hub. Without
# registry access, pass a base saved as a tar on a machine that has it, in docker save format:
#   docker save eclipse-temurin:17-jre -o temurin-17-jre.tar   (or: skopeo copy
#     docker://eclipse-temurin:17-jre docker-archive:temurin-17-jre.tar:eclipse-temurin:17-jre)
#   examples/bookinfo/k8s/build-images.sh tar://$PWD/temurin-17-jre.tar
# BASE=scratch builds images that cannot run (no JVM) but shows the layers and entrypoint.
#
# Load the tars with `docker load -i`, `kind load image-archive` or `minikube image load`.
set -euo pipefail

base="${1:-eclipse-temurin:17-jre}"
root="$(cd "$(dirname "$0")/../../.." && pwd)"
cd "$root"

# mvn flags from the environment, e.g. MVN_FLAGS=-o for an offline build
build() { # module
  mvn -B -q ${MVN_FLAGS:-} -Pimages -Djib.from.image="$base" -DskipTests package -pl "$1" -am
}

check() { # tar main-class
  if [[ ! -s "$1" ]]; then
    echo "error: $1 was not built (expected: Jib's buildTar output)" >&2
    exit 1
  fi
  if ! tar -xOf "$1" config.json | grep -q "\"$2\""; then
    echo "error: $1: the image's entrypoint does not name $2 (expected: Jib's mainClass)" >&2
    exit 1
  fi
  echo "image $1 ($2)"
}

build mesh-control-plane
check mesh-control-plane/target/jib-image.tar io.inboard.mesh.controlplane.cli.InboardCtl

build mesh-gateway
check mesh-gateway/target/jib-image.tar io.inboard.mesh.gateway.IngressGateway

if ! grep -q '<id>images</id>' examples/bookinfo/pom.xml 2>/dev/null; then
  echo "error: examples/bookinfo/pom.xml has no 'images' profile (expected: the Jib profile" \
    "of mesh-control-plane/pom.xml, with mainClass io.inboard.examples.bookinfo.Bookinfo)" >&2
  exit 1
fi
build examples/bookinfo
check examples/bookinfo/target/jib-image.tar io.inboard.examples.bookinfo.Bookinfo
