"""Attacks on the service as a process (graph-sim and `mailpulse serve` on free ports, Redis from REDIS_URL), each
asserting that the attack fails. The numbers are the security issue's items.

1. Live socket `since`: a number past 2^53 - 1 (or not a number) once overflowed the replay and killed the node; it is
   refused with 400 before the upgrade, and the node lives on.
2. Webhook amplification: 1,000 notifications of unknown subscriptions per POST, 64 POSTs at once, cost the service
   1,000 Redis look-ups each; Graph's own deliveries must still be answered within its 3 s budget.
3. Account creation: a client may create `ACCOUNTS_PER_CLIENT_PER_HOUR` accounts (429 past it), a forged
   `X-Forwarded-For` does not reset the count unless it comes from a `TRUSTED_PROXIES` proxy, and an account left
   `pending` is removed after `PENDING_ACCOUNT_TTL_SECONDS`.
4. Full-text search stays inside the account: one account's search never finds another's mail.
5. Live sockets: `WEBSOCKETS_PER_ACCOUNT` per account (429 past it), no upgrade from a foreign `Origin` (403), an
   account's deletion closes its sockets; a half-sent request is closed after `HTTP_IDLE_TIMEOUT_SECONDS`
   (slowloris).
6. Login CSRF: a sign-in finishes only in the browser that started it (the `mailpulse_login_…` binding cookie), so an
   attacker's sign-in link cannot bind a victim's mailbox to the attacker's account; with `ADMIN_API_KEY` only the
   admin creates accounts and each start link works once.
7. Open redirect: a `callbackUrl` with credentials, a backslash, control characters, another scheme or another
   origin is refused; the sign-in ends only on an allowed origin.
8. Relink: signing in to another mailbox than the account's is refused; the account keeps its mailbox and mail.
10. The token key file: one readable by others stops the start; a new one is made readable by its owner only.
11. Logs: no OAuth `code` or `state`, no line forged through a query parameter, no Redis password.
12. Headers: `nosniff` everywhere, a CSP that forbids framing on the pages, `Secure` `__Host-` cookies behind HTTPS.
13. Deletion: a deleted account leaves no row in SQLite and no key or value in Redis that names it.
Bad input (the issue's done-when): hundreds of malformed requests on every route get answers under 500, JSON errors
for 4xx, and the same process serves on.

Many tests need a node of their own settings (`stack_with`); the rest share one node (`node`). Everything started
is stopped and its files and Redis keys removed."""

import base64
import concurrent.futures
import contextlib
import hashlib
import http.client
import json
import os
import secrets
import shutil
import socket
import sqlite3
import stat
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest
import websocket

from conftest import Stack, cookie_header, exchange, location, parsed, request, serving, set_cookies, wait_until

# Graph's budget for answering a notification delivery.
GRAPH_DELIVERY_BUDGET = 3.0
# The largest `since` a live socket takes: 2^53 - 1, the largest integer a page's JavaScript holds exactly.
LARGEST_SINCE = 2**53 - 1


# Redis, spoken directly: the keys the service leaves, and a subscription registered as the service does.

class Redis:
    """Just enough of the Redis protocol (RESP2) to read the service's keys and write a subscription."""

    def __init__(self, url):
        parts = urlsplit(url)
        self.connection = socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), timeout=10)
        self.reader = self.connection.makefile("rb")
        if parts.password:
            self.call("AUTH", *([parts.username] if parts.username else []), parts.password)
        if parts.path.strip("/"):
            self.call("SELECT", parts.path.strip("/"))

    def __enter__(self):
        return self

    def __exit__(self, *error):
        self.reader.close()
        self.connection.close()

    def call(self, *arguments):
        words = [argument if isinstance(argument, bytes) else str(argument).encode() for argument in arguments]
        self.connection.sendall(b"*%d\r\n" % len(words) + b"".join(b"$%d\r\n%s\r\n" % (len(word), word) for word in words))
        return self.reply()

    def reply(self):
        line = self.reader.readline()[:-2]
        kind, rest = line[:1], line[1:]
        if kind == b"-":
            raise RuntimeError(rest.decode())
        if kind == b":":
            return int(rest)
        if kind == b"$":
            return None if int(rest) < 0 else self.reader.read(int(rest) + 2)[:-2]
        if kind == b"*":
            return None if int(rest) < 0 else [self.reply() for _ in range(int(rest))]
        return rest

    def keys(self, prefix):
        """Every key under `prefix` (SCAN, so a busy server is not blocked)."""
        cursor, found = b"0", []
        while True:
            cursor, batch = self.call("SCAN", cursor, "MATCH", prefix.replace("*", "\\*") + "*", "COUNT", 1000)
            found += batch
            if cursor == b"0":
                return found

    def contents(self, key):
        """Everything a key holds, flattened to bytes, whatever its type."""
        kind = self.call("TYPE", key).decode()
        reads = {"string": ("GET",), "hash": ("HGETALL",), "list": ("LRANGE", 0, -1), "set": ("SMEMBERS",),
                 "zset": ("ZRANGE", 0, -1), "stream": ("XRANGE", "-", "+")}
        if kind not in reads:
            return b""
        command, *arguments = reads[kind]
        return flatten(self.call(command, key, *arguments))


def flatten(reply):
    if isinstance(reply, list):
        return b"\n".join(flatten(item) for item in reply)
    return reply if isinstance(reply, bytes) else str(reply).encode()


def redis():
    return Redis(os.environ["REDIS_URL"])


# Nodes of their own settings.

@contextlib.contextmanager
def running_stack(environment=None, start=True):
    """A stack in a temporary folder with `environment` added to its settings; afterwards its processes are
    stopped, its folder removed and its Redis keys deleted."""
    workdir = tempfile.mkdtemp(prefix="mailpulse-security-")
    running = Stack(workdir, environment={name: str(value) for name, value in (environment or {}).items()})
    try:
        if start:
            running.start()
        yield running
    finally:
        running.stop()
        shutil.rmtree(workdir, ignore_errors=True)
        with redis() as server:
            for key in server.keys(running.settings["REDIS_PREFIX"]):
                server.call("DEL", key)


@pytest.fixture(scope="module")
def node():
    """One node with the default security settings, shared by the tests that do not kill or reconfigure it."""
    with running_stack() as running:
        yield running


@pytest.fixture(scope="module")
def owner(node):
    """A linked account on `node`: (id, token, the simulator's mailbox id)."""
    mailbox = node.create_mailbox("owner@outlook.com", "Olive Owner", 20, 41)
    account, token = node.link_over_http("owner@outlook.com")
    return account, token, mailbox


@pytest.fixture
def stack_with():
    """Starts a stack with extra settings for one test: `stack_with(NAME=value, …)`; `start=False` only prepares it."""
    with contextlib.ExitStack() as started:
        yield lambda start=True, **environment: started.enter_context(running_stack(environment, start))


# Small helpers.

def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def is_json_error(status, body):
    """Whether an answer is the service's JSON error of that status: {"error":{"status","message"}}."""
    return isinstance(body, dict) and isinstance(body.get("error"), dict) and body["error"].get("status") == status \
        and isinstance(body["error"].get("message"), str)


def query_of(url):
    return parse_qs(urlsplit(url or "").query)


def live(stack, account, token, query="", origin=None):
    """Asks for the account's live socket: answers (101, None, the open socket), or (status, parsed body, None) when
    the upgrade is refused. Without `origin` no Origin header is sent."""
    url = stack.service.replace("http://", "ws://", 1) + f"/api/accounts/{account}/live{query}"
    try:
        opened = websocket.create_connection(url, timeout=10, header=[f"Authorization: Bearer {token}"], origin=origin,
                                             suppress_origin=origin is None)
    except websocket.WebSocketBadStatusException as refused:
        return refused.status_code, parsed(refused.resp_body), None
    return 101, None, opened


def closed_by_server(opened):
    """Whether the server has closed a live socket (a close frame or the end of the connection); events are skipped."""
    opened.settimeout(0.2)
    try:
        while True:
            opcode, _ = opened.recv_data(control_frame=True)
            if opcode == websocket.ABNF.OPCODE_CLOSE:
                return True
    except websocket.WebSocketTimeoutException:
        return False
    except (websocket.WebSocketConnectionClosedException, ConnectionError):
        return True


def raw_exchange(stack, head, body=b""):
    """Sends `head` (the request line and headers, as bytes) and `body` on a connection of its own; the body is sent
    from a thread so that an early answer (a 413 before the body is read) is still read. Answers (status, headers,
    parsed body), or (None, None, the error) when the connection ends without an answer."""
    port = int(stack.service.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(head + b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body))

        def send_body():
            with contextlib.suppress(OSError):
                connection.sendall(body)

        sender = threading.Thread(target=send_body)
        sender.start()
        try:
            reply = http.client.HTTPResponse(connection)
            reply.begin()
            return reply.status, reply.headers, parsed(reply.read())
        except (OSError, http.client.HTTPException) as error:
            return None, None, repr(error)
        finally:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
            sender.join()


def notification(subscription, client_state, message):
    return {"subscriptionId": subscription, "clientState": client_state, "changeType": "updated",
            "resource": f"Users/u/Messages/{message}", "resourceData": {"id": message}}


def percentile(samples, share):
    ordered = sorted(samples)
    return ordered[max(0, -(-len(ordered) * share // 100) - 1)]


# 1. The live socket's `since`.

BAD_SINCE = ["9223372036854775807", "9223372036854775806", "9007199254740992", "99999999999999999999", "-1", "1e9",
             "abc", "0x10", "1.5", "1%2C2"]


def test_a_huge_since_is_refused_and_the_node_lives(stack_with):
    """Item 1: `since` past 2^53 - 1, negative or not a number is refused 400 before the upgrade, on an account whose
    event log is not empty (the replay that once overflowed), and the node is still the same process."""
    stack = stack_with()
    stack.create_mailbox("since@outlook.com", "Sid Since", 5, 11)
    account, token = stack.link_over_http("since@outlook.com")
    assert request("GET", f"{stack.service}/api/accounts/{account}/events", headers=bearer(token))[1]["events"], "a log to replay"
    process = stack.mailpulse.child

    outcomes = {}
    for since in BAD_SINCE:
        try:
            status, body, opened = live(stack, account, token, f"?since={quote(since)}")
        except OSError as error:
            outcomes[since] = (None, repr(error))
            continue
        if opened:
            opened.close()
        outcomes[since] = (status, body)
    assert process.poll() is None and serving(stack.service), f"the node died: {outcomes}"
    refused = {since: outcome for since, outcome in outcomes.items() if not is_json_error(400, outcome[1])}
    assert not refused, f"not refused with a 400 JSON error: {refused}"

    # The largest `since` taken still opens the socket, and 0 replays the log.
    for since in (LARGEST_SINCE, 0):
        status, body, opened = live(stack, account, token, f"?since={since}")
        assert status == 101, (since, status, body)
        if since == 0:
            assert json.loads(opened.recv())["seq"] == 1, "since=0 replays the log from its first event"
        opened.close()
    assert process.poll() is None and serving(stack.service)


# 2. Webhook amplification.

def test_a_flood_of_unknown_subscriptions_leaves_graph_within_its_budget(node, owner):
    """Item 2: while 64 clients at a time post 1,000 notifications of unknown subscriptions each, Graph's real
    deliveries for a known subscription are answered 202 with a p99 under 3 s; each flood POST is counted."""
    account = owner[0]
    subscription, client_state = str(uuid.uuid4()), secrets.token_urlsafe(24)
    with redis() as server:
        key = f"{node.settings['REDIS_PREFIX']}subscription:{subscription}"
        secret = base64.b64encode(hashlib.sha256(client_state.encode()).digest()).decode()
        server.call("HSET", key, "account", account, "secret", secret)
        server.call("EXPIRE", key, 3600)

    stop = threading.Event()
    flood_answers = []

    def deliver(body):
        """Posts notifications like Graph: answers (status, parsed body), or (None, the error) without an answer."""
        try:
            return request("POST", f"{node.service}/webhooks/graph", body)
        except OSError as error:
            return None, repr(error)

    def flood():
        while not stop.is_set():
            status, answer = deliver({"value": [notification(str(uuid.uuid4()), "x", "m") for _ in range(1000)]})
            flood_answers.append((status, answer.get("unknownSubscription") if isinstance(answer, dict) else answer))

    flooders = [threading.Thread(target=flood) for _ in range(64)]
    for flooder in flooders:
        flooder.start()
    latencies, refused = [], []
    try:
        started = time.monotonic()
        while (time.monotonic() - started < 5 or len(latencies) < 20) and time.monotonic() - started < 60:
            sent = time.monotonic()
            status, answer = deliver({"value": [notification(subscription, client_state, f"legit-{len(latencies)}")]})
            latencies.append(time.monotonic() - sent)
            if status != 202 or answer.get("accepted") != 1:
                refused.append((status, answer))
    finally:
        stop.set()
        for flooder in flooders:
            flooder.join()
    p50, p99 = percentile(latencies, 50), percentile(latencies, 99)
    figures = f"{len(latencies)} deliveries under {len(flood_answers)} flood POSTs: p50 {p50:.3f} s, p99 {p99:.3f} s"
    print(figures)
    assert not refused, f"real deliveries not accepted: {refused[:3]}; {figures}"
    assert p99 < GRAPH_DELIVERY_BUDGET, figures
    assert flood_answers and all(answer == (202, 1000) for answer in flood_answers), \
        f"flood POSTs not answered 202 with unknownSubscription 1000: {[a for a in flood_answers if a != (202, 1000)][:3]}"


# 3. Account creation.

def test_account_creation_is_limited_per_client_whatever_x_forwarded_for_says(stack_with):
    """Item 3: past ACCOUNTS_PER_CLIENT_PER_HOUR accounts a client gets 429 with Retry-After; without trusted
    proxies a forged X-Forwarded-For is not believed, so it does not reset the count."""
    stack = stack_with(ACCOUNTS_PER_CLIENT_PER_HOUR=3)
    for _ in range(3):
        stack.create_account()
    for forged in ({}, {"X-Forwarded-For": "203.0.113.7"}, {"X-Forwarded-For": "203.0.113.8, 198.51.100.1"}):
        status, headers, body = exchange("POST", f"{stack.service}/api/accounts", {"provider": "outlook"}, forged)
        assert is_json_error(429, body), (forged, status, body)
        assert (headers.get("Retry-After") or "").isdigit() and int(headers["Retry-After"]) > 0, headers.get("Retry-After")


def test_behind_a_trusted_proxy_each_forwarded_client_is_counted_apart(stack_with):
    """Item 3: with TRUSTED_PROXIES naming the proxy, X-Forwarded-For names the client: each client has its own
    count, and one over the limit does not hold up another."""
    stack = stack_with(ACCOUNTS_PER_CLIENT_PER_HOUR=2, TRUSTED_PROXIES="127.0.0.1")

    def create(client):
        return exchange("POST", f"{stack.service}/api/accounts", {"provider": "outlook"}, {"X-Forwarded-For": client})

    assert [create("203.0.113.1")[0] for _ in range(2)] == [201, 201]
    status, headers, body = create("203.0.113.1")
    assert is_json_error(429, body) and headers.get("Retry-After"), (status, body)
    assert [create("203.0.113.2")[0] for _ in range(2)] == [201, 201], "another client has a count of its own"


def test_an_account_left_pending_is_removed_after_its_ttl(stack_with):
    """Item 3: an account still `pending` PENDING_ACCOUNT_TTL_SECONDS after its creation is removed; one linked in
    time stays."""
    stack = stack_with(PENDING_ACCOUNT_TTL_SECONDS=2)
    stack.create_mailbox("keeps@outlook.com", "Kim Keeps", 3, 12)
    created, _ = stack.create_account()
    assert stack.account(created["id"], created["token"])[1]["status"] == "pending"
    linked, token = stack.link_over_http("keeps@outlook.com")
    wait_until(lambda: stack.account(created["id"], created["token"])[0] == 404, 20, "the pending account is removed")
    status, body = stack.account(linked, token)
    assert status == 200 and body["status"] != "pending", body


# 4. Search stays inside the account.

def test_a_search_never_finds_another_accounts_mail(node, owner):
    """Item 4: a word only the first account's mail holds is found by its search, and by no other account's."""
    account, token, mailbox = owner
    word = f"zyzzyva{secrets.token_hex(4)}"
    node.deliver(mailbox, f"The {word} report", "Sam Secret", "sam@example.com")

    def found(who, credential):
        status, body = request("GET", f"{node.service}/api/accounts/{who}/messages?q={word}", headers=bearer(credential))
        assert status == 200, body
        return [message["subject"] for message in body["messages"]]

    wait_until(lambda: found(account, token), 20, "the first account finds its own mail")
    node.create_mailbox("other@outlook.com", "Otto Other", 5, 13)
    other, other_token = node.link_over_http("other@outlook.com")
    assert found(other, other_token) == [], "another account's search finds none of the first's mail"


# 5. Live sockets and idle connections.

def test_a_ninth_socket_of_one_account_is_refused(node):
    """Item 5: at most WEBSOCKETS_PER_ACCOUNT (8) open sockets per account; the next is refused 429 while another
    account still gets its own, and a closed socket frees its place."""
    created, _ = node.create_account()
    others, _ = node.create_account()
    opened = []
    try:
        for _ in range(8):
            status, body, socket_ = live(node, created["id"], created["token"])
            assert status == 101, (status, body)
            opened.append(socket_)
        status, body, refused = live(node, created["id"], created["token"])
        if refused:
            opened.append(refused)
        assert is_json_error(429, body), (status, body)
        status, body, other = live(node, others["id"], others["token"])
        assert status == 101, "another account is not limited by the first's sockets"
        opened.append(other)
        opened.pop(0).close()

        def reopened():
            status, _, socket_ = live(node, created["id"], created["token"])
            if socket_:
                opened.append(socket_)
            return status == 101

        wait_until(reopened, 10, "a closed socket frees its place")
    finally:
        for socket_ in opened:
            socket_.close()


def test_a_socket_from_a_foreign_origin_is_refused(node):
    """Item 5: a page of another origin cannot open an account's socket with the browser's cookie (cross-site
    WebSocket hijacking): 403; the service's own origin and no Origin at all are let in."""
    created, _ = node.create_account()
    for origin in ("http://evil.example", "null", node.service.replace("127.0.0.1", "localhost"), node.service + ".evil.example"):
        status, body, opened = live(node, created["id"], created["token"], origin=origin)
        if opened:
            opened.close()
        assert is_json_error(403, body), (origin, status, body)
    for origin in (node.service, None):
        status, body, opened = live(node, created["id"], created["token"], origin=origin)
        assert status == 101, (origin, status, body)
        opened.close()


def test_deleting_an_account_closes_its_sockets(node):
    """Item 5: once the account is deleted its open sockets are closed: a deleted account streams nothing more."""
    created, _ = node.create_account()
    opened = [live(node, created["id"], created["token"])[2] for _ in range(2)]
    try:
        assert all(opened), "the sockets open"
        assert request("DELETE", f"{node.service}/api/accounts/{created['id']}", headers=bearer(created["token"]))[0] == 204
        for socket_ in opened:
            wait_until(lambda: closed_by_server(socket_), 5, "the server closes the deleted account's socket")
    finally:
        for socket_ in opened:
            if socket_:
                socket_.close()


def test_a_half_sent_request_is_closed_after_the_idle_timeout(stack_with):
    """Item 5: a connection that sends part of a request and then nothing (slowloris) is closed after
    HTTP_IDLE_TIMEOUT_SECONDS, not held open for ever."""
    stack = stack_with(HTTP_IDLE_TIMEOUT_SECONDS=2)
    port = int(stack.service.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        connection.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")
        connection.settimeout(0.2)
        sent = time.monotonic()

        def closed():
            try:
                return connection.recv(4096) == b""
            except TimeoutError:
                return False
            except ConnectionError:
                return True

        wait_until(closed, 15, "the server closes the idle connection")
        assert time.monotonic() - sent >= 1, "closed for idling, not at once"
    assert serving(stack.service)


def test_a_trickled_body_gets_408_after_the_idle_timeout(stack_with):
    """Item 5: a body sent a byte at a time (each byte resetting the connection's idle timer) is answered 408 with a
    JSON error once HTTP_IDLE_TIMEOUT_SECONDS have passed since it began, rather than holding the connection."""
    stack = stack_with(HTTP_IDLE_TIMEOUT_SECONDS=2)
    port = int(stack.service.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=15) as connection:
        connection.sendall(b"POST /api/accounts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n")
        answered = threading.Event()

        def trickle():
            while not answered.wait(0.5):
                with contextlib.suppress(OSError):
                    connection.sendall(b" ")

        trickler = threading.Thread(target=trickle)
        trickler.start()
        try:
            reply = http.client.HTTPResponse(connection)
            reply.begin()
            status, body = reply.status, parsed(reply.read())
        finally:
            answered.set()
            trickler.join()
        assert status == 408 and is_json_error(408, body), (status, body)
    assert serving(stack.service)


# 6. Login CSRF.

def cookie_attributes(headers, name):
    """The attributes of the cookie `name` an answer sets, lowercased names to values (None when not set)."""
    for field in headers.get_all("Set-Cookie") or []:
        pair, *attributes = [part.strip() for part in field.split(";")]
        if pair.split("=", 1)[0] == name:
            return {attribute.split("=", 1)[0].lower(): (attribute.split("=", 1) + [""])[1] for attribute in attributes}
    return None


def binding_cookie(account, secure=False):
    return ("__Host-" if secure else "") + "mailpulse_login_" + account.replace("-", "")


def test_creating_an_account_sets_an_httponly_binding_cookie_and_asks_to_pick_the_mailbox(node):
    """Item 6: the browser that creates an account gets its binding cookie (HttpOnly, SameSite=Lax, Path=/), and the
    provider is asked to let the user pick the mailbox rather than reuse a signed-in one."""
    status, headers, created = exchange("POST", f"{node.service}/api/accounts", {"provider": "outlook"})
    assert status == 201 and {"id", "token", "loginUrl"} <= set(created), created
    attributes = cookie_attributes(headers, binding_cookie(created["id"]))
    assert attributes is not None, headers.get_all("Set-Cookie")
    assert "httponly" in attributes and attributes.get("samesite", "").lower() == "lax" and attributes.get("path") == "/", attributes
    assert query_of(created["loginUrl"]).get("prompt") == ["select_account"], created["loginUrl"]


def test_a_sign_in_finished_in_another_browser_links_nothing(node):
    """Item 6: the attacker creates an account and sends its sign-in link to a victim; the victim's browser (without
    the binding cookie, or with another account's) comes back to a 400 page that says the sign-in was not started
    there, and the account stays pending with no mailbox. The same sign-in with the cookie links."""
    node.create_mailbox("victim@outlook.com", "Vic Victim", 4, 14)
    _, someone_elses = node.create_account()
    for cookies in ({}, someone_elses):
        created, _ = node.create_account()
        back = location(created["loginUrl"] + "&login_hint=victim%40outlook.com")
        assert back and "code=" in back, back
        status, headers, page = exchange("GET", back, headers=cookie_header(cookies))
        assert status == 400 and "text/html" in headers.get("Content-Type", ""), (status, page)
        assert 'id="reason"' in page and "browser" in page.split('id="reason"', 1)[1].split("</p>", 1)[0].lower(), page
        status, account = node.account(created["id"], created["token"])
        assert status == 200 and account["status"] == "pending" and not account.get("identity"), account

    linked, cookies = node.create_account()
    assert "status=linked" in node.sign_in(linked["loginUrl"], "victim@outlook.com", cookies)
    assert node.account(linked["id"], linked["token"])[1]["identity"]["address"] == "victim@outlook.com"


def test_with_an_admin_key_only_the_admin_creates_accounts_and_each_start_link_works_once(stack_with):
    """Item 6: with ADMIN_API_KEY, creating an account needs the key (401 without); the admin gets a one-time start
    link on the service, which sets the binding cookie in the user's browser and sends it to the provider; the
    sign-in then links, and the start link does not work twice."""
    admin_key = secrets.token_urlsafe(24)
    stack = stack_with(ADMIN_API_KEY=admin_key)
    stack.create_mailbox("user@outlook.com", "Uma User", 3, 15)
    status, body = request("POST", f"{stack.service}/api/accounts", {"provider": "outlook"})
    assert is_json_error(401, body), (status, body)
    for credentials in ({"Authorization": "Bearer nope"}, {"X-Admin-Key": "nope"}):
        status, body = request("POST", f"{stack.service}/api/accounts", {"provider": "outlook"}, credentials)
        assert status in (401, 403) and is_json_error(status, body), (credentials, status, body)

    status, created = request("POST", f"{stack.service}/api/accounts", {"provider": "outlook"}, {"X-Admin-Key": admin_key})
    assert status == 201, created
    status, created = request("POST", f"{stack.service}/api/accounts", {"provider": "outlook"}, bearer(admin_key))
    assert status == 201 and created["startUrl"].startswith(f"{stack.service}/") and created["loginUrl"] == created["startUrl"], created

    status, headers, _ = exchange("GET", created["startUrl"])
    assert status == 302 and headers["Location"].startswith(f"{stack.simulator}/"), (status, headers.get("Location"))
    cookies = set_cookies(headers)
    assert binding_cookie(created["id"]) in cookies, headers.get_all("Set-Cookie")
    assert "status=linked" in stack.sign_in(headers["Location"], "user@outlook.com", cookies)
    assert stack.account(created["id"], created["token"])[1]["identity"]["address"] == "user@outlook.com"

    status, headers, page = exchange("GET", created["startUrl"])
    assert status == 400 and "text/html" in headers.get("Content-Type", ""), (status, page)


# 7. Open redirect.

def test_a_callback_url_off_the_allowed_origins_is_refused(node, owner):
    """Item 7: a callbackUrl that a browser could read as another host (credentials, a backslash, control
    characters), another scheme or another origin is refused 400, on creation and on relink."""
    host = node.service.removeprefix("http://")
    refused = [f"http://evil.example\\@{host}/", f"http://evil.example\\\\@{host}/", f"http://user@{host}/",
               f"http://user:pass@{host}/", f"http://{host}@evil.example/", f"http://{host}/da\tta.html",
               f"http://{host}/data.html\n", f"http://{host}/\r\nSet-Cookie: x=1", f"http://{host}/\x00", f"http://{host}/\x7f",
               f"http://{host}\t.evil.example/", "javascript:alert(1)", f"javascript://{host}/%0aalert(1)", "//evil.example/",
               "http://evil.example/", f"https://{host}/", f"http://{host}.evil.example/", "data:text/html,<script>", "/\\evil.example"]
    account, token, _ = owner
    for callback in refused:
        status, body = request("POST", f"{node.service}/api/accounts", {"provider": "outlook", "callbackUrl": callback})
        assert is_json_error(400, body), (callback, status, body)
        status, body = request("POST", f"{node.service}/api/accounts/{account}/relink", {"callbackUrl": callback}, bearer(token))
        assert is_json_error(400, body), ("relink", callback, status, body)


def test_an_allowed_callback_url_is_where_the_sign_in_ends(node):
    """Item 7: an allowed callbackUrl is taken, and the sign-in's last redirect goes exactly there."""
    node.create_mailbox("allowed@outlook.com", "Al Allowed", 3, 16)
    callback = f"{node.service}/data.html?x=1"
    created, cookies = node.create_account(callbackUrl=callback)
    back = node.sign_in(created["loginUrl"], "allowed@outlook.com", cookies)
    assert back and back.startswith(f"{callback}&") and urlsplit(back).netloc == urlsplit(node.service).netloc, back
    assert query_of(back)["status"] == ["linked"], back


# 8. Relink to another mailbox.

def test_relinking_to_another_mailbox_is_refused_and_keeps_the_data(node):
    """Item 8: a relink that signs in to another mailbox ends with error=mailbox_mismatch; the account keeps its
    mailbox and its mail. A relink to the same mailbox links again."""
    first = node.create_mailbox("first@outlook.com", "Fay First", 6, 17)
    second = node.create_mailbox("second@outlook.com", "Sol Second", 6, 18)
    account, token = node.link_over_http("first@outlook.com")

    def relink():
        status, headers, body = exchange("POST", f"{node.service}/api/accounts/{account}/relink", None, bearer(token))
        assert status == 200 and body.get("loginUrl"), (status, body)
        cookies = set_cookies(headers)
        assert binding_cookie(account) in cookies, "a fresh binding cookie for the relink"
        return body["loginUrl"], cookies

    login_url, cookies = relink()
    back = node.sign_in(login_url, "second@outlook.com", cookies)
    assert query_of(back).get("status") == ["error"] and query_of(back).get("error") == ["mailbox_mismatch"], back
    status, body = node.account(account, token)
    assert status == 200 and body["identity"]["address"] == "first@outlook.com", body
    status, page = request("GET", f"{node.service}/api/accounts/{account}/messages?limit=200", headers=bearer(token))
    shown = {message["id"] for message in page["messages"]}
    assert shown and shown <= {message["id"] for message in node.truth(first)["messages"]}, "only the first mailbox's mail"
    assert not shown & {message["id"] for message in node.truth(second)["messages"]}

    login_url, cookies = relink()
    assert query_of(node.sign_in(login_url, "first@outlook.com", cookies)).get("status") == ["linked"]


# 10. The token key file.

def test_a_token_key_file_readable_by_others_stops_the_start(stack_with):
    """Item 10: a key file other users can read (0644) is refused: the start fails and says why."""
    stack = stack_with(start=False)
    key_file = Path(stack.settings["TOKEN_KEY_FILE"])
    key_file.write_text(base64.b64encode(secrets.token_bytes(32)).decode() + "\n")
    key_file.chmod(0o644)
    exit_code = stack.mailpulse.launch(stack.service)
    output = stack.mailpulse.log.read_text()
    assert exit_code not in (None, 0), f"served with a key file of mode 0644:\n{output[-2000:]}"
    assert str(key_file) in output or "TOKEN_KEY_FILE" in output, output[-2000:]


def test_a_new_token_key_file_is_readable_by_its_owner_only(node):
    """Item 10: the key the service generates is written with mode 0600."""
    assert stat.S_IMODE(Path(node.settings["TOKEN_KEY_FILE"]).stat().st_mode) == 0o600


# 11. Logs.

def test_the_log_holds_no_oauth_code_or_state_and_no_forged_line(node):
    """Item 11: after a sign-in and a callback whose `error` carries a newline, the log holds neither the code nor
    the state, and no line begins with the text after the newline."""
    node.create_mailbox("logged@outlook.com", "Lou Logged", 3, 19)
    created, cookies = node.create_account()
    back = location(created["loginUrl"] + "&login_hint=logged%40outlook.com")
    assert "status=linked" in location(back, headers=cookie_header(cookies))
    secrets_seen = [query_of(back)["code"][0], query_of(back)["state"][0]]

    forged, forged_cookies = node.create_account()
    secrets_seen.append(query_of(forged["loginUrl"])["state"][0])
    status, headers, _ = exchange("GET", f"{node.service}/oauth/callback?state={secrets_seen[-1]}&error=bad%0Ainjected%20line",
                                  headers=cookie_header(forged_cookies))
    assert status in (302, 400), status

    log = node.mailpulse.log
    wait_until(lambda: created["id"] in log.read_text() and forged["id"] in log.read_text(), 10, "the log has the sign-ins")
    text = log.read_text()
    assert not [secret for secret in secrets_seen if secret in text], "an OAuth code or state is in the log"
    assert not [line for line in text.splitlines() if line.startswith("injected line")], "a query parameter forged a log line"


def test_a_bad_redis_url_stops_the_start_without_printing_its_password(stack_with):
    """Item 11: a REDIS_URL the service cannot use is named in the error, its password is not."""
    stack = stack_with(start=False, REDIS_URL="redis://:supersecret@127.0.0.1:notaport")
    exit_code = stack.mailpulse.launch(stack.service)
    output = stack.mailpulse.log.read_text()
    assert exit_code not in (None, 0) and "REDIS_URL" in output, output[-2000:]
    assert "supersecret" not in output, output[-2000:]


# 12. Headers.

def test_every_answer_says_nosniff_and_the_pages_refuse_framing(node, owner):
    """Item 12: every answer, error or not, has X-Content-Type-Options: nosniff (the webhook handshake echoes its
    input as text); the pages have a CSP with frame-ancestors 'none' and default-src 'self' (clickjacking)."""
    account, token, _ = owner
    calls = [("GET", "/", None, {}), ("GET", "/data.html", None, {}), ("GET", "/api.html", None, {}),
             ("GET", "/openapi.yaml", None, {}), ("GET", "/app.css", None, {}), ("GET", "/health", None, {}),
             ("GET", "/ready", None, {}), ("GET", "/metrics", None, {}), ("GET", "/nowhere", None, {}),
             ("GET", f"/api/accounts/{account}", None, bearer(token)), ("GET", f"/api/accounts/{account}", None, {}),
             ("GET", f"/api/accounts/{account}/messages?limit=-1", None, bearer(token)),
             ("POST", "/api/accounts", {"provider": "outlook"}, {}), ("POST", "/api/accounts", b"{", {}),
             ("GET", "/oauth/callback?state=unknown", None, {}),
             ("POST", "/webhooks/graph?validationToken=%3Cscript%3Ealert(1)%3C%2Fscript%3E", None, {}),
             ("POST", "/webhooks/graph", {"value": []}, {})]
    missing = []
    for method, path, body, headers in calls:
        status, answered, _ = exchange(method, f"{node.service}{path}", body, headers)
        if answered.get("X-Content-Type-Options", "").lower() != "nosniff":
            missing.append((method, path, status))
    assert not missing, f"no X-Content-Type-Options: nosniff on {missing}"
    for page in ("/", "/data.html"):
        policy = exchange("GET", f"{node.service}{page}")[1].get("Content-Security-Policy", "")
        assert "frame-ancestors 'none'" in policy and "default-src 'self'" in policy, (page, policy)


def test_behind_https_the_cookies_are_secure_and_host_prefixed(stack_with):
    """Item 12: with an https PUBLIC_URL every cookie is Secure, named __Host- (so no sibling domain can plant or
    shadow it), with Path=/ and no Domain."""
    stack = stack_with(PUBLIC_URL="https://mail.example.com", ALLOWED_CALLBACK_ORIGINS="https://mail.example.com")
    status, headers, created = exchange("POST", f"{stack.service}/api/accounts", {"provider": "outlook"})
    assert status == 201, created
    fields = headers.get_all("Set-Cookie") or []
    assert binding_cookie(created["id"], secure=True) in set_cookies(headers), fields
    for name in set_cookies(headers):
        attributes = cookie_attributes(headers, name)
        assert name.startswith("__Host-") and "secure" in attributes and attributes.get("path") == "/" \
            and "domain" not in attributes, fields


# 13. Deletion.

def traces(stack, account):
    """Where the account is still named: SQLite rows (table: count) and Redis keys (by name or by content). The
    inverted index of a full-text table (its `_data` and `_idx` shadow tables) is left out: deleted terms stay in its
    segments until SQLite merges them."""
    needles = {account.lower(), account.replace("-", "").lower()}
    found = {}
    with contextlib.closing(sqlite3.connect(f"file:{stack.settings['SQLITE_PATH']}?mode=ro", uri=True)) as database:
        schema = database.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall()
        indexes = {f"{name}_{part}" for name, sql in schema if "using fts5" in (sql or "").lower() for part in ("data", "idx")}
        for table in (name for name, _ in schema if name not in indexes):
            rows = database.execute(f'SELECT * FROM "{table}"').fetchall()
            hits = sum(1 for row in rows if any(needle in flatten(list(row)).decode(errors="replace").lower() for needle in needles))
            if hits:
                found[f"sqlite {table}"] = hits
    with redis() as server:
        for key in server.keys(stack.settings["REDIS_PREFIX"]):
            named = any(needle in key.decode(errors="replace").lower() for needle in needles)
            held = any(needle.encode() in server.contents(key).lower() for needle in needles)
            if named or held:
                found[f"redis {key.decode(errors='replace')}"] = "name" if named else "value"
    return found


def test_a_deleted_account_leaves_no_trace_in_sqlite_or_redis(node):
    """Item 13: after DELETE, no SQLite table has a row naming the account and no Redis key under the prefix names
    it or holds its id (tokens, events, subscription, sync state, queue entries)."""
    mailbox = node.create_mailbox("leaving@outlook.com", "Lee Leaving", 8, 20)
    account, token = node.link_over_http("leaving@outlook.com")
    arrived = node.deliver(mailbox, "One more before leaving", "Pat Post", "pat@example.com")

    def listed():
        return arrived in {message["id"] for message in
                           request("GET", f"{node.service}/api/accounts/{account}/messages", headers=bearer(token))[1]["messages"]}

    wait_until(listed, 20, "a notified message is stored")
    assert traces(node, account), "the account is stored before its deletion"
    assert request("DELETE", f"{node.service}/api/accounts/{account}", headers=bearer(token))[0] == 204
    assert node.account(account, token)[0] in (401, 404)
    try:
        wait_until(lambda: not traces(node, account), 10, "the account's traces are removed")
    except AssertionError as late:
        raise AssertionError(f"{late}: {traces(node, account)}") from None


# Bad input.

def malformed_requests(stack, account, token):
    """(method, target, body, headers) of a few hundred requests no route should take: wrong types and methods,
    huge and negative numbers, empty, huge and deeply nested bodies, invalid UTF-8, unknown ids, bad cursors."""
    auth = bearer(token)
    unknown = str(uuid.uuid4())
    port = stack.service.rsplit(":", 1)[1]
    ids = [unknown, "not-a-uuid", "0", "-1", "99999999999999999999", "%00", "%FF%FE", "..%2F..%2Fetc%2Fpasswd",
           "x" * 4000, account.upper(), account + "%00"]
    bodies = [b"", b"null", b"[]", b'"outlook"', b"1", b"{", b"{}", b'{"provider":1}', b'{"provider":null}',
              b'{"provider":["outlook"]}', b'{"provider":"outlook","callbackUrl":1}',
              b'{"provider":"outlook","callbackUrl":"' + b"x" * 5000 + b'"}', b'{"provider":"\xff\xfe"}',
              b'{"provider":"outlook","callbackUrl":"http://127.0.0.1:' + port.encode() + b'/\xc3\x28"}',
              b'{"provider":1e999999}', b'{"provider":-99999999999999999999999}', b"[" * 10000 + b"]" * 10000,
              b'{"a":' * 10000 + b"1" + b"}" * 10000, b"\xff\xfe\xfd", b"\x00" * 64]
    webhook_bodies = bodies + [b'{"value":null}', b'{"value":{}}', b'{"value":[1,2,3]}', b'{"value":[{"subscriptionId":1}]}',
                               b'{"value":[{"subscriptionId":"' + b"x" * 100000 + b'","clientState":"x","changeType":"updated"}]}',
                               json.dumps({"value": [notification("s", "x", "m")] * 1001}).encode(),
                               b'{"value":[' + b",".join([b"[" * 2000 + b"]" * 2000] * 5) + b"]}"]
    huge = b"x" * (10 * 1024 * 1024)
    requests_ = []
    # Every documented route, with every method.
    paths = ["/health", "/ready", "/metrics", "/openapi.yaml", "/api/accounts", f"/api/accounts/{account}",
             f"/api/accounts/{account}/relink", f"/api/accounts/{account}/mailboxes", f"/api/accounts/{account}/messages",
             f"/api/accounts/{account}/events", f"/api/accounts/{account}/live", "/oauth/callback", "/webhooks/graph",
             "/webhooks/graph/lifecycle"]
    for path in paths:
        for method in ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"):
            requests_.append((method, path, b"", auth))
    # Ids and credentials.
    for id_ in ids:
        for method, suffix in (("GET", ""), ("DELETE", ""), ("POST", "/relink"), ("GET", "/mailboxes"), ("GET", "/messages"),
                               ("GET", "/events"), ("GET", "/live")):
            requests_.append((method, f"/api/accounts/{id_}{suffix}", b"", auth))
    for credentials in ({}, {"Authorization": "Bearer"}, {"Authorization": "Bearer " + "x" * 8000}, {"Authorization": "Basic Zm9vOmJhcg=="},
                        {"Authorization": "bearer  "}, {"Cookie": f"mailpulse_{account.replace('-', '')}=garbage"},
                        {"Cookie": "mailpulse_=; =; ;;"}, {"Authorization": "Bearer " + token + "x"}):
        requests_.append(("GET", f"/api/accounts/{account}", b"", credentials))
        requests_.append(("GET", f"/api/accounts/{account}/messages", b"", credentials))
    # Page queries.
    for value in ("-1", "0", "201", "1e99", "99999999999999999999", "-99999999999999999999", "abc", "", "1.5", "%00", "%FF%FE", "0x10"):
        requests_.append(("GET", f"/api/accounts/{account}/messages?limit={value}", b"", auth))
    for cursor in ("garbage", "%FF%FE", "A" * 5000, base64.b64encode(b'{"t":-1,"id":null}').decode(), "null", "-1", "%00",
                   base64.urlsafe_b64encode(b"\xff" * 40).decode(), base64.b64encode(b"99999999999999999999|x").decode(), "===="):
        requests_.append(("GET", f"/api/accounts/{account}/messages?cursor={quote(cursor, safe='%')}", b"", auth))
    for text in ('"', "*", "NEAR(a b)", "a OR", "x" * 300, "%FF%FE", "-", "^", "a:b", "subject:x", "(", ")", "AND", "'; DROP TABLE messages; --",
                 "%00", "%22%22%22", "a" * 5000):
        requests_.append(("GET", f"/api/accounts/{account}/messages?q={quote(text, safe='%')}", b"", auth))
    for mailbox in ("%00", "x" * 5000, "%27%20OR%201%3D1%20--", "%FF%FE", ""):
        requests_.append(("GET", f"/api/accounts/{account}/messages?mailbox={mailbox}", b"", auth))
    for query in ("since=abc", "since=-1", "since=99999999999999999999"):
        requests_.append(("GET", f"/api/accounts/{account}/events?{query}", b"", auth))
        requests_.append(("GET", f"/api/accounts/{account}/live?{query}", b"", auth))
    requests_.append(("GET", f"/api/accounts/{account}/messages?limit=1&limit=2&cursor=a&cursor=b", b"", auth))
    # Bodies.
    for body in bodies:
        requests_.append(("POST", "/api/accounts", body, {}))
        requests_.append(("POST", f"/api/accounts/{account}/relink", body, auth))
    requests_.append(("POST", "/api/accounts", b'{"provider":"outlook"}', {"Content-Type": "text/plain"}))
    for path in ("/webhooks/graph", "/webhooks/graph/lifecycle"):
        for body in webhook_bodies:
            requests_.append(("POST", path, body, {}))
        for token_ in ("%FF%FE", "%", "%%", "%00", "x" * 8000, ""):
            requests_.append(("POST", f"{path}?validationToken={token_}", b"", {}))
    for path in ("/api/accounts", f"/api/accounts/{account}/relink", "/webhooks/graph"):
        requests_.append(("POST", path, huge, auth))
    # The OAuth callback.
    for query in ("", "state=", "state=" + "x" * 8000, "state=%00", "state=%FF%FE", "code=x", "error=x", "state=unknown&error=%0A",
                  "state=a&state=b", "code=" + "x" * 8000 + "&state=y", "%FF=%FE"):
        requests_.append(("GET", f"/oauth/callback?{query}", b"", {}))
    # Raw bytes: invalid UTF-8 in the target, paths out of the web folder.
    for target in (b"/api/accounts/\xff\xfe", b"/api/accounts/" + account.encode() + b"/messages?q=\xff\xfe", b"/\xc3\x28",
                   b"/oauth/callback?state=\xff", b"/webhooks/graph?validationToken=\xff", b"/../../etc/passwd",
                   b"/%2e%2e/%2e%2e/etc/passwd", b"/..%2F..%2FPackage.swift", b"//etc/passwd", b"/data.html%00.js"):
        requests_.append(("GET", target, b"", auth))
    return requests_


def test_malformed_requests_get_json_client_errors_and_the_node_lives(stack_with):
    """Done-when (bad input), across items 1–13: every malformed request on every route gets an answer under 500, a
    4xx comes as the JSON error (the OAuth callback's pages excepted: HTML by design), and the same process answers
    /health afterwards."""
    stack = stack_with()
    created, _ = stack.create_account()
    process = stack.mailpulse.child
    host = stack.service.removeprefix("http://").encode()

    def send(call):
        method, target, body, headers = call
        target = target if isinstance(target, bytes) else target.encode()
        head = b"%s %s HTTP/1.1\r\nHost: %s\r\n" % (method.encode(), target, host)
        head += b"".join(f"{name}: {value}\r\n".encode() for name, value in {"Content-Type": "application/json", **headers}.items())
        status, answered, answer = raw_exchange(stack, head, body)
        if status is None:
            return f"no answer: {answer}"
        if status >= 500:
            return f"{status}: {str(answer)[:200]}"
        if 400 <= status < 500 and not target.startswith(b"/oauth/callback") and not is_json_error(status, answer):
            return f"{status} without a JSON error: {answered.get('Content-Type')} {str(answer)[:120]!r}"
        return None

    calls = malformed_requests(stack, created["id"], created["token"])
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(send, calls))
    wrong = [(call[0], (call[1] if isinstance(call[1], bytes) else call[1].encode())[:100], outcome)
             for call, outcome in zip(calls, outcomes) if outcome]
    print(f"{len(calls)} malformed requests, {len(wrong)} wrong answers")
    assert process.poll() is None and serving(stack.service), f"the node died; wrong answers: {wrong[:10]}"
    assert not wrong, f"{len(wrong)} of {len(calls)} wrong: " + "\n".join(map(str, wrong[:25]))
