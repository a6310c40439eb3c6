"""Audio in and out of mynah: decoding uploads, encoding responses, and small sample-level helpers.

Inside mynah audio is always mono float32 numpy in [-1, 1] (`mynah.types.Samples`); this package
is where it crosses to and from encoded bytes, through PyAV (FFmpeg).

    formats   the formats mynah writes, their media types, extensions and sample rates
    decode    anything FFmpeg reads -> Samples, streamed block by block
    encode    Samples -> mp3, opus, aac, flac, wav, pcm, mulaw, alaw; streamed, or into a file
    dsp       resample, to_int16, peak_normalize, silence, sanitize, limit (a look-ahead peak limiter)
    prosody   rate, pitch and volume after synthesis: time_stretch (WSOLA), pitch_shift, apply_gain, fade
    loudness  LUFS measurement and loudness normalisation (ITU-R BS.1770, via pyloudnorm)
    leveler   loudness on request as render stages: exact for files, a running gain for streams
"""

from mynah.audio.decode import AudioInfo, AudioSource, decode_audio, decode_channels, iter_decode, probe
from mynah.audio.dsp import limit, peak_normalize, resample, sanitize, silence, to_int16
from mynah.audio.encode import (
    AudioEncoder,
    FileEncoder,
    StreamingEncoder,
    codec_rate,
    encode_audio,
    output_rate,
)
from mynah.audio.formats import (
    RAW_FORMATS,
    SAMPLE_RATES,
    AudioFormat,
    default_sample_rate,
    extension,
    format_from_path,
    media_type,
    parse_format,
    validate_sample_rate,
)
from mynah.audio.leveler import RunningLoudness, WholeLoudness
from mynah.audio.loudness import loudness_normalize, measure_lufs
from mynah.audio.prosody import apply_gain, apply_prosody, fade, pitch_shift, time_stretch

__all__ = [
    "RAW_FORMATS",
    "SAMPLE_RATES",
    "AudioEncoder",
    "AudioFormat",
    "AudioInfo",
    "AudioSource",
    "FileEncoder",
    "RunningLoudness",
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
]
