// The message reader and the compose form of the data page.
import { api, accountPath, timeElement } from "/api.js";
import { relinkOrStart } from "/accounts.js";

const $ = (id) => document.getElementById(id);
let current = null; // { accountID, message } shown in the reader
let reference = null; // { replyTo } or { forward } of the message being composed
let idempotencyKey = null; // one per composed message: a retried Send sends it once

function person(address) {
  if (!address) return "";
  return address.name ? `${address.name} <${address.address}>` : address.address;
}

function header(list, name, value) {
  if (!value) return;
  const term = document.createElement("dt");
  term.textContent = name;
  const detail = document.createElement("dd");
  if (value instanceof Node) detail.append(value);
  else detail.textContent = value;
  list.append(term, detail);
}

function bodyURL(accountID, id, remote) {
  return accountPath(accountID, `/messages/${encodeURIComponent(id)}/body`) + (remote ? "?remote=1" : "");
}

/** Opens a message in the reader: headers, attachments, the body in a sandboxed frame, and its conversation. */
export async function openMessage(accountID, id) {
  const message = await api(accountPath(accountID, `/messages/${encodeURIComponent(id)}`));
  current = { accountID, message };
  $("reader").hidden = false;
  $("reader").dataset.messageId = message.id;
  $("reader-subject").textContent = message.subject || "(no subject)";
  const headers = $("reader-headers");
  headers.replaceChildren();
  header(headers, "From", person(message.from));
  header(headers, "To", (message.toRecipients ?? []).map(person).join(", "));
  header(headers, "Cc", (message.ccRecipients ?? []).map(person).join(", "));
  header(headers, "Bcc", (message.bccRecipients ?? []).map(person).join(", "));
  header(headers, "Received", timeElement(message.receivedAt));
  const attachments = $("reader-attachments");
  attachments.replaceChildren();
  for (const attachment of message.attachments ?? []) {
    if (attachment.isInline) continue;
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = accountPath(accountID, `/messages/${encodeURIComponent(message.id)}/attachments/${encodeURIComponent(attachment.id)}`);
    link.download = attachment.name;
    link.textContent = `${attachment.name} (${attachment.size.toLocaleString()} bytes)`;
    item.append(link);
    attachments.append(item);
  }
  // The frame has no allow-* tokens: no scripts, forms, popups or same-origin access; its answer's own policy
  // blocks remote loads until the person asks for them.
  $("reader-body").src = bodyURL(accountID, message.id, false);
  $("remote-note").hidden = message.body?.contentType !== "html";
  await showConversation(accountID, message);
}

async function showConversation(accountID, message) {
  const list = $("conversation");
  list.replaceChildren();
  if (!message.conversationId) return;
  const page = await api(accountPath(accountID, "/messages"), { query: { conversation: message.conversationId, limit: 50 } });
  for (const item of page.messages ?? []) {
    const entry = document.createElement("li");
    entry.dataset.messageId = item.id;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "link";
    button.textContent = `${person(item.from) || "(unknown)"}: ${item.subject || "(no subject)"}`;
    button.disabled = item.id === message.id;
    button.addEventListener("click", () => openMessage(accountID, item.id).catch(showComposeError));
    entry.append(button, " ", timeElement(item.receivedAt));
    list.append(entry);
  }
}

/** Parses "a@x.org, Name <b@y.org>" into recipients. */
function recipients(text) {
  return text
    .split(/[,;]/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const match = part.match(/^(.*)<([^>]+)>$/);
      return match ? { name: match[1].trim().replace(/^"|"$/g, ""), address: match[2].trim() } : { name: "", address: part };
    });
}

function readAsBase64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).split(",", 2)[1] ?? "");
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

function showComposeError(error) {
  const line = $("compose-error");
  line.hidden = !error;
  line.textContent = error ? error.message ?? String(error) : "";
  // An account linked before sending was asked for: offer to link it again, which asks for Mail.Send.
  if (error?.status === 403 && line.dataset.accountId) {
    const relink = document.createElement("button");
    relink.type = "button";
    relink.id = "compose-relink";
    relink.textContent = "Link the account again to send";
    relink.addEventListener("click", () => relinkOrStart(line.dataset.accountId).catch(showComposeError));
    line.append(" ", relink);
  }
}

function compose({ title, to = "", subject = "", body = "", ref = null }) {
  reference = ref;
  idempotencyKey = crypto.randomUUID();
  $("compose-title").textContent = title;
  $("compose-to").value = to;
  $("compose-cc").value = "";
  $("compose-bcc").value = "";
  $("compose-subject").value = subject;
  $("compose-body").value = body;
  $("compose-files").value = "";
  showComposeError(null);
  $("compose-status").hidden = true;
  $("compose").hidden = false;
  $("compose-to").focus();
}

function prefixed(prefix, subject) {
  return subject.toLowerCase().startsWith(prefix.toLowerCase()) ? subject : `${prefix} ${subject}`;
}

async function send(accountID) {
  showComposeError(null);
  const attachments = [];
  for (const file of $("compose-files").files) {
    attachments.push({ name: file.name, contentType: file.type || "application/octet-stream", contentBase64: await readAsBase64(file) });
  }
  const request = {
    to: recipients($("compose-to").value),
    cc: recipients($("compose-cc").value),
    bcc: recipients($("compose-bcc").value),
    subject: $("compose-subject").value,
    body: { contentType: "text", content: $("compose-body").value },
    attachments,
    ...(reference ?? {}),
  };
  $("compose-send").disabled = true;
  try {
    await api(accountPath(accountID, "/messages/send"), { method: "POST", body: request, headers: { "Idempotency-Key": idempotencyKey } });
    $("compose").hidden = true;
    $("compose-status").textContent = "Sent.";
    $("compose-status").hidden = false;
  } finally {
    $("compose-send").disabled = false;
  }
}

/** Wires the reader's and the compose form's buttons for an account. */
export function setUpReader(accountID) {
  $("compose-error").dataset.accountId = accountID;
  $("close-reader").addEventListener("click", () => {
    $("reader").hidden = true;
    $("reader-body").src = "about:blank";
    current = null;
  });
  $("allow-remote").addEventListener("click", () => {
    if (current) $("reader-body").src = bodyURL(current.accountID, current.message.id, true);
    $("remote-note").hidden = true;
  });
  $("compose-open").addEventListener("click", () => compose({ title: "New message" }));
  $("reply").addEventListener("click", () => {
    if (!current) return;
    const message = current.message;
    compose({ title: "Reply", to: person(message.from), subject: prefixed("RE:", message.subject ?? ""), ref: { replyTo: message.id } });
  });
  $("forward").addEventListener("click", () => {
    if (!current) return;
    const message = current.message;
    compose({ title: "Forward", subject: prefixed("FW:", message.subject ?? ""), ref: { forward: message.id } });
  });
  $("compose-cancel").addEventListener("click", () => ($("compose").hidden = true));
  $("compose").addEventListener("submit", (event) => {
    event.preventDefault();
    send(accountID).catch(showComposeError);
  });
}
