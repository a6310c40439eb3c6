"""The default diarizer: MFCC statistics and spectral clustering, numpy and scipy only, offline.

    MfccDiarizer.diarize(audio, rate)
      -> 16 kHz, WebRTC VAD speech regions
      -> MFCCs (`mfcc`): 25 ms Hamming frames every 10 ms, 40 mel bands 60-7600 Hz, c1..c19,
         normalised to zero mean and unit variance over the recording's speech (CMVN)
      -> how many speakers (unless given): windows of 2 s every 1 s (at most `count_windows`,
         evenly spread, the range the threshold was measured on), the Gaussian likelihood ratio
         between every two windows (`glr_distances`), and the eigenvalues of the self-tuned graph
         (`mynah.stt.diarize.clustering`) against `single_threshold`: one speaker, plus one for
         each eigenvalue below it
      -> who speaks when: windows of 1.5 s every 0.75 s, each described two ways: a GMM supervector
         (`supervectors`: a 16-component diagonal GMM is fitted to the recording's own speech, a
         "UBM" of one recording that needs no training data; each window's MAP-adapted component
         means, relevance factor 8, become a vector, with the window's component occupancies
         beside it) and a full-covariance Gaussian; the distance of two windows is their cosine
         distance plus half their likelihood ratio, each divided by its median; spectral
         clustering into that many speakers
      -> turns: each 10 ms of speech takes the label of the nearest window centre; runs under
         0.3 s go to their neighbour

The tuning set (../shared/data): the pyannote phone call; eight two-speaker and two three-speaker
conversations built by alternating clips of different people (LJSpeech, jfk, cards, goforward,
forever, and the one-speaker stretches of the phone call), 0.4 s of silence between turns; ten
one-speaker recordings (single files, and each speaker's clips joined, up to 54 s). What decided
the design, measured there:

- Who speaks when. Supervectors compare like sounds with like sounds: they rank same-speaker
  window pairs below different-speaker pairs far better than plain MFCC means and deviations on
  the phone call (ROC AUC 0.95 against 0.68), but alone they fail on some of the built
  conversations (DER up to 47 %); the likelihood ratio alone is the other way round (12 % on the
  call). Summed, with the true count, DER (0.25 s collar) is 2.2 % on the call and 0-6.7 % (mean
  1.2 %) over the other conversations.
- How many. Deciding one speaker against several needs a measure whose scale does not move from
  recording to recording. The likelihood ratio is invariant to any linear transform of the
  features, and the self-tuning affinity removes its remaining scale: on 2 s windows, l1 of that
  graph is 0.72 or lower for every multi-speaker recording (the call: 0.72) and 0.84 or higher
  for every one-speaker one, so `single_threshold` = 0.78 sits in the middle. Supervector graphs,
  statistics graphs, agglomerative merge heights and BIC criteria all left the two groups
  overlapping (a longer one-speaker recording scored as "more different" than the call).

Known limits: both three-speaker conversations were counted as two (with num_speakers=3 their DER
is 0.3 % and 1.2 %); with white noise added at -40 dBFS (about 17 dB SNR) the call was counted as
three. The count threshold rests on the small set above, recordings of up to a minute: a voice
with no natural variation (espeak-ng reading, one voice) is split by what is said, and so is
audio that repeats itself (a recording looped). Overlapping speech is not detected (one speaker
per moment); a speaker with less than about 1.5 s of speech in all may be folded into another.
Give `num_speakers` (or min/max) when you know it. Cost: about 0.15-0.4 s of CPU for
30 s of audio, 5 s for 10 minutes (windows beyond `max_windows` are not clustered but join the
nearest cluster).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.fft
from numpy.lib.stride_tricks import sliding_window_view
from scipy.special import logsumexp

from mynah.stt.diarize.base import (
    DIARIZE_RATE,
    SpeakerTurn,
    Window,
    check_speaker_counts,
    mono_16k,
    speech_windows,
    turns_from_windows,
)
from mynah.stt.diarize.clustering import estimate_num_speakers, spectral_clustering
from mynah.stt.vad import SpeechRegion, VoiceActivityDetector, WebRtcVad
from mynah.types import Samples

__all__ = [
    "MfccDiarizer",
    "WindowGaussians",
    "cosine_distances",
    "fit_gmm",
    "glr_distances",
    "mfcc",
    "recording_features",
    "supervectors",
    "window_gaussians",
]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

HOP = 160
"""10 ms at 16 kHz: one feature frame per hop."""


class MfccDiarizer:
    """Speaker diarization from MFCC statistics; see the module docstring for the method and its
    measurements. Needs no model files and no network.

    `vad` finds the speech (WebRTC by default); `single_threshold` is the l1 at or above which the
    recording is one speaker (lower it to split more readily); `glr_weight` is the share of the
    likelihood ratio in the distance that assigns windows to speakers.
    """

    name = "mfcc"

    def __init__(
        self,
        *,
        vad: VoiceActivityDetector | None = None,
        window_seconds: float = 1.5,
        hop_seconds: float = 0.75,
        count_window_seconds: float = 2.0,
        single_threshold: float = 0.78,
        components: int = 16,
        glr_weight: float = 0.5,
        min_turn_seconds: float = 0.3,
        max_windows: int = 600,
        count_windows: int = 70,
    ) -> None:
        if not 0 < hop_seconds <= window_seconds:
            raise ValueError("hop_seconds must be positive and at most window_seconds")
        self._vad = vad if vad is not None else WebRtcVad()
        self.window_seconds = window_seconds
        self.hop_seconds = hop_seconds
        self.count_window_seconds = count_window_seconds
        self.single_threshold = single_threshold
        self.components = components
        self.glr_weight = glr_weight
        self.max_windows = max_windows
        self.count_windows = count_windows
        self.min_turn_seconds = min_turn_seconds

    def diarize(
        self,
        audio: Samples,
        sample_rate: int,
        *,
        num_speakers: int | None = None,
        min_speakers: int | None = None,
        max_speakers: int | None = None,
    ) -> list[SpeakerTurn]:
        low, high = check_speaker_counts(num_speakers, min_speakers, max_speakers)
        mono = mono_16k(audio, sample_rate)
        regions = self._vad.speech_regions(mono, DIARIZE_RATE)
        windows = speech_windows(regions, self.window_seconds, self.hop_seconds)
        if not windows:
            return []
        features, speech = recording_features(mono, regions)
        count = (
            num_speakers if num_speakers is not None else self._count(features, speech, regions, low, high)
        )
        if count <= 1 or len(windows) < 2:
            labels = np.zeros(len(windows), dtype=np.int64)
        else:
            labels = self._assign(features, speech, windows, count)
        return turns_from_windows(windows, labels, regions, min_turn_seconds=self.min_turn_seconds)

    def _count(
        self,
        features: FloatArray,
        speech: BoolArray,
        regions: Sequence[SpeechRegion],
        low: int,
        high: int | None,
    ) -> int:
        every = speech_windows(regions, self.count_window_seconds, self.count_window_seconds / 2)
        windows = [every[i] for i in _evenly(len(every), self.count_windows)]
        distances = glr_distances(window_gaussians(features, speech, windows))
        return estimate_num_speakers(
            distances, single_threshold=self.single_threshold, min_speakers=low, max_speakers=high
        )

    def _assign(
        self, features: FloatArray, speech: BoolArray, windows: Sequence[Window], count: int
    ) -> IntArray:
        """Cluster (up to `max_windows` evenly spread) windows; the rest join the nearest cluster."""
        vectors = supervectors(features, speech, windows, components=self.components)
        gaussians = window_gaussians(features, speech, windows)
        core = _evenly(len(windows), self.max_windows)
        cosine = cosine_distances(vectors[core])
        glr = glr_distances(gaussians.take(core))
        cosine_scale, glr_scale = _median_off_diagonal(cosine), _median_off_diagonal(glr)
        core_labels = spectral_clustering(cosine / cosine_scale + self.glr_weight * glr / glr_scale, count)
        if len(core) == len(windows):
            return core_labels
        rest = np.setdiff1d(np.arange(len(windows)), core)
        cross = (
            cosine_distances(vectors[rest], vectors[core]) / cosine_scale
            + self.glr_weight * glr_distances(gaussians.take(rest), gaussians.take(core)) / glr_scale
        )
        clusters = np.unique(core_labels)
        mean_to = np.stack([cross[:, core_labels == c].mean(axis=1) for c in clusters], axis=1)
        labels = np.zeros(len(windows), dtype=np.int64)
        labels[core] = core_labels
        labels[rest] = clusters[np.argmin(mean_to, axis=1)]
        return labels


def _evenly(total: int, limit: int) -> IntArray:
    """At most `limit` indices of range(total), evenly spread (all of them when total <= limit)."""
    if total <= limit:
        return np.arange(total, dtype=np.int64)
    return np.unique(np.linspace(0, total - 1, limit).round().astype(np.int64))


def _median_off_diagonal(distances: FloatArray) -> float:
    upper = distances[np.triu_indices(len(distances), 1)]
    median = float(np.median(upper)) if len(upper) else 0.0
    return median if median > 0 else 1.0


# ------------------------------------------------------------------------------------------ features


def mfcc(audio: Samples, *, coefficients: int = 20, bands: int = 40) -> tuple[FloatArray, FloatArray]:
    """MFCCs of 16 kHz mono audio: (frames, coefficients) with c0 first, and each frame's level in dB.

    Frames are 25 ms (Hamming) every 10 ms, centred on multiples of 10 ms; pre-emphasis 0.97;
    `bands` triangular mel filters from 60 to 7600 Hz on a 512-point power spectrum; log; DCT-II
    (orthonormal). Written out here so the default diarizer needs nothing beyond numpy and scipy.
    Computed `_BLOCK_FRAMES` frames at a time, so the spectra of a long recording are never all in
    memory at once (whole, 10 minutes took 800 MB).
    """
    x = np.asarray(audio)
    if len(x) == 0:
        return np.zeros((0, coefficients)), np.zeros(0)
    length, n_fft = 400, 512
    window, filters = np.hamming(length), _mel_filters(bands, n_fft).T
    count = len(x) // HOP + 1
    cepstra, level = np.empty((count, coefficients)), np.empty(count)
    for first in range(0, count, _BLOCK_FRAMES):
        last = min(count, first + _BLOCK_FRAMES)
        start = first * HOP - length // 2  # frame f covers samples [f * HOP - 200, f * HOP + 200)
        segment = _emphasised(x, start, (last - 1) * HOP + length - length // 2)
        frames = sliding_window_view(segment, length)[::HOP][: last - first] * window
        power = np.square(np.abs(np.fft.rfft(frames, n_fft)))
        log_mel = np.log(power @ filters + 1e-10)
        cepstra[first:last] = scipy.fft.dct(log_mel, type=2, norm="ortho", axis=1)[:, :coefficients]
        level[first:last] = 10.0 * np.log10(np.mean(np.square(frames), axis=1) + 1e-12)
    return cepstra, level


_BLOCK_FRAMES = 6000
"""One minute of frames per block of `mfcc`: about 45 MB of spectra."""


def _emphasised(x: Samples, start: int, end: int) -> FloatArray:
    """Samples [start, end) of the pre-emphasised signal (y[0] = x[0], y[i] = x[i] - 0.97 x[i-1]) in
    float64, zero outside the recording."""
    out = np.zeros(end - start, dtype=np.float64)
    lo, hi = max(start, 0), min(end, len(x))
    if hi > lo:
        here = x[lo:hi].astype(np.float64)
        before = x[lo - 1 : hi - 1].astype(np.float64) if lo > 0 else np.concatenate([[0.0], here[:-1]])
        emphasised = here - 0.97 * before
        if lo == 0:
            emphasised[0] = here[0]
        out[lo - start : hi - start] = emphasised
    return out


def _mel_filters(bands: int, n_fft: int, low: float = 60.0, high: float = 7600.0) -> FloatArray:
    def to_mel(hz: FloatArray) -> FloatArray:
        return np.asarray(2595.0 * np.log10(1.0 + hz / 700.0), dtype=np.float64)

    edges_mel = np.linspace(to_mel(np.array(low)), to_mel(np.array(high)), bands + 2)
    edges = 700.0 * (10.0 ** (edges_mel / 2595.0) - 1.0)
    freqs = np.arange(n_fft // 2 + 1) * DIARIZE_RATE / n_fft
    lower, centre, upper = edges[:-2, None], edges[1:-1, None], edges[2:, None]
    rising = (freqs[None, :] - lower) / (centre - lower)
    falling = (upper - freqs[None, :]) / (upper - centre)
    return np.asarray(np.maximum(0.0, np.minimum(rising, falling)), dtype=np.float64)


def recording_features(audio: Samples, regions: Sequence[SpeechRegion]) -> tuple[FloatArray, BoolArray]:
    """c1..c19 normalised over the recording's speech, and which frames are speech.

    A frame is speech when it lies in a VAD region and is no more than 40 dB below the loudest
    frames (the 99th percentile), so the silent pauses inside a region do not blur the statistics.
    """
    cepstra, level = mfcc(audio)
    features = cepstra[:, 1:]
    in_region = np.zeros(len(features), dtype=np.bool_)
    for region in regions:
        in_region[round(region.start / 0.01) : round(region.end / 0.01) + 1] = True
    speech = in_region.copy()
    if in_region.any():
        speech &= level >= np.percentile(level[in_region], 99) - 40.0
    if speech.sum() < 2:
        speech = in_region if in_region.sum() >= 2 else np.ones(len(features), dtype=np.bool_)
    mean = features[speech].mean(axis=0)
    std = features[speech].std(axis=0) + 1e-8
    return (features - mean) / std, speech


def _window_frames(features: FloatArray, speech: BoolArray, window: Window) -> FloatArray:
    first, last = round(window.start / 0.01), round(window.end / 0.01)
    rows = features[first:last][speech[first:last]]
    return rows if len(rows) >= 2 else features[first : max(last, first + 2)]


# ----------------------------------------------------------------------------- counting: window GLR


@dataclass(frozen=True)
class WindowGaussians:
    """One full-covariance Gaussian per window: frame counts, means, covariances, log-determinants."""

    counts: FloatArray
    means: FloatArray
    covariances: FloatArray
    logdets: FloatArray

    def __len__(self) -> int:
        return len(self.counts)

    def take(self, indices: IntArray) -> WindowGaussians:
        return WindowGaussians(
            self.counts[indices], self.means[indices], self.covariances[indices], self.logdets[indices]
        )


def window_gaussians(features: FloatArray, speech: BoolArray, windows: Sequence[Window]) -> WindowGaussians:
    rows = [_window_frames(features, speech, w) for w in windows]
    dims = features.shape[1]
    counts = np.array([len(r) for r in rows], dtype=np.float64)
    means = np.array([r.mean(axis=0) for r in rows]).reshape(len(rows), dims)
    covariances = np.array([np.cov(r.T, bias=True) + 1e-3 * np.eye(dims) for r in rows]).reshape(
        len(rows), dims, dims
    )
    return WindowGaussians(counts, means, covariances, _logdets(covariances))


def glr_distances(a: WindowGaussians, b: WindowGaussians | None = None) -> FloatArray:
    """The generalised likelihood ratio between windows (every pair of `a`, or `a` against `b`), per frame.

    Each window is one full-covariance Gaussian; the distance of windows x and y is
    (N log|S_xy| - n_x log|S_x| - n_y log|S_y|) / (2N), where S_xy is the covariance of both together
    and N = n_x + n_y. It is zero for identical statistics, grows with the difference, and does not
    change under any invertible linear transform of the features (channel, loudness, normalisation).
    """
    other = a if b is None else b
    out = np.zeros((len(a), len(other)))
    for i in range(len(a)):
        first = i + 1 if b is None else 0
        if first >= len(other):
            continue
        n_x, n_y = a.counts[i], other.counts[first:]
        total = n_x + n_y
        diff = other.means[first:] - a.means[i]
        pooled = (n_x * a.covariances[i] + n_y[:, None, None] * other.covariances[first:]) / total[
            :, None, None
        ]
        pooled += (n_x * n_y / np.square(total))[:, None, None] * diff[:, :, None] * diff[:, None, :]
        row = (total * _logdets(pooled) - n_x * a.logdets[i] - n_y * other.logdets[first:]) / (2 * total)
        out[i, first:] = np.maximum(row, 0.0)
    if b is None:
        out = out + out.T
    return out


def _logdets(matrices: FloatArray) -> FloatArray:
    sign, value = np.linalg.slogdet(matrices)
    return np.where(sign > 0, value, -np.inf).astype(np.float64)


# ------------------------------------------------------------------------- assigning: supervectors


def supervectors(
    features: FloatArray,
    speech: BoolArray,
    windows: Sequence[Window],
    *,
    components: int = 16,
    relevance: float = 8.0,
    occupancy_weight: float = 0.5,
    seed: int = 0,
) -> FloatArray:
    """One vector per window: MAP-adapted GMM means and component occupancies (module docstring)."""
    train = features[speech]
    if len(train) > 30000:  # 5 minutes of speech fit the GMM as well as hours do
        train = train[np.linspace(0, len(train) - 1, 30000).astype(np.int64)]
    weights, means, variances = fit_gmm(train, min(components, max(1, len(train) // 20)), seed=seed)
    scale = np.sqrt(weights)[:, np.newaxis] / np.sqrt(variances)
    shifts, occupancies = [], []
    for window in windows:
        rows = _window_frames(features, speech, window)
        post = _posteriors(rows, weights, means, variances)
        counts = post.sum(axis=0)
        adapted = (post.T @ rows + relevance * means) / (counts[:, np.newaxis] + relevance)
        shifts.append(((adapted - means) * scale).ravel())
        occupancies.append(np.sqrt(counts / counts.sum()) - np.sqrt(weights))
    shift_block, occupancy_block = np.array(shifts), np.array(occupancies)
    return np.hstack([_unit_rms(shift_block), occupancy_weight * _unit_rms(occupancy_block)])


def _unit_rms(block: FloatArray) -> FloatArray:
    rms = float(np.sqrt(np.mean(np.sum(np.square(block), axis=1))))
    return block / rms if rms > 0 else block


def cosine_distances(a: FloatArray, b: FloatArray | None = None) -> FloatArray:
    """1 - cosine similarity between the rows of `a` (or between rows of `a` and rows of `b`)."""
    unit_a = a / np.maximum(np.linalg.norm(a, axis=1, keepdims=True), 1e-12)
    unit_b = unit_a if b is None else b / np.maximum(np.linalg.norm(b, axis=1, keepdims=True), 1e-12)
    out: FloatArray = np.clip(1.0 - unit_a @ unit_b.T, 0.0, 2.0)
    if b is None:
        np.fill_diagonal(out, 0.0)
    return out


def fit_gmm(
    data: FloatArray, components: int, *, iterations: int = 15, seed: int = 0
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """A diagonal-covariance GMM by EM from k-means++-style seeds: (weights, means, variances)."""
    rng = np.random.default_rng(seed)
    floor = 1e-3 * data.var(axis=0) + 1e-8
    means = data[_spread_seeds(data, components, rng)]
    variances = np.tile(data.var(axis=0) + 1e-8, (components, 1))
    weights = np.full(components, 1.0 / components)
    for _ in range(iterations):
        post = _posteriors(data, weights, means, variances)
        counts = post.sum(axis=0) + 1e-9
        weights = counts / counts.sum()
        means = (post.T @ data) / counts[:, np.newaxis]
        variances = np.maximum((post.T @ np.square(data)) / counts[:, np.newaxis] - np.square(means), floor)
    return weights, means, variances


def _spread_seeds(data: FloatArray, k: int, rng: np.random.Generator) -> list[int]:
    chosen = [int(rng.integers(len(data)))]
    nearest = np.sum(np.square(data - data[chosen[0]]), axis=1)
    for _ in range(1, k):
        total = float(nearest.sum())
        index = int(rng.choice(len(data), p=nearest / total)) if total > 0 else int(rng.integers(len(data)))
        chosen.append(index)
        nearest = np.minimum(nearest, np.sum(np.square(data - data[index]), axis=1))
    return chosen


def _posteriors(
    data: FloatArray, weights: FloatArray, means: FloatArray, variances: FloatArray
) -> FloatArray:
    precision = 1.0 / variances
    # log N(x | m, v) for every frame and component, without a (frames, components, dims) array
    quad = (
        np.square(data) @ precision.T
        - 2.0 * data @ (means * precision).T
        + np.sum(np.square(means) * precision, axis=1)
    )
    log_like = -0.5 * (quad + np.sum(np.log(2.0 * np.pi * variances), axis=1)) + np.log(weights)
    return np.asarray(np.exp(log_like - logsumexp(log_like, axis=1, keepdims=True)), dtype=np.float64)
