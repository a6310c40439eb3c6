"""Encoding: every format at every rate, decoded back through FFmpeg; streaming against one-shot."""

from __future__ import annotations

import io
import struct
import wave
from collections.abc import Callable

import numpy as np
import pytest

from mynah.audio.decode import decode_audio, probe
from mynah.audio.dsp import resample, to_int16
from mynah.audio.encode import StreamingEncoder, codec_rate, encode_audio
from mynah.audio.formats import RAW_FORMATS, SAMPLE_RATES, AudioFormat, media_type
from mynah.errors import UnsupportedFormat
from mynah.types import Samples

INPUT_RATE = 22050
LOSSLESS = (AudioFormat.flac, AudioFormat.wav, AudioFormat.pcm)
G711 = (AudioFormat.mulaw, AudioFormat.alaw)
CASES = [(fmt, rate) for fmt in AudioFormat for rate in SAMPLE_RATES]

# AAC in ADTS cannot say how much priming and padding it carries, so decoders play both: 1024 samples
# of priming plus up to one 1024-sample frame of padding. A streamed MP3 has no LAME tag to say the
# same; its decoder delay (576 + 529) plus padding stays within two 1152-sample frames.
AAC_EXTRA = 2 * 1024
STREAMED_MP3_EXTRA = 2 * 1152


def decode(data: bytes, fmt: AudioFormat, rate: int) -> Samples:
    if fmt in RAW_FORMATS:
        return decode_audio(data, rate, raw_format=fmt, raw_rate=rate)
    return decode_audio(data, rate)


def stream(samples: Samples, fmt: AudioFormat, rate: int, chunk: int = 2205) -> list[bytes]:
    """What a streaming response would send: the bytes of each write, then those of close."""
    encoder = StreamingEncoder(fmt, rate, input_rate=INPUT_RATE)
    parts = [encoder.write(samples[i : i + chunk]) for i in range(0, len(samples), chunk)]
    return [*parts, encoder.close()]


def snr_db(reference: Samples, signal: Samples) -> float:
    noise = signal - reference
    return float(10 * np.log10(np.sum(reference**2) / max(float(np.sum(noise**2)), 1e-20)))


@pytest.mark.parametrize(("fmt", "rate"), CASES, ids=[f"{f}-{r}" for f, r in CASES])
def test_round_trip(fmt: AudioFormat, rate: int, chirp: Callable[..., Samples]) -> None:
    x = chirp(INPUT_RATE)
    decoded = decode(encode_audio(x, INPUT_RATE, fmt, rate), fmt, rate)
    extra = len(decoded) - rate
    if fmt is AudioFormat.aac:
        assert 0 <= extra <= AAC_EXTRA
    else:
        assert abs(extra) <= 0.05 * rate

    reference = resample(x, INPUT_RATE, rate)
    if fmt in LOSSLESS:
        assert len(decoded) == len(reference)
        assert np.max(np.abs(decoded - reference)) < 2e-4  # 16-bit quantisation plus resampler edges
    elif fmt in G711:
        assert len(decoded) == len(reference)
        assert snr_db(reference, decoded) > 30  # G.711 gives about 38 dB on a loud signal
    else:
        # Lossy codecs shift and reshape the waveform; the level of the signal must survive.
        level = np.sqrt(np.mean(decoded**2)) / np.sqrt(np.mean(reference**2))
        assert 0.8 < level < 1.2


@pytest.mark.parametrize(("fmt", "rate"), CASES, ids=[f"{f}-{r}" for f, r in CASES])
def test_streamed_output_decodes_like_one_shot(
    fmt: AudioFormat, rate: int, chirp: Callable[..., Samples]
) -> None:
    x = chirp(INPUT_RATE)
    parts = stream(x, fmt, rate)
    whole = decode(encode_audio(x, INPUT_RATE, fmt, rate), fmt, rate)
    streamed = decode(b"".join(parts), fmt, rate)
    if fmt is AudioFormat.mp3:
        assert 0 <= len(streamed) - len(whole) <= STREAMED_MP3_EXTRA
    else:
        assert len(streamed) == len(whole)
    if fmt in (*LOSSLESS, *G711):
        assert np.array_equal(streamed, whole)


@pytest.mark.parametrize(("fmt", "rate"), CASES, ids=[f"{f}-{r}" for f, r in CASES])
def test_streaming_is_incremental(fmt: AudioFormat, rate: int, chirp: Callable[..., Samples]) -> None:
    # Written in 100 ms chunks, everything but the codec's lookahead must leave before close():
    # PCM-like formats hold back only the resampler's few-sample filter delay; FLAC one 4608-sample
    # block at most; lossy codecs a frame or two, Opus also its unfinished 100 ms Ogg page. The worst
    # case is MP3 at 8 kHz, whose LAME lookahead spans several of its short 576-sample frames.
    x = chirp(INPUT_RATE)
    parts = stream(x, fmt, rate, chunk=INPUT_RATE // 10)
    sent_before_close = decode(b"".join(parts[:-1]), fmt, rate)
    held_back = 1.0 - len(sent_before_close) / rate
    assert held_back < (0.01 if fmt in (*G711, AudioFormat.wav, AudioFormat.pcm) else 0.3)


def test_streamed_wav_has_open_ended_sizes_and_one_shot_has_exact_ones(
    chirp: Callable[..., Samples],
) -> None:
    x = chirp(INPUT_RATE)
    streamed = b"".join(stream(x, AudioFormat.wav, 16000))
    whole = encode_audio(x, INPUT_RATE, AudioFormat.wav, 16000)
    assert streamed[:4] == b"RIFF" and streamed[8:16] == b"WAVEfmt "
    assert struct.unpack("<I", streamed[4:8])[0] == 0xFFFFFFFF
    data_at = streamed.index(b"data")
    assert struct.unpack("<I", streamed[data_at + 4 : data_at + 8])[0] == 0xFFFFFFFF

    assert struct.unpack("<I", whole[4:8])[0] == len(whole) - 8
    with wave.open(io.BytesIO(whole)) as reader:
        assert (reader.getnchannels(), reader.getsampwidth(), reader.getframerate()) == (1, 2, 16000)
        assert reader.getnframes() == 16000
    assert streamed[data_at + 8 :] == whole[data_at + 8 :]  # same audio, only the sizes differ


def test_pcm_is_headerless_int16_of_the_samples(chirp: Callable[..., Samples]) -> None:
    x = chirp(16000)
    pcm = np.frombuffer(encode_audio(x, 16000, AudioFormat.pcm), "<i2")
    assert len(pcm) == len(x)
    # FFmpeg scales by 32768, to_int16 by 32767: at most one step apart.
    assert np.max(np.abs(pcm.astype(np.int32) - to_int16(x))) <= 1


def test_g711_is_one_byte_per_sample_with_the_standard_silence_codes() -> None:
    quiet = np.zeros(800, np.float32)
    assert encode_audio(quiet, 8000, AudioFormat.mulaw) == b"\xff" * 800
    assert encode_audio(quiet, 8000, AudioFormat.alaw) == b"\xd5" * 800


def test_default_rates(chirp: Callable[..., Samples]) -> None:
    x = chirp(INPUT_RATE, 0.1)
    assert len(encode_audio(x, INPUT_RATE, AudioFormat.mulaw)) == 800  # 8 kHz telephony
    assert probe(encode_audio(x, INPUT_RATE, AudioFormat.wav)).sample_rate == INPUT_RATE
    assert StreamingEncoder(AudioFormat.opus, input_rate=16000).sample_rate == 48000
    assert StreamingEncoder(AudioFormat.flac, input_rate=16000).sample_rate == 16000


def test_opus_runs_at_48_khz_for_rates_it_lacks(chirp: Callable[..., Samples]) -> None:
    assert codec_rate(AudioFormat.opus, 22050) == 48000
    assert codec_rate(AudioFormat.opus, 44100) == 48000
    assert codec_rate(AudioFormat.opus, 16000) == 16000
    assert codec_rate(AudioFormat.mp3, 22050) == 22050
    data = encode_audio(chirp(INPUT_RATE), INPUT_RATE, AudioFormat.opus, 22050)
    assert data[:4] == b"OggS" and b"OpusHead" in data[:64]
    head = data.index(b"OpusHead")
    assert struct.unpack("<I", data[head + 12 : head + 16])[0] == 48000  # input rate in the header


@pytest.mark.parametrize(
    ("fmt", "magic"),
    [(AudioFormat.flac, b"fLaC"), (AudioFormat.wav, b"RIFF"), (AudioFormat.opus, b"OggS")],
)
def test_containers_start_with_their_magic(
    fmt: AudioFormat, magic: bytes, chirp: Callable[..., Samples]
) -> None:
    x = chirp(INPUT_RATE, 0.2)
    assert encode_audio(x, INPUT_RATE, fmt).startswith(magic)
    assert b"".join(stream(x, fmt, 16000)).startswith(magic)


def test_mp3_and_aac_are_bare_frame_streams(chirp: Callable[..., Samples]) -> None:
    x = chirp(INPUT_RATE, 0.2)
    for fmt in (AudioFormat.mp3, AudioFormat.aac):
        for data in (encode_audio(x, INPUT_RATE, fmt), b"".join(stream(x, fmt, 44100))):
            assert data[0] == 0xFF and data[1] & 0xE0 == 0xE0, fmt  # frame sync, no ID3 tag


def test_one_shot_output_is_deterministic(chirp: Callable[..., Samples]) -> None:
    x = chirp(INPUT_RATE, 0.3)
    for fmt in AudioFormat:
        assert encode_audio(x, INPUT_RATE, fmt) == encode_audio(x, INPUT_RATE, fmt)


def test_encoder_properties() -> None:
    encoder = StreamingEncoder(AudioFormat.mp3, 24000, input_rate=16000)
    assert (encoder.format, encoder.sample_rate, encoder.media_type) == ("mp3", 24000, media_type("mp3"))


def test_bad_format_or_rate_fails_before_any_audio() -> None:
    with pytest.raises(UnsupportedFormat, match="ogg"):
        StreamingEncoder("ogg", 16000, input_rate=16000)  # type: ignore[arg-type]
    with pytest.raises(UnsupportedFormat, match="11025") as caught:
        StreamingEncoder(AudioFormat.mp3, 11025, input_rate=16000)
    assert caught.value.param == "sample_rate"
    with pytest.raises(UnsupportedFormat):
        encode_audio(np.zeros(10, np.float32), 16000, "m4a")  # type: ignore[arg-type]
    # A source rate outside the list is fine as input, but not as the output by default.
    with pytest.raises(UnsupportedFormat):
        encode_audio(np.zeros(10, np.float32), 11025, AudioFormat.wav)
    assert len(encode_audio(np.zeros(11025, np.float32), 11025, AudioFormat.pcm, 16000)) == 32000


def test_write_edge_cases() -> None:
    encoder = StreamingEncoder(AudioFormat.wav, 16000, input_rate=16000)
    assert encoder.write(np.zeros(0, np.float32)) == b""
    with pytest.raises(ValueError, match="mono"):
        encoder.write(np.zeros((2, 10), np.float32))
    assert encoder.write(np.zeros(160, np.float64)).startswith(b"RIFF")
    assert encoder.close() == b""
    assert encoder.close() == b""
    with pytest.raises(RuntimeError, match="close"):
        encoder.write(np.zeros(10, np.float32))


def test_out_of_range_samples_are_clipped_not_wrapped() -> None:
    loud = np.array([2.0, -3.0, 0.5] * 100, np.float32)
    pcm = np.frombuffer(encode_audio(loud, 16000, AudioFormat.pcm), "<i2")
    assert pcm.max() == 32767 and pcm.min() == -32768


@pytest.mark.parametrize("fmt", [AudioFormat.pcm, AudioFormat.wav, AudioFormat.mulaw, AudioFormat.alaw])
def test_headerless_and_wav_streams_hold_nothing_back(
    fmt: AudioFormat, chirp: Callable[..., Samples]
) -> None:
    """Every write's samples come out of that write: FFmpeg's 32 KiB I/O buffer is flushed after every
    packet, so a stream never waits for 32 KiB (0.7 s of 24 kHz pcm) before its first audio leaves."""
    width = 1 if fmt in G711 else 2
    encoder = StreamingEncoder(fmt, INPUT_RATE, input_rate=INPUT_RATE)
    x = chirp(INPUT_RATE)
    header = 44 if fmt is AudioFormat.wav else 0
    for index, size in enumerate([10, 100, 2205, 7, 20000]):
        data = encoder.write(x[:size])
        assert len(data) == size * width + (header if index == 0 else 0)
    assert encoder.close() == b""


def test_a_file_encoder_writes_what_encode_audio_returns(chirp: Callable[..., Samples]) -> None:
    from mynah.audio.encode import FileEncoder

    x = chirp(INPUT_RATE)
    for fmt in (AudioFormat.wav, AudioFormat.mp3, AudioFormat.flac):
        sink = io.BytesIO()
        encoder = FileEncoder(fmt, 16000, input_rate=INPUT_RATE, file=sink)
        for start in range(0, len(x), 4000):
            assert encoder.write(x[start : start + 4000]) == b""
        assert encoder.close() == b""
        assert encoder.encoded_rate == 16000
        assert sink.getvalue() == encode_audio(x, INPUT_RATE, fmt, 16000)
