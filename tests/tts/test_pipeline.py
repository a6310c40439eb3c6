"""The TTS pipeline on real engines: SSML, normalisation, timings tied to the original input, DSP."""

from __future__ import annotations

import numpy as np
import pytest

from mynah.engines.base import TranscriptionOptions
from mynah.errors import InvalidText, UnknownVoice
from mynah.runtime import Runtime
from mynah.tts.plan import Normalization
from mynah.tts.service import SpeechMark

RATE = 16000
VOICE = "espeak:en-us+f5"  # the espeak variant pocketsphinx hears best (see tests/engines)


def speak(runtime: Runtime, source: str, **kwargs: object) -> tuple[np.ndarray, list[SpeechMark]]:
    prepared = runtime.speech.prepare(source, voice=kwargs.pop("voice", VOICE), sample_rate=RATE, **kwargs)  # type: ignore[arg-type]
    chunks = list(runtime.speech.stream(prepared))
    assert all(c.sample_rate == RATE for c in chunks)
    audio = np.concatenate([c.samples for c in chunks])
    return audio, [m for c in chunks for m in c.marks]


def hear(runtime: Runtime, audio: np.ndarray) -> str:
    engine = runtime.registry.stt_engines["pocketsphinx"]
    return engine.transcribe(audio, TranscriptionOptions(model="en-us")).text


def words(marks: list[SpeechMark]) -> list[SpeechMark]:
    return [m for m in marks if m.type == "word"]


def silent_run(audio: np.ndarray, start: float, end: float, *, threshold: float = 0.01) -> float:
    """Longest stretch of 5 ms frames below `threshold` peak between `start` and `end` seconds."""
    frame = RATE // 200
    piece = audio[int(start * RATE) : int(end * RATE)]
    frames = piece[: len(piece) // frame * frame].reshape(-1, frame)
    quiet = np.abs(frames).max(axis=1) < threshold
    best = run = 0
    for q in quiet:
        run = run + 1 if q else 0
        best = max(best, run)
    return best * frame / RATE


def test_word_timings_point_into_the_original_text(runtime: Runtime) -> None:
    source = "Dr. Smith paid $1.5M on 2024-03-15."
    _, marks = speak(runtime, source)
    spans = [(m.start, m.end) for m in words(marks)]
    assert [source[a:b] for a, b in spans][:4] == ["Dr.", "Smith", "paid", "$1.5M"]
    assert all(m.value == source[m.start : m.end] for m in words(marks))
    times = [m.time for m in words(marks)]
    assert times == sorted(times)
    sentences = [m for m in marks if m.type == "sentence"]
    assert sentences and sentences[0].start == 0


def test_ssml_word_offsets_point_into_the_markup(runtime: Runtime) -> None:
    source = '<speak>Call <say-as interpret-as="telephone">5551234567</say-as> at <emphasis>noon</emphasis>.</speak>'
    _, marks = speak(runtime, source)
    values = [m.value for m in words(marks)]
    assert "Call" in values and "noon" in values
    assert any(v == "5551234567" for v in values)


@pytest.mark.parametrize("ms", [300, 1000])
def test_a_break_is_at_least_that_much_silence_in_the_right_place(runtime: Runtime, ms: int) -> None:
    audio, marks = speak(runtime, f'<speak>Hello there <break time="{ms}ms"/> general Kenobi</speak>')
    by_word = {m.value: m for m in words(marks)}
    gap = silent_run(audio, by_word["there"].time, by_word["general"].time + 0.05)
    assert gap >= ms / 1000
    assert silent_run(audio, 0, by_word["there"].time) < ms / 1000  # the pause is not elsewhere


def test_prosody_rate_50_percent_roughly_doubles_the_span(runtime: Runtime) -> None:
    phrase = "the quick brown fox jumps over the lazy dog"

    def span_seconds(source: str) -> float:
        _, marks = speak(runtime, source)
        ws = words(marks)
        return ws[-1].time + ws[-1].duration - ws[0].time

    normal = span_seconds(f"<speak>{phrase}</speak>")
    slow = span_seconds(f'<speak><prosody rate="50%">{phrase}</prosody></speak>')
    assert 1.6 <= slow / normal <= 2.5


def test_a_mark_is_timed_at_the_word_after_it(runtime: Runtime) -> None:
    audio, marks = speak(runtime, '<speak>One two three <mark name="here"/>banana split.</speak>')
    mark = next(m for m in marks if m.type == "mark")
    banana = next(m for m in words(marks) if m.value == "banana")
    assert mark.value == "here"
    assert abs(mark.time - banana.time) <= 0.05
    onset = audio[int(mark.time * RATE) : int((mark.time + 0.1) * RATE)]
    assert np.abs(onset).max() > 0.05  # speech starts right there, not in a pause


def choose(audio: np.ndarray, *choices: str) -> str:
    """Which of `choices` + " my friend" pocketsphinx hears: a forced choice, robust where free
    recognition of synthetic speech is chaotic."""
    import pocketsphinx

    grammar = f"#JSGF V1.0; grammar g; public <s> = ({' | '.join(choices)}) my friend;"
    decoder = pocketsphinx.Decoder(samprate=RATE, loglevel="FATAL")
    decoder.add_jsgf_string("g", grammar)
    decoder.activate_search("g")
    decoder.start_utt()
    decoder.process_raw((np.clip(audio, -1, 1) * 32767).astype("<i2").tobytes(), full_utt=True)
    decoder.end_utt()
    hyp = decoder.hyp()
    return hyp.hypstr.split()[0] if hyp is not None and hyp.hypstr else ""


def test_sub_phoneme_and_say_as_change_what_is_spoken(runtime: Runtime) -> None:
    plain, _ = speak(runtime, "<speak>goodbye my friend</speak>")
    sub, _ = speak(runtime, '<speak><sub alias="hello">goodbye</sub> my friend</speak>')
    phoneme, _ = speak(
        runtime, '<speak><phoneme alphabet="ipa" ph="həˈloʊ">goodbye</phoneme> my friend</speak>'
    )
    xsampa, _ = speak(
        runtime, "<speak><phoneme alphabet='x-sampa' ph='h@\"loU'>goodbye</phoneme> my friend</speak>"
    )
    assert choose(plain, "hello", "goodbye") == "goodbye"
    assert choose(sub, "hello", "goodbye") == "hello"
    assert choose(phoneme, "hello", "goodbye") == "hello"
    assert choose(xsampa, "hello", "goodbye") == "hello"
    for kind, reading in [("digits", "one zero"), ("cardinal", "ten"), ("ordinal", "tenth")]:
        prepared = runtime.speech.prepare(
            f'<speak>go <say-as interpret-as="{kind}">10</say-as></speak>', voice=VOICE
        )
        assert prepared.plan.steps[0].script.text == f"go {reading}"  # type: ignore[union-attr]
    _, marks = speak(runtime, '<speak>code <say-as interpret-as="characters">abc</say-as></speak>')
    assert [m.value for m in words(marks)][-3:] == ["a", "b", "c"]


def test_volume_and_pitch_are_applied(runtime: Runtime) -> None:
    normal, _ = speak(runtime, "<speak>volume test</speak>")
    soft, _ = speak(runtime, '<speak><prosody volume="-12dB">volume test</prosody></speak>')
    silent, _ = speak(runtime, '<speak><prosody volume="silent">volume test</prosody></speak>')
    assert np.sqrt(np.mean(soft**2)) < 0.4 * np.sqrt(np.mean(normal**2))
    assert not np.any(silent)


def test_voice_and_lang_switch_mid_document(runtime: Runtime) -> None:
    prepared = runtime.speech.prepare(
        '<speak>Hello. <voice name="espeak:de">Guten Tag.</voice> <lang xml:lang="fr-FR">Bonjour.</lang></speak>',
        voice=VOICE,
        sample_rate=RATE,
    )
    chunks = list(runtime.speech.stream(prepared))
    assert sum(c.duration for c in chunks) > 1.5
    with pytest.raises(UnknownVoice):
        runtime.speech.prepare('<speak><voice name="espeak:no-such-voice">x</voice></speak>', voice=VOICE)


def test_audio_clip_inserts_a_data_uri_or_speaks_its_fallback(runtime: Runtime) -> None:
    import base64

    from mynah.audio.encode import encode_audio
    from mynah.audio.formats import AudioFormat

    tone = (0.3 * np.sin(2 * np.pi * 440 * np.arange(4000) / 8000)).astype(np.float32)  # 0.5 s
    uri = "data:audio/wav;base64," + base64.b64encode(encode_audio(tone, 8000, AudioFormat.wav)).decode()
    with_clip, marks = speak(runtime, f'<speak>before <audio src="{uri}">beep</audio> after</speak>')
    with_pause, _ = speak(runtime, '<speak>before <break time="500ms"/> after</speak>')
    assert len(with_clip) == pytest.approx(len(with_pause), abs=RATE * 0.02)
    start = next(m.time for m in marks if m.type == "ssml" and m.value == "audio")
    inserted = with_clip[int(start * RATE) : int((start + 0.5) * RATE)]
    assert np.sqrt(np.mean(inserted**2)) == pytest.approx(0.3 / np.sqrt(2), rel=0.1)
    _, marks = speak(runtime, '<speak>before <audio src="ftp://nowhere/x.wav">fallback words</audio></speak>')
    assert "fallback" in [m.value for m in words(marks)]


def test_normalization_can_be_switched_off(runtime: Runtime) -> None:
    on = runtime.speech.prepare("It costs $5.", voice=VOICE)
    off = runtime.speech.prepare("It costs $5.", voice=VOICE, normalization=Normalization(enabled=False))
    from mynah.tts.plan import Say

    def spoken(plan_steps: object) -> str:
        return " ".join(s.script.text for s in plan_steps if isinstance(s, Say))  # type: ignore[attr-defined]

    assert "five dollars" in spoken(on.plan.steps)
    assert "$5" in spoken(off.plan.steps)


@pytest.mark.parametrize("source", ["<speak><p>oops</speak>", "<speak></speak>", "<speak> <break/> </speak>"])
def test_bad_or_empty_ssml_is_a_clean_error(runtime: Runtime, source: str) -> None:
    with pytest.raises(InvalidText):
        runtime.speech.prepare(source, voice=VOICE)


def test_speed_beyond_native_range_uses_dsp(runtime: Runtime) -> None:
    normal, _ = speak(runtime, "A sentence to stretch out slowly.")
    slowest, _ = speak(runtime, "A sentence to stretch out slowly.", speed=0.25)
    assert len(slowest) / len(normal) > 3.0


def test_voices_without_word_events_get_estimated_word_timings(runtime: Runtime) -> None:
    if "flite" not in runtime.registry.tts_engines:
        pytest.skip("flite is not installed (apt-get install flite)")
    source = "Dr. Smith paid $1.5M on Friday."
    audio, marks = speak(runtime, source, voice="flite:slt")
    found = words(marks)
    assert [m.value for m in found] == ["Dr.", "Smith", "paid", "$1.5M", "on", "Friday"]
    assert all(m.value == source[m.start : m.end] for m in found)
    ends = [m.time + m.duration for m in found]
    assert [m.time for m in found] == sorted(m.time for m in found)
    assert found[0].time > 0 and ends[-1] <= len(audio) / RATE
