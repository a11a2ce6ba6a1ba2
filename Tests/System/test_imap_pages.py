"""An IMAP account from the pages, in headless Chromium against a real service and a real Dovecot: a wrong password
is refused on the form with its reason, the right one links the account, the add-account page shows it sync and go
live, the data page follows what the user's other mail client does (new mail, read, flagged, deleted, moved), and
when the password changes the add-account page asks for the current one and the account goes on with its mail."""

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import wait_until
from test_pages import row, rows, shows_within, status_word

USER = "grace@example.org"
# Dovecot tells a watching client within about a second; a delta round and the page's update follow.
CHANGE_DEADLINE = 10.0


def fill_imap_form(browser, stack, dovecot, password):
    browser.get(f"{stack.service}/")
    Select(browser.find_element(By.ID, "imap-provider")).select_by_value("imap")
    browser.find_element(By.ID, "imap-host").send_keys("127.0.0.1")
    Select(browser.find_element(By.ID, "imap-security")).select_by_value("none")
    port = browser.find_element(By.ID, "imap-port")
    port.clear()
    port.send_keys(str(dovecot.port))
    browser.find_element(By.ID, "imap-username").send_keys(USER)
    browser.find_element(By.ID, "imap-password").send_keys(password)
    browser.find_element(By.ID, "imap-connect").click()


def message_id(browser, subject):
    shown = next((each for each in rows(browser) if subject in each["text"]), None)
    return shown["id"] if shown else None


LINKED = {}


def test_an_imap_account_links_from_the_page_and_follows_the_other_clients_changes(browser, stack, dovecot):
    for number in range(1, 4):
        dovecot.deliver(USER, f"Compiler note {number}", f"compiler-{number}")
    dovecot.doveadm("mailbox", "create", "-u", USER, "Archive")

    fill_imap_form(browser, stack, dovecot, "not-the-password")
    wait_until(lambda: browser.find_element(By.ID, "imap-error").is_displayed(), 15, "the form says why it failed")
    assert "password" in browser.find_element(By.ID, "imap-error").text

    fill_imap_form(browser, stack, dovecot, dovecot.PASSWORD)
    wait_until(lambda: "account=" in browser.current_url, 15, "the page shows the new account")
    wait_until(lambda: status_word(browser) == "live", 60, "the account syncs and goes live")
    account = browser.current_url.split("account=")[1].split("&")[0]
    LINKED["imap"] = account

    browser.get(f"{stack.service}/data.html?account={account}")
    wait_until(lambda: len(rows(browser)) == 3, 15, "the inbox's three messages")
    assert all("ada@example.com" in shown["text"] for shown in rows(browser))

    dovecot.deliver(USER, "Fresh from the other client", "fresh")
    shows_within(browser, CHANGE_DEADLINE, lambda: message_id(browser, "Fresh from the other client") is not None,
                 "new mail appears")
    first = message_id(browser, "Compiler note 1")
    dovecot.doveadm("flags", "add", "-u", USER, "\\Seen \\Flagged", "mailbox", "INBOX", "HEADER", "Message-ID", "compiler-1")
    shows_within(browser, CHANGE_DEADLINE, lambda: (row(browser, first) or {}).get("read") == "true", "a message read elsewhere")
    assert row(browser, first)["flag"] == "flagged"

    dovecot.doveadm("expunge", "-u", USER, "mailbox", "INBOX", "HEADER", "Message-ID", "compiler-2")
    shows_within(browser, CHANGE_DEADLINE, lambda: message_id(browser, "Compiler note 2") is None, "a deleted message disappears")

    dovecot.doveadm("move", "-u", USER, "Archive", "mailbox", "INBOX", "HEADER", "Message-ID", "compiler-3")
    shows_within(browser, CHANGE_DEADLINE, lambda: "Archive" in next(
        (each["text"] for each in rows(browser) if "Compiler note 3" in each["text"]), ""), "a moved message shows its new folder")


def test_a_changed_password_is_asked_for_and_the_account_goes_on(browser, stack, dovecot):
    account = LINKED["imap"]
    dovecot.change_password("changed-elsewhere")
    browser.get(f"{stack.service}/?account={account}")
    # The watcher's connection died with the restart; signing in again, it is refused.
    wait_until(lambda: status_word(browser) == "reauth_required", 60, "the account says the password was refused")
    wait_until(lambda: browser.find_element(By.ID, "password-form").is_displayed(), 10, "the page asks for the current password")
    assert "password" in browser.find_element(By.ID, "error").text
    assert not browser.find_element(By.ID, "retry").is_displayed(), "no Outlook sign-in for an IMAP account"

    dovecot.deliver(USER, "Sent while refused", "refused")
    browser.find_element(By.ID, "new-password").send_keys("changed-elsewhere")
    browser.find_element(By.ID, "send-password").click()
    wait_until(lambda: status_word(browser) == "live", 60, "the account is live again")
    assert not browser.find_element(By.ID, "problem").is_displayed()
    browser.get(f"{stack.service}/data.html?account={account}")
    wait_until(lambda: message_id(browser, "Sent while refused") is not None, 15, "mail that came meanwhile is mirrored")
