"""Decoding: real recordings, every kind of source, video files, raw input, damage and limits."""

from __future__ import annotations

import contextlib
import io
import struct
import tracemalloc
import wave
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from mynah.audio.decode import AudioInfo, decode_audio, decode_channels, iter_decode, probe
from mynah.audio.encode import StreamingEncoder, encode_audio
from mynah.audio.formats import AudioFormat
from mynah.errors import InvalidAudio, InvalidRequest, PayloadTooLarge
from mynah.types import Samples


def flac_streaminfo(path: Path) -> tuple[int, int, int]:
    """(sample rate, channels, total samples) read straight from a FLAC file's STREAMINFO block."""
    head = path.read_bytes()[:42]
    assert head[:4] == b"fLaC" and head[4] & 0x7F == 0
    (packed,) = struct.unpack(">Q", head[18:26])
    return packed >> 44, ((packed >> 41) & 0x7) + 1, packed & (2**36 - 1)


def wav_samples(path: Path) -> tuple[int, Samples]:
    """(rate, float samples) of a 16-bit mono WAV, read with the standard library."""
    with wave.open(str(path)) as reader:
        assert (reader.getnchannels(), reader.getsampwidth()) == (1, 2)
        pcm = np.frombuffer(reader.readframes(reader.getnframes()), "<i2")
        return reader.getframerate(), (pcm / 32768.0).astype(np.float32)


# ------------------------------------------------------------------------------- real recordings


def test_jfk_flac_is_44k_stereo_and_eleven_seconds(speech_dir: Path) -> None:
    path = speech_dir / "jfk.flac"
    assert flac_streaminfo(path) == (44100, 2, 485100)
    assert probe(path) == AudioInfo(
        duration=11.0, sample_rate=44100, channels=2, codec="flac", container="flac"
    )
    for rate in (16000, 44100):
        audio = decode_audio(path, rate)
        assert audio.dtype == np.float32 and audio.ndim == 1
        assert len(audio) == 11 * rate
        assert np.max(np.abs(audio)) <= 1.0


def test_ljspeech_durations_match_their_streaminfo(speech_dir: Path) -> None:
    paths = sorted((speech_dir / "ljspeech").glob("*.flac"))
    assert paths
    for path in paths:
        rate, channels, total = flac_streaminfo(path)
        assert (rate, channels) == (22050, 1)
        assert len(decode_audio(path, 22050)) == total
        assert len(decode_audio(path, 16000)) == pytest.approx(total * 16000 / 22050, abs=2)


@pytest.mark.parametrize("name", ["goforward.wav", "forever.wav", "cards/001.wav"])
def test_wav_decodes_to_exactly_its_pcm(speech_dir: Path, name: str) -> None:
    rate, expected = wav_samples(speech_dir / name)
    assert rate == 16000
    audio = decode_audio(speech_dir / name, 16000)
    assert np.array_equal(audio, expected)
    assert len(decode_audio(speech_dir / name, 8000)) == pytest.approx(len(expected) / 2, abs=1)


def test_goforward_is_2_8_seconds(speech_dir: Path) -> None:
    assert len(decode_audio(speech_dir / "goforward.wav", 16000)) / 16000 == pytest.approx(2.786, abs=1e-3)


def test_stereo_is_mixed_to_the_mean_of_its_channels(speech_dir: Path) -> None:
    left, right = decode_channels(speech_dir / "jfk.flac", 16000)
    assert len(left) == len(right) == 176000
    assert not np.allclose(left, right)  # two real, different channels
    mono = decode_audio(speech_dir / "jfk.flac", 16000)
    assert np.max(np.abs(mono - (left + right) / 2)) < 1e-5


def test_decode_channels_of_mono_is_one_channel(speech_dir: Path) -> None:
    (only,) = decode_channels(speech_dir / "goforward.wav", 16000)
    assert np.array_equal(only, decode_audio(speech_dir / "goforward.wav", 16000))


# --------------------------------------------------------------------------------------- sources


def test_every_kind_of_source_gives_the_same_audio(speech_dir: Path) -> None:
    path = speech_dir / "goforward.wav"
    data = path.read_bytes()
    expected = decode_audio(path, 16000)
    with path.open("rb") as file:
        from_file = decode_audio(file, 16000)
    for source in (str(path), data, bytearray(data), memoryview(data), io.BytesIO(data)):
        assert np.array_equal(decode_audio(source, 16000), expected)
    assert np.array_equal(from_file, expected)


def test_iter_decode_yields_exact_blocks(speech_dir: Path) -> None:
    path = speech_dir / "jfk.flac"
    blocks = list(iter_decode(path, 16000, block_seconds=2.0))
    assert [len(b) for b in blocks] == [32000] * 5 + [16000]
    assert np.array_equal(np.concatenate(blocks), decode_audio(path, 16000))


def test_iter_decode_checks_the_input_before_the_first_block() -> None:
    with pytest.raises(InvalidAudio):
        iter_decode(b"this is not audio" * 10, 16000)  # no next(): the call itself fails


def test_decoding_streams_with_flat_memory(tmp_path: Path) -> None:
    # Ten minutes of 8 kHz audio decodes to 19 MB of float32; block by block it must stay far below.
    path = tmp_path / "long.wav"
    minute = (np.sin(np.arange(480000) * 0.05) * 8000).astype("<i2").tobytes()
    with wave.open(str(path), "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(8000)
        for _ in range(10):
            writer.writeframes(minute)
    tracemalloc.start()
    try:
        total = sum(len(block) for block in iter_decode(path, 8000, block_seconds=5.0))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert total == 4_800_000
    assert peak < 2_000_000


# ------------------------------------------------------------------------------- video, raw, etc.


def test_video_with_an_audio_track_decodes(make_video: Callable[..., bytes]) -> None:
    for video in (make_video("mp4", "mpeg4", "aac"), make_video("webm", "libvpx", "libopus")):
        info = probe(video)
        assert (info.sample_rate, info.channels) == (48000, 1)
        audio = decode_audio(video, 16000)
        assert len(audio) / 16000 == pytest.approx(1.0, abs=0.05)
        assert np.sqrt(np.mean(audio[1600:-1600] ** 2)) == pytest.approx(0.3 / np.sqrt(2), rel=0.1)


def test_video_without_audio_is_invalid(make_video: Callable[..., bytes]) -> None:
    with pytest.raises(InvalidAudio, match="no audio track"):
        decode_audio(make_video(audio_codec=None), 16000)


@pytest.mark.parametrize("fmt", [AudioFormat.pcm, AudioFormat.mulaw, AudioFormat.alaw])
def test_raw_input(fmt: AudioFormat, speech_dir: Path) -> None:
    _, speech = wav_samples(speech_dir / "goforward.wav")
    raw = encode_audio(speech, 16000, fmt, 16000)
    audio = decode_audio(raw, 16000, raw_format=fmt, raw_rate=16000)
    assert len(audio) == len(speech)
    assert np.max(np.abs(audio - speech)) < (1e-4 if fmt is AudioFormat.pcm else 0.04)
    assert probe(raw, raw_format=fmt, raw_rate=16000).duration == pytest.approx(len(speech) / 16000)


def test_raw_g711_defaults_to_8_khz() -> None:
    tone = (0.5 * np.sin(np.arange(8000) * 0.1)).astype(np.float32)
    assert (
        len(decode_audio(encode_audio(tone, 8000, AudioFormat.mulaw), 8000, raw_format=AudioFormat.mulaw))
        == 8000
    )


def test_raw_input_needs_a_raw_format_and_a_rate() -> None:
    with pytest.raises(InvalidRequest, match="sample rate"):
        decode_audio(b"\x00\x01" * 100, 16000, raw_format=AudioFormat.pcm)
    with pytest.raises(InvalidRequest, match="not a raw format"):
        decode_audio(b"\x00\x01" * 100, 16000, raw_format=AudioFormat.mp3, raw_rate=16000)


# ------------------------------------------------------------------------------- damage and limits


@pytest.fixture(scope="module")
def mp3_44k(chirp: Callable[..., Samples]) -> bytes:
    return encode_audio(chirp(44100), 44100, AudioFormat.mp3)


@pytest.mark.parametrize("empty", [b"", bytearray(), io.BytesIO()])
def test_empty_upload(empty: bytes | io.BytesIO) -> None:
    with pytest.raises(InvalidAudio, match="empty audio upload"):
        decode_audio(empty, 16000)


def test_empty_or_missing_file(tmp_path: Path) -> None:
    (tmp_path / "empty.wav").touch()
    with pytest.raises(InvalidAudio, match="empty audio file"):
        decode_audio(tmp_path / "empty.wav", 16000)
    with pytest.raises(InvalidAudio, match="cannot read"):
        probe(tmp_path / "missing.wav")


@pytest.mark.parametrize(
    "junk",
    [
        b"Four score and seven years ago our fathers brought forth on this continent\n" * 40,
        np.random.default_rng(7).bytes(20000),
        b"\x00" * 4096,
        b"RIFF\x24\x00\x00\x00WAVEfmt ",  # a WAV header cut off inside its format chunk
    ],
    ids=["text", "random", "zeros", "cut-header"],
)
def test_non_audio_is_invalid(junk: bytes, tmp_path: Path) -> None:
    with pytest.raises(InvalidAudio, match="not"):
        decode_audio(junk, 16000)
    (tmp_path / "upload.txt").write_bytes(junk)
    with pytest.raises(InvalidAudio):
        probe(tmp_path / "upload.txt")


def test_truncated_mp3_with_no_audio_left_is_invalid(mp3_44k: bytes) -> None:
    with pytest.raises(InvalidAudio):
        decode_audio(mp3_44k[:300], 16000)


def test_truncated_file_returns_what_decoded(mp3_44k: bytes, speech_dir: Path) -> None:
    # FFmpeg decodes a cut-off file up to the cut; so does mynah, and only "nothing at all" is an error.
    full = decode_audio(mp3_44k, 16000)
    half = decode_audio(mp3_44k[: len(mp3_44k) // 2], 16000)
    assert 0.3 * len(full) < len(half) < 0.7 * len(full)
    flac = (speech_dir / "jfk.flac").read_bytes()
    assert 4 * 16000 < len(decode_audio(flac[: len(flac) // 2], 16000)) < 7 * 16000


def test_max_seconds_from_the_stated_duration_fails_at_the_call(speech_dir: Path) -> None:
    path = speech_dir / "jfk.flac"
    with pytest.raises(PayloadTooLarge, match="audio is 11 s long; the limit is 5 s"):
        iter_decode(path, 16000, max_seconds=5)
    assert len(decode_audio(path, 16000, max_seconds=11)) == 176000


def test_max_seconds_is_also_counted_while_decoding(chirp: Callable[..., Samples]) -> None:
    # A streamed FLAC states no duration, so only counting the samples can catch it.
    encoder = StreamingEncoder(AudioFormat.flac, 16000, input_rate=16000)
    data = encoder.write(chirp(16000, 3.0)) + encoder.close()
    assert probe(data).duration is None
    blocks = iter_decode(data, 16000, block_seconds=0.5, max_seconds=2)
    with pytest.raises(PayloadTooLarge):
        list(blocks)
    assert len(decode_audio(data, 16000, max_seconds=3)) == 48000


def _mutations() -> st.SearchStrategy[bytes]:
    """Real encoded files, cut short and with bytes overwritten: damage that gets past the prober."""
    tone = (0.5 * np.sin(np.arange(8000) * 0.07)).astype(np.float32)
    seeds = [encode_audio(tone, 8000, fmt, 8000) for fmt in ("mp3", "opus", "aac", "flac", "wav")]

    @st.composite
    def mutate(draw: st.DrawFn) -> bytes:
        data = bytearray(draw(st.sampled_from(seeds)))
        for _ in range(draw(st.integers(0, 8))):
            at = draw(st.integers(0, len(data) - 1))
            data[at : at + 4] = draw(st.binary(min_size=1, max_size=4))
        return bytes(data[: draw(st.integers(0, len(data)))])

    return mutate()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.one_of(st.binary(max_size=4096), _mutations()))
# A WAV whose format tag names no codec: an audio stream FFmpeg has no decoder for (found by fuzzing).
@example(data=b"RIFF\0\0\0\0WAVEfmt \x0f" + bytes(10) + b"\x01" + bytes(8) + b"data\0\0\0\0")
def test_any_bytes_give_audio_or_a_mynah_error(data: bytes) -> None:
    with contextlib.suppress(InvalidAudio):
        probe(data)
    try:
        audio = decode_audio(data, 16000, max_seconds=5)
    except (InvalidAudio, PayloadTooLarge) as exc:
        event(type(exc).__name__)
        return
    event("decoded")
    assert audio.dtype == np.float32 and audio.ndim == 1 and 0 < len(audio) <= 5 * 16000 + 1
    assert np.all(np.abs(audio) <= 1.0)
