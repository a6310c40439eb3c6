// The playground's one router: a page per tab, shown when the server has the route it needs
// (probed in /openapi.json), chosen by the URL's #fragment. A page is its <section id="page-ID">
// in index.html and a module whose init() binds it, run the first time the page is shown.

import { changeKey } from "./api.js";
import { el, showError } from "./dom.js";

const PAGES = [
  { id: "speak", title: "Speak", needs: "/v1/audio/speech", module: "./speak.js" },
  { id: "transcribe", title: "Transcribe", needs: "/v1/audio/transcriptions", module: "./transcribe.js" },
  { id: "jobs", title: "Jobs", needs: "/v1/mynah/jobs", module: "./jobs.js" },
  { id: "models", title: "Voices & models", needs: "/v1/mynah/models", module: "./models.js" },
  { id: "keys", title: "Usage & keys", needs: "/v1/mynah/keys", module: "./keys.js" },
];

async function serverPaths() {
  try {
    const response = await fetch("/openapi.json");
    if (response.ok) return new Set(Object.keys((await response.json()).paths || {}));
  } catch {
    // no schema: offer every page and let its requests say what is missing
  }
  return null;
}

async function start() {
  const paths = await serverPaths();
  const pages = PAGES.filter((page) => !paths || paths.has(page.needs));
  const tabs = document.getElementById("tabs");
  const started = new Map();
  tabs.replaceChildren(
    ...pages.map((page) => el("li", {}, el("a", { href: `#/${page.id}`, id: `tab-${page.id}` }, page.title))),
  );

  const show = async (focus) => {
    const wanted = location.hash.replace(/^#\/?/, "");
    const page = pages.find((p) => p.id === wanted) || pages[0];
    if (!page) return;
    for (const other of PAGES) {
      const section = document.getElementById(`page-${other.id}`);
      if (section) section.hidden = other !== page;
      document.getElementById(`tab-${other.id}`)?.removeAttribute("aria-current");
    }
    document.getElementById(`tab-${page.id}`).setAttribute("aria-current", "page");
    document.title = `${page.title} · mynah`;
    if (focus) document.getElementById(`${page.id}-title`)?.focus();
    if (!started.has(page.id)) {
      const ready = import(page.module).then((module) => module.init());
      started.set(page.id, ready);
      ready
        .then(() => document.getElementById(`page-${page.id}`).setAttribute("data-ready", ""))
        .catch((error) => showError(document.getElementById("boot-error"), error));
    }
  };
  window.addEventListener("hashchange", () => show(true));
  document.getElementById("key-change").addEventListener("click", () => changeKey().then(() => location.reload()));
  await show(false);
}

start();
