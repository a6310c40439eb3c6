// Audio that plays while it arrives: server-sent events from /v1/audio/speech, and a player that
// feeds the <audio> element through Media Source Extensions when the browser can stream the format
// (mp3, aac), or plays the whole file once it is in (wav, flac, opus; raw pcm / G.711 get a WAV header).

/** The JSON of each `data:` event of a text/event-stream response, as it arrives. */
export async function* sseEvents(response) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const data = block
        .split("\n")
        .filter((line) => line.startsWith("data:"))
        .map((line) => line.slice(5).trimStart())
        .join("\n");
      if (data) yield JSON.parse(data);
    }
  }
}

export function base64Bytes(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export const FORMATS = {
  mp3: { label: "MP3", mime: "audio/mpeg", ext: "mp3" },
  opus: { label: "Opus (Ogg)", mime: "audio/ogg", ext: "opus" },
  aac: { label: "AAC (ADTS)", mime: "audio/aac", ext: "aac" },
  flac: { label: "FLAC", mime: "audio/flac", ext: "flac" },
  wav: { label: "WAV", mime: "audio/wav", ext: "wav" },
  pcm: { label: "PCM, raw 16-bit", mime: "audio/pcm", ext: "pcm", wav: { code: 1, bits: 16 } },
  mulaw: { label: "μ-law, raw", mime: "audio/basic", ext: "ulaw", wav: { code: 7, bits: 8 } },
  alaw: { label: "A-law, raw", mime: "audio/x-alaw-basic", ext: "alaw", wav: { code: 6, bits: 8 } },
};

/** A WAV header in front of raw mono samples, so the browser can play them. */
function wavBlob(chunks, rate, { code, bits }) {
  const size = chunks.reduce((n, c) => n + c.length, 0);
  const header = new DataView(new ArrayBuffer(44));
  const ascii = (offset, text) => [...text].forEach((ch, i) => header.setUint8(offset + i, ch.charCodeAt(0)));
  ascii(0, "RIFF");
  header.setUint32(4, 36 + size, true);
  ascii(8, "WAVEfmt ");
  header.setUint32(16, 16, true);
  header.setUint16(20, code, true);
  header.setUint16(22, 1, true);
  header.setUint32(24, rate, true);
  header.setUint32(28, (rate * bits) / 8, true);
  header.setUint16(32, bits / 8, true);
  header.setUint16(34, bits, true);
  ascii(36, "data");
  header.setUint32(40, size, true);
  return new Blob([header.buffer, ...chunks], { type: "audio/wav" });
}

export class StreamingAudio {
  /** Plays `format` in `audio` as bytes arrive; `rate` is the stream's sample rate (raw formats). */
  constructor(audio, format, rate) {
    this.audio = audio;
    this.format = format;
    this.rate = rate;
    this.chunks = [];
    this.queue = [];
    const mime = FORMATS[format].mime;
    this.streaming = typeof MediaSource !== "undefined" && MediaSource.isTypeSupported(mime);
    this.ready = this.streaming ? this.#open(mime) : Promise.resolve();
    this.started = false;
  }

  async #open(mime) {
    this.source = new MediaSource();
    this.url = URL.createObjectURL(this.source);
    this.audio.src = this.url;
    await new Promise((resolve) => this.source.addEventListener("sourceopen", resolve, { once: true }));
    this.buffer = this.source.addSourceBuffer(mime);
    this.buffer.mode = "sequence";
    this.buffer.addEventListener("updateend", () => this.#pump());
  }

  #pump() {
    if (this.buffer.updating || !this.queue.length) {
      if (!this.buffer.updating && !this.queue.length && this.drained) this.drained();
      return;
    }
    this.buffer.appendBuffer(this.queue.shift());
    if (!this.started) {
      this.started = true;
      this.play();
    }
  }

  play() {
    return this.audio.play().catch((error) => {
      if (error.name !== "AbortError") this.onblocked?.(error);
    });
  }

  async append(bytes) {
    this.chunks.push(bytes);
    if (!this.streaming) return;
    await this.ready;
    this.queue.push(bytes);
    this.#pump();
  }

  /** All the audio is in: end the stream (or start the buffered file) and return it as a Blob. */
  async finish() {
    const spec = FORMATS[this.format];
    if (this.streaming) {
      await this.ready;
      await new Promise((resolve) => {
        this.drained = resolve;
        this.#pump();
      });
      if (this.source.readyState === "open") this.source.endOfStream();
      if (!this.started) this.play();
      return new Blob(this.chunks, { type: spec.mime });
    }
    const playable = spec.wav ? wavBlob(this.chunks, this.rate, spec.wav) : new Blob(this.chunks, { type: spec.mime });
    this.url = URL.createObjectURL(playable);
    this.audio.src = this.url;
    this.play();
    return new Blob(this.chunks, { type: spec.mime });
  }

  close() {
    if (this.url) URL.revokeObjectURL(this.url);
  }
}
