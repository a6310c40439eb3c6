// Live transcription from the microphone over WS /v1/mynah/transcriptions/stream: the configuration
// first ({encoding: "webm"}: MediaRecorder's Opus in WebM, as it records), then the recorder's blocks
// as binary frames; the server answers `partial` results while the speaker talks and a `final` one per
// utterance. Stop sends `close_stream`: the server finalises what it holds, sends `is_last` and closes.
//
// A browser cannot put an Authorization header on a WebSocket: the tab's key goes as the subprotocol
// `mynah-key.<key>`, offered beside `mynah`, which the server answers (mynah.platform.auth).

import { apiKey } from "./api.js";

const SLICE_MS = 250;

const $ = (id) => document.getElementById(id);

function socketUrl() {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  return `${scheme}://${location.host}/v1/mynah/transcriptions/stream`;
}

/** Bind the Live button; `settings()` gives {model, language}; `report(text)` and `fail(error)` speak. */
export function bindLive({ settings, report, fail }) {
  const button = $("transcribe-live");
  const finals = $("live-finals");
  const partial = $("live-partial");
  let session = null;

  const setPressed = (on) => {
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.textContent = on ? "■ Stop live" : "◉ Live from the microphone";
  };

  const end = (message) => {
    if (!session) return;
    const { stream, recorder } = session;
    session = null;
    if (recorder.state !== "inactive") recorder.stop();
    for (const track of stream.getTracks()) track.stop();
    setPressed(false);
    if (message) report(message);
  };

  const onMessage = (event) => {
    const message = JSON.parse(event.data);
    if (message.type === "ready") {
      report(`Live: listening (model ${message.model}). Speak; press Stop live to finish.`);
      session?.recorder.start(SLICE_MS);
    } else if (message.type === "partial") {
      partial.textContent = message.text;
    } else if (message.type === "final") {
      partial.textContent = "";
      if (message.text.trim()) {
        const confidence = message.confidence == null ? "" : `, confidence ${Math.round(message.confidence * 100)}%`;
        finals.append(Object.assign(document.createElement("p"), { textContent: message.text.trim(), title: `${message.start}–${message.end} s${confidence}` }));
      }
      if (message.is_last) $("live").dataset.done = "";
    } else if (message.type === "error") {
      event.target.failed = true;
      fail(new Error(message.error?.message || "the live transcription failed"));
    }
  };

  const start = async () => {
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (error) {
      fail(new Error(`The microphone is not available: ${error.message}`));
      return;
    }
    const type = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus"].find((t) => MediaRecorder.isTypeSupported(t));
    const recorder = new MediaRecorder(stream, type ? { mimeType: type } : {});
    const key = apiKey();
    let socket;
    try {
      socket = new WebSocket(socketUrl(), key ? ["mynah", `mynah-key.${key}`] : []);
    } catch (error) {
      for (const track of stream.getTracks()) track.stop();
      fail(new Error(`The live stream could not open: ${error.message}`));
      return;
    }
    session = { stream, recorder, socket };
    finals.replaceChildren();
    partial.textContent = "";
    delete $("live").dataset.done;
    $("live").hidden = false;
    setPressed(true);
    report("Live: connecting…");
    recorder.addEventListener("dataavailable", (event) => {
      if (event.data.size && socket.readyState === WebSocket.OPEN) socket.send(event.data);
    });
    recorder.addEventListener("stop", () => {
      if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: "close_stream" }));
    });
    socket.addEventListener("open", () => {
      const { model, language } = settings();
      const encoding = (recorder.mimeType || type || "").includes("ogg") ? "ogg" : "webm";
      socket.send(JSON.stringify({ type: "config", model: model || null, language: language || null, encoding, partials: true }));
    });
    socket.addEventListener("message", onMessage);
    socket.addEventListener("close", (event) => {
      if (session?.socket === socket) end();
      if (event.code === 1000) report("Live: finished.");
      else if (!socket.failed) {
        const refused = "The live stream was refused: check the API key (the API key button changes it).";
        fail(new Error(event.code === 1006 ? refused : `The live stream closed: ${event.reason || `code ${event.code}`}`));
      }
    });
  };

  button.addEventListener("click", () => {
    if (session) {
      report("Live: finishing the last words…");
      const { recorder, stream, socket } = session;
      if (recorder.state !== "inactive") recorder.stop(); // its last block, then close_stream
      else if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: "close_stream" }));
      else socket.close();
      for (const track of stream.getTracks()) track.stop();
      session = null;
      setPressed(false);
    } else start();
  });
  $("live-controls").hidden = typeof WebSocket === "undefined" || typeof MediaRecorder === "undefined";
}
