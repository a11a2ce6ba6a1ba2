#!/usr/bin/env bash
# make run: installs what is missing, builds, starts a local redis-server when none answers on REDIS_URL,
# and serves on http://$HTTP_HOST:$HTTP_PORT. Ctrl-C stops what this script started and nothing else.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

scripts/install-deps.sh
swift build

setting() {
    local name=$1 default=$2 value=${!1:-}
    if [ -z "$value" ] && [ -f .env ]; then
        value=$(sed -n "s/^$name=//p" .env | tail -n 1 | tr -d '"'"'")
    fi
    echo "${value:-$default}"
}

redis_url=$(setting REDIS_URL redis://127.0.0.1:6379)
public_url=$(setting PUBLIC_URL "http://$(setting HTTP_HOST 127.0.0.1):$(setting HTTP_PORT 8080)")
REDIS_PID=""
SERVICE_PID=""
SIMULATOR_PID=""
DOVECOT_CONF=""
cleanup() {
    trap - EXIT INT TERM
    [ -n "$DOVECOT_CONF" ] && doveadm -c "$DOVECOT_CONF" stop >/dev/null 2>&1
    [ -n "$SERVICE_PID" ] && kill -TERM "$SERVICE_PID" 2>/dev/null && wait "$SERVICE_PID" 2>/dev/null
    [ -n "$SIMULATOR_PID" ] && kill -TERM "$SIMULATOR_PID" 2>/dev/null && wait "$SIMULATOR_PID" 2>/dev/null
    if [ -n "$REDIS_PID" ]; then
        redis-cli -u "$redis_url" shutdown >/dev/null 2>&1 || kill "$REDIS_PID" 2>/dev/null || true
        wait "$REDIS_PID" 2>/dev/null || true
    fi
}
trap cleanup EXIT INT TERM

if redis-cli -u "$redis_url" ping 2>/dev/null | grep -q PONG; then
    echo "mailpulse: using the redis-server on $redis_url"
else
    hostport=${redis_url#redis://}
    hostport=${hostport##*@}
    hostport=${hostport%%/*}
    host=${hostport%:*}
    port=${hostport##*:}
    [ "$port" = "$hostport" ] && port=6379
    if [ "$host" != 127.0.0.1 ] && [ "$host" != localhost ]; then
        echo "mailpulse: no Redis answers on $redis_url, and it is not local; start it or change REDIS_URL" >&2
        exit 1
    fi
    echo "mailpulse: starting redis-server on port $port (files in data/redis)"
    start_redis "$port" data/redis yes
fi

if [ -z "$(setting MS_CLIENT_ID "")" ]; then
    if curl -fs http://127.0.0.1:8081/health >/dev/null 2>&1; then
        echo "mailpulse: demo mode (no MS_CLIENT_ID): using the graph-sim already on http://127.0.0.1:8081"
    else
        echo "mailpulse: demo mode (no MS_CLIENT_ID): starting graph-sim on http://127.0.0.1:8081"
        .build/debug/graph-sim --port 8081 --redirect-uri "$public_url/oauth/callback" --log-level warning &
        SIMULATOR_PID=$!
        for _ in $(seq 1 100); do
            curl -fs http://127.0.0.1:8081/health >/dev/null 2>&1 && break
            sleep 0.1
        done
        curl -fs -X POST http://127.0.0.1:8081/sim/mailboxes \
            -d '{"address":"ada@outlook.com","displayName":"Ada Lovelace","messages":200,"seed":1}' >/dev/null
        echo "mailpulse: graph-sim has the mailbox ada@outlook.com; act as its user at http://127.0.0.1:8081/sim/"
    fi
fi

if [ -z "$(setting MS_CLIENT_ID "")" ]; then
    # A local IMAP server with a demo mailbox, so IMAP can be tried with no account anywhere.
    if [ ! -x /usr/sbin/dovecot ]; then
        echo "mailpulse: for a demo IMAP mailbox too, install Dovecot (apt-get install dovecot-imapd) and run again"
    elif [ "$(id -u)" != 0 ]; then
        echo "mailpulse: the demo IMAP mailbox needs root (Dovecot keeps the mail as user nobody); skipped"
    elif (exec 3<>/dev/tcp/127.0.0.1/1143) 2>/dev/null; then
        echo "mailpulse: something already listens on 127.0.0.1:1143; no demo IMAP server started"
    else
        DOVECOT_CONF=$(start_demo_dovecot 1143 data/dovecot)
        echo "mailpulse: demo IMAP server on 127.0.0.1:1143 (security none): user demo@localhost, password demo"
    fi
fi

echo "mailpulse: serving on http://$(setting HTTP_HOST 127.0.0.1):$(setting HTTP_PORT 8080) (Ctrl-C stops)"
.build/debug/mailpulse serve &
SERVICE_PID=$!
wait "$SERVICE_PID"
