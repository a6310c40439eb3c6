// Jobs: submit a transcription (multipart, POST /v1/mynah/jobs/transcriptions) or a speech job (JSON,
// POST /v1/mynah/jobs/speech), list them (GET /v1/mynah/jobs), follow each unfinished one through its
// server-sent events (GET .../events: `progress` events, then `done`), download a result
// (GET .../result) and cancel or remove one (DELETE /v1/mynah/jobs/{id}).

import { api, apiJson, postJson } from "./api.js";
import { el, saveBlob, showError } from "./dom.js";
import { FORMATS, sseEvents } from "./stream.js";

const $ = (id) => document.getElementById(id);
const FINISHED = new Set(["succeeded", "failed", "cancelled"]);
const TRANSCRIPT_EXT = { json: "json", verbose_json: "json", diarized_json: "json", text: "txt", srt: "srt", vtt: "vtt" };

function resultName(job) {
  if (job.kind === "speech") return `${job.id}.${FORMATS[job.request?.response_format]?.ext || "audio"}`;
  return `${job.id}.${TRANSCRIPT_EXT[job.request?.response_format] || "json"}`;
}

const submittedTexts = new Map(); // job id -> the text this tab sent (the server keeps it as a blob)

function inputOf(job) {
  if (job.kind === "speech") {
    const text = submittedTexts.get(job.id);
    const what = `${job.request?.voice}, ${job.request?.response_format}`;
    if (!text) return `text (${what})`;
    return `${text.length > 60 ? `${text.slice(0, 57)}…` : text} (${what})`;
  }
  return job.input?.name || "(upload)";
}

export function init() {
  const body = $("jobs-table").querySelector("tbody");
  const status = $("jobs-status");
  const errorBox = $("jobs-error");
  const following = new Map(); // job id -> AbortController of its events stream

  const progressCell = (job) => {
    const bar = el("progress", { max: 1, value: job.progress || 0, "aria-label": `Progress of job ${job.id}` });
    const done = job.seconds_total ? ` ${job.seconds_done.toFixed(1)} of ${job.seconds_total.toFixed(1)} s` : "";
    return el("td", { class: "nowrap" }, bar, ` ${Math.round((job.progress || 0) * 100)} %${done}`);
  };

  const actions = (job) => {
    const cell = el("td", { class: "row" });
    if (job.status === "succeeded") {
      cell.append(el("button", { type: "button", "aria-label": `Download the result of job ${job.id}`, onclick: () => download(job) }, "Download"));
    }
    const finished = FINISHED.has(job.status);
    const label = finished ? `Remove job ${job.id}` : `Cancel job ${job.id}`;
    cell.append(el("button", { type: "button", class: "quiet", "aria-label": label, onclick: () => remove(job) }, finished ? "Remove" : "Cancel"));
    return cell;
  };

  const row = (job) => {
    const error = job.error?.error?.message;
    return el(
      "tr",
      { dataset: { job: job.id, state: job.status } },
      el("th", { scope: "row" }, el("code", {}, job.id), el("div", { class: "hint" }, job.kind)),
      el("td", {}, inputOf(job)),
      el("td", { class: `state state-${job.status}` }, job.status, error ? el("div", { class: "hint" }, error) : null),
      progressCell(job),
      actions(job),
    );
  };

  const show = (job) => {
    const fresh = row(job);
    const old = body.querySelector(`tr[data-job="${job.id}"]`);
    if (old) old.replaceWith(fresh);
    else body.prepend(fresh);
    if (!FINISHED.has(job.status)) followJob(job.id);
  };

  const followJob = (id) => {
    if (following.has(id)) return;
    const controller = new AbortController();
    following.set(id, controller);
    (async () => {
      try {
        const response = await api(`/v1/mynah/jobs/${encodeURIComponent(id)}/events`, { signal: controller.signal });
        for await (const job of sseEvents(response)) {
          show(job);
          if (FINISHED.has(job.status)) status.textContent = `Job ${job.id} ${job.status}.`;
        }
      } catch (error) {
        if (error.name !== "AbortError") showError(errorBox, error);
      } finally {
        following.delete(id);
      }
    })();
  };

  const load = async () => {
    const listed = await apiJson("/v1/mynah/jobs?limit=50");
    body.replaceChildren(...listed.data.map(row));
    for (const job of listed.data) if (!FINISHED.has(job.status)) followJob(job.id);
    if (!listed.data.length) body.append(el("tr", { class: "empty" }, el("td", { colspan: 5, class: "hint" }, "No jobs yet.")));
  };

  const submitted = async (response, text) => {
    const job = await response.json();
    if (text) submittedTexts.set(job.id, text);
    body.querySelector("tr.empty")?.remove();
    show(job);
    status.textContent = `Job ${job.id} is ${job.status}.`;
  };

  async function download(job) {
    try {
      const response = await api(`/v1/mynah/jobs/${encodeURIComponent(job.id)}/result`);
      saveBlob(await response.blob(), resultName(job));
      status.textContent = `Saved ${resultName(job)}`;
    } catch (error) {
      showError(errorBox, error);
    }
  }

  async function remove(job) {
    try {
      const response = await api(`/v1/mynah/jobs/${encodeURIComponent(job.id)}`, { method: "DELETE" });
      const after = await response.json();
      if (after.deleted) {
        following.get(job.id)?.abort();
        body.querySelector(`tr[data-job="${job.id}"]`)?.remove();
        status.textContent = `Job ${job.id} removed.`;
      } else {
        show(after);
        status.textContent = `Job ${job.id} ${after.status}.`;
      }
    } catch (error) {
      showError(errorBox, error);
    }
  }

  $("jobs-transcription-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    showError(errorBox, null);
    const file = $("jobs-file").files[0];
    if (!file) return;
    const data = new FormData();
    data.append("file", file, file.name);
    data.append("response_format", $("jobs-result-format").value);
    if ($("jobs-diarize").checked) data.append("diarize", "true");
    try {
      await submitted(await api("/v1/mynah/jobs/transcriptions", { method: "POST", body: data }));
    } catch (error) {
      showError(errorBox, error);
    }
  });

  $("jobs-speech-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    showError(errorBox, null);
    try {
      const request = { input: $("jobs-text").value, voice: $("jobs-voice").value, response_format: $("jobs-speech-format").value };
      await submitted(await postJson("/v1/mynah/jobs/speech", request), request.input);
    } catch (error) {
      showError(errorBox, error);
    }
  });

  $("jobs-refresh").addEventListener("click", () => load().catch((error) => showError(errorBox, error)));

  for (const [value, spec] of Object.entries(FORMATS)) $("jobs-speech-format").append(el("option", { value }, spec.label));
  const loadVoices = async () => {
    const listed = await apiJson("/v1/audio/voices");
    const names = (listed.aliases || []).filter((a) => a.voice).map((a) => el("option", { value: a.alias }, `${a.alias} → ${a.voice}`));
    const native = listed.voices.map((v) => el("option", { value: v.id }, v.id));
    $("jobs-voice").replaceChildren(...names, ...native);
  };
  return Promise.all([load(), loadVoices()]);
}
