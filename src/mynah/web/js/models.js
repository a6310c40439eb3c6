// Voices & models: the neural model files this server has and can fetch (GET /v1/mynah/models,
// pull with NDJSON progress), the speech voices (GET /v1/audio/voices) and transcription models.

import { api, apiJson } from "./api.js";
import { el, formatBytes } from "./dom.js";

const $ = (id) => document.getElementById(id);

/** The JSON objects of an NDJSON response body, as they arrive. */
async function* ndjson(response) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    const lines = buffer.split("\n");
    buffer = lines.pop();
    for (const line of lines) if (line.trim()) yield JSON.parse(line);
  }
  if (buffer.trim()) yield JSON.parse(buffer);
}

function stateCell(model, pull) {
  if (model.installed) {
    const problems = model.problems?.length ? ` — ${model.problems.join("; ")}` : "";
    return el("td", { class: "state" }, `Installed, ${formatBytes(model.size_bytes)}${model.loaded ? ", loaded" : ""}${problems}`);
  }
  const button = el("button", { type: "button", "aria-label": `Pull ${model.id}` }, `Pull${model.disk_mb ? ` (${model.disk_mb} MB)` : ""}`);
  button.addEventListener("click", () => pull(model, button.parentElement));
  return el("td", { class: "state" }, button);
}

function languagesCell(languages) {
  if (languages.length <= 8) return el("td", {}, languages.join(", "));
  return el("td", { title: languages.join(", ") }, `${languages.length} languages (${languages.slice(0, 5).join(", ")}, …)`);
}

export function init() {
  const status = $("models-status");
  const body = $("models-table").querySelector("tbody");

  const row = (model) =>
    el(
      "tr",
      { dataset: { model: model.id } },
      el("th", { scope: "row" }, el("code", {}, model.id), el("div", { class: "hint" }, model.description || "")),
      el("td", {}, model.kind === "stt" ? "transcription" : "speech"),
      languagesCell(model.languages || []),
      el("td", { class: "nowrap" }, model.disk_mb ? `${model.disk_mb} MB` : ""),
      stateCell(model, pull),
    );

  async function pull(model, cell) {
    const progress = el("progress", { max: 1, value: 0, "aria-label": `Downloading ${model.id}` });
    const label = el("span", { class: "hint", role: "status" }, "Starting…");
    cell.replaceChildren(progress, " ", label);
    try {
      const response = await api(`/v1/mynah/models/${encodeURIComponent(model.id)}/pull`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ stream: true }),
      });
      for await (const event of ndjson(response)) {
        if (event.status === "downloading") {
          progress.max = event.total || 1;
          progress.value = event.done;
          label.textContent = `${formatBytes(event.done)} of ${formatBytes(event.total)} · ${event.file}`;
        } else if (event.status === "done") {
          cell.replaceWith(stateCell(event.model, pull));
          status.textContent = `${model.id} is installed.`;
          await loadVoices(); // a new voice model brings its voices
          return;
        } else if (event.status === "error") {
          throw new Error(event.error.message);
        }
      }
      // a non-streamed answer (already installed) ends without events
    } catch (error) {
      cell.replaceChildren(el("span", { class: "error", role: "alert" }, error.message), " ");
      const retry = el("button", { type: "button" }, "Retry");
      retry.addEventListener("click", () => pull(model, cell));
      cell.append(retry);
    }
  }

  const loadModels = async () => {
    try {
      const listed = await apiJson("/v1/mynah/models?available=true");
      body.replaceChildren(...listed.data.map(row));
      status.textContent = `Models are kept in ${listed.cache_dir}.`;
    } catch (error) {
      body.replaceChildren(el("tr", {}, el("td", { colspan: 5, class: "error" }, error.message)));
    }
  };

  const loadVoices = async () => {
    const listed = await apiJson("/v1/audio/voices");
    const engines = [...new Set(listed.voices.map((v) => v.engine))];
    const summary = $("voices-summary");
    summary.replaceChildren(
      ...engines.map((engine) => {
        const voices = listed.voices.filter((v) => v.engine === engine);
        const languages = new Set(voices.map((v) => v.language));
        const table = el(
          "table",
          {},
          el("thead", {}, el("tr", {}, ...["Voice", "Language", "Gender", "Rate"].map((h) => el("th", { scope: "col" }, h)))),
          el(
            "tbody",
            {},
            ...voices.map((v) => el("tr", {}, el("td", {}, el("code", {}, v.id)), el("td", {}, v.language || ""), el("td", {}, v.gender || ""), el("td", {}, `${v.sample_rate} Hz`))),
          ),
        );
        return el("details", {}, el("summary", {}, `${engine}: ${voices.length} voice${voices.length === 1 ? "" : "s"} in ${languages.size} language${languages.size === 1 ? "" : "s"}`), el("div", { class: "scroll" }, table));
      }),
    );
    if (listed.aliases?.length) {
      summary.append(
        el("p", { class: "hint" }, "OpenAI voice names here: ", listed.aliases.map((a) => `${a.alias} → ${a.voice ?? "none on this machine"}`).join(", ")),
      );
    }
  };

  const loadStt = async () => {
    const listed = await apiJson("/v1/models");
    $("stt-models").replaceChildren(
      ...listed.data.filter((m) => m.task === "speech-to-text").map((m) => el("li", {}, el("code", {}, m.id))),
    );
  };

  return Promise.all([loadModels(), loadVoices(), loadStt()]);
}
