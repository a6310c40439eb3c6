"""TranscriptionService: prepare checks everything once, the upload is decoded once, the diarizer is
built once, and the cache names what served and obeys the limits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest

from mynah.audio.decode import decode_audio
from mynah.config import ModelSettings, Settings
from mynah.errors import EngineUnavailable, InvalidRequest, NotSupported, PayloadTooLarge, UnknownModel
from mynah.models import ModelManager
from mynah.runtime import Runtime
from mynah.stt.service import TranscribeOptions, TranscriptionService

PSPHINX = "pocketsphinx:en-us"


def _settings(data: Path, **stt: Any) -> Settings:
    settings = Settings(
        data_dir=data, models=ModelSettings(offline=True), engines=["pocketsphinx", "whisper"]
    )
    for name, value in stt.items():
        setattr(settings.stt, name, value)
    return settings


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> TranscriptionService:
    return Runtime.start(_settings(tmp_path_factory.mktemp("service"), cache=False)).transcription


@pytest.fixture
def opens(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every time FFmpeg opens an input (av.open, the library call under mynah.audio.decode)."""
    calls: list[object] = []
    real = av.open

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(av, "open", counting)
    return calls


@pytest.mark.parametrize(
    ("options", "error", "param"),
    [
        (TranscribeOptions(task="summarise"), NotSupported, "task"),
        (TranscribeOptions(task="translate"), NotSupported, "model"),
        (TranscribeOptions(language="fr"), NotSupported, "language"),
        (TranscribeOptions(diarize=True, num_speakers=0), InvalidRequest, "num_speakers"),
        (TranscribeOptions(diarize=True, min_speakers=3, max_speakers=2), InvalidRequest, "min_speakers"),
        (TranscribeOptions(diarize=True, num_speakers=4, max_speakers=2), InvalidRequest, "num_speakers"),
        (TranscribeOptions(channels="both"), InvalidRequest, "channels"),  # type: ignore[arg-type]
    ],
)
def test_prepare_checks_every_option_before_any_audio(
    service: TranscriptionService, options: TranscribeOptions, error: type[Exception], param: str
) -> None:
    with pytest.raises(error) as raised:
        service.prepare(PSPHINX, options)
    assert getattr(raised.value, "param", None) == param


def test_prepare_resolves_the_model_and_normalises_options(service: TranscriptionService) -> None:
    prepared = service.prepare(None, TranscribeOptions(language="EN-us"))
    assert prepared.resolved.model.id == PSPHINX and prepared.resolved.requested == "whisper-1"
    # whisper is loaded but has no model installed: the fallback says so, with the pull that fixes it
    assert prepared.resolved.skipped == (
        "whisper: no model installed (`mynah models pull whisper:base` adds one)",
    )
    assert prepared.options.language == "en-us" and prepared.diarizer is None
    with pytest.raises(UnknownModel):
        service.prepare("nope:nothing")


def test_the_diarizer_is_built_once_per_process(service: TranscriptionService) -> None:
    first = service.prepare(PSPHINX, TranscribeOptions(diarize=True)).diarizer
    second = service.prepare(PSPHINX, TranscribeOptions(diarize=True, num_speakers=2)).diarizer
    assert first is not None and first is second


def test_a_misconfigured_diarizer_is_unavailable_before_any_audio(tmp_path: Path) -> None:
    service = Runtime.start(_settings(tmp_path, diarizer="magic")).transcription
    with pytest.raises(EngineUnavailable, match=r"magic.*MYNAH_STT__DIARIZER"):
        service.prepare(PSPHINX, TranscribeOptions(diarize=True))
    assert service.prepare(PSPHINX).diarizer is None  # transcription without diarization still works


@pytest.mark.parametrize(
    ("recording", "options"),
    [
        ("speech/jfk.flac", TranscribeOptions()),
        ("speech/jfk.flac", TranscribeOptions(diarize=True)),  # stereo, one scene: mixed down
        ("diarization/faster_whisper_stereo/stereo_diarization.wav", TranscribeOptions(diarize=True)),
        ("diarization/pyannote_sample/sample.wav", TranscribeOptions(diarize=True, num_speakers=2)),
    ],
)
def test_the_upload_is_opened_and_decoded_once(
    service: TranscriptionService,
    data_dir: Path,
    opens: list[object],
    recording: str,
    options: TranscribeOptions,
) -> None:
    data = (data_dir / recording).read_bytes()
    prepared = service.prepare(PSPHINX, options)
    opens.clear()
    result = service.transcribe(data, prepared)
    assert len(opens) == 1
    assert result.transcription.text
    if options.diarize:
        assert all(w.speaker is not None for w in result.transcription.words)


def test_the_stereo_call_is_split_by_channel_from_the_one_pass(
    service: TranscriptionService, data_dir: Path
) -> None:
    path = data_dir / "diarization" / "faster_whisper_stereo" / "stereo_diarization.wav"
    for channels in ("auto", "split"):
        result = service.transcribe(
            path, service.prepare(PSPHINX, TranscribeOptions(diarize=True, channels=channels))
        )  # type: ignore[arg-type]
        assert {w.speaker for w in result.transcription.words} == {"SPEAKER_0", "SPEAKER_1"}
    mixed = service.transcribe(
        path, service.prepare(PSPHINX, TranscribeOptions(diarize=True, channels="mix"))
    )
    plain = service.transcribe(path, service.prepare(PSPHINX))
    assert mixed.transcription.text == plain.transcription.text  # the same mix-down either way


def test_a_nan_glitch_inside_speech_does_not_silence_the_transcript(
    service: TranscriptionService, speech_dir: Path, tmp_path: Path
) -> None:
    audio = decode_audio(speech_dir / "goforward.wav", 16000)
    audio[16000:16050] = np.nan  # a float WAV can hold NaN; the decoder reads it as silence
    path = tmp_path / "glitch.wav"
    with av.open(str(path), "w", format="wav") as container:
        stream = container.add_stream("pcm_f32le", rate=16000, layout="mono")
        frame = av.AudioFrame.from_ndarray(audio[np.newaxis, :], format="flt", layout="mono")
        frame.sample_rate = 16000
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            container.mux(packet)
    result = service.transcribe(path, service.prepare(PSPHINX))
    assert "forward" in result.transcription.text


# ------------------------------------------------------------------------------------------- cache


def _install_broken_whisper(models: Path) -> str:
    """A Whisper model that resolves (installed, not yet known to be broken) but cannot load."""
    from tests.fixtures.neural import tiny_sources

    pytest.importorskip("faster_whisper")
    manager = ModelManager(ModelSettings(offline=True), cache_dir=models)
    model_bin = manager.pull("whisper:broken", source_dir=tiny_sources().whisper).path / "model.bin"
    size = model_bin.stat().st_size
    model_bin.write_bytes(model_bin.read_bytes()[: size // 2] + bytes(size - size // 2))
    return "whisper:broken"


def test_a_cache_hit_names_the_model_that_served_the_original(speech_dir: Path, tmp_path: Path) -> None:
    broken = _install_broken_whisper(tmp_path / "models")

    def start() -> TranscriptionService:  # a fresh process: the broken model is not known broken yet
        return Runtime.start(_settings(tmp_path, default_model=[broken, PSPHINX])).transcription

    data = (speech_dir / "goforward.wav").read_bytes()
    first = start()
    fresh = first.transcribe(data, first.prepare("whisper-1"))
    assert (fresh.engine, fresh.model, fresh.cached) == ("pocketsphinx", PSPHINX, False)
    assert len(fresh.skipped) == 1 and fresh.skipped[0].startswith(f"{broken}: ")
    again = start()
    prepared = again.prepare("whisper-1")
    assert prepared.resolved.model.id == broken  # resolves to the broken model again ...
    hit = again.transcribe(data, prepared)
    assert hit.cached and (hit.engine, hit.model, hit.skipped) == (fresh.engine, fresh.model, fresh.skipped)
    assert hit.transcription == fresh.transcription  # ... but the hit says what really served


def test_a_cached_transcript_obeys_the_duration_limit(speech_dir: Path, tmp_path: Path) -> None:
    data = (speech_dir / "jfk.flac").read_bytes()  # 11 s
    generous = Runtime.start(_settings(tmp_path)).transcription
    assert not generous.transcribe(data, generous.prepare(PSPHINX)).cached
    assert generous.transcribe(data, generous.prepare(PSPHINX)).cached
    strict = Runtime.start(_settings(tmp_path, max_audio_seconds=10.0)).transcription
    with pytest.raises(PayloadTooLarge, match="the limit is 10 s"):
        strict.transcribe(data, strict.prepare(PSPHINX))


def test_progress_reaches_the_duration_the_header_states(
    service: TranscriptionService, speech_dir: Path
) -> None:
    seen: list[tuple[float, float]] = []
    service.transcribe(
        speech_dir / "jfk.flac", service.prepare(PSPHINX), progress=lambda d, t: seen.append((d, t))
    )
    assert seen and seen[-1][0] == pytest.approx(seen[-1][1], abs=0.05)
    assert all(t == pytest.approx(11.0, abs=0.1) for _, t in seen)


def test_a_cache_that_cannot_answer_is_a_miss_not_a_failure(
    speech_dir: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from sqlalchemy import text

    runtime = Runtime.start(_settings(tmp_path))
    with runtime.store.engine.begin() as connection:
        connection.execute(text("DROP TABLE transcript_cache"))
    service = runtime.transcription
    for _ in range(2):
        result = service.transcribe(speech_dir / "goforward.wav", service.prepare(PSPHINX))
        assert "forward" in result.transcription.text and not result.cached
    assert "transcript cache: cannot read" in caplog.text and "transcript cache: cannot store" in caplog.text


def test_a_fallback_that_cannot_do_what_was_asked_is_not_used(speech_dir: Path, tmp_path: Path) -> None:
    broken = _install_broken_whisper(tmp_path / "models")
    service = Runtime.start(_settings(tmp_path, default_model=[broken, PSPHINX], cache=False)).transcription
    prepared = service.prepare("whisper-1", TranscribeOptions(task="translate"))  # whisper can translate
    with pytest.raises(EngineUnavailable, match="failed to load"):  # ... pocketsphinx cannot: no stand-in
        service.transcribe(speech_dir / "goforward.wav", prepared)
