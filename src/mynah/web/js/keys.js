// Usage & keys (admin): the API keys (GET /v1/mynah/keys; POST makes one and answers its token, shown
// here once; DELETE /v1/mynah/keys/{id} revokes it, the row stays so usage still names it) and the
// usage report (GET /v1/mynah/usage?group_by=key|day|model|voice&from=&to=) with its cost estimate.
// A key without the admin scope sees its own usage only, and the key list says why it is missing.

import { ApiError, apiJson, postJson, api } from "./api.js";
import { el, showError } from "./dom.js";

const $ = (id) => document.getElementById(id);
const day = (iso) => (iso ? iso.slice(0, 10) : "");
const GROUP_HEADS = { key: "Key", day: "Day", model: "Model", voice: "Voice" };

export function init() {
  const errorBox = $("keys-error");
  const keysBody = $("keys-table").querySelector("tbody");
  const usageBody = $("usage-table").querySelector("tbody");
  let names = new Map(); // key id -> name, for the usage by key

  const keyRow = (key) =>
    el(
      "tr",
      { dataset: { key: key.id, state: key.state } },
      el("th", { scope: "row" }, key.name),
      el("td", {}, el("code", {}, key.prefix ? `${key.prefix}…` : "")),
      el("td", {}, key.scopes.join(", ")),
      el("td", { class: "nowrap" }, day(key.created_at)),
      el("td", { class: "nowrap" }, day(key.expires_at) || "never"),
      el("td", { class: `state state-${key.state}` }, key.state),
      el(
        "td",
        {},
        key.state === "active"
          ? el("button", { type: "button", "aria-label": `Revoke the key ${key.name}`, onclick: () => revoke(key) }, "Revoke")
          : null,
      ),
    );

  const loadKeys = async () => {
    try {
      const listed = await apiJson("/v1/mynah/keys");
      names = new Map(listed.data.map((k) => [k.id, k.name]));
      names.set("settings", "MYNAH_SERVER__API_KEY");
      names.set("(none)", "(no key)");
      keysBody.replaceChildren(...listed.data.map(keyRow));
      if (!listed.data.length) keysBody.append(el("tr", {}, el("td", { colspan: 7, class: "hint" }, "No keys yet.")));
      $("keys-admin").hidden = false;
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 403) throw error;
      $("keys-admin").hidden = true; // not an admin: the usage below is this key's own
      showError(errorBox, new Error(`${error.message}. The usage below is your key's own.`));
    }
  };

  async function revoke(key) {
    showError(errorBox, null);
    try {
      await api(`/v1/mynah/keys/${encodeURIComponent(key.id)}`, { method: "DELETE" });
      await loadKeys();
    } catch (error) {
      showError(errorBox, error);
    }
  }

  $("keys-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    showError(errorBox, null);
    const scopes = [...$("keys-form").querySelectorAll("input[name=scope]:checked")].map((box) => box.value);
    const days = $("keys-expires").value;
    const request = { name: $("keys-name").value.trim(), scopes, ...(days ? { expires_in_days: Number(days) } : {}) };
    try {
      const created = await (await postJson("/v1/mynah/keys", request)).json();
      $("keys-created-name").textContent = created.name;
      $("keys-token").textContent = created.key;
      $("keys-created").hidden = false;
      $("keys-token").focus();
      $("keys-name").value = "";
      await loadKeys();
    } catch (error) {
      showError(errorBox, error);
    }
  });
  $("keys-created-done").addEventListener("click", () => {
    $("keys-token").textContent = ""; // gone from the page: the server keeps only its hash
    $("keys-created").hidden = true;
    $("keys-name").focus();
  });

  const usageRow = (entry, group, head = "td") => {
    const label = group === "key" ? names.get(entry.group) || entry.group : entry.group;
    return el(
      "tr",
      { dataset: { group: entry.group ?? "total" } },
      el("th", { scope: "row" }, label ?? "Total"),
      ...[entry.requests, entry.errors, entry.cached, entry.chars.toLocaleString("en")].map((n) => el(head, { class: "num" }, String(n))),
      el(head, { class: "num" }, `${entry.audio_seconds.toFixed(1)} s`),
      el(head, { class: "num" }, `$${entry.cost_usd.toFixed(4)}`),
    );
  };

  const loadUsage = async () => {
    const group = $("usage-group").value;
    const query = new URLSearchParams({ group_by: group });
    if ($("usage-from").value) query.set("from", $("usage-from").value);
    if ($("usage-to").value) query.set("to", $("usage-to").value);
    const report = await apiJson(`/v1/mynah/usage?${query}`);
    $("usage-group-head").textContent = GROUP_HEADS[group];
    usageBody.replaceChildren(...report.data.map((entry) => usageRow(entry, group)));
    if (!report.data.length) usageBody.append(el("tr", {}, el("td", { colspan: 7, class: "hint" }, "No usage in this period.")));
    $("usage-table").querySelector("tfoot").replaceChildren(usageRow({ ...report.total, group: null }, group, "td"));
  };
  $("usage-form").addEventListener("submit", (event) => {
    event.preventDefault();
    showError(errorBox, null);
    loadUsage().catch((error) => showError(errorBox, error));
  });

  return loadKeys().then(loadUsage);
}
