"""Grouping windows by speaker: spectral clustering on a self-tuning affinity graph.

Given a matrix of distances between windows (any distance: cosine between embeddings, the
Gaussian likelihood ratio between MFCC windows, ...):

1. the affinity of windows i and j is exp(-d_ij^2 / (s_i s_j)), where s_i is the distance from i to
   its 7th nearest window (a tenth of the windows when there are more than 70) (Zelnik-Manor &
   Perona, "Self-tuning spectral clustering", 2004). The local scales make the graph independent
   of the distance's units, so one threshold serves recordings of any loudness and channel;
2. the normalised Laplacian L = I - D^-1/2 A D^-1/2 has eigenvalues 0 = l0 <= l1 <= ... <= 2; a graph
   that falls apart into k groups has k eigenvalues near 0;
3. the number of speakers, when not given: one when l1 (the algebraic connectivity: how well the
   whole graph hangs together) is at least the engine's `single_threshold`. Beyond that, two rules,
   each measured on the tuning set of `MfccDiarizer` (also with light noise added, -50 and -40 dBFS):
   "threshold" adds a speaker for every further eigenvalue below `single_threshold` (each small
   eigenvalue is one more group that hangs together apart from the rest); "eigengap" takes the k
   with the largest gap l_k - l_(k-1) (von Luxburg, "A tutorial on spectral clustering", 2007,
   section 8.3). On the MFCC likelihood-ratio graph the gap rule called the pyannote call three
   speakers once light noise was added (7 wrong counts in 60 recordings against 5 for the threshold
   rule, whose misses are all three-speaker recordings called two); on Resemblyzer's cosine graph
   the threshold rule called three of eight two-speaker conversations three, the gap rule none.
   The engines use the rule that measured better for them;
4. the windows are the rows of the first k eigenvectors, normalised to unit length, grouped by
   k-means (k-means++ seeding from a fixed seed, so the same audio always gives the same answer).

Why not agglomerative clustering with a distance threshold: measured on the recordings in
../shared/data (see `MfccDiarizer`), the height of the last merge of one-speaker recordings
overlaps that of two-speaker ones for every distance tried (cosine between statistics or GMM
supervectors, Gaussian likelihood ratio), because it depends on the absolute spread of the
distances; l1 of the self-tuned graph does not, and separates the two groups.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt

__all__ = ["MAX_SPEAKERS", "affinity", "estimate_num_speakers", "laplacian_spectrum", "spectral_clustering"]

MAX_SPEAKERS = 8
"""The most speakers estimated when the caller gives no `max_speakers`."""

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def affinity(distances: FloatArray, *, neighbours: int | None = None) -> FloatArray:
    """The self-tuning Gaussian affinity of a symmetric distance matrix (zero diagonal).

    The local scale of a window is its distance to its `neighbours`-th nearest window; by default 7
    (Zelnik-Manor & Perona's value) or a tenth of the windows when there are more than 70, so that
    in long recordings the scale still reaches beyond the handful of windows around the same moment.
    """
    d = np.asarray(distances, dtype=np.float64)
    n = len(d)
    if d.shape != (n, n):
        raise ValueError(f"distances must be a square matrix, got shape {d.shape}")
    if n < 2:
        return np.zeros((n, n))
    k = min(neighbours if neighbours is not None else max(7, round(n / 10)), n - 1)
    scale = np.sort(d, axis=1)[:, k]  # column 0 is the window itself
    scale = np.maximum(scale, max(float(np.median(scale)), 1e-12) * 1e-3)
    a: FloatArray = np.exp(-np.square(d) / (scale[:, np.newaxis] * scale[np.newaxis, :]))
    np.fill_diagonal(a, 0.0)
    return a


def laplacian_spectrum(a: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Eigenvalues (ascending) and eigenvectors (columns) of the normalised Laplacian of affinity `a`."""
    degree = a.sum(axis=1)
    inv_sqrt = 1.0 / np.sqrt(np.maximum(degree, 1e-12))
    laplacian = np.eye(len(a)) - a * inv_sqrt[:, np.newaxis] * inv_sqrt[np.newaxis, :]
    values, vectors = np.linalg.eigh((laplacian + laplacian.T) / 2)
    return values, vectors


def estimate_num_speakers(
    distances: FloatArray,
    *,
    single_threshold: float,
    beyond_two: Literal["threshold", "eigengap"] = "threshold",
    min_speakers: int = 1,
    max_speakers: int | None = None,
    neighbours: int | None = None,
) -> int:
    """How many speakers the windows behind `distances` hold, within [min_speakers, max_speakers].

    One when l1 >= `single_threshold`. Otherwise, with `beyond_two` "threshold", one more for each
    eigenvalue l1, l2, ... below `single_threshold`; with "eigengap", the k >= 2 with the largest gap
    l_k - l_(k-1). Which suits depends on the embedding (see the module docstring).
    """
    n = len(distances)
    if n < 2:
        return 1
    high = min(max_speakers or MAX_SPEAKERS, n)
    low = min(max(min_speakers, 1), high)
    values, _ = laplacian_spectrum(affinity(distances, neighbours=neighbours))
    if values[1] >= single_threshold or high < 2:
        count = 1
    elif beyond_two == "threshold":
        count = 1 + int(np.sum(values[1:high] < single_threshold))
    else:
        first = max(low, 2)
        count = first if first >= high else first + int(np.argmax(np.diff(values[first - 1 : high + 1])))
    return min(max(count, low), high)


def spectral_clustering(
    distances: FloatArray, num_clusters: int, *, neighbours: int | None = None, seed: int = 0
) -> IntArray:
    """One label in [0, num_clusters) per window; labels are numbered by first appearance."""
    n = len(distances)
    if num_clusters < 1:
        raise ValueError(f"num_clusters must be positive, got {num_clusters}")
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    k = min(num_clusters, n)
    if k == 1:
        return np.zeros(n, dtype=np.int64)
    _, vectors = laplacian_spectrum(affinity(distances, neighbours=neighbours))
    rows = vectors[:, :k]
    rows = rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)
    return _first_appearance(kmeans(rows, k, seed=seed))


def kmeans(
    points: FloatArray, k: int, *, seed: int = 0, restarts: int = 8, iterations: int = 100
) -> IntArray:
    """Lloyd's k-means with k-means++ seeding; the best of `restarts` runs by inertia."""
    rng = np.random.default_rng(seed)
    best: tuple[float, IntArray] | None = None
    for _ in range(restarts):
        centres = _plus_plus(points, k, rng)
        labels = np.zeros(len(points), dtype=np.int64)
        for _ in range(iterations):
            dist = ((points[:, np.newaxis, :] - centres[np.newaxis, :, :]) ** 2).sum(axis=2)
            new = np.argmin(dist, axis=1).astype(np.int64)
            for c in range(k):
                members = points[new == c]
                if len(members):
                    centres[c] = members.mean(axis=0)
                else:  # an empty cluster takes the point furthest from its centre
                    far = int(np.argmax(dist[np.arange(len(points)), new]))
                    centres[c] = points[far]
                    new[far] = c
            if np.array_equal(new, labels):
                break
            labels = new
        inertia = float(((points - centres[labels]) ** 2).sum())
        if best is None or inertia < best[0] - 1e-12:
            best = (inertia, labels.copy())
    assert best is not None
    return best[1]


def _plus_plus(points: FloatArray, k: int, rng: np.random.Generator) -> FloatArray:
    centres = [points[int(rng.integers(len(points)))]]
    for _ in range(1, k):
        dist = np.min(((points[:, np.newaxis, :] - np.array(centres)[np.newaxis]) ** 2).sum(axis=2), axis=1)
        total = float(dist.sum())
        index = int(rng.choice(len(points), p=dist / total)) if total > 0 else int(rng.integers(len(points)))
        centres.append(points[index])
    return np.array(centres, dtype=np.float64)


def _first_appearance(labels: IntArray) -> IntArray:
    order: dict[int, int] = {}
    for label in labels.tolist():
        order.setdefault(label, len(order))
    return np.array([order[label] for label in labels.tolist()], dtype=np.int64)
