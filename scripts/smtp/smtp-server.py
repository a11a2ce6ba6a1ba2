#!/usr/bin/env python3
"""A submission server for tests (aiosmtpd): on 127.0.0.1:PORT, with STARTTLS (required before AUTH and mail) or TLS
from the first byte, AUTH PLAIN and LOGIN for one user and password, everyone else refused with 535. Each accepted
message is delivered to the Dovecot mailbox of each recipient with `doveadm -c CONF save -u ADDRESS -m INBOX`;
recipients not named by --recipients are refused at RCPT with 550. With --record, each message is also written to a
file of that folder (its envelope in the first lines). Prints "ready" on standard output once it listens; stops on
SIGTERM or SIGINT.

    smtp-server.py --port 2587 --certificate cert.pem --key key.pem --mode starttls \\
        --user sender@example.com --password-file pw --dovecot-config dovecot.conf --recipients a@example.com,b@example.com
"""

import argparse
import asyncio
import signal
import ssl
import subprocess
import sys
import warnings
from pathlib import Path

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Delivery:
    """Takes recipients the Dovecot server has, and saves each message into their INBOX."""

    def __init__(self, dovecot_config, recipients, record):
        self.dovecot_config = dovecot_config
        self.recipients = {address.lower() for address in recipients}
        self.record = Path(record) if record else None
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() not in self.recipients:
            return f"550 5.1.1 <{address}>: no such user here"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        message = envelope.original_content
        for recipient in envelope.rcpt_tos:
            done = await asyncio.to_thread(
                subprocess.run,
                ["/usr/bin/doveadm", "-c", self.dovecot_config, "save", "-u", recipient.lower(), "-m", "INBOX"],
                input=message, capture_output=True, timeout=60)
            if done.returncode != 0:
                return f"451 4.3.0 delivery to {recipient} failed: {(done.stdout + done.stderr).decode(errors='replace')[:200]}"
        if self.record:
            self.count += 1
            envelope_lines = f"MAIL FROM: {envelope.mail_from}\r\nRCPT TO: {' '.join(envelope.rcpt_tos)}\r\n\r\n".encode()
            (self.record / f"{self.count:04d}.eml").write_bytes(envelope_lines + message)
        return "250 2.0.0 OK delivered"


def authenticator(user, password):
    def check(server, session, envelope, mechanism, auth_data):
        if isinstance(auth_data, LoginPassword) and auth_data.login == user.encode() and auth_data.password == password.encode():
            return AuthResult(success=True)
        return AuthResult(success=False, handled=False)
    return check


async def serve(arguments):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(arguments.certificate, arguments.key)
    password = Path(arguments.password_file).read_text().strip() if arguments.password_file else arguments.password
    delivery = Delivery(arguments.dovecot_config, [r for r in arguments.recipients.split(",") if r], arguments.record)
    implicit = arguments.mode == "tls"

    def protocol():
        return SMTP(
            delivery,
            hostname="smtp.test",
            data_size_limit=arguments.size_limit,
            tls_context=None if implicit else context,
            require_starttls=not implicit,
            auth_required=True,
            # Under TLS from the first byte the whole session is protected, which aiosmtpd only knows of STARTTLS.
            auth_require_tls=not implicit,
            authenticator=authenticator(arguments.user, password),
            timeout=60,
        )

    loop = asyncio.get_running_loop()
    server = await loop.create_server(protocol, host="127.0.0.1", port=arguments.port, ssl=context if implicit else None)
    stop = asyncio.Event()
    for signal_number in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signal_number, stop.set)
    print("ready", flush=True)
    await stop.wait()
    server.close()
    await server.wait_closed()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--mode", choices=["starttls", "tls"], default="starttls")
    parser.add_argument("--certificate", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password")
    parser.add_argument("--password-file")
    parser.add_argument("--dovecot-config", required=True)
    parser.add_argument("--recipients", default="", help="comma-separated addresses that are Dovecot users here")
    parser.add_argument("--size-limit", type=int, default=10 * 1024 * 1024)
    parser.add_argument("--record", help="a folder to write each accepted message to")
    arguments = parser.parse_args()
    if not arguments.password and not arguments.password_file:
        parser.error("--password or --password-file is needed")
    warnings.simplefilter("ignore")
    asyncio.run(serve(arguments))


if __name__ == "__main__":
    sys.exit(main())
