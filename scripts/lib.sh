# Shared by the scripts: free ports and a private redis-server.

# Prints a TCP port on 127.0.0.1 that nothing listens on.
free_port() {
    local port
    for _ in $(seq 1 100); do
        port=$((20000 + RANDOM % 30000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    echo "mailpulse: found no free port" >&2
    return 1
}

# Starts redis-server on 127.0.0.1:$1 with its files in $2 and waits until it answers; sets REDIS_PID.
start_redis() {
    local port=$1 dir=$2 persist=${3:-no}
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    local options=(--port "$port" --bind 127.0.0.1 --dir "$dir" --logfile "$dir/redis.log" --maxmemory-policy noeviction)
    if [ "$persist" = yes ]; then
        options+=(--appendonly yes)
    else
        options+=(--save "" --appendonly no)
    fi
    redis-server "${options[@]}" &
    REDIS_PID=$!
    for _ in $(seq 1 100); do
        if redis-cli -p "$port" ping 2>/dev/null | grep -q PONG; then
            return 0
        fi
        if ! kill -0 "$REDIS_PID" 2>/dev/null; then
            echo "mailpulse: redis-server did not start; see $dir/redis.log" >&2
            return 1
        fi
        sleep 0.1
    done
    echo "mailpulse: redis-server did not answer on port $port within 10 s" >&2
    return 1
}

# Starts a redis-server of this script's own on a free port and exports REDIS_URL; the server is stopped and its
# files removed when the script exits.
start_private_redis() {
    PRIVATE_REDIS_DIR=$(mktemp -d)
    REDIS_PID=""
    trap stop_private_redis EXIT
    local port
    port=$(free_port)
    start_redis "$port" "$PRIVATE_REDIS_DIR/redis"
    export REDIS_URL="redis://127.0.0.1:$port/0"
    echo "mailpulse: private redis-server on $REDIS_URL"
}

stop_private_redis() {
    if [ -n "$REDIS_PID" ]; then
        kill "$REDIS_PID" 2>/dev/null || true
        wait "$REDIS_PID" 2>/dev/null || true
    fi
    rm -rf "$PRIVATE_REDIS_DIR"
}

# Starts an unprivileged Dovecot (scripts/dovecot/dovecot.conf.in) on 127.0.0.1:$1 with its files in $2, every user
# signing in with the password "demo", and fills demo@localhost's inbox with 25 messages the first time; prints the
# configuration file (`doveadm -c FILE stop` stops it).
start_demo_dovecot() {
    local port=$1 dir
    mkdir -p "$2"/{state,mail,home}
    dir=$(cd "$2" && pwd)
    chown nobody "$dir/mail" "$dir/home"
    local sockets=/tmp/mailpulse-demo-dovecot
    mkdir -p "$sockets"
    sed -e "s|@DIR@|$dir|g; s|@SOCKETS@|$sockets|g; s|@PORT@|$port|g; s|@PASSWORD@|demo|g" \
        scripts/dovecot/dovecot.conf.in >"$dir/dovecot.conf"
    /usr/sbin/dovecot -c "$dir/dovecot.conf"
    if [ ! -e "$dir/seeded" ]; then
        local number
        for number in $(seq 1 25); do
            printf 'From: Ada Lovelace <ada@example.com>\r\nTo: demo@localhost\r\nSubject: Demo note %s\r\nMessage-ID: <demo-%s@localhost>\r\nDate: %s\r\n\r\nNote %s of the demo mailbox.\r\n' \
                "$number" "$number" "$(date -R)" "$number" | doveadm -c "$dir/dovecot.conf" save -u demo@localhost -m INBOX
        done
        touch "$dir/seeded"
    fi
    echo "$dir/dovecot.conf"
}
