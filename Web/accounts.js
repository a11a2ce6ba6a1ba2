// Accounts linked from this browser (localStorage), and starting or retrying a sign-in.
import { api, accountPath, isGone } from "/api.js";

const key = "mailpulse.accounts";

/** The remembered accounts, most recent first: [{id, address}]. */
export function rememberedAccounts() {
  try {
    const list = JSON.parse(localStorage.getItem(key));
    return Array.isArray(list) ? list.filter((entry) => typeof entry?.id === "string") : [];
  } catch {
    return [];
  }
}

function save(list) {
  try {
    localStorage.setItem(key, JSON.stringify(list));
  } catch {
    // Storage full or disabled: the list is a convenience only.
  }
}

/** Remembers an account as the most recent one, keeping a known address when none is given. */
export function rememberAccount(id, address = null) {
  const list = rememberedAccounts();
  const old = list.find((entry) => entry.id === id);
  save([{ id, address: address ?? old?.address ?? null }, ...list.filter((entry) => entry.id !== id)]);
}

/** Updates a remembered account's address without changing the order. */
export function setAccountAddress(id, address) {
  save(rememberedAccounts().map((entry) => (entry.id === id ? { ...entry, address } : entry)));
}

export function forgetAccount(id) {
  save(rememberedAccounts().filter((entry) => entry.id !== id));
}

const callbackUrl = () => location.origin + "/";

/** Creates an Outlook account and goes to the provider's sign-in. */
export async function startLink() {
  const created = await api("/api/accounts", { method: "POST", body: { provider: "outlook", callbackUrl: callbackUrl() } });
  rememberAccount(created.id);
  location.assign(created.loginUrl);
}

/** Links an IMAP or Gmail account with a password; the server signs in first and says why when it cannot. */
export async function linkWithPassword(provider, imap) {
  const created = await api("/api/accounts", { method: "POST", body: { provider, imap } });
  rememberAccount(created.id);
  return created;
}

/** Gives an IMAP or Gmail account its current password. */
export async function relinkWithPassword(id, password) {
  return api(accountPath(id, "/relink"), { method: "POST", body: { imap: { password } } });
}

/** Signs an existing account in again; when the server refuses (e.g. the cookie is gone), links a new one. */
export async function relinkOrStart(id) {
  if (id) {
    try {
      const { loginUrl } = await api(accountPath(id, "/relink"), { method: "POST", body: { callbackUrl: callbackUrl() } });
      location.assign(loginUrl);
      return;
    } catch (error) {
      if (error.status === undefined) throw error; // network failure: a new account would not help
      if (isGone(error)) forgetAccount(id);
    }
  }
  await startLink();
}
