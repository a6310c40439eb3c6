"""SSML attribute values read as numbers: break times and strengths, prosody rate, pitch and volume,
emphasis levels. Each reader raises `ValueError` with a message for the user; the parser adds where.
"""

from __future__ import annotations

import math
import re

from mynah.text.speech_doc import Prosody

BREAK_STRENGTHS = {"none": 0.0, "x-weak": 0.1, "weak": 0.2, "medium": 0.4, "strong": 0.7, "x-strong": 1.2}
RATES = {"x-slow": 0.5, "slow": 0.75, "medium": 1.0, "default": 1.0, "fast": 1.3, "x-fast": 1.7}
PITCHES = {"x-low": -6.0, "low": -3.0, "medium": 0.0, "default": 0.0, "high": 3.0, "x-high": 6.0}  # semitones
VOLUMES = {"silent": -math.inf, "x-soft": -12.0, "soft": -6.0, "medium": 0.0, "default": 0.0, "loud": 6.0,
           "x-loud": 12.0}  # fmt: skip
EMPHASIS = {
    "strong": Prosody(rate=0.85, pitch=1.09, volume_db=4.0),
    "moderate": Prosody(rate=0.92, pitch=1.05, volume_db=2.0),
    "none": Prosody(),
    "reduced": Prosody(rate=1.1, pitch=0.97, volume_db=-3.0),
}
_TIME = re.compile(r"^\s*(\d+(?:\.\d+)?|\.\d+)\s*(ms|s)\s*$")
_PERCENT = re.compile(r"^\s*([+-]?\d+(?:\.\d+)?)\s*%\s*$")
_SEMITONES = re.compile(r"^\s*([+-]?\d+(?:\.\d+)?)\s*st\s*$")
_HERTZ = re.compile(r"^\s*([+-]?)(\d+(?:\.\d+)?)\s*Hz\s*$", re.IGNORECASE)
_DECIBELS = re.compile(r"^\s*([+-]?\d+(?:\.\d+)?)\s*dB\s*$", re.IGNORECASE)
_NUMBER = re.compile(r"^\s*([+-]?\d+(?:\.\d+)?)\s*$")
# The base pitch "Hz" values are relative to: a typical adult speaking pitch.
_BASE_HZ = 150.0


def rate(value: str) -> float:
    value = value.strip()
    if value in RATES:
        return RATES[value]
    if m := _PERCENT.match(value):
        number = float(m.group(1))
        factor = 1 + number / 100 if value.lstrip().startswith(("+", "-")) else number / 100
    elif m := _NUMBER.match(value):
        factor = float(m.group(1))
    else:
        raise ValueError(f"prosody rate {value!r} is not a named rate, a percentage or a number")
    if not 0.2 <= factor <= 5.0:
        raise ValueError(f"prosody rate {value!r} is outside 20%..500%")
    return factor


def pitch(value: str) -> float:
    value = value.strip()
    if value in PITCHES:
        return float(2 ** (PITCHES[value] / 12))
    if m := _SEMITONES.match(value):
        semitones = float(m.group(1))
    elif m := _PERCENT.match(value):
        semitones = 12 * math.log2(max(1e-3, 1 + float(m.group(1)) / 100))
    elif m := _HERTZ.match(value):
        hz = float(m.group(2))
        base = _BASE_HZ + hz if m.group(1) == "+" else _BASE_HZ - hz if m.group(1) == "-" else hz
        semitones = 12 * math.log2(max(1.0, base) / _BASE_HZ)
    else:
        raise ValueError(f"prosody pitch {value!r} is not a named pitch, semitones, a percentage or Hz")
    if not -24 <= semitones <= 24:
        raise ValueError(f"prosody pitch {value!r} is more than two octaves away")
    return float(2 ** (semitones / 12))


def volume(value: str, parent: float) -> float:
    value = value.strip()
    if value in VOLUMES:
        return VOLUMES[value]
    if m := _DECIBELS.match(value):
        db = float(m.group(1))
        return parent + db if value.lstrip().startswith(("+", "-")) else db
    if m := _NUMBER.match(value):  # SSML 1.0 style 0..100
        level = float(m.group(1))
        return -math.inf if level <= 0 else 20 * math.log10(min(level, 100) / 100) + 0.0
    raise ValueError(f"prosody volume {value!r} is not a named volume, dB or 0..100")


def break_seconds(attrs: dict[str, str]) -> float:
    if "time" in attrs:
        m = _TIME.match(attrs["time"])
        if not m:
            raise ValueError(f"break time {attrs['time']!r} must look like 500ms or 1.5s")
        seconds = float(m.group(1)) / (1000 if m.group(2) == "ms" else 1)
        if seconds > 60:
            raise ValueError(f"break time {attrs['time']!r} is longer than 60 s")
        return seconds
    strength = attrs.get("strength", "medium")
    if strength not in BREAK_STRENGTHS:
        raise ValueError(f"break strength must be one of {', '.join(BREAK_STRENGTHS)}, not {strength!r}")
    return BREAK_STRENGTHS[strength]
