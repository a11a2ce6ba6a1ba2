"""The real parts the system tests drive: graph-sim and `mailpulse serve` as processes on free ports (sharing the
redis-server `make test` started), and headless Chromium through Selenium with Debian's chromedriver."""

import json
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = Path(__file__).resolve().parents[2]
BUILD = Path(os.environ.get("MAILPULSE_BUILD", ROOT / ".build" / "debug"))
CLIENT_ID = "11111111-2222-3333-4444-555555555555"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def exchange(method, url, body=None, headers=None):
    """Sends JSON (bytes as they are) and follows no redirect; answers (status, headers, parsed JSON or text)."""
    data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
    call = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.build_opener(NoRedirects).open(call, timeout=20) as reply:
            return reply.status, reply.headers, parsed(reply.read())
    except urllib.error.HTTPError as error:
        return error.code, error.headers, parsed(error.read())


def parsed(body):
    """A body (bytes) as JSON, or as text when it is not JSON."""
    text = (body or b"").decode(errors="replace")
    try:
        return json.loads(text)
    except ValueError:
        return text


def request(method, url, body=None, headers=None):
    """Sends JSON; answers (status, parsed JSON or text)."""
    status, _, answer = exchange(method, url, body, headers)
    return status, answer


def location(url, headers=None):
    """The Location a GET answers with (a redirect is not followed)."""
    return exchange("GET", url, headers=headers)[1].get("Location")


def set_cookies(headers):
    """The cookies an answer sets, by name (their attributes left out)."""
    named = (field.split(";", 1)[0].split("=", 1) for field in headers.get_all("Set-Cookie") or [])
    return {pair[0].strip(): pair[1].strip() for pair in named if len(pair) == 2}


def cookie_header(cookies):
    """A Cookie request header carrying `cookies` back, as a browser would."""
    return {"Cookie": "; ".join(f"{name}={value}" for name, value in cookies.items())} if cookies else {}


def wait_until(condition, timeout, message):
    """Polls `condition` until it answers something truthy, for at most `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"{message} (within {timeout} s)")


def serving(url):
    try:
        return request("GET", f"{url}/health")[0] == 200
    except OSError:
        return False


class Process:
    """A child process with its output in a log file; stopped with SIGTERM, then SIGKILL."""

    def __init__(self, name, command, environment, workdir):
        self.name, self.command, self.environment = name, command, environment
        self.log = Path(workdir) / f"{name}.log"
        self.child = None

    def launch(self, url):
        """Starts the process and waits until it serves or exits: answers its exit code, or None while it serves."""
        with open(self.log, "ab") as log:
            self.child = subprocess.Popen(self.command, env=self.environment, stdout=log, stderr=log, cwd=ROOT, start_new_session=True)
        wait_until(lambda: serving(url) or self.child.poll() is not None, 30, f"{self.name} did not start")
        return self.child.poll()

    def start(self, url):
        if self.launch(url) is not None:
            raise AssertionError(f"{self.name} exited with {self.child.returncode}:\n{self.log.read_text()[-4000:]}")

    def stop(self):
        if self.child and self.child.poll() is None:
            self.child.terminate()
            try:
                self.child.wait(10)
            except subprocess.TimeoutExpired:
                self.child.kill()
                self.child.wait()


class Stack:
    """graph-sim and one Mailpulse node, with the control API's calls as methods. `environment` adds to (or
    overrides) the node's settings."""

    def __init__(self, workdir, environment=None):
        redis_url = os.environ.get("REDIS_URL")
        if not redis_url:
            pytest.skip("needs REDIS_URL (make test provides it)")
        self.simulator = f"http://127.0.0.1:{free_port()}"
        port = free_port()
        self.service = f"http://127.0.0.1:{port}"
        self.graph_sim = Process(
            "graph-sim",
            [str(BUILD / "graph-sim"), "--port", self.simulator.rsplit(":", 1)[1], "--redirect-uri", f"{self.service}/oauth/callback",
             "--log-level", "warning"],
            dict(os.environ),
            workdir,
        )
        self.workdir = Path(workdir)
        settings = dict(os.environ)
        settings.update({
            "HTTP_PORT": str(port), "PUBLIC_URL": self.service, "REDIS_URL": redis_url,
            "REDIS_PREFIX": f"browser-{secrets.token_hex(4)}:", "SQLITE_PATH": str(self.workdir / "mailpulse.sqlite"),
            "TOKEN_KEY_FILE": str(self.workdir / "token.key"), "MS_CLIENT_ID": CLIENT_ID, "IDENTITY_BASE_URL": self.simulator,
            "GRAPH_BASE_URL": f"{self.simulator}/v1.0", "WEB_DIRECTORY": str(ROOT / "Web"), "SYNC_INTERVAL_SECONDS": "0",
            "BACKFILL_GAP_SECONDS": "0", "GRAPH_PAGE_SIZE": "50", "LOG_LEVEL": "info",
            # The OpenAPI test creates accounts by the hundred from one address.
            "ACCOUNTS_PER_CLIENT_PER_HOUR": "100000",
        })
        settings.update(environment or {})
        self.settings = settings
        self.mailpulse = Process("mailpulse", [str(BUILD / "mailpulse"), "serve", "--env-file", "/nonexistent/.env"], settings, workdir)

    def start(self):
        self.graph_sim.start(self.simulator)
        self.mailpulse.start(self.service)

    def restart_service(self):
        self.mailpulse.stop()
        self.mailpulse.start(self.service)

    def stop(self):
        self.mailpulse.stop()
        self.graph_sim.stop()

    # The service's API as a browser uses it.

    def create_account(self, **fields):
        """`POST /api/accounts` as a browser: answers the created account and the cookies the answer set."""
        status, headers, created = exchange("POST", f"{self.service}/api/accounts", {"provider": "outlook", **fields})
        assert status == 201, created
        return created, set_cookies(headers)

    def account(self, account, token):
        """`GET /api/accounts/{id}` with the account's token: answers (status, body)."""
        return request("GET", f"{self.service}/api/accounts/{account}", headers={"Authorization": f"Bearer {token}"})

    def sign_in(self, login_url, address, cookies):
        """Signs in at the provider as `address` (`login_hint`: no page clicked), then comes back to the service's
        callback with `cookies`, as the browser that started the sign-in: answers where the callback redirects."""
        back = location(login_url + f"&login_hint={quote(address)}")
        assert back and "code=" in back, back
        return location(back, headers=cookie_header(cookies))

    def link_over_http(self, address):
        """Links an account as a browser would, signing in with `login_hint` (no page clicked): answers id and token."""
        created, cookies = self.create_account()
        assert "status=linked" in (self.sign_in(created["loginUrl"], address, cookies) or ""), "the callback links the account"
        wait_until(lambda: self.account(created["id"], created["token"])[1].get("status") == "live", 60, f"{address} goes live")
        return created["id"], created["token"]

    # The simulator's control API: acting as the user in Outlook.

    def create_mailbox(self, address, name, messages, seed):
        status, body = request("POST", f"{self.simulator}/sim/mailboxes",
                               {"address": address, "displayName": name, "messages": messages, "seed": seed})
        assert status == 201, body
        return body["id"]

    def truth(self, mailbox):
        status, body = request("GET", f"{self.simulator}/sim/mailboxes/{mailbox}/state")
        assert status == 200, body
        return body

    def deliver(self, mailbox, subject, sender_name, sender_address, folder="inbox"):
        status, body = request("POST", f"{self.simulator}/sim/mailboxes/{mailbox}/messages",
                               {"folder": folder, "subject": subject, "from": {"name": sender_name, "address": sender_address}})
        assert status == 201, body
        return body["id"]

    def update(self, mailbox, message, **changes):
        status, body = request("PATCH", f"{self.simulator}/sim/mailboxes/{mailbox}/messages/{message}", changes)
        assert status == 200, body

    def move(self, mailbox, message, destination):
        status, body = request("POST", f"{self.simulator}/sim/mailboxes/{mailbox}/messages/{message}/move", {"destination": destination})
        assert status == 200, body

    def create_folder(self, mailbox, name, parent=None):
        status, body = request("POST", f"{self.simulator}/sim/mailboxes/{mailbox}/folders",
                               {"displayName": name} | ({"parentFolderId": parent} if parent else {}))
        assert status == 201, body
        return body["id"]

    def rename_folder(self, mailbox, folder, name):
        status, body = request("PATCH", f"{self.simulator}/sim/mailboxes/{mailbox}/folders/{folder}", {"displayName": name})
        assert status == 200, body

    def delete_folder(self, mailbox, folder):
        status, body = request("DELETE", f"{self.simulator}/sim/mailboxes/{mailbox}/folders/{folder}")
        assert status == 204, body

    def delete(self, mailbox, message, permanent=True):
        status, body = request("DELETE", f"{self.simulator}/sim/mailboxes/{mailbox}/messages/{message}" + ("?permanent=true" if permanent else ""))
        assert status in (200, 204), body


class Dovecot:
    """An unprivileged Dovecot of the tests' own on a free loopback port (scripts/dovecot/dovecot.conf.in), any user
    signing in with the password `secret`; `doveadm` acts on mailboxes as the user's other mail client would."""

    PASSWORD = "secret"

    def __init__(self, workdir):
        if not Path("/usr/sbin/dovecot").exists():
            pytest.skip("needs Debian's dovecot-imapd (make test installs it)")
        self.directory = Path(workdir) / "dovecot"
        # A socket's path may not exceed 108 bytes: Dovecot's go in a short folder of their own.
        self.sockets = tempfile.mkdtemp(prefix="mpd-", dir="/tmp")
        self.port = free_port()
        for folder in ("state", "mail", "home"):
            (self.directory / folder).mkdir(parents=True, exist_ok=True)
        for folder in ("mail", "home"):
            shutil.chown(self.directory / folder, user="nobody")
            os.chmod(self.directory / folder, 0o777)
        self.configuration = self.directory / "dovecot.conf"
        self.password = self.PASSWORD
        self.write_configuration()
        self.child = None

    def write_configuration(self):
        template = (ROOT / "scripts" / "dovecot" / "dovecot.conf.in").read_text()
        for name, value in {"@DIR@": str(self.directory), "@SOCKETS@": self.sockets, "@PORT@": str(self.port),
                            "@PASSWORD@": self.password}.items():
            template = template.replace(name, value)
        self.configuration.write_text(template)

    def change_password(self, password):
        """Restarts the server with another password for every user (no spaces: Dovecot splits its arguments)."""
        self.stop(keep_sockets=True)
        self.password = password
        self.write_configuration()
        self.start()

    def start(self):
        log = open(self.directory / "master.log", "ab")
        self.child = subprocess.Popen(["/usr/sbin/dovecot", "-F", "-c", str(self.configuration)], stdout=log, stderr=log,
                                      start_new_session=True)
        log.close()
        wait_until(lambda: self.accepts() or self.child.poll() is not None, 15, "Dovecot did not start")
        assert self.child.poll() is None, (self.directory / "dovecot.log").read_text()[-2000:]

    def accepts(self):
        with socket.socket() as probe:
            return probe.connect_ex(("127.0.0.1", self.port)) == 0

    def doveadm(self, *arguments, stdin=None):
        done = subprocess.run(["/usr/bin/doveadm", "-c", str(self.configuration), *arguments], input=stdin, capture_output=True,
                              text=True, timeout=30)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def deliver(self, user, subject, message_id, folder="INBOX", sender="Ada Lovelace <ada@example.com>"):
        """Saves a message into a folder, as mail arriving."""
        self.doveadm("save", "-u", user, "-m", folder, stdin=(
            f"From: {sender}\r\nTo: {user}\r\nSubject: {subject}\r\nMessage-ID: <{message_id}@example.com>\r\n"
            f"Date: Wed, 25 Nov 2026 10:00:00 +0000\r\n\r\nBody of {subject}.\r\n"))

    def stop(self, keep_sockets=False):
        if self.child and self.child.poll() is None:
            subprocess.run(["/usr/bin/doveadm", "-c", str(self.configuration), "stop"], capture_output=True, timeout=30)
            try:
                self.child.wait(10)
            except subprocess.TimeoutExpired:
                self.child.kill()
                self.child.wait()
        if not keep_sockets:
            shutil.rmtree(self.sockets, ignore_errors=True)


@pytest.fixture(scope="session")
def dovecot():
    workdir = tempfile.mkdtemp(prefix="mailpulse-dovecot-")
    # The mail belongs to nobody, who must be able to reach it.
    os.chmod(workdir, 0o755)
    server = Dovecot(workdir)
    server.start()
    yield server
    server.stop()
    shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def stack():
    workdir = tempfile.mkdtemp(prefix="mailpulse-browser-")
    running = Stack(workdir)
    running.start()
    yield running
    running.stop()
    shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def browser():
    # Selenium Manager must not go looking for drivers online: Debian's chromium and chromedriver are the ones.
    os.environ["SE_OFFLINE"] = "true"
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM_BINARY", "/usr/bin/chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,900"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path=os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")), options=options)
    yield driver
    driver.quit()
