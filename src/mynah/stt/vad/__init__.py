"""Voice activity detection: where in a recording somebody speaks.

Transcribing silence or noise wastes time and, with neural engines, invents text; the STT pipeline
therefore only sends the engine the regions found here.

    VoiceActivityDetector (protocol)   speech_regions(audio, rate) -> [SpeechRegion]; stream(rate) -> VadStream
    ├── WebRtcVad                      Google's WebRTC GMM detector (webrtcvad-wheels): fast, no model file
    └── SileroVad                      the Silero ONNX network that ships inside faster-whisper (optional)

Both run the same pipeline, one frame at a time, so a whole recording and the same recording pushed
in blocks (`stream`) give the same regions:

1. audio is resampled to 16 kHz (libswresample, streaming) and cut into frames
   (30 ms for WebRTC, 32 ms for Silero);
2. each frame is classified voiced / unvoiced by the detector; frames quieter than `energy_floor_dbfs`
   are unvoiced whatever the detector says, so digital silence and hiss never count as speech;
3. a ring of the last `ring_seconds` of frames opens a region when `on_ratio` of them are voiced and
   closes it when `off_ratio` of them are unvoiced (so one stray voiced frame in noise opens
   nothing, one unvoiced frame inside a word closes nothing);
4. regions shorter than `min_speech_seconds` are dropped, and so are regions whose sound does not
   move like speech (`min_spectral_flux_db`, `min_level_spread_db`, see below; None turns a check off);
5. the rest are padded by `padding_seconds` on both sides, so word onsets and trailing consonants are
   not clipped, and regions closer than `merge_gap_seconds` are merged.

Tuning (measured on the recordings in ../shared/data/speech and on 60 s each of digital silence,
white, pink and brown noise at -30 dBFS and a synthetic chord sequence; tests/stt/test_vad.py pins
the results). WebRTC alone, frame by frame in its most aggressive mode, calls 0.1 s of the white
noise, 6.7 s of the pink noise, 0.1 s of the brown noise and 43 s of the chords speech. The ring
(9 of 10 frames voiced to open a region) removes all of the noise, but steady tonal sound passes
every frame-level test (51 s of regions). Two checks on each region finish the job; neither is an
energy gate, both ask whether the sound moves the way speech does:

- spectral flux (`min_spectral_flux_db`): speech changes its spectral shape every few tens of
  milliseconds (formant transitions) while a held chord changes only its loudness. The median
  frame-to-frame change of the level-normalised 16-band log spectrum (150-4000 Hz) is 3.4-6.0 dB
  over every speech region in the data set and 0.9-1.6 dB over the chords; regions under 2 dB go.
- level spread (`min_level_spread_db`): speech comes in syllables, so frame levels spread over
  10-15 dB (standard deviation; at least 3.7 dB for jfk.flac under white noise 3 dB below it),
  while stationary noise spreads 0.3 dB (white) to 2.8 dB (pink). Loud white noise (-20 and
  -10 dBFS) that WebRTC calls speech throughout is rejected by this; regions under 1.5 dB go.

With both, every signal above gives no region at all, as do white noise at -60, -45, -20 and

Modules: `base` (SpeechRegion, the two protocols), `webrtc` and `silero` (the detectors and their
frame classifiers), `frames` (resampling, framing, the energy floor and spectral flux: steps 1-2),
`regions` (the ring, the checks, padding and merging: steps 3-5).
"""

from __future__ import annotations

from mynah.stt.vad.base import VAD_RATE, SpeechRegion, VadStream, VoiceActivityDetector
from mynah.stt.vad.silero import SileroVad, silero_model_path
from mynah.stt.vad.webrtc import WebRtcVad

__all__ = [
    "VAD_RATE",
    "SileroVad",
    "SpeechRegion",
    "VadStream",
    "VoiceActivityDetector",
    "WebRtcVad",
    "silero_model_path",
]
