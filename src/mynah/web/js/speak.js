// Speak: text or SSML in, audio out while it streams, the word being spoken highlighted from the
// timings the server sends (POST /v1/audio/speech, stream_format=sse, timings=true).

import { ApiError, apiJson, postJson } from "./api.js";
import { arrowNavigation, el, saveBlob, showError } from "./dom.js";
import { follow } from "./follow.js";
import { FORMATS, StreamingAudio, base64Bytes, sseEvents } from "./stream.js";
import { codePointOffsets, indexOfLineColumn } from "./text.js";

const SSML_EXAMPLE = `<speak>
  Hello from <emphasis>mynah</emphasis>.
  <break time="300ms"/>
  Your order of <say-as interpret-as="cardinal">1234</say-as> items ships on
  <say-as interpret-as="date" format="mdy">12/24/2026</say-as>.
  <prosody rate="slow">This part is slow,</prosody>
  <prosody rate="fast">and this part is fast.</prosody>
</speak>`;

const $ = (id) => document.getElementById(id);
const looksLikeSsml = (text) => /^\s*(<\?xml[^>]*>\s*)?<speak[\s>]/.test(text);
const languageNames = typeof Intl.DisplayNames === "function" ? new Intl.DisplayNames(["en"], { type: "language" }) : null;

function languageLabel(code) {
  try {
    const name = languageNames?.of(code);
    return name && name !== code ? `${name} (${code})` : code;
  } catch {
    return code;
  }
}

export function init() {
  const input = $("speak-input");
  const audio = $("speak-audio");
  const reading = $("speak-reading");
  const status = $("speak-status");
  const errorBox = $("speak-error");
  const play = $("speak-play");
  const stop = $("speak-stop");
  let voices = [];
  let aliases = [];
  let run = null; // the synthesis in progress: {controller, player}
  let last = null; // the last complete synthesis: {key, format, blob}
  let tracker = null;

  for (const [value, spec] of Object.entries(FORMATS)) {
    $("speak-format").append(el("option", { value }, spec.label));
    $("speak-download-format").append(el("option", { value }, spec.label));
  }

  // -- controls

  const updateMode = () => {
    $("speak-mode").textContent = looksLikeSsml(input.value) ? "SSML" : "Plain text";
  };
  input.addEventListener("input", updateMode);
  updateMode();
  $("speak-example").addEventListener("click", () => {
    input.value = SSML_EXAMPLE;
    updateMode();
    input.focus();
  });
  $("speak-speed").addEventListener("input", () => {
    $("speak-speed-value").textContent = `${Number($("speak-speed").value).toFixed(2)}×`;
  });

  const fillVoices = () => {
    const language = $("speak-language").value;
    const select = $("speak-voice");
    const chosen = select.value;
    select.replaceChildren();
    const matches = (voice) => !language || voice.language === language;
    const named = aliases.filter((a) => a.voice && matches(voices.find((v) => v.id === a.voice) || {}));
    if (named.length) {
      select.append(
        el("optgroup", { label: "OpenAI voice names" }, ...named.map((a) => el("option", { value: a.alias }, `${a.alias} → ${a.voice}`))),
      );
    }
    const engines = [...new Set(voices.map((v) => v.engine))];
    for (const engine of engines) {
      const list = voices.filter((v) => v.engine === engine && matches(v));
      if (!list.length) continue;
      const options = list.map((v) =>
        el("option", { value: v.id }, `${v.name} · ${languageLabel(v.language)}${v.gender ? ` · ${v.gender}` : ""}`),
      );
      select.append(el("optgroup", { label: engine }, ...options));
    }
    if ([...select.options].some((o) => o.value === chosen)) select.value = chosen;
  };
  $("speak-language").addEventListener("change", fillVoices);

  const loadVoices = async () => {
    const listed = await apiJson("/v1/audio/voices");
    voices = listed.voices;
    aliases = listed.aliases || [];
    const languages = [...new Set(voices.map((v) => v.language).filter(Boolean))].sort();
    $("speak-language").append(...languages.map((code) => el("option", { value: code }, languageLabel(code))));
    fillVoices();
    const preferred = ["alloy", "espeak:en-us"].find((id) => [...$("speak-voice").options].some((o) => o.value === id));
    if (preferred) $("speak-voice").value = preferred;
  };

  const loadLexicons = async () => {
    const listed = await apiJson("/v1/lexicons");
    const box = $("speak-lexicons");
    if (!listed.data.length) return;
    box.replaceChildren(
      ...listed.data.map((lexicon) =>
        el("label", { class: "check" }, el("input", { type: "checkbox", value: lexicon.name }), ` ${lexicon.name}`),
      ),
    );
  };

  const request = (format) => {
    const rate = $("speak-rate").value;
    const loudness = $("speak-loudness").value;
    return {
      model: "tts-1",
      input: input.value,
      voice: $("speak-voice").value,
      response_format: format,
      speed: Number($("speak-speed").value),
      ...(rate ? { sample_rate: Number(rate) } : {}),
      ...(loudness ? { loudness: Number(loudness) } : {}),
      lexicons: [...$("speak-lexicons").querySelectorAll("input:checked")].map((box) => box.value),
      normalize: $("speak-normalize").checked,
    };
  };

  // -- errors, with SSML errors pointed at in the editor

  const showSpeechError = (error) => {
    errorBox.replaceChildren();
    errorBox.hidden = false;
    errorBox.append(el("p", {}, error.message));
    if (error.line && error.column && error.param === "input") {
      const lines = input.value.split("\n");
      const text = lines[error.line - 1] ?? "";
      const column = codePointOffsets(text)[Math.min(error.column - 1, [...text].length)] ?? 0;
      const gutter = `${error.line} | `;
      errorBox.append(
        el(
          "pre",
          { class: "excerpt", "aria-label": `Line ${error.line}, column ${error.column}` },
          `${gutter}${text}\n${" ".repeat(gutter.length + column)}^`,
        ),
        el("button", { type: "button", class: "quiet", onclick: () => pointAt(error) }, `Go to line ${error.line}, column ${error.column}`),
      );
      pointAt(error);
    }
  };
  const pointAt = (error) => {
    const index = indexOfLineColumn(input.value, error.line, error.column);
    input.focus();
    input.setSelectionRange(index, Math.min(index + 1, input.value.length));
  };

  // -- the text as spoken, each word a span placed by its offsets into the input. Words that share
  // their source (the words of "1234", of a <sub> alias, of a date) light the same span.

  let spanOf = [];
  const between = (text) =>
    text.split(/(<[^<>]*>)/).map((part) => (/^<[^<>]*>$/.test(part) ? el("span", { class: "tag" }, part) : part));
  const renderReading = (source, words) => {
    const offsets = codePointOffsets(source);
    const parts = [];
    spanOf = [];
    let at = 0;
    let last = null;
    words.forEach((word, index) => {
      const start = offsets[word.start] ?? source.length;
      const end = offsets[word.end] ?? source.length;
      if (start < at || end <= start) {
        spanOf[index] = last; // inside (or the same as) the span before: the words of one source
        return;
      }
      if (start > at) parts.push(...between(source.slice(at, start)));
      last = el("span", { class: "w", dataset: { index, time: word.time } }, source.slice(start, end));
      parts.push(last);
      spanOf[index] = last;
      at = end;
    });
    parts.push(...between(source.slice(at)));
    reading.replaceChildren(...parts);
    reading.hidden = false;
  };
  const highlight = (index) => {
    reading.dataset.current = String(index);
    const span = spanOf[index];
    for (const lit of reading.querySelectorAll(".w.current")) if (lit !== span) lit.classList.remove("current");
    if (!span) return;
    span.classList.add("current");
    const first = Number(span.dataset.index);
    for (const other of reading.querySelectorAll(".w")) {
      other.classList.toggle("spoken", Number(other.dataset.index) < first);
    }
  };
  const seekTo = (span) => {
    audio.currentTime = Number(span.dataset.time);
    audio.play().catch(() => {});
  };
  reading.addEventListener("click", (event) => {
    const span = event.target.closest(".w");
    if (span) seekTo(span);
  });
  arrowNavigation(reading, ".w", seekTo);

  // -- synthesis

  const stopRun = () => {
    if (run) {
      run.controller.abort();
      run = null;
    }
    audio.pause();
    stop.disabled = true;
    play.disabled = false;
  };
  stop.addEventListener("click", () => {
    stopRun();
    status.textContent = "Stopped.";
  });

  play.addEventListener("click", async () => {
    stopRun();
    showError(errorBox, null);
    const format = $("speak-format").value;
    const body = request(format);
    if (!body.input.trim()) {
      showError(errorBox, new Error("Type something to say first."));
      return;
    }
    const source = body.input;
    const controller = new AbortController();
    run = { controller };
    play.disabled = true;
    stop.disabled = false;
    status.textContent = "Synthesising…";
    const words = [];
    const items = [];
    tracker?.stop();
    tracker = follow(audio, items, highlight);
    try {
      const response = await postJson("/v1/audio/speech", { ...body, stream_format: "sse", timings: true }, { signal: controller.signal });
      const rate = Number(response.headers.get("x-mynah-sample-rate"));
      const player = new StreamingAudio(audio, format, rate);
      player.onblocked = () => {
        status.textContent = "The browser held back playback: press play on the player.";
      };
      run.player = player;
      renderReading(source, words);
      for await (const event of sseEvents(response)) {
        if (event.type === "speech.word") {
          words.push(event);
          items.push({ start: event.time, end: event.time + event.duration });
        } else if (event.type === "speech.sentence") {
          renderReading(source, words);
        } else if (event.type === "speech.audio.delta") {
          renderReading(source, words);
          await player.append(base64Bytes(event.audio));
          status.textContent = player.streaming ? "Playing while it streams…" : "Receiving audio…";
        } else if (event.type === "error") {
          throw new ApiError(500, event.error);
        }
      }
      renderReading(source, words);
      const blob = await player.finish();
      last = { key: JSON.stringify(body), format, blob };
      const voice = response.headers.get("x-mynah-voice");
      const fallback = response.headers.get("x-mynah-fallback");
      status.textContent =
        `${words.length} words, ${voice} at ${rate} Hz, ${FORMATS[format].label}` +
        (player.streaming ? " (streamed)" : " (played when complete: the browser cannot stream this format)") +
        (fallback ? `. Fallback: ${fallback}` : "");
      $("speak-download-format").value = format;
    } catch (error) {
      if (error.name === "AbortError") return;
      status.textContent = "";
      showSpeechError(error);
    } finally {
      if (run?.controller === controller) {
        run = null;
        play.disabled = false;
        stop.disabled = true;
      }
    }
  });
  audio.addEventListener("play", () => {
    stop.disabled = false;
  });
  audio.addEventListener("pause", () => {
    stop.disabled = !run;
  });
  audio.addEventListener("ended", () => {
    stop.disabled = !run;
    for (const span of reading.querySelectorAll(".w")) span.classList.add("spoken");
  });

  $("speak-preview").addEventListener("click", async () => {
    const voice = $("speak-voice").value;
    const option = $("speak-voice").selectedOptions[0];
    status.textContent = `Previewing ${voice}…`;
    try {
      const response = await postJson("/v1/audio/speech", {
        model: "tts-1",
        voice,
        input: `Hello, this is the voice ${voice.split(":").pop().replace(/[+_-]/g, " ")}.`,
        response_format: "mp3",
      });
      const url = URL.createObjectURL(await response.blob());
      const preview = new Audio(url);
      preview.addEventListener("ended", () => URL.revokeObjectURL(url));
      await preview.play();
      status.textContent = `Preview of ${option?.textContent ?? voice}`;
    } catch (error) {
      status.textContent = "";
      showSpeechError(error);
    }
  });

  $("speak-download").addEventListener("click", async () => {
    const format = $("speak-download-format").value;
    const body = request(format);
    const name = `mynah-speech.${FORMATS[format].ext}`;
    try {
      if (last && last.key === JSON.stringify(body)) {
        saveBlob(last.blob, name);
        return;
      }
      status.textContent = `Rendering ${FORMATS[format].label} for download…`;
      const response = await postJson("/v1/audio/speech", body);
      saveBlob(await response.blob(), name);
      status.textContent = `Saved ${name}`;
    } catch (error) {
      status.textContent = "";
      showSpeechError(error);
    }
  });

  return Promise.all([loadVoices(), loadLexicons()]);
}
