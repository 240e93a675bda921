# Shared by scripts/test and deploy/local: start and stop a private
# PostgreSQL+PostGIS cluster, a redis-server and the development Kafka broker,
# all on loopback. Source it; every function takes the state folder first.
# shellcheck shell=bash

NRP_PG_BIN=${NRP_PG_BIN:-/usr/lib/postgresql/15/bin}
NRP_SERVICES=(registration land_supply mining_rights restoration planning)

nrp_log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# A free TCP port on 127.0.0.1 (nothing answers a connect on it).
nrp_free_port() {
  local p
  for _ in $(seq 1 200); do
    p=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return 0
    fi
  done
  echo "no free port found" >&2
  return 1
}

# Where PostgreSQL may keep its data: under the state folder when the
# postgres user can enter it, else a folder of its own under /var/tmp.
nrp_pg_home() {
  local state=$1
  if runuser -u postgres -- test -x "$state" 2>/dev/null && runuser -u postgres -- test -w "$state/pg" 2>/dev/null; then
    echo "$state/pg"
    return
  fi
  mkdir -p "$state/pg" 2>/dev/null || true
  chown postgres:postgres "$state/pg" 2>/dev/null || true
  if runuser -u postgres -- test -w "$state/pg" 2>/dev/null; then
    echo "$state/pg"
    return
  fi
  local key
  key=$(printf '%s' "$state" | sha256sum | cut -c1-12)
  local alt=/var/tmp/nrp-pg-$key
  mkdir -p "$alt"
  chown postgres:postgres "$alt"
  chmod 700 "$alt"
  echo "$alt"
}

nrp_pg_running() {
  local home=$1
  [ -f "$home/data/postmaster.pid" ] && runuser -u postgres -- "$NRP_PG_BIN/pg_ctl" -D "$home/data" status >/dev/null 2>&1
}

# nrp_pg_start STATE PORT [test]: initdb on first use, start, create the
# template with PostGIS and one database per service. "test" trades
# durability for speed (fsync off) — never for the local stack's data.
nrp_pg_start() {
  local state=$1 port=$2 mode=${3:-}
  local home
  home=$(nrp_pg_home "$state")
  echo "$home" > "$state/pg.home"
  if [ ! -f "$home/data/PG_VERSION" ]; then
    runuser -u postgres -- "$NRP_PG_BIN/initdb" -D "$home/data" -U postgres -A trust -E UTF8 \
      --locale=C.UTF-8 >"$state/logs/initdb.log" 2>&1 || {
      cat "$state/logs/initdb.log" >&2
      return 1
    }
  fi
  if nrp_pg_running "$home"; then
    return 0
  fi
  local opts="-p $port -c listen_addresses=127.0.0.1 -k $home -c max_connections=300"
  opts+=" -c shared_buffers=256MB -c max_locks_per_transaction=256"
  if [ "$mode" = test ]; then
    opts+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  fi
  touch "$state/logs/postgres.log"
  chown postgres "$state/logs/postgres.log" 2>/dev/null || true
  local pglog="$home/postgres.log"
  runuser -u postgres -- "$NRP_PG_BIN/pg_ctl" -D "$home/data" -o "$opts" -l "$pglog" -w -t 60 start \
    >/dev/null || {
    tail -20 "$pglog" >&2
    return 1
  }
  ln -sf "$pglog" "$state/logs/postgres.log"
  local psql=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres)
  if ! "${psql[@]}" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='nrp_template'" | grep -q 1; then
    "${psql[@]}" -d postgres -c "CREATE DATABASE nrp_template"
    "${psql[@]}" -d nrp_template -c "CREATE EXTENSION IF NOT EXISTS postgis; CREATE EXTENSION IF NOT EXISTS pgcrypto;"
    "${psql[@]}" -d postgres -c "ALTER DATABASE nrp_template WITH IS_TEMPLATE true"
  fi
  if [ "$mode" != test ]; then
    local svc
    for svc in "${NRP_SERVICES[@]}"; do
      if ! "${psql[@]}" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='nrp_$svc'" | grep -q 1; then
        "${psql[@]}" -d postgres -c "CREATE DATABASE nrp_$svc TEMPLATE nrp_template"
      fi
    done
  fi
}

nrp_pg_stop() {
  local state=$1
  [ -f "$state/pg.home" ] || return 0
  local home
  home=$(cat "$state/pg.home")
  if nrp_pg_running "$home"; then
    runuser -u postgres -- "$NRP_PG_BIN/pg_ctl" -D "$home/data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
  fi
}

# nrp_redis_start STATE PORT
nrp_redis_start() {
  local state=$1 port=$2
  if [ -f "$state/redis.pid" ] && kill -0 "$(cat "$state/redis.pid")" 2>/dev/null; then
    return 0
  fi
  redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no --daemonize yes \
    --pidfile "$state/redis.pid" --logfile "$state/logs/redis.log" --dir "$state" >/dev/null
  for _ in $(seq 1 100); do
    redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG && return 0
    sleep 0.1
  done
  echo "redis-server did not start; see $state/logs/redis.log" >&2
  return 1
}

nrp_redis_stop() {
  local state=$1
  if [ -f "$state/redis.pid" ]; then
    local pid
    pid=$(cat "$state/redis.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    rm -f "$state/redis.pid"
  fi
}

# nrp_broker_start STATE BINARY: the devbroker writes its bootstrap list to
# $STATE/kafka.bootstrap and listens for control commands on $STATE/broker.sock.
nrp_broker_start() {
  local state=$1 bin=$2
  if [ -f "$state/broker.pid" ] && kill -0 "$(cat "$state/broker.pid")" 2>/dev/null; then
    return 0
  fi
  rm -f "$state/kafka.bootstrap" "$state/broker.sock"
  setsid "$bin" --bootstrap-file "$state/kafka.bootstrap" --control "$state/broker.sock" \
    >>"$state/logs/devbroker.log" 2>&1 </dev/null &
  echo $! > "$state/broker.pid"
  for _ in $(seq 1 100); do
    [ -s "$state/kafka.bootstrap" ] && return 0
    kill -0 "$(cat "$state/broker.pid")" 2>/dev/null || break
    sleep 0.1
  done
  echo "the development broker did not start; see $state/logs/devbroker.log" >&2
  return 1
}

nrp_broker_stop() {
  local state=$1
  if [ -f "$state/broker.pid" ]; then
    local pid
    pid=$(cat "$state/broker.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$state/broker.pid"
  fi
}

# Starts the test infrastructure in "$1" (a state folder) on free loopback ports —
# PostgreSQL+PostGIS, Redis and the development broker of build folder "$2" — and exports
# the NRP_TEST_* variables the integration tests and benchmarks read. The caller stops them
# (nrp_broker_stop, nrp_redis_stop, nrp_pg_stop).
nrp_test_infra_up() {
  local state=$1 build=$2 pg_port redis_port
  pg_port=$(nrp_free_port)
  nrp_log "starting PostgreSQL on 127.0.0.1:$pg_port"
  nrp_pg_start "$state" "$pg_port" test
  redis_port=$(nrp_free_port)
  nrp_log "starting Redis on 127.0.0.1:$redis_port"
  nrp_redis_start "$state" "$redis_port"
  nrp_log "starting the development Kafka broker"
  nrp_broker_start "$state" "$build/tools/devbroker/nrp-devbroker"
  export NRP_TEST_PG_ADMIN="host=127.0.0.1 port=$pg_port user=postgres dbname=postgres"
  export NRP_TEST_REDIS_ADDR="127.0.0.1:$redis_port"
  NRP_TEST_KAFKA_BOOTSTRAP=$(cat "$state/kafka.bootstrap")
  export NRP_TEST_KAFKA_BOOTSTRAP
  export NRP_TEST_BROKER_CONTROL="$state/broker.sock"
  export NRP_TEST_STATE_DIR="$state"
}

# A state folder for the test infrastructure in NRP_TEST_STATE; what is started in it is
# stopped when the script exits, pass or fail, and the folder removed (kept with its logs
# when the script fails).
nrp_test_state() {
  NRP_TEST_STATE=$(mktemp -d /var/tmp/nrp-test.XXXXXX)
  chmod 755 "$NRP_TEST_STATE"
  mkdir -p "$NRP_TEST_STATE/logs" "$NRP_TEST_STATE/pg"
  chown postgres:postgres "$NRP_TEST_STATE/pg"
  trap nrp_test_cleanup EXIT INT TERM
}

nrp_test_cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  nrp_broker_stop "$NRP_TEST_STATE"
  nrp_redis_stop "$NRP_TEST_STATE"
  nrp_pg_stop "$NRP_TEST_STATE"
  if [ $rc -ne 0 ]; then
    nrp_log "infrastructure logs kept in $NRP_TEST_STATE/logs"
  else
    rm -rf "$NRP_TEST_STATE"
  fi
  exit $rc
}
