#!/usr/bin/env bash
# Runs Istio's bookinfo on Inboard on this machine, in the foreground: the control plane in local
# mode (config: examples/bookinfo/config/), the six workloads, each its own JVM on its own
# loopback address, registering itself with the control plane, and the ingress gateway (workload
# istio-ingressgateway of istio-system, Istio's gateway labels). Builds whatever is missing.
#
#   examples/bookinfo/run.sh            then open http://127.0.0.1:9080/productpage
#   bin/inboardctl apply -f examples/bookinfo/networking/bookinfo-gateway.yaml
#                                       then open http://127.0.0.1:8080/productpage (through the
#                                       gateway; run.sh prints "ingress http://127.0.0.1:8080"
#                                       once the gateway listens)
#   bin/inboardctl apply -f ../shared/istio-samples/bookinfo/networking/virtual-service-all-v1.yaml
#   examples/bookinfo/run.sh --observability
#                                       also starts Prometheus (scraping every workload) and
#                                       Zipkin (receiving every span: 100 % sampling, as Istio's
#                                       demo profile), installing or downloading what is missing
#
# Ctrl-C or SIGTERM stops every process it started. When one dies, the others keep running (as
# in a cluster) and the script says which one died.
#
# Environment: BOOKINFO_PORT (9080), XDS_PORT (15010), CP_ADMIN_PORT (15014), CA_PORT (15012,
# the mesh CA), INBOARD_STATE_DIR (~/.inboard/control-plane: the CA's root, its credential key,
# the workloads' credentials), ADMIN_PORT_BASE
# (15020: productpage, then +1 per workload skipping 15021, the gateway last), GATEWAY_STATUS_PORT (15021, the
# gateway's /healthz/ready), GATEWAY_HOST (127.0.0.1: where the gateway's listeners bind),
# BOOKINFO_JAVA_OPTS (small-heap flags below), and
# for two of Istio's tasks: DETAILS_DELAY_MS=100 (details answers slowly, so that concurrent
# page loads overlap: circuit breaking), FLAKY_RATINGS=1 (a second ratings-v1 on 127.0.0.7 that
# fails half its calls with 500: retries). With --observability: PROMETHEUS_PORT (9090),
# ZIPKIN_PORT (9411).
set -euo pipefail

observability=0
for arg in "$@"; do
  case "$arg" in
    --observability) observability=1 ;;
    -h|--help) sed -n '2,31p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option '$arg' (expected: --observability)" >&2; exit 2 ;;
  esac
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
module="$root/examples/bookinfo"
port="${BOOKINFO_PORT:-9080}"
xds_port="${XDS_PORT:-15010}"
cp_admin_port="${CP_ADMIN_PORT:-15014}"
# the control plane's CA (TLS, Istio's IstioCertificateService); its root and credential key
# live in the state directory, the trust bundle in $ca_state/root-cert.pem
ca_port="${CA_PORT:-15012}"
ca_state="${INBOARD_STATE_DIR:-$HOME/.inboard/control-plane}"
admin_base="${ADMIN_PORT_BASE:-15020}"
prometheus_port="${PROMETHEUS_PORT:-9090}"
zipkin_port="${ZIPKIN_PORT:-9411}"
gateway_status_port="${GATEWAY_STATUS_PORT:-15021}"
gateway_host="${GATEWAY_HOST:-127.0.0.1}"
# Eight JVMs share the machine: small heaps, the serial collector, the client compiler only.
java_opts="${BOOKINFO_JAVA_OPTS:--XX:+UseSerialGC -Xms16m -Xmx160m -Xss512k -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1}"

# workload, loopback address, extra options (the service port is the same on each, as in a
# cluster)
workloads=(
  "productpage-v1 127.0.0.1"
  "details-v1 127.0.0.2 ${DETAILS_DELAY_MS:+--response-delay-ms $DETAILS_DELAY_MS}"
  "reviews-v1 127.0.0.3"
  "reviews-v2 127.0.0.4"
  "reviews-v3 127.0.0.5"
  "ratings-v1 127.0.0.6"
)
if [[ -n "${FLAKY_RATINGS:-}" ]]; then
  workloads+=("ratings-v1 127.0.0.7 --fail-percent 50")
fi

say() { echo "run.sh: $*"; }
# the admin port of the i-th workload (the gateway last): from ADMIN_PORT_BASE up, skipping
# the gateway's status port (Istio's 15021)
admin_port() {
  local p=$((admin_base + $1))
  (( admin_base <= gateway_status_port && p >= gateway_status_port )) && p=$((p + 1))
  echo "$p"
}

# --- nothing may hold our ports (another run.sh, say) --------------------------------------
in_use=()
probe() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null && in_use+=("$1:$2"); true; }
probe 127.0.0.1 "$xds_port"
probe 127.0.0.1 "$cp_admin_port"
probe 127.0.0.1 "$ca_port"
if (( observability )); then
  probe 127.0.0.1 "$prometheus_port"
  probe 127.0.0.1 "$zipkin_port"
fi
i=0
for entry in "${workloads[@]}"; do
  read -r name ip _ <<<"$entry"
  probe "$ip" "$port"
  probe 127.0.0.1 "$(admin_port $i)"
  i=$((i + 1))
done
probe 127.0.0.1 "$(admin_port $i)"
probe 127.0.0.1 "$gateway_status_port"
probe "$gateway_host" 8080
if (( ${#in_use[@]} > 0 )); then
  say "already in use: ${in_use[*]} (another run.sh? stop it, or set BOOKINFO_PORT, XDS_PORT," \
    "CP_ADMIN_PORT, ADMIN_PORT_BASE, PROMETHEUS_PORT, ZIPKIN_PORT, GATEWAY_STATUS_PORT," \
    "GATEWAY_HOST)" >&2
  exit 3
fi

# --- build what is missing ------------------------------------------------------------------
# inboardctl builds and installs the control plane and the modules it needs.
"$root/bin/inboardctl" --help >/dev/null
stamp="$module/target/run.stamp"
if [[ ! -f "$stamp" || ! -f "$module/target/classpath.txt" ]] \
    || [[ ! -f "$root/mesh-gateway/target/classpath.txt" ]] \
    || [[ -n "$(cd "$root" && find . -path ./benchmarks -prune -o \( -path '*/src/main/*' -o -name pom.xml \) -newer "$stamp" -print -quit)" ]]; then
  say "building examples/bookinfo, the ingress gateway and the modules they use..."
  log="$(mktemp)"
  if ! (cd "$root" && mvn -B -q -o install -DskipTests -pl examples/bookinfo,mesh-gateway -am) \
        >"$log" 2>&1 \
      && ! (cd "$root" && mvn -B -q install -DskipTests -pl examples/bookinfo,mesh-gateway -am) \
        >"$log" 2>&1; then
    cat "$log" >&2
    say "build failed (see above)" >&2
    exit 4
  fi
  rm -f "$log"
  touch "$stamp"
fi
classpath="$module/target/classes:$(cat "$module/target/classpath.txt")"
gateway_classpath="$root/mesh-gateway/target/classes:$(cat "$root/mesh-gateway/target/classpath.txt")"

# --- the observability backends (--observability) ---------------------------------------------
zipkin_jar="$module/target/backends/zipkin-server.jar"
if (( observability )); then
  if ! command -v prometheus >/dev/null; then
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
      say "installing Prometheus (apt-get install prometheus)..."
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus) \
        >/dev/null || { say "could not install prometheus" >&2; exit 5; }
    else
      say "Prometheus is missing: install it (sudo apt-get install prometheus), or run without" \
        "--observability" >&2
      exit 5
    fi
  fi
  if [[ ! -s "$zipkin_jar" ]]; then
    say "downloading the Zipkin server (io.zipkin:zipkin-server:3.6.1:exec, 135 MB)..."
    log="$(mktemp)"
    (cd "$root" && mvn -B -q dependency:copy -Dartifact=io.zipkin:zipkin-server:3.6.1:jar:exec \
        -DoutputDirectory="$module/target/backends" -Dmdep.stripVersion=true \
        -Dmdep.stripClassifier=true) >"$log" 2>&1 || true
    if [[ ! -s "$zipkin_jar" ]]; then
      cat "$log" >&2
      say "could not download the Zipkin server (see above)" >&2
      exit 5
    fi
    rm -f "$log"
  fi
  obs_dir="$(mktemp -d)"
  # Istio's MeshConfig: Zipkin as the tracing provider every workload reports to
  cat >"$obs_dir/mesh-config.yaml" <<EOF2
extensionProviders:
- name: zipkin
  zipkin:
    service: 127.0.0.1
    port: $zipkin_port
defaultProviders:
  tracing: [zipkin]
EOF2
  targets=""
  # every workload's admin port, and the gateway's (the last one)
  for ((j = 0; j <= ${#workloads[@]}; j++)); do
    targets+="${targets:+, }'127.0.0.1:$(admin_port $j)'"
  done
  cat >"$obs_dir/prometheus.yml" <<EOF2
global:
  scrape_interval: 5s
  evaluation_interval: 5s
scrape_configs:
- job_name: inboard-workloads
  metrics_path: /stats/prometheus
  static_configs:
  - targets: [$targets]
EOF2
fi

# --- process bookkeeping -------------------------------------------------------------------
declare -A names=()   # pid -> name
pids=()
stopping=0

stop_all() {
  stopping=1
  trap - INT TERM
  say "stopping ${#pids[@]} processes..."
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  [[ -n "${obs_dir:-}" ]] && rm -rf "$obs_dir"
  say "stopped"
  exit 0
}
trap stop_all INT TERM

# start NAME CMD...: runs CMD in the background, its output prefixed with [NAME]
start() {
  local name="$1"; shift
  "$@" > >(sed -u "s/^/[$name] /") 2>&1 &
  local pid=$!
  names[$pid]="$name"
  pids+=("$pid")
}

# wait_port HOST PORT NAME PID: until HOST:PORT accepts connections (fails if PID dies)
wait_port() {
  local host="$1" p="$2" name="$3" pid="$4" deadline=$((SECONDS + 110))
  until (exec 3<>"/dev/tcp/$host/$p") 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      say "$name exited before listening on $host:$p" >&2
      stop_all
    fi
    if (( SECONDS > deadline )); then
      say "$name is not listening on $host:$p after 110 s" >&2
      stop_all
    fi
    sleep 0.2
  done
}

# --- the control plane ----------------------------------------------------------------------
cp_extra=()
if (( observability )); then
  cp_extra=(--mesh-config "$obs_dir/mesh-config.yaml"
    --prometheus-url "http://127.0.0.1:$prometheus_port")
fi
start control-plane env INBOARDCTL_JAVA_OPTS="$java_opts" "$root/bin/inboardctl" control-plane \
  --config-dir "$module/config" --xds-port "$xds_port" --admin-port "$cp_admin_port" \
  --secure-port "$ca_port" --state-dir "$ca_state" "${cp_extra[@]}"
wait_port 127.0.0.1 "$cp_admin_port" control-plane "${pids[0]}"
if (( observability )); then
  # every trace recorded, and an access log line per request, as Istio's demo profile
  INBOARDCTL_JAVA_OPTS="$java_opts" "$root/bin/inboardctl" apply \
    -f "$module/telemetry/mesh-default.yaml" --server "http://127.0.0.1:$cp_admin_port" >/dev/null
  start zipkin env STORAGE_TYPE=mem QUERY_PORT="$zipkin_port" java -Xmx256m -XX:+UseSerialGC \
    -XX:TieredStopAtLevel=1 -jar "$zipkin_jar"
  start prometheus prometheus --config.file="$obs_dir/prometheus.yml" \
    --storage.tsdb.path="$obs_dir/data" --web.listen-address="127.0.0.1:$prometheus_port" \
    --log.level=warn
fi

# --- identities -----------------------------------------------------------------------------
# Each workload proves its service account to the CA with a credential the control plane's
# state directory mints (local mode's stand-in for a Kubernetes service-account token), and
# trusts the mesh's root bundle. With them every workload gets its SPIFFE certificate, and
# bookinfo's calls are mTLS through auto-mTLS, as in Istio.
credentials="$ca_state/credentials"
mkdir -p "$credentials"
chmod 700 "$credentials"
for sa in bookinfo-productpage bookinfo-details bookinfo-reviews bookinfo-ratings \
    istio-system/istio-ingressgateway-service-account; do
  file="$credentials/${sa//\//.}"
  if [[ ! -s "$file" ]]; then
    ns=default
    [[ "$sa" == */* ]] && ns="${sa%%/*}"
    INBOARDCTL_JAVA_OPTS="$java_opts" "$root/bin/inboardctl" credential \
      --service-account "${sa#*/}" -n "$ns" --state-dir "$ca_state" --out "$file" >/dev/null
  fi
done
service_account() { # workload name -> its service account, as in Istio's bookinfo.yaml
  echo "bookinfo-${1%-v*}"
}

# --- the workloads --------------------------------------------------------------------------
i=0
admin_lines=()
for entry in "${workloads[@]}"; do
  read -r name ip extra <<<"$entry"
  admin=$(admin_port $i)
  # shellcheck disable=SC2086 # extra is a list of options
  start "$name${extra:+@$ip}" java $java_opts -cp "$classpath" io.inboard.examples.bookinfo.Bookinfo \
    "$name" --ip "$ip" --port "$port" --admin-port "$admin" \
    --control-plane "127.0.0.1:$xds_port" --ca-address "127.0.0.1:$ca_port" \
    --identity-token-file "$credentials/$(service_account "$name")" \
    --ca-root-cert "$ca_state/root-cert.pem" $extra
  admin_lines+=("admin $name http://127.0.0.1:$admin")
  i=$((i + 1))
done
# --- the ingress gateway --------------------------------------------------------------------
# It starts with no listener: each Gateway applied opens its servers' ports on $gateway_host
# (bookinfo-gateway.yaml: 8080), and its "gateway listening on URL" line shows as "ingress URL".
gateway_admin=$(admin_port $i)
java $java_opts -cp "$gateway_classpath" io.inboard.mesh.gateway.IngressGateway \
  --control-plane "127.0.0.1:$xds_port" --ca-address "127.0.0.1:$ca_port" \
  --identity-token-file "$credentials/istio-system.istio-ingressgateway-service-account" \
  --ca-root-cert "$ca_state/root-cert.pem" --namespace istio-system \
  --workload-name istio-ingressgateway --bind-host "$gateway_host" \
  --health-port "$gateway_status_port" --admin-port "$gateway_admin" \
  > >(sed -u -e 's/^gateway listening on \(.*\)$/ingress \1/;t' \
        -e 's/^/[istio-ingressgateway] /') 2>&1 &
gateway_pid=$!
names[$gateway_pid]="istio-ingressgateway"
pids+=("$gateway_pid")
admin_lines+=("admin istio-ingressgateway http://127.0.0.1:$gateway_admin")

first_workload=$(( observability ? 3 : 1 ))
i=0
for entry in "${workloads[@]}"; do
  read -r name ip _ <<<"$entry"
  wait_port "$ip" "$port" "$name" "${pids[$((i + first_workload))]}"
  i=$((i + 1))
done
wait_port 127.0.0.1 "$gateway_status_port" istio-ingressgateway "$gateway_pid"
if (( observability )); then
  wait_port 127.0.0.1 "$zipkin_port" zipkin "${pids[1]}"
  wait_port 127.0.0.1 "$prometheus_port" prometheus "${pids[2]}"
fi

echo
echo "bookinfo is up: http://127.0.0.1:$port/productpage"
echo "control plane admin: http://127.0.0.1:$cp_admin_port (bin/inboardctl get VirtualService)"
echo "mesh CA: 127.0.0.1:$ca_port (root bundle $ca_state/root-cert.pem); bookinfo's calls are mTLS"
echo "ingress gateway: bin/inboardctl apply -f examples/bookinfo/networking/bookinfo-gateway.yaml" \
  "opens http://$gateway_host:8080/productpage (ready: http://127.0.0.1:$gateway_status_port/healthz/ready)"
printf '%s\n' "${admin_lines[@]}"
if (( observability )); then
  echo "prometheus http://127.0.0.1:$prometheus_port"
  echo "zipkin http://127.0.0.1:$zipkin_port"
  echo "service graph: http://127.0.0.1:$cp_admin_port/ui"
fi
echo "Ctrl-C stops everything."
echo

# --- watch ----------------------------------------------------------------------------------
live=("${pids[@]}")
while (( ${#live[@]} > 0 )); do
  died=""
  set +e
  wait -n -p died "${live[@]}"
  status=$?
  set -e
  (( stopping )) && break
  [[ -z "$died" ]] && continue
  say "${names[$died]} (pid $died) exited with status $status; the others keep running" >&2
  next=()
  for pid in "${live[@]}"; do [[ "$pid" != "$died" ]] && next+=("$pid"); done
  live=("${next[@]}")
done
say "every process has exited"
