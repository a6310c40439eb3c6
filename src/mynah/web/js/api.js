// Every request to the server goes through `api()`: it adds the API key the user gave (kept in this
// tab's sessionStorage), asks for one when the server answers 401, and turns an error body
// ({"error": {"message", "type", "param", "code", ...}}) into an ApiError.

const KEY_NAME = "mynah.apiKey";

export class ApiError extends Error {
  constructor(status, error) {
    super(error.message || `HTTP ${status}`);
    this.status = status;
    this.code = error.code || null;
    this.param = error.param || null;
    this.line = error.line ?? null;
    this.column = error.column ?? null;
  }
}

export function apiKey() {
  return sessionStorage.getItem(KEY_NAME);
}

let asking = null; // one dialog for all the requests that got a 401 at the same time

function askForKey(reason) {
  if (asking) return asking;
  const dialog = document.getElementById("key-dialog");
  const form = document.getElementById("key-form");
  const input = document.getElementById("key-input");
  const error = document.getElementById("key-error");
  error.hidden = !reason;
  error.textContent = reason || "";
  input.value = "";
  asking = new Promise((resolve, reject) => {
    const done = () => {
      form.removeEventListener("submit", submit);
      dialog.removeEventListener("cancel", cancel);
      asking = null;
    };
    const submit = (event) => {
      event.preventDefault();
      const key = input.value.trim();
      if (!key) return;
      sessionStorage.setItem(KEY_NAME, key);
      dialog.close();
      done();
      resolve(key);
    };
    const cancel = () => {
      done();
      reject(new ApiError(401, { message: "an API key is needed for this server", code: "unauthorized" }));
    };
    form.addEventListener("submit", submit);
    dialog.addEventListener("cancel", cancel);
  });
  dialog.showModal();
  input.focus();
  return asking;
}

export function changeKey() {
  sessionStorage.removeItem(KEY_NAME);
  return askForKey("");
}

async function errorOf(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    // not JSON: fall through to the status line
  }
  const error = body && typeof body.error === "object" && body.error ? body.error : {};
  if (!error.message) error.message = `${response.status} ${response.statusText}`.trim();
  return new ApiError(response.status, error);
}

/** fetch(path) with the key; resolves to the Response when it is 2xx, throws ApiError otherwise. */
export async function api(path, options = {}) {
  for (;;) {
    const headers = new Headers(options.headers || {});
    const key = apiKey();
    if (key) headers.set("Authorization", `Bearer ${key}`);
    const response = await fetch(path, { ...options, headers });
    if (response.ok) return response;
    const error = await errorOf(response);
    if (response.status !== 401) throw error;
    sessionStorage.removeItem(KEY_NAME);
    document.getElementById("key-change").hidden = false;
    await askForKey(key ? `That key was refused: ${error.message}` : "");
  }
}

export async function apiJson(path, options = {}) {
  return (await api(path, options)).json();
}

export function postJson(path, body, options = {}) {
  return api(path, {
    ...options,
    method: "POST",
    headers: { "Content-Type": "application/json", ...(options.headers || {}) },
    body: JSON.stringify(body),
  });
}
