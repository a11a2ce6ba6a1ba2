// Add-account page: starts a sign-in, shows the result and the first sync, lists this browser's accounts.
import { api, accountPath, isGone, LiveConnection, showStatus, showConnection, formatCount } from "/api.js";
import {
  rememberedAccounts, rememberAccount, setAccountAddress, forgetAccount, startLink, relinkOrStart, linkWithPassword, relinkWithPassword,
} from "/accounts.js";

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const accountID = params.get("account");

$("connect").addEventListener("click", async () => {
  $("connect").disabled = true;
  $("connect-error").hidden = true;
  try {
    await startLink();
  } catch (error) {
    $("connect-error").textContent = `Could not start the sign-in: ${error.message}`;
    $("connect-error").hidden = false;
    $("connect").disabled = false;
  }
});

// MARK: IMAP accounts

const passwordProviders = new Set(["imap", "gmail"]);
let accountProvider = null;

function showServerFields() {
  const gmail = $("imap-provider").value === "gmail";
  for (const field of document.querySelectorAll(".server-field")) field.hidden = gmail;
}
$("imap-provider").addEventListener("change", showServerFields);
$("imap-security").addEventListener("change", () => {
  $("imap-port").value = $("imap-security").value === "tls" ? "993" : "143";
});

$("imap-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  $("imap-connect").disabled = true;
  $("imap-error").hidden = true;
  const provider = $("imap-provider").value;
  const imap = { username: $("imap-username").value, password: $("imap-password").value };
  if (provider === "imap") {
    imap.host = $("imap-host").value.trim();
    imap.port = Number($("imap-port").value);
    imap.security = $("imap-security").value;
    // Sending: the IMAP host's submission port with the IMAP credentials unless the person says otherwise.
    const smtp = { security: $("smtp-security").value };
    if ($("smtp-host").value.trim()) smtp.host = $("smtp-host").value.trim();
    if ($("smtp-port").value) smtp.port = Number($("smtp-port").value);
    if ($("smtp-username").value) smtp.username = $("smtp-username").value;
    if ($("smtp-password").value) smtp.password = $("smtp-password").value;
    imap.smtp = smtp;
  }
  try {
    const created = await linkWithPassword(provider, imap);
    location.assign(`/?account=${encodeURIComponent(created.id)}`);
  } catch (error) {
    $("imap-error").textContent = `Could not connect: ${error.message}`;
    $("imap-error").hidden = false;
    $("imap-connect").disabled = false;
  }
});

$("password-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  $("send-password").disabled = true;
  try {
    const account = await relinkWithPassword(accountID, $("new-password").value);
    $("new-password").value = "";
    $("problem").hidden = true;
    $("password-form").hidden = true;
    showAccount(account);
  } catch (error) {
    $("error").textContent = `The password did not work: ${error.message}`;
  } finally {
    $("send-password").disabled = false;
  }
});

$("retry").addEventListener("click", async () => {
  $("retry").disabled = true;
  try {
    await relinkOrStart(accountID);
  } catch (error) {
    $("error").textContent = `Could not start the sign-in: ${error.message}`;
    $("retry").disabled = false;
  }
});

let reauthShown = false;

function showProblem(text) {
  $("error").textContent = text;
  $("problem").hidden = false;
}

if (params.get("status") === "error") {
  const code = params.get("error") || "unknown";
  const reasons = {
    access_denied: "You declined access in Outlook",
    mailbox_mismatch: "You signed in to a different mailbox than the one this account mirrors; it keeps its mailbox. Sign in to the same mailbox, or add a new account",
    login_failed: "Sign-in failed: Outlook did not complete it. Try again",
  };
  showProblem(reasons[code] ?? `Sign-in failed (${code})`);
} else if (accountID) {
  watchAccount(accountID);
}
listAccounts();

// MARK: The account being linked

const progressRows = new Map(); // mailboxID → <tr>

function progressRow(mailboxID, name) {
  let row = progressRows.get(mailboxID);
  if (!row) {
    row = document.createElement("tr");
    row.dataset.mailboxId = mailboxID;
    row.append(document.createElement("th"), document.createElement("td"), document.createElement("td"));
    row.cells[0].scope = "row";
    row.cells[0].textContent = mailboxID;
    progressRows.set(mailboxID, row);
    $("progress").append(row);
    $("progress-empty").hidden = true;
    setProgress(row, 0, false);
  }
  if (name) row.cells[0].textContent = name;
  return row;
}

function setProgress(row, messages, done) {
  row.dataset.messages = String(messages);
  row.dataset.done = String(done);
  row.cells[1].textContent = formatCount(messages);
  row.cells[2].textContent = done ? "✓" : "";
}

function setStatus(status) {
  showStatus($("account-status"), status);
  const ready = status === "live" || status === "degraded";
  $("ready").hidden = !ready;
  $("ready-text").textContent =
    status === "degraded"
      ? "Your mail is synced, but live updates are degraded: changes may take longer to appear."
      : "Your mail is synced and live: Mailpulse follows changes as they happen.";
  if (status === "reauth_required") {
    const password = passwordProviders.has(accountProvider);
    showProblem(password ? "The mail server refused the password: enter the current one" : "Outlook needs you to sign in again");
    $("retry").hidden = password;
    $("password-form").hidden = !password;
    reauthShown = true;
  } else if (reauthShown) {
    $("problem").hidden = true;
    $("password-form").hidden = true;
    $("retry").hidden = false;
    reauthShown = false;
  }
}

function showAccount(account) {
  accountProvider = account.provider;
  const identity = account.identity;
  $("account-name").textContent = identity?.displayName ?? "Not signed in yet";
  $("account-address").textContent = identity?.address ?? "";
  if (identity?.address) setAccountAddress(account.id, identity.address);
  setStatus(account.status);
}

function apply(event) {
  switch (event.type) {
    case "account.status":
      setStatus(event.status);
      break;
    case "mailbox.upserted":
      if (!event.mailbox.isHidden) progressRow(event.mailbox.id, event.mailbox.displayName);
      break;
    case "sync.progress": {
      const progress = event.progress;
      setProgress(progressRow(progress.mailboxID, progress.displayName), progress.messages, progress.done);
      break;
    }
    case "reload":
      refresh(accountID).catch(() => {});
      break;
  }
}

// Account and folders as stored now; folders the event log did not mention get their stored count.
async function refresh(id) {
  const [account, mailboxes] = await Promise.all([
    api(accountPath(id)),
    api(accountPath(id, "/mailboxes")).catch(() => null),
  ]);
  showAccount(account);
  const finished = account.status === "live" || account.status === "degraded";
  for (const mailbox of mailboxes?.mailboxes ?? []) {
    if (progressRows.has(mailbox.id)) continue;
    setProgress(progressRow(mailbox.id, mailbox.displayName), mailbox.stored?.total ?? 0, finished);
  }
}

function accountGone() {
  forgetAccount(accountID);
  $("linked").hidden = true;
  showProblem("This account is no longer linked in this browser");
}

async function watchAccount(id) {
  rememberAccount(id);
  $("linked").hidden = false;
  $("open-data").href = `/data.html?account=${encodeURIComponent(id)}`;
  // The event log first: its seq is where the socket resumes, so nothing falls in between.
  let seq = null;
  try {
    const log = await api(accountPath(id, "/events"));
    seq = log.seq ?? null;
    for (const event of log.events ?? []) apply(event);
  } catch (error) {
    if (isGone(error)) return accountGone();
  }
  try {
    await refresh(id);
  } catch (error) {
    if (isGone(error)) return accountGone();
    showProblem(`Could not load the account: ${error.message}`);
  }
  new LiveConnection(id, { since: seq, onEvent: apply, onState: (state) => showConnection($("connection"), state) }).start();
}

// MARK: Accounts remembered in this browser

async function listAccounts() {
  const list = $("accounts");
  const entries = rememberedAccounts();
  list.replaceChildren();
  $("no-accounts").hidden = entries.length > 0;
  await Promise.all(
    entries.map(async (entry) => {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = `/data.html?account=${encodeURIComponent(entry.id)}`;
      link.textContent = entry.address ?? entry.id;
      const badge = document.createElement("span");
      badge.className = "badge";
      item.append(link, " ", badge);
      list.append(item);
      try {
        const account = await api(accountPath(entry.id));
        showStatus(badge, account.status);
        if (account.identity?.address) {
          link.textContent = account.identity.address;
          setAccountAddress(entry.id, account.identity.address);
        }
      } catch (error) {
        if (!isGone(error)) return showStatus(badge, null);
        forgetAccount(entry.id);
        item.remove();
        $("no-accounts").hidden = list.children.length > 0;
      }
    })
  );
}
