"""The ranking behind OpenAI's names (mynah.aliases) as pure functions, and the short fallback header."""

from __future__ import annotations

from mynah.aliases import OPENAI_VOICES, can_translate, rank_models, rank_voices, skip_note
from mynah.engines.base import SttModel, Voice
from mynah.server.headers import FALLBACK_FIRST_CHARS, fallback_header

ALLOY = OPENAI_VOICES["alloy"]


def _voice(voice_id: str, language: str = "en-US", gender: str | None = None) -> Voice:
    engine, name = voice_id.split(":", 1)
    return Voice(id=voice_id, engine=engine, name=name, language=language, gender=gender)


def _model(model_id: str, languages: tuple[str, ...] = ("en", "fr"), size_mb: int | None = None) -> SttModel:
    engine, name = model_id.split(":", 1)
    size = size_mb * 2**20 if size_mb else None
    return SttModel(id=model_id, engine=engine, name=name, languages=languages, size_bytes=size)


def test_neural_before_embedded_then_accent_quality_own_voice_gender() -> None:
    voices = [
        _voice("espeak:en-us", gender="male"),
        _voice("espeak:en-us+f3", gender="female"),
        _voice("flite:slt", gender="female"),
        _voice("piper:en_GB-alan-high", "en-GB"),
        _voice("piper:en_US-joe-medium"),
        _voice("piper:en_US-ryan-high"),
        _voice("piper:en_US-lessac-high"),
        _voice("espeak:fr-fr", "fr-FR"),
    ]
    ranked = [v.id for v in rank_voices(voices, ALLOY)]
    assert ranked == [
        "piper:en_US-lessac-high",  # en-US, high; neither is alloy's own medium voice: by id
        "piper:en_US-ryan-high",
        "piper:en_US-joe-medium",
        "piper:en_GB-alan-high",  # the accent before quality
        "flite:slt",
        "espeak:en-us+f3",  # alloy's own espeak voice
        "espeak:en-us",
    ]  # French is not English: left out
    with_kokoro = [
        *voices,
        _voice("kokoro:am_adam", gender="male"),
        _voice("kokoro:af_alloy", gender="female"),
    ]
    assert [v.id for v in rank_voices(with_kokoro, ALLOY)][:2] == ["kokoro:af_alloy", "kokoro:am_adam"]
    lessac = [*voices, _voice("piper:en_US-lessac-medium")]
    assert [v.id for v in rank_voices(lessac, ALLOY)].index("piper:en_US-lessac-medium") == 2


def test_models_larger_first_whisper_before_pocketsphinx_english_only_for_english() -> None:
    models = [
        _model("pocketsphinx:en-us", ("en",)),
        _model("whisper:tiny.en", ("en",), 75),
        _model("whisper:base", size_mb=141),
        _model("whisper:base.en", ("en",), 141),
        _model("whisper:large-v3", size_mb=3090),
    ]
    assert [m.id for m in rank_models(models)] == [
        "whisper:large-v3",
        "whisper:base",
        "whisper:base.en",
        "whisper:tiny.en",
        "pocketsphinx:en-us",
    ]
    english = [m.id for m in rank_models(models, language="en-US")]
    assert english[1:3] == ["whisper:base.en", "whisper:base"]


def test_who_can_translate() -> None:
    assert can_translate(_model("whisper:base"), True)
    assert not can_translate(_model("whisper:tiny.en", ("en",)), True)
    assert not can_translate(_model("whisper:large-v3-turbo"), True)  # the catalog knows
    assert not can_translate(_model("pocketsphinx:en-us", ("en",)), False)
    assert can_translate(_model("whisper:my-finetune"), True)  # multilingual, not in the catalog


def test_the_fallback_header_is_the_first_skip_and_a_count() -> None:
    assert fallback_header([]) is None
    note = skip_note("piper:x", "piper:x is not downloaded (63 MB) and offline")
    assert note == "piper:x: not downloaded (63 MB) and offline"
    long = "a: " + "reason " * 100
    header = fallback_header([long, "b: why", "c: why"])
    assert header is not None and header.endswith("... (+2 more; GET /health)")
    assert len(header) <= FALLBACK_FIRST_CHARS + len(" (+2 more; GET /health)")
    assert fallback_header(["só: ünïcode"]) == "s?: ?n?code"
