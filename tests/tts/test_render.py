"""The one render path (mynah.tts.render): plan -> engine -> DSP -> encoder, for the routes and the CLI."""

from __future__ import annotations

import wave
from pathlib import Path

import pytest

from mynah.audio.formats import AudioFormat
from mynah.config import ModelSettings, Settings
from mynah.runtime import Runtime
from mynah.text.normalize import normalize
from mynah.tts.plan import MAX_SAY_CHARS, Say, build_plan
from mynah.tts.render import Render

VOICE = "espeak:en-us"


def test_start_synthesises_up_to_the_first_audio_an_engine_makes(runtime: Runtime) -> None:
    """SSML that opens with <break> makes silence first: start() goes on to the first spoken chunk, so
    a route knows the engine works (and which one served) before it answers."""
    prepared = runtime.speech.prepare('<speak><break time="2s"/>Hello there.</speak>', voice=VOICE)
    render = Render.open(runtime.speech, prepared, AudioFormat.pcm)
    assert prepared.state.engine is None
    render.start()
    assert prepared.state.engine == "espeak" and prepared.state.voice is not None
    data = b"".join(piece.data for piece in render)
    assert render.complete
    assert len(data) == render.bytes_out
    assert len(data) / 2 / prepared.sample_rate == pytest.approx(prepared.state.seconds, abs=1e-3)
    assert len(data) / 2 / prepared.sample_rate > 2.5  # the break, then the words


def test_pieces_carry_the_marks_of_their_audio(runtime: Runtime) -> None:
    source = "One sentence here. And another one."
    prepared = runtime.speech.prepare(source, voice=VOICE)
    pieces = list(Render.open(runtime.speech, prepared, AudioFormat.mp3))
    words = [m.value for p in pieces for m in p.marks if m.type == "word"]
    assert words == ["One", "sentence", "here", "And", "another", "one"]
    assert pieces[-1].marks == ()  # the encoder's tail


def test_timings_only_encode_nothing(runtime: Runtime) -> None:
    prepared = runtime.speech.prepare("Just the timings.", voice=VOICE)
    pieces = list(Render.open(runtime.speech, prepared, AudioFormat.wav, encode=False))
    assert all(p.data == b"" for p in pieces)
    assert [m.value for p in pieces for m in p.marks if m.type == "word"] == ["Just", "the", "timings"]


def test_into_a_file_the_headers_are_exact(runtime: Runtime, tmp_path: Path) -> None:
    prepared = runtime.speech.prepare("A file with exact headers.", voice=VOICE, sample_rate=16000)
    path = tmp_path / "out.wav"
    with path.open("wb") as sink:
        render = Render.open(runtime.speech, prepared, AudioFormat.wav, file=sink)
        assert all(p.data == b"" for p in render)
    with wave.open(str(path)) as wav:  # the stdlib reader trusts the header's sizes
        assert wav.getframerate() == 16000
        assert wav.getnframes() / 16000 == pytest.approx(prepared.state.seconds, abs=1e-3)
        assert wav.getnframes() * 2 + 44 == path.stat().st_size


def test_a_render_is_iterated_once(runtime: Runtime) -> None:
    render = Render.open(runtime.speech, runtime.speech.prepare("Once.", voice=VOICE), AudioFormat.pcm)
    list(render)
    with pytest.raises(RuntimeError):
        iter(render)


def test_long_sentences_are_cut_at_a_clause_for_streaming(runtime: Runtime) -> None:
    clause = "and then the fox ran over the hill to the river, "
    source = "It went on: " + clause * 20 + "until night."
    says = [s for s in build_plan(source).steps if isinstance(s, Say)]
    assert len(says) > 1
    assert all(len(s.script.text) <= MAX_SAY_CHARS for s in says)
    assert all(s.script.text.endswith(",") for s in says[:-1])  # cut after a clause mark
    assert " ".join(s.script.text for s in says) == normalize(source).text  # nothing lost or doubled
    assert [s.sentence_start for s in says] == [True] + [False] * (len(says) - 1)
    prepared = runtime.speech.prepare(source, voice=VOICE)
    marks = [m for c in runtime.speech.stream(prepared) for m in c.marks]
    sentences = [m for m in marks if m.type == "sentence"]
    assert [(m.start, m.end) for m in sentences] == [(0, len(source))]  # one sentence, all of it
    assert len([m for m in marks if m.type == "word"]) == len(source.split())


@pytest.fixture(scope="module")
def kokoro_runtime(tmp_path_factory: pytest.TempPathFactory) -> Runtime:
    pytest.importorskip("kokoro_onnx")
    from mynah.models import ModelManager
    from tests.fixtures.neural import KOKORO, install_tiny

    data = tmp_path_factory.mktemp("kokoro")
    settings = Settings(data_dir=data, engines=["kokoro"], models=ModelSettings(offline=True))
    install_tiny(ModelManager(settings.models, cache_dir=data / "models"), KOKORO)
    return Runtime.start(settings)


def test_speed_beyond_an_engines_own_range_is_the_services_stretch(kokoro_runtime: Runtime) -> None:
    """Kokoro's own speed goes to 2x (its declared speed_range); the service stretches the rest."""
    speech = kokoro_runtime.speech

    def seconds(speed: float) -> float:
        prepared = speech.prepare("Speaking at a normal pace.", voice="kokoro:af_sky", speed=speed)
        return float(sum(len(c.samples) for c in speech.stream(prepared)) / prepared.sample_rate)

    normal, double, quadruple = seconds(1.0), seconds(2.0), seconds(4.0)
    assert double == pytest.approx(normal / 2, rel=0.05)
    assert quadruple == pytest.approx(normal / 4, rel=0.08)
