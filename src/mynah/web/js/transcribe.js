// Transcribe: a file or a microphone recording in, a transcript out (POST /v1/audio/transcriptions,
// verbose_json with word timestamps): speakers coloured, low-confidence words marked, a click on a
// word plays from there. SRT and VTT come from the server's own renderers (its transcript cache
// answers the repeat at once); JSON is the response as received.

import { api, apiJson } from "./api.js";
import { arrowNavigation, el, saveBlob, seconds, showError } from "./dom.js";
import { follow } from "./follow.js";
import { bindLive } from "./live.js";

const RECORDER_SLICE_MS = 250;
const MIN_RECORDING_MS = 500; // shorter than this holds no audio block

const $ = (id) => document.getElementById(id);

export function init() {
  const form = $("transcribe-form");
  const status = $("transcribe-status");
  const errorBox = $("transcribe-error");
  const audio = $("transcribe-audio");
  const transcript = $("transcript");
  const runButton = $("transcribe-run");
  let source = null; // the File being transcribed
  let sourceUrl = null;
  let result = null;
  let tracker = null;
  let recorder = null;

  const setSource = (file) => {
    source = file;
    if (sourceUrl) URL.revokeObjectURL(sourceUrl);
    sourceUrl = URL.createObjectURL(file);
    audio.src = sourceUrl;
    runButton.disabled = false;
  };

  const formFor = (format) => {
    const data = new FormData();
    data.append("file", source, source.name);
    data.append("model", $("transcribe-model").value);
    data.append("response_format", format);
    data.append("timestamp_granularities[]", "word");
    data.append("timestamp_granularities[]", "segment");
    const language = $("transcribe-language").value.trim();
    if (language) data.append("language", language);
    if ($("transcribe-diarize").checked) {
      data.append("diarize", "true");
      const speakers = $("transcribe-speakers").value;
      if (speakers) data.append("num_speakers", speakers);
    }
    return data;
  };

  const render = (body) => {
    const speakers = [...new Set([...(body.words || []), ...(body.segments || [])].map((x) => x.speaker).filter(Boolean))];
    const colour = (speaker) => (speaker ? `spk spk-${speakers.indexOf(speaker) % 8}` : "");
    const words = body.words || [];
    const paragraphs = [];
    const segments = body.segments?.length ? body.segments : [{ start: 0, end: Infinity, text: body.text }];
    let w = 0;
    const items = [];
    for (const [index, segment] of segments.entries()) {
      const last = index === segments.length - 1;
      const spans = [];
      while (w < words.length && (last || words[w].start < segment.end)) {
        const word = words[w];
        const low = word.low_confidence;
        const title = `${seconds(word.start)}–${seconds(word.end)}, confidence ${Math.round((word.probability ?? 1) * 100)}%${word.speaker ? `, ${word.speaker}` : ""}`;
        spans.push(
          el("span", { class: `w ${colour(word.speaker)} ${low ? "low" : ""}`.trim(), title, dataset: { index: items.length, start: word.start } }, word.word.trim()),
          " ",
        );
        items.push({ start: word.start, end: word.end });
        w += 1;
      }
      if (!spans.length && segment.text?.trim()) {
        spans.push(el("span", { class: `w ${colour(segment.speaker)}`, dataset: { index: items.length, start: segment.start } }, segment.text.trim()));
        items.push({ start: segment.start, end: segment.end });
      }
      if (!spans.length) continue;
      const label = segment.speaker ? el("span", { class: `speaker ${colour(segment.speaker)}` }, segment.speaker) : null;
      const time = el("button", { type: "button", class: "time quiet", dataset: { start: segment.start }, "aria-label": `Play from ${seconds(segment.start)}` }, seconds(segment.start));
      paragraphs.push(el("p", {}, time, label, " ", ...spans));
    }
    transcript.replaceChildren(...(paragraphs.length ? paragraphs : [el("p", { class: "hint" }, "No speech found.")]));
    const legend = $("transcribe-legend");
    legend.replaceChildren(...speakers.map((s) => el("span", { class: `speaker ${colour(s)}` }, s)));
    if (words.some((x) => x.low_confidence)) legend.append(el("span", { class: "w low" }, "low confidence"));
    tracker?.stop();
    tracker = follow(audio, items, (index) => {
      for (const span of transcript.querySelectorAll(".w.current")) span.classList.remove("current");
      transcript.querySelector(`.w[data-index="${index}"]`)?.classList.add("current");
    });
    $("transcribe-result").hidden = false;
  };

  const playFrom = (node) => {
    audio.currentTime = Number(node.dataset.start);
    audio.play().catch(() => {});
  };
  transcript.addEventListener("click", (event) => {
    const node = event.target.closest("[data-start]");
    if (node) playFrom(node);
  });
  arrowNavigation(transcript, ".w", playFrom);

  const transcribe = async () => {
    if (!source) return;
    showError(errorBox, null);
    runButton.disabled = true;
    status.textContent = `Transcribing ${source.name}…`;
    try {
      const response = await api("/v1/audio/transcriptions", { method: "POST", body: formFor("verbose_json") });
      result = await response.json();
      render(result);
      const engine = response.headers.get("x-mynah-model") || result.model;
      const fallback = response.headers.get("x-mynah-fallback");
      status.textContent =
        `${source.name}: ${seconds(result.duration || 0)} of audio, ${(result.words || []).length} words, language ${result.language || "?"}, model ${engine}` +
        (fallback ? `. Fallback: ${fallback}` : "");
    } catch (error) {
      status.textContent = "";
      showError(errorBox, error);
    } finally {
      runButton.disabled = false;
    }
  };

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    transcribe();
  });
  $("transcribe-file").addEventListener("change", () => {
    const file = $("transcribe-file").files[0];
    if (!file) return;
    setSource(file);
    transcribe();
  });

  $("transcribe-record").addEventListener("click", async () => {
    const button = $("transcribe-record");
    if (recorder) {
      recorder.stop();
      return;
    }
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      const chunks = [];
      const started = performance.now();
      recorder = new MediaRecorder(stream);
      recorder.addEventListener("dataavailable", (event) => {
        if (event.data.size) chunks.push(event.data);
        if (recorder && recorder.state === "recording") {
          const seconds = ((performance.now() - started) / 1000).toFixed(1);
          status.textContent = `Recording ${seconds} s… press again to stop and transcribe.`;
        }
      });
      recorder.addEventListener("stop", () => {
        for (const track of stream.getTracks()) track.stop();
        const type = recorder.mimeType || "audio/webm";
        recorder = null;
        button.textContent = "● Record";
        button.setAttribute("aria-pressed", "false");
        if (performance.now() - started < MIN_RECORDING_MS || !chunks.length) {
          // the recorder has not written a whole block of audio yet: the file would be a bare header
          status.textContent = "Nothing was recorded yet: press Record, speak, then press it again.";
          return;
        }
        const ext = type.includes("ogg") ? "ogg" : type.includes("mp4") ? "m4a" : "webm";
        setSource(new File(chunks, `recording.${ext}`, { type }));
        transcribe();
      });
      recorder.start(RECORDER_SLICE_MS); // a block every slice: the status counts the seconds held
      button.textContent = "■ Stop recording";
      button.setAttribute("aria-pressed", "true");
      status.textContent = "Recording… press again to stop and transcribe.";
    } catch (error) {
      showError(errorBox, new Error(`The microphone is not available: ${error.message}`));
    }
  });

  for (const button of document.querySelectorAll("[data-export]")) {
    button.addEventListener("click", async () => {
      const format = button.dataset.export;
      const base = (source?.name || "transcript").replace(/\.[^.]+$/, "");
      if (format === "json") {
        saveBlob(new Blob([JSON.stringify(result, null, 2)], { type: "application/json" }), `${base}.json`);
        return;
      }
      try {
        const response = await api("/v1/audio/transcriptions", { method: "POST", body: formFor(format) });
        saveBlob(new Blob([await response.text()], { type: "text/plain" }), `${base}.${format}`);
      } catch (error) {
        showError(errorBox, error);
      }
    });
  }

  bindLive({
    settings: () => ({ model: $("transcribe-model").value, language: $("transcribe-language").value.trim() }),
    report: (text) => {
      status.textContent = text;
    },
    fail: (error) => showError(errorBox, error),
  });

  return apiJson("/v1/models").then((listed) => {
    const select = $("transcribe-model");
    const models = listed.data.filter((m) => m.task === "speech-to-text");
    select.replaceChildren(...models.map((m) => el("option", { value: m.id }, m.id)));
  });
}
