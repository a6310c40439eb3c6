"""The public API of `mynah.audio` is what `__all__` says, no more and no less."""

from __future__ import annotations

import mynah.audio


def test_public_api_is_pinned() -> None:
    modules = {"decode", "dsp", "encode", "formats", "leveler", "loudness", "prosody"}
    exported = {name for name in dir(mynah.audio) if not name.startswith("_")} - modules
    assert exported == set(mynah.audio.__all__)
    assert set(mynah.audio.__all__) == {
        "RAW_FORMATS",
        "SAMPLE_RATES",
        "AudioEncoder",
        "AudioFormat",
        "AudioInfo",
        "AudioSource",
        "RunningLoudness",
        "FileEncoder",
        "StreamingEncoder",
        "WholeLoudness",
        "apply_gain",
        "apply_prosody",
        "codec_rate",
        "decode_audio",
        "decode_channels",
        "default_sample_rate",
        "encode_audio",
        "extension",
        "fade",
        "format_from_path",
        "iter_decode",
        "limit",
        "loudness_normalize",
        "measure_lufs",
        "media_type",
        "output_rate",
        "parse_format",
        "peak_normalize",
        "pitch_shift",
        "probe",
        "resample",
        "sanitize",
        "silence",
        "time_stretch",
        "to_int16",
        "validate_sample_rate",
    }
