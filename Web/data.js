// Data page: an account's mail, kept current from its live event socket.
import { api, accountPath, isGone, LiveConnection, showStatus, showConnection, timeElement, formatCount } from "/api.js";
import { rememberedAccounts, rememberAccount, setAccountAddress, forgetAccount, relinkOrStart } from "/accounts.js";
import { openMessage, setUpReader } from "/reader.js";

const $ = (id) => document.getElementById(id);
const pageSize = 50;
const activityLimit = 100;
const recentWindow = 15 * 60 * 1000; // an unknown message received this recently counts as "New"
const groupWindow = 10_000; // message events this close together count as one burst
const groupFold = 3; // a burst longer than this shows as one counting line

const accountID = new URLSearchParams(location.search).get("account") || rememberedAccounts()[0]?.id || null;
const tbody = $("messages");

const mailboxes = new Map(); // id → mailbox
const shown = new Map(); // id → { message, row }, the rows of the table
const known = new Map(); // id → last message seen, to describe changes in the activity panel
// What the table shows: its filter, the next page's cursor, and the last message paged in (the cursor's position).
let list = { mailbox: "", q: "", next: null, boundary: null };
let loaded = false; // whether the first full load succeeded
let unavailable = false; // the account is unknown here, or its cookie is gone

// List loads and events run one after the other, so a page fetched earlier never overwrites a later event.
let queue = Promise.resolve();
function enqueue(task) {
  queue = queue.then(task).catch(showError);
  return queue;
}

function showError(error) {
  if (isGone(error)) return showUnavailable("This account is not available in this browser.");
  $("page-error").textContent = error?.message ?? String(error);
  $("page-error").hidden = false;
}

// MARK: Messages

// Newest first; the id breaks ties the same way as the server's cursor.
function compare(a, b) {
  return b.receivedAt - a.receivedAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

const subjectOf = (message) => (message.subject?.trim() ? message.subject : "(no subject)");
const folderName = (id) => mailboxes.get(id)?.displayName ?? "";

function cell(row, text = "", className = "") {
  const td = row.insertCell();
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function messageRow(message) {
  const row = document.createElement("tr");
  row.dataset.messageId = message.id;
  row.dataset.read = String(message.isRead);
  row.dataset.folder = message.mailboxID;
  row.dataset.flag = message.flag ?? "notFlagged";
  row.classList.toggle("unread", !message.isRead);

  cell(row, subjectOf(message), "subject").title = message.bodyPreview ?? "";
  const from = cell(row, "", "from");
  if (message.from) {
    const name = document.createElement("span");
    name.className = "name";
    name.textContent = message.from.name || message.from.address || "";
    const address = document.createElement("span");
    address.className = "address";
    address.textContent = message.from.name ? message.from.address ?? "" : "";
    from.append(name, address);
  }
  cell(row, folderName(message.mailboxID), "folder");
  cell(row, message.isRead ? "Read" : "Unread", "read");
  const flag = cell(row, { flagged: "⚑", complete: "✓" }[message.flag] ?? "", "flag");
  flag.title = message.flag ?? "";
  cell(row, "", "received").append(timeElement(message.receivedAt));
  row.tabIndex = 0;
  const open = () => openMessage(accountID, message.id).catch(showError);
  row.addEventListener("click", open);
  row.addEventListener("keydown", (event) => {
    if (event.key === "Enter") open();
  });
  return row;
}

function removeRow(id) {
  shown.get(id)?.row.remove();
  shown.delete(id);
}

/** Inserts or replaces a message's row at its sorted position. */
function placeRow(message, highlight) {
  removeRow(message.id);
  const row = messageRow(message);
  // Scan from the bottom: pages append there; new mail walks up to the top.
  let after = tbody.lastElementChild;
  while (after && compare(shown.get(after.dataset.messageId).message, message) > 0) after = after.previousElementSibling;
  if (after) after.after(row);
  else tbody.prepend(row);
  shown.set(message.id, { message, row });
  if (highlight) row.classList.add("changed");
}

function applyUpsert(message) {
  if (list.mailbox && message.mailboxID !== list.mailbox) return removeRow(message.id); // moved away
  // With a search, the server decides what matches: only rows already shown are updated.
  if (list.q && !shown.has(message.id)) return;
  // Older than the last row paged in while more pages exist: it belongs to a later page.
  if (list.next !== null && list.boundary && compare(message, list.boundary) > 0) return removeRow(message.id);
  placeRow(message, true);
}

function fetchPage(filter, cursor) {
  return api(accountPath(accountID, "/messages"), {
    query: { mailbox: filter.mailbox, q: filter.q, cursor, limit: pageSize },
  });
}

function showPage(page, filter, append) {
  if (!append) {
    tbody.replaceChildren();
    shown.clear();
  }
  const messages = page.messages ?? [];
  for (const message of messages) {
    known.set(message.id, message);
    placeRow(message, false);
  }
  list = { ...filter, next: page.next ?? null, boundary: messages.at(-1) ?? (append ? list.boundary : null) };
  updateListControls();
}

function updateListControls() {
  $("more").hidden = list.next === null;
  $("empty").hidden = shown.size > 0;
}

const currentFilter = () => ({ mailbox: $("folder").value, q: $("search").value.trim() });

async function reloadList() {
  const filter = currentFilter();
  showPage(await fetchPage(filter), filter, false);
  $("page-error").hidden = true;
}

async function loadMore() {
  if (list.next === null) return;
  $("more").disabled = true;
  try {
    showPage(await fetchPage(list, list.next), list, true);
  } finally {
    $("more").disabled = false;
  }
}

// MARK: Folders

function folderLabel(mailbox) {
  return mailbox.unreadCount > 0 ? `${mailbox.displayName} (${formatCount(mailbox.unreadCount)})` : mailbox.displayName;
}

// Folders in tree order, children indented under their parent.
function renderFolders() {
  const select = $("folder");
  const selected = select.value;
  const children = new Map();
  for (const mailbox of mailboxes.values()) {
    if (mailbox.isHidden && mailbox.id !== selected) continue;
    const parent = mailboxes.has(mailbox.parentID) ? mailbox.parentID : null;
    children.set(parent, [...(children.get(parent) ?? []), mailbox]);
  }
  const options = [new Option("All folders", "")];
  const visit = (parent, depth) => {
    for (const mailbox of children.get(parent) ?? []) {
      const option = new Option("\u00a0\u00a0".repeat(depth) + folderLabel(mailbox), mailbox.id);
      option.dataset.depth = depth;
      options.push(option);
      if (depth < 20) visit(mailbox.id, depth + 1);
    }
  };
  visit(null, 0);
  select.replaceChildren(...options);
  select.value = selected;
  if (select.value !== selected) select.value = "";
}

function updateFolderCells(mailboxID) {
  for (const { message, row } of shown.values()) {
    if (mailboxID === undefined || message.mailboxID === mailboxID) row.querySelector(".folder").textContent = folderName(message.mailboxID);
  }
}

function setMailboxes(items) {
  mailboxes.clear();
  for (const mailbox of items) mailboxes.set(mailbox.id, mailbox);
  renderFolders();
  updateFolderCells();
}

function upsertMailbox(mailbox) {
  const old = mailboxes.get(mailbox.id);
  mailboxes.set(mailbox.id, mailbox);
  const option = [...$("folder").options].find((o) => o.value === mailbox.id);
  // A rename or new count is updated in place, so an open select is not disturbed; anything else re-renders.
  if (option && old && old.parentID === mailbox.parentID && !mailbox.isHidden) {
    option.text = "\u00a0\u00a0".repeat(Number(option.dataset.depth)) + folderLabel(mailbox);
  } else {
    renderFolders();
  }
  if (old?.displayName !== mailbox.displayName) updateFolderCells(mailbox.id);
}

/** A folder gone from the provider: out of the filter; a list filtered by it shows every folder again. */
function removeMailbox(mailboxID) {
  mailboxes.delete(mailboxID);
  const filtered = $("folder").value === mailboxID;
  renderFolders();
  if (filtered) enqueue(reloadList);
}

/** Account, folders and the first page of the list, as stored now (at load, and after a "reload" frame). */
async function reloadAll() {
  const filter = currentFilter();
  const [account, boxes, page] = await Promise.all([
    api(accountPath(accountID)),
    api(accountPath(accountID, "/mailboxes")),
    fetchPage(filter),
  ]);
  showAccount(account);
  setMailboxes(boxes.mailboxes ?? []);
  // The selected folder may be gone, and the select back on "All folders": the list must follow.
  const now = currentFilter();
  showPage(now.mailbox === filter.mailbox ? page : await fetchPage(now), now, false);
  $("page-error").hidden = true;
  loaded = true;
}

// MARK: Account, sync and activity

function setStatus(status) {
  showStatus($("account-status"), status);
  $("reauth").hidden = status !== "reauth_required";
  const line = $("sync-progress");
  if (status === "syncing" && line.hidden) {
    line.textContent = "Syncing…";
    line.hidden = false;
  } else if ((status === "live" || status === "degraded") && !line.hidden) {
    line.textContent = "Sync done";
  }
}

const plural = (n, word) => `${formatCount(n)} ${word}${n === 1 ? "" : "s"}`;

function showSync(progress) {
  const line = $("sync-progress");
  line.hidden = false;
  line.textContent = `${progress.done ? "Synced" : "Syncing"} ${progress.displayName}: ${plural(progress.messages, "message")}`;
}

const flagWords = { flagged: "Flagged", complete: "Flag completed", notFlagged: "Flag cleared" };

function describeUpsert(message, at) {
  const subject = subjectOf(message);
  const old = known.get(message.id);
  if (!old) return `${at - message.receivedAt < recentWindow ? "New" : "Updated"}: ${subject}`;
  if (old.mailboxID !== message.mailboxID) return `Moved to ${folderName(message.mailboxID) || "another folder"}: ${subject}`;
  if (old.isRead !== message.isRead) return `Marked ${message.isRead ? "read" : "unread"}: ${subject}`;
  if (old.flag !== message.flag) return `${flagWords[message.flag] ?? "Flag changed"}: ${subject}`;
  return `Updated: ${subject}`;
}

// One line per event; a run of message events of one kind (a sync page, a batch) shares one counting line.
function activityLine(event) {
  switch (event.type) {
    case "activity":
      return { text: event.text };
    case "sync.progress":
      return event.progress.done ? { text: `Synced ${plural(event.progress.messages, "message")} in ${event.progress.displayName}` } : null;
    case "account.status":
      return { text: `Status: ${event.status}` };
    case "mailbox.deleted":
      return { text: "A folder was removed in Outlook" };
    case "message.upserted":
      return { text: describeUpsert(event.message, event.at), group: "upserted", many: (n) => `Stored ${plural(n, "message")}` };
    case "message.deleted": {
      const old = known.get(event.id);
      return { text: old ? `Deleted: ${subjectOf(old)}` : "Deleted a message", group: "deleted", many: (n) => `Deleted ${plural(n, "message")}` };
    }
    case "reload":
      return { text: "Missed some events: reloaded the list" };
    default:
      return null;
  }
}

function activityItem(text, at) {
  const item = document.createElement("li");
  const span = document.createElement("span");
  span.className = "text";
  span.textContent = text;
  item.append(timeElement(at, { seconds: true }), " ", span);
  item.dataset.at = at;
  return item;
}

function addActivity(event) {
  const line = activityLine(event);
  if (!line) return;
  const at = event.at ?? Date.now();
  const panel = $("activity");
  const top = panel.firstElementChild;
  if (line.group && top?.dataset.group === line.group && at - Number(top.dataset.at) < groupWindow) {
    if (top.dataset.count) {
      const count = Number(top.dataset.count) + 1;
      const item = activityItem(line.many(count), at);
      Object.assign(item.dataset, { group: line.group, count });
      return top.replaceWith(item);
    }
    // A burst (a sync page, a batch of changes): past a few lines, they fold into one counting line.
    const run = [top];
    while (run.length < groupFold && run.at(-1).nextElementSibling?.dataset.group === line.group) run.push(run.at(-1).nextElementSibling);
    if (run.length >= groupFold && !run.some((item) => item.dataset.count)) {
      run.forEach((item) => item.remove());
      const item = activityItem(line.many(run.length + 1), at);
      Object.assign(item.dataset, { group: line.group, count: run.length + 1 });
      return panel.prepend(item);
    }
  }
  const item = activityItem(line.text, at);
  if (line.group) item.dataset.group = line.group;
  panel.prepend(item);
  while (panel.children.length > activityLimit) panel.lastElementChild.remove();
}

function track(event) {
  if (event.type === "message.upserted") known.set(event.message.id, event.message);
  if (event.type === "message.deleted") known.delete(event.id);
}

async function handle(event) {
  addActivity(event);
  track(event);
  switch (event.type) {
    case "message.upserted":
      applyUpsert(event.message);
      break;
    case "message.deleted":
      removeRow(event.id);
      break;
    case "mailbox.upserted":
      upsertMailbox(event.mailbox);
      break;
    case "mailbox.deleted":
      removeMailbox(event.id);
      break;
    case "account.status":
      setStatus(event.status);
      break;
    case "sync.progress":
      showSync(event.progress);
      break;
    case "reload":
      await reloadAll();
      break;
  }
  updateListControls();
}

function showAccount(account) {
  const address = account.identity?.address ?? "";
  $("account-address").textContent = address || account.id;
  document.title = `Mailpulse — ${address || "mail"}`;
  if (address) setAccountAddress(account.id, address);
  setStatus(account.status);
}

function showUnavailable(text) {
  const error = $("page-error");
  const link = document.createElement("a");
  link.href = "/";
  link.textContent = "Add an account";
  error.replaceChildren(text + " ", link);
  error.hidden = false;
  $("connection").hidden = true;
  unavailable = true;
  if (accountID) forgetAccount(accountID);
}

// MARK: Start

async function start() {
  if (!accountID) return showUnavailable("No account is linked in this browser yet.");
  rememberAccount(accountID);
  setUpReader(accountID);
  // The event log first: the socket resumes after its seq, so no change falls between the loads and the socket.
  let seq = null;
  try {
    const log = await api(accountPath(accountID, "/events"));
    seq = log.seq ?? null;
    for (const event of log.events ?? []) {
      addActivity(event);
      track(event);
      if (event.type === "sync.progress") showSync(event.progress);
      if (event.type === "account.status") setStatus(event.status);
    }
  } catch (error) {
    if (isGone(error)) return showUnavailable("This account is not available in this browser.");
    showError(error);
  }
  await enqueue(reloadAll);
  if (unavailable) return;
  new LiveConnection(accountID, {
    since: seq,
    onEvent: (event) => enqueue(() => handle(event)),
    onState: (state) => {
      showConnection($("connection"), state);
      // A first load that failed (server down?) is retried once the server answers again.
      if (state === "open" && !loaded) enqueue(reloadAll);
    },
  }).start();
}

let searchTimer;
$("search").addEventListener("input", () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(() => enqueue(reloadList), 250);
});
document.querySelector("form.filters").addEventListener("submit", (event) => {
  event.preventDefault();
  clearTimeout(searchTimer);
  enqueue(reloadList);
});
$("folder").addEventListener("change", () => enqueue(reloadList));
$("more").addEventListener("click", () => enqueue(loadMore));
$("retry").addEventListener("click", async () => {
  $("retry").disabled = true;
  try {
    await relinkOrStart(accountID);
  } catch (error) {
    showError(error);
    $("retry").disabled = false;
  }
});

start();
