# Settings shared by deploy/local/up, down and status.
# shellcheck shell=bash
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=../../scripts/lib/stack.sh
. "$root/scripts/lib/stack.sh"
state=${NRP_LOCAL_STATE:-$root/.local}
build=${NRP_BUILD_DIR:-$root/build}
pg_port=${NRP_LOCAL_PG_PORT:-55432}
redis_port=${NRP_LOCAL_REDIS_PORT:-56379}
# gRPC ports: registration, land_supply, mining_rights, restoration, planning.
grpc_base=${NRP_LOCAL_GRPC_BASE_PORT:-50051}
metrics_base=${NRP_LOCAL_METRICS_BASE_PORT:-9101}

nrp_service_index() {
  local i
  for i in "${!NRP_SERVICES[@]}"; do
    [ "${NRP_SERVICES[$i]}" = "$1" ] && echo "$i" && return
  done
}
nrp_service_bin() { echo "$build/services/$1/nrp-${1//_/-}"; }
nrp_service_port() { echo $((grpc_base + $(nrp_service_index "$1"))); }
nrp_service_metrics_port() { echo $((metrics_base + $(nrp_service_index "$1"))); }
nrp_pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
