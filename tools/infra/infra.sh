#!/usr/bin/env bash
# Real infrastructure for livepromo on a machine without Docker:
#   Apache Kafka 3.9 (KRaft, single node) resolved from Maven Central and started with java,
#   plus checks (and starts, where the commands exist) PostgreSQL and Redis.
# Usage: tools/infra/infra.sh up|down|status
# LIVEPROMO_KAFKA_SASL=1 adds a SASL_SSL listener on LIVEPROMO_KAFKA_SASL_PORT (default: broker port + 2) with
# PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512 for LIVEPROMO_KAFKA_SASL_USER / _PASSWORD (default livepromo / livepromo-secret),
# a throw-away CA and broker certificate in $CACHE/tls (ca.pem is what clients trust). Meant for a private broker
# (own LIVEPROMO_INFRA_CACHE and ports), as test/sasl tests do: the shared broker on 9092 stays PLAINTEXT only.
# Idempotent: `up` twice is harmless; `down` stops only the broker this script started.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${LIVEPROMO_INFRA_CACHE:-$ROOT/.cache/infra}"
KAFKA_HOME="$CACHE/kafka"
# The broker's jars; LIVEPROMO_KAFKA_LIBS reuses an already resolved folder (e.g. for a second, private broker in tests).
KAFKA_LIBS="${LIVEPROMO_KAFKA_LIBS:-$KAFKA_HOME/libs}"
KAFKA_PORT="${LIVEPROMO_KAFKA_PORT:-9092}"
CONTROLLER_PORT="${LIVEPROMO_KAFKA_CONTROLLER_PORT:-9093}"
SASL="${LIVEPROMO_KAFKA_SASL:-0}"
SASL_PORT="${LIVEPROMO_KAFKA_SASL_PORT:-$((KAFKA_PORT + 2))}"
SASL_USER="${LIVEPROMO_KAFKA_SASL_USER:-livepromo}"
SASL_PASSWORD="${LIVEPROMO_KAFKA_SASL_PASSWORD:-livepromo-secret}"
TLS_DIR="$CACHE/tls"
TLS_STOREPASS="livepromo-dev-only"
PG_HOST=127.0.0.1; PG_PORT="${LIVEPROMO_PG_PORT:-5432}"
REDIS_HOST=127.0.0.1; REDIS_PORT="${LIVEPROMO_REDIS_PORT:-6379}"

log() { printf '[infra] %s\n' "$*" >&2; }
port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

resolve_kafka() {
  if [[ -f "$KAFKA_LIBS/.complete" ]]; then return 0; fi
  command -v mvn >/dev/null || { log "mvn not found: Maven is needed to fetch the Kafka broker from Maven Central"; exit 1; }
  command -v java >/dev/null || { log "java not found: Java 17+ is needed to run the Kafka broker"; exit 1; }
  log "resolving org.apache.kafka:kafka_2.13 from Maven Central into $KAFKA_LIBS"
  mkdir -p "$KAFKA_LIBS"
  # stdout of `up` is the env block callers parse: everything Maven prints goes to stderr.
  mvn -q -B -Dstyle.color=never -f "$ROOT/tools/infra/kafka-pom.xml" dependency:copy-dependencies \
      -DoutputDirectory="$KAFKA_LIBS" -DincludeScope=runtime >&2
  touch "$KAFKA_LIBS/.complete"
}

# A throw-away CA and a broker certificate for 127.0.0.1/localhost, in a PKCS12 keystore the broker reads.
make_tls() {
  if [[ -f "$TLS_DIR/broker.p12" && -f "$TLS_DIR/ca.pem" ]]; then return 0; fi
  command -v openssl >/dev/null || { log "openssl not found: it makes the throw-away CA for the SASL_SSL listener"; exit 1; }
  mkdir -p "$TLS_DIR"
  log "making a throw-away CA and broker certificate in $TLS_DIR"
  (
    cd "$TLS_DIR"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 30 -subj "/CN=livepromo-dev-ca" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -keyout broker.key -out broker.csr -subj "/CN=localhost" 2>/dev/null
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n' >broker.ext
    openssl x509 -req -in broker.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out broker.pem -days 30 -extfile broker.ext 2>/dev/null
    openssl pkcs12 -export -in broker.pem -inkey broker.key -certfile ca.pem -name broker -out broker.p12 -passout "pass:$TLS_STOREPASS"
  ) >&2
}

write_config() {
  mkdir -p "$KAFKA_HOME/config" "$KAFKA_HOME/logs"
  local listeners="PLAINTEXT://127.0.0.1:${KAFKA_PORT},CONTROLLER://127.0.0.1:${CONTROLLER_PORT}"
  local advertised="PLAINTEXT://127.0.0.1:${KAFKA_PORT}"
  local protocols="CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT"
  if [[ "$SASL" == "1" ]]; then
    listeners="$listeners,SASL_SSL://127.0.0.1:${SASL_PORT}"; advertised="$advertised,SASL_SSL://127.0.0.1:${SASL_PORT}"
    protocols="$protocols,SASL_SSL:SASL_SSL"
  fi
  cat > "$KAFKA_HOME/config/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:${CONTROLLER_PORT}
listeners=${listeners}
advertised.listeners=${advertised}
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=${protocols}
log.dirs=${KAFKA_HOME}/data
num.partitions=3
default.replication.factor=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
min.insync.replicas=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
delete.topic.enable=true
log.retention.hours=24
log.segment.bytes=67108864
PROPS
  if [[ "$SASL" == "1" ]]; then
    make_tls
    # JAAS per listener and mechanism: PLAIN users are listed here, SCRAM credentials live in the metadata log
    # (added by `kafka-storage format --add-scram`, below).
    cat >> "$KAFKA_HOME/config/server.properties" <<PROPS
sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512
listener.name.sasl_ssl.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_${SASL_USER}="${SASL_PASSWORD}";
listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
ssl.keystore.type=PKCS12
ssl.keystore.location=${TLS_DIR}/broker.p12
ssl.keystore.password=${TLS_STOREPASS}
ssl.key.password=${TLS_STOREPASS}
ssl.client.auth=none
PROPS
  fi
  cat > "$KAFKA_HOME/config/log4j.properties" <<PROPS
log4j.rootLogger=WARN, file
log4j.appender.file=org.apache.log4j.RollingFileAppender
log4j.appender.file.File=${KAFKA_HOME}/logs/server.log
log4j.appender.file.MaxFileSize=20MB
log4j.appender.file.MaxBackupIndex=2
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka=INFO
log4j.logger.org.apache.kafka=INFO
PROPS
}

java_cmd() {
  java -Xms256m -Xmx768m -XX:+UseG1GC -Djava.awt.headless=true \
       -Dlog4j.configuration="file:$KAFKA_HOME/config/log4j.properties" \
       -cp "$KAFKA_LIBS/*" "$@"
}

kafka_up() {
  if port_open 127.0.0.1 "$KAFKA_PORT"; then log "kafka already answering on 127.0.0.1:$KAFKA_PORT"; return 0; fi
  resolve_kafka
  write_config
  if [[ ! -f "$KAFKA_HOME/data/meta.properties" ]]; then
    log "formatting KRaft storage in $KAFKA_HOME/data"
    local scram=()
    if [[ "$SASL" == "1" ]]; then
      scram=(--add-scram "SCRAM-SHA-256=[name=${SASL_USER},password=${SASL_PASSWORD}]" --add-scram "SCRAM-SHA-512=[name=${SASL_USER},password=${SASL_PASSWORD}]")
    fi
    java_cmd kafka.tools.StorageTool format --ignore-formatted \
      -t "$(java_cmd kafka.tools.StorageTool random-uuid)" \
      -c "$KAFKA_HOME/config/server.properties" "${scram[@]}" >"$KAFKA_HOME/logs/format.log" 2>&1 \
      || { cat "$KAFKA_HOME/logs/format.log" >&2; exit 1; }
  fi
  log "starting kafka broker on 127.0.0.1:$KAFKA_PORT$([[ "$SASL" == "1" ]] && echo " (SASL_SSL on 127.0.0.1:$SASL_PORT, CA $TLS_DIR/ca.pem)")"
  nohup java -Xms256m -Xmx768m -XX:+UseG1GC -Djava.awt.headless=true \
       -Dlog4j.configuration="file:$KAFKA_HOME/config/log4j.properties" \
       -cp "$KAFKA_LIBS/*" kafka.Kafka "$KAFKA_HOME/config/server.properties" \
       >"$KAFKA_HOME/logs/stdout.log" 2>&1 &
  echo $! >"$KAFKA_HOME/kafka.pid"
  for _ in $(seq 1 120); do
    if port_open 127.0.0.1 "$KAFKA_PORT"; then
      # the port opens before the broker serves metadata: wait for a real answer
      if (cd "$ROOT" && node tools/infra/wait-kafka.js "127.0.0.1:$KAFKA_PORT"); then
        log "kafka ready (pid $(cat "$KAFKA_HOME/kafka.pid"))"; return 0
      fi
    fi
    if ! kill -0 "$(cat "$KAFKA_HOME/kafka.pid")" 2>/dev/null; then
      log "kafka exited during start-up; last lines of its log:"; tail -30 "$KAFKA_HOME/logs/stdout.log" "$KAFKA_HOME/logs/server.log" >&2 || true; exit 1
    fi
    sleep 1
  done
  log "kafka did not answer within 120 s"; exit 1
}

kafka_down() {
  if [[ -f "$KAFKA_HOME/kafka.pid" ]] && kill -0 "$(cat "$KAFKA_HOME/kafka.pid")" 2>/dev/null; then
    local pid; pid="$(cat "$KAFKA_HOME/kafka.pid")"
    log "stopping kafka (pid $pid)"; kill "$pid"
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$KAFKA_HOME/kafka.pid"
  else
    log "no kafka started by this script is running"
  fi
}

postgres_up() {
  if port_open "$PG_HOST" "$PG_PORT"; then log "postgres answering on $PG_HOST:$PG_PORT"; return 0; fi
  if command -v pg_ctlcluster >/dev/null && [[ -d /etc/postgresql ]]; then
    log "starting postgres"; pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  fi
  for _ in $(seq 1 30); do port_open "$PG_HOST" "$PG_PORT" && { log "postgres up"; return 0; }; sleep 1; done
  log "postgres is not answering on $PG_HOST:$PG_PORT and could not be started"; return 1
}

redis_up() {
  if port_open "$REDIS_HOST" "$REDIS_PORT"; then log "redis answering on $REDIS_HOST:$REDIS_PORT"; return 0; fi
  if command -v redis-server >/dev/null; then
    log "starting redis"; mkdir -p "$CACHE/redis"
    redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no \
      --dir "$CACHE/redis" --logfile "$CACHE/redis/redis.log" || true
  fi
  for _ in $(seq 1 30); do port_open "$REDIS_HOST" "$REDIS_PORT" && { log "redis up"; return 0; }; sleep 1; done
  log "redis is not answering on $REDIS_HOST:$REDIS_PORT and could not be started"; return 1
}

case "${1:-up}" in
  up) postgres_up; redis_up; kafka_up
      printf 'KAFKA_BROKERS=127.0.0.1:%s\nDATABASE_URL=postgres://postgres@127.0.0.1:%s/test\nREDIS_URL=redis://127.0.0.1:%s\n' "$KAFKA_PORT" "$PG_PORT" "$REDIS_PORT" ;;
  down) kafka_down ;;
  kafka-down) kafka_down ;;
  kafka-up) kafka_up ;;
  status)
    for s in "kafka 127.0.0.1 $KAFKA_PORT" "postgres $PG_HOST $PG_PORT" "redis $REDIS_HOST $REDIS_PORT"; do
      set -- $s; if port_open "$2" "$3"; then echo "$1 up ($2:$3)"; else echo "$1 down ($2:$3)"; fi
    done ;;
  *) echo "usage: $0 up|down|status|kafka-up|kafka-down" >&2; exit 2 ;;
esac
