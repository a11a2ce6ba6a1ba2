// Shared helpers: JSON fetch wrapper and the live event socket.

/** Path of an account resource, e.g. accountPath(id, "/messages"). */
export function accountPath(id, rest = "") {
  return `/api/accounts/${encodeURIComponent(id)}${rest}`;
}

/**
 * Fetches JSON from the same origin. On a non-2xx answer throws an Error whose message is the
 * server's message (either error shape) and whose `status` is the HTTP status.
 */
export async function api(path, { method = "GET", body, query, headers = {} } = {}) {
  const init = { method, credentials: "same-origin", headers: { Accept: "application/json", ...headers } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  if (query) {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== null && value !== "") params.set(key, value);
    }
    if ([...params].length) path += "?" + params;
  }
  const response = await fetch(path, init);
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    const error = new Error(data?.error?.message ?? data?.message ?? `HTTP ${response.status} ${response.statusText}`.trim());
    error.status = response.status;
    throw error;
  }
  return data;
}

/** True for errors meaning "this browser may not see this account" (unknown id, or the cookie is gone). */
export function isGone(error) {
  return error?.status === 401 || error?.status === 403 || error?.status === 404;
}

const firstDelay = 500;
const maxDelay = 10_000;
// A socket that stayed open this long counts as healthy: the next drop starts the backoff over.
const healthyAfter = 10_000;

/**
 * The account's live event socket. Reconnects with exponential backoff and jitter and resumes after the
 * last sequence number seen, so no event is missed. `onEvent(event)` gets each event once, in order
 * (a `{"type":"reload"}` frame included); `onState(state)` gets "connecting", "open" or "reconnecting".
 */
export class LiveConnection {
  constructor(accountID, { since = null, onEvent, onState = () => {} }) {
    this.accountID = accountID;
    this.seq = since;
    this.onEvent = onEvent;
    this.onState = onState;
    this.attempt = 0;
    this.socket = null;
    this.timer = null;
    this.closed = false;
  }

  start() {
    this.closed = false;
    this.connect();
    return this;
  }

  close() {
    this.closed = true;
    clearTimeout(this.timer);
    this.socket?.close();
    this.socket = null;
  }

  url() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const since = this.seq === null ? "" : `?since=${encodeURIComponent(this.seq)}`;
    return `${scheme}//${location.host}${accountPath(this.accountID, "/live")}${since}`;
  }

  connect() {
    this.onState(this.attempt === 0 ? "connecting" : "reconnecting");
    let openedAt = 0;
    const socket = new WebSocket(this.url());
    this.socket = socket;
    socket.onopen = () => {
      openedAt = Date.now();
      this.onState("open");
    };
    socket.onmessage = (frame) => {
      let event;
      try {
        event = JSON.parse(frame.data);
      } catch {
        return;
      }
      if (typeof event?.seq === "number") {
        // Replays after a reconnect can overlap what was already seen: skip those.
        if (event.type !== "reload" && this.seq !== null && event.seq <= this.seq) return;
        this.seq = event.seq;
      }
      this.onEvent(event);
    };
    socket.onclose = () => {
      if (this.socket !== socket || this.closed) return;
      if (openedAt && Date.now() - openedAt >= healthyAfter) this.attempt = 0;
      const base = Math.min(maxDelay, firstDelay * 2 ** this.attempt);
      this.attempt += 1;
      this.onState("reconnecting");
      // "Equal jitter": between half and all of the backoff, so many pages do not retry in step.
      this.timer = setTimeout(() => this.connect(), base / 2 + Math.random() * (base / 2));
    };
    // An error is always followed by a close, which schedules the retry.
    socket.onerror = () => {};
  }
}

// Small display helpers shared by the pages.

/** Shows an account status word on a badge, keeping data-account-status current. */
export function showStatus(element, status) {
  element.dataset.accountStatus = status ?? "";
  element.textContent = status ? status.replaceAll("_", " ") : "unknown";
}

const connectionLabels = { connecting: "Connecting…", open: "Connected", reconnecting: "Reconnecting…" };

/** Shows the live socket's state on an indicator, keeping data-state current. */
export function showConnection(element, state) {
  element.dataset.state = state;
  element.textContent = connectionLabels[state] ?? state;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const timeOnly = new Intl.DateTimeFormat(undefined, { timeStyle: "medium" });

/** A <time> element for ms since 1970: the time alone when today, else date and time. */
export function timeElement(ms, { seconds = false } = {}) {
  const element = document.createElement("time");
  if (typeof ms !== "number") return element;
  const date = new Date(ms);
  element.dateTime = date.toISOString();
  const today = date.toDateString() === new Date().toDateString();
  element.textContent = seconds && today ? timeOnly.format(date) : dateTime.format(date);
  element.title = date.toLocaleString();
  return element;
}

export const formatCount = (n) => (typeof n === "number" ? n.toLocaleString() : "0");
