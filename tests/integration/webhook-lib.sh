# Helpers for the webhook receiver's tests (integration and tmux): signing deliveries, POSTing
# them, starting and stopping `mpsdash webhook serve` and a real nginx in front of it.
# The caller sets WH_DIR (a private temporary directory) and calls wh_cleanup on exit.

WH_PID=
WH_PORT=
NGINX_PID=
NGINX_PORT=
WH_SECRET_VALUE=${WH_SECRET_VALUE:-wh-app-secret-for-tests-0123456789}
WH_VERIFY_VALUE=${WH_VERIFY_VALUE:-wh-verify-token-for-tests}

# wh_sign FILE [SECRET]: the X-Hub-Signature-256 value for the file's bytes.
wh_sign() {
    printf 'sha256=%s' "$(openssl dgst -sha256 -hmac "${2:-$WH_SECRET_VALUE}" -r <"$1" | cut -d' ' -f1)"
}

# wh_post URL FILE [SIGNATURE|-]: POSTs the file as it is (signed unless "-"); prints the HTTP
# status ("000" when the connection was cut). Extra curl options may follow.
wh_post() {
    local url=$1 file=$2 sig=${3-} extra=()
    shift 2
    [ $# -gt 0 ] && shift
    [ -z "$sig" ] && sig=$(wh_sign "$file")
    [ "$sig" != "-" ] && extra=(-H "X-Hub-Signature-256: $sig")
    curl -sS -m 20 -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
        "${extra[@]}" --data-binary "@$file" "$@" "$url" 2>/dev/null || true
}

# A TCP port free on 127.0.0.1 at the time of asking.
wh_free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# wh_wait_file FILE: waits (up to 15 s) for a non-empty file.
wh_wait_file() {
    local deadline=$((SECONDS + 15))
    while [ ! -s "$1" ]; do
        [ $SECONDS -ge $deadline ] && return 1
        sleep 0.05
    done
}

# wh_start CONFIG [ARGS...]: the receiver on a free port, secrets from the environment; stderr
# (the delivery log and the final counters) in $WH_DIR/receiver.err.
wh_start() {
    local cfg=$1
    shift
    rm -f "$WH_DIR/wh.port"
    WH_SECRET=$WH_SECRET_VALUE WH_VERIFY=$WH_VERIFY_VALUE \
        "$MPSDASH" -c "$cfg" webhook serve --port 0 --port-file "$WH_DIR/wh.port" "$@" \
        >"$WH_DIR/receiver.out" 2>"$WH_DIR/receiver.err" </dev/null &
    WH_PID=$!
    if ! wh_wait_file "$WH_DIR/wh.port"; then
        echo "the receiver did not start:" >&2
        cat "$WH_DIR/receiver.err" >&2
        return 1
    fi
    WH_PORT=$(cat "$WH_DIR/wh.port")
}

# Stops the receiver with SIGTERM (it writes what it answered 200, then its counters).
wh_stop() {
    [ -n "$WH_PID" ] || return 0
    kill -TERM "$WH_PID" 2>/dev/null
    local deadline=$((SECONDS + 10))
    while kill -0 "$WH_PID" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.05; done
    kill -KILL "$WH_PID" 2>/dev/null
    wait "$WH_PID" 2>/dev/null
    WH_PID=
}

# wh_config FILE EVENTS [EXTRA SETTINGS]: a profile whose secrets come from WH_SECRET/WH_VERIFY.
wh_config() {
    cat >"$1" <<CONF
profiles = {
  hooks = {
    app_id = "21202248997039";
    app_secret_env = "WH_SECRET";
    verify_token_env = "WH_VERIFY";
    events_file = "$2";
    ${3-}
  };
};
CONF
    chmod 600 "$1"
}

# nginx_start RECEIVER_PORT: Debian's nginx as a non-daemon on a free 127.0.0.1 port, built from
# contrib/nginx/mpsdash-webhook.conf (TLS with a fresh self-signed certificate), with its own
# pid, log and temp paths. Sets NGINX_PORT and WH_CA (the certificate to trust).
# Returns 77 when nginx is not installed.
nginx_start() {
    local nginx
    nginx=$(command -v nginx || ls /usr/sbin/nginx 2>/dev/null) || return 77
    [ -x "$nginx" ] || return 77
    local d=$WH_DIR/nginx
    mkdir -p "$d/tmp"
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
        -addext subjectAltName=IP:127.0.0.1 -keyout "$d/key.pem" -out "$d/cert.pem" \
        >/dev/null 2>&1 || return 1
    WH_CA=$d/cert.pem
    NGINX_PORT=$(wh_free_port)
    # The example as shipped, pointed at this test's ports and files.
    sed -e "s|listen 443 ssl;|listen 127.0.0.1:$NGINX_PORT ssl;|" \
        -e "s|server_name webhooks.example.com;|server_name 127.0.0.1;|" \
        -e "s|/etc/ssl/certs/webhooks.example.com.pem|$d/cert.pem|" \
        -e "s|/etc/ssl/private/webhooks.example.com.key|$d/key.pem|" \
        -e "s|http://127.0.0.1:8089|http://127.0.0.1:$1|" \
        "$MPSDASH_SOURCE/contrib/nginx/mpsdash-webhook.conf" >"$d/site.conf"
    grep -q "127.0.0.1:$1" "$d/site.conf" || { echo "the nginx example changed shape" >&2; return 1; }
    # As root, nginx would hand its workers to an account that cannot enter this private
    # directory: keep them as the invoking user.
    local user=
    [ "$(id -u)" = 0 ] && user="user root root;"
    cat >"$d/nginx.conf" <<CONF
$user
daemon off;
worker_processes 1;
pid $d/nginx.pid;
error_log $d/error.log info;
events { worker_connections 64; }
http {
    access_log $d/access.log;
    client_body_temp_path $d/tmp/body;
    proxy_temp_path $d/tmp/proxy;
    fastcgi_temp_path $d/tmp/fastcgi;
    uwsgi_temp_path $d/tmp/uwsgi;
    scgi_temp_path $d/tmp/scgi;
    include $d/site.conf;
}
CONF
    "$nginx" -e "$d/error.log" -p "$d" -c "$d/nginx.conf" >"$d/stdout" 2>&1 </dev/null &
    NGINX_PID=$!
    local deadline=$((SECONDS + 15))
    until curl -sS -m 2 --cacert "$WH_CA" -o /dev/null "https://127.0.0.1:$NGINX_PORT/" 2>/dev/null; do
        if ! kill -0 "$NGINX_PID" 2>/dev/null || [ $SECONDS -ge $deadline ]; then
            echo "nginx did not start:" >&2
            cat "$d/stdout" "$d/error.log" >&2
            NGINX_PID=
            return 1
        fi
        sleep 0.1
    done
}

nginx_stop() {
    [ -n "$NGINX_PID" ] || return 0
    kill -QUIT "$NGINX_PID" 2>/dev/null
    local deadline=$((SECONDS + 10))
    while kill -0 "$NGINX_PID" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.05; done
    kill -KILL "$NGINX_PID" 2>/dev/null
    wait "$NGINX_PID" 2>/dev/null
    NGINX_PID=
}

wh_cleanup() {
    nginx_stop
    wh_stop
}
