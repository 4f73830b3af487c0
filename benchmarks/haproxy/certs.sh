#!/usr/bin/env bash
# The bench anchor's certificates (../shared/bench-anchor/certs.sh) for mTLS between the two
# HAProxy sidecars: a self-signed ECDSA P-256 CA, server.mesh.local and client.mesh.local.
# Inboard's own identities are ECDSA P-256 as well (InMemoryAuthority), so both sides do the
# same cryptography.   Usage: benchmarks/haproxy/certs.sh DIR
set -euo pipefail
mkdir -p "$1"; cd "$1"
openssl ecparam -name prime256v1 -genkey -noout -out ca.key
openssl req -x509 -new -key ca.key -sha256 -days 3650 -subj "/CN=bench-mesh-ca" -out ca.crt
for n in server client; do
  openssl ecparam -name prime256v1 -genkey -noout -out $n.key
  openssl req -new -key $n.key -subj "/CN=$n.mesh.local" -out $n.csr
  eku=$([ $n = server ] && echo serverAuth || echo clientAuth)
  printf "subjectAltName=DNS:%s.mesh.local\nextendedKeyUsage=%s\nkeyUsage=digitalSignature\n" $n $eku > $n.ext
  openssl x509 -req -in $n.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 825 -sha256 -extfile $n.ext -out $n.crt
  cat $n.crt $n.key > $n.pem
done
openssl verify -CAfile ca.crt server.crt client.crt
