"""The `mynah` command: serve, say, transcribe, voices, doctor, models, lexicons.

`say`, `transcribe` and `voices` run the engines in this process (the runtime is closed when the
command ends); `serve` starts the HTTP server. Every failure the user can cause prints one line,
`mynah: error: ...`, and exits non-zero. Nothing else is printed unless asked: `-v` turns on INFO
logging, `-vv` DEBUG (see mynah.logs); what is missing on this machine is `mynah doctor`'s to say.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sys
from contextlib import ExitStack
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from mynah.cli_audit import audit_app
from mynah.cli_cluster import cluster_app
from mynah.cli_doctor import doctor
from mynah.cli_jobs import jobs_app, worker
from mynah.cli_lexicons import lexicons_app
from mynah.cli_models import models_app
from mynah.cli_platform import canary as canary_command
from mynah.cli_platform import keys_app
from mynah.cli_platform import usage as usage_command
from mynah.cli_wyoming import wyoming
from mynah.errors import InvalidRequest, MynahError
from mynah.logs import configure_logging
from mynah.priority import single_threaded_blas

if TYPE_CHECKING:
    from mynah.cloning.disclosure import ClonedSpeech
    from mynah.runtime import Runtime
    from mynah.tts.service import PreparedSpeech

app = typer.Typer(
    name="mynah",
    help="Self-hosted text to speech and speech to text.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(lexicons_app, name="lexicons")
app.add_typer(models_app, name="models")
app.add_typer(keys_app, name="keys")
app.add_typer(audit_app, name="audit")
app.command("usage")(usage_command)
app.command("canary")(canary_command)
app.add_typer(jobs_app, name="jobs")
app.add_typer(cluster_app, name="cluster")
app.command()(worker)
_out = Console()


@dataclass
class _Process:
    """Handed to the command by `main()`: this invocation is the whole process, so it owns logging."""

    verbose: int = 0


_cleanup: ContextVar[ExitStack] = ContextVar("mynah_cli_cleanup")
"""What the running command must release when it finishes (its runtime); set for each invocation."""


@app.callback()
def _global_options(
    ctx: typer.Context,
    verbose: Annotated[
        int, typer.Option("--verbose", "-v", count=True, help="Log INFO (-v) or DEBUG (-vv) to stderr")
    ] = 0,
) -> None:
    """Self-hosted text to speech and speech to text."""
    if isinstance(ctx.obj, _Process):  # run as the `mynah` program, not inside another (a test runner)
        ctx.obj.verbose = verbose
        configure_logging(verbose)
    cleanup = ExitStack()
    ctx.call_on_close(cleanup.close)  # runs when the command ends, however it ends
    _cleanup.set(cleanup)


def _runtime() -> Runtime:
    """The engines, models and store for one command, closed when the command finishes."""
    from mynah.config import Settings
    from mynah.runtime import Runtime

    runtime = Runtime.start(Settings())
    _cleanup.get().callback(runtime.close)
    return runtime


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str | None, typer.Option(help="Interface to listen on [default: 127.0.0.1]")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on [default: 8000]")] = None,
    log_level: Annotated[
        str, typer.Option(help="mynah's own log level: debug, info, warning, error (-v: libraries' too)")
    ] = "info",
    cluster: Annotated[
        str | None,
        typer.Option(help="Run the engines on Ray: local, auto or ray://host:port (MYNAH_CLUSTER__ADDRESS)"),
    ] = None,
) -> None:
    """Start the HTTP server (OpenAI-compatible routes under /v1)."""
    import uvicorn

    from mynah.config import Settings
    from mynah.server.app import create_app

    settings = Settings()
    if host is not None:
        settings.server.host = host
    if port is not None:
        settings.server.port = port
    if cluster is not None:
        settings.cluster.address = cluster
    levels = {
        "debug": logging.DEBUG,
        "info": logging.INFO,
        "warning": logging.WARNING,
        "error": logging.ERROR,
    }
    if log_level.lower() not in levels:
        raise InvalidRequest(f"--log-level must be debug, info, warning or error, not {log_level!r}")
    process = ctx.find_root().obj
    verbose = process.verbose if isinstance(process, _Process) else 0
    level = configure_logging(verbose, mynah_level=levels[log_level.lower()])
    uvicorn.run(
        create_app(settings),
        host=settings.server.host,
        port=settings.server.port,
        log_level=level,
    )


@app.command()
def say(
    text: Annotated[str | None, typer.Argument(help="Text to speak (or use --file)")] = None,
    file: Annotated[
        Path | None, typer.Option("--file", "-f", help="Read the text from a file ('-' = stdin)")
    ] = None,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Audio file to write; format from extension")
    ] = Path("speech.wav"),
    voice: Annotated[str | None, typer.Option(help="Voice id (espeak:en-us) or alias (alloy)")] = None,
    speed: Annotated[float, typer.Option(help="0.25 to 4.0")] = 1.0,
    sample_rate: Annotated[int | None, typer.Option("--sample-rate", help="Output rate in Hz")] = None,
    audio_format: Annotated[
        str | None, typer.Option("--format", help="Override the extension's format")
    ] = None,
    lexicon: Annotated[list[str] | None, typer.Option("--lexicon", help="A stored lexicon to apply")] = None,
    normalize_text: Annotated[
        bool, typer.Option("--normalize/--no-normalize", help="Read numbers, dates, ... as words")
    ] = True,
) -> None:
    """Speak TEXT (or a file) into an audio file."""
    from mynah.audio.formats import default_sample_rate, format_from_path, parse_format, validate_sample_rate
    from mynah.engines.pocket import AUTHORISED
    from mynah.tts.plan import Normalization
    from mynah.tts.render import Render

    if (text is None) == (file is None):
        raise InvalidRequest("give the text to speak, or --file, but not both")
    if file is not None:
        content = sys.stdin.read() if str(file) == "-" else _read_text(file)
    else:
        content = text or ""
    fmt = parse_format(audio_format) if audio_format else format_from_path(output)
    if sample_rate is not None:
        validate_sample_rate(fmt, sample_rate)
    runtime = _runtime()
    prepared = runtime.speech.prepare(
        content,
        voice=voice,
        speed=speed,
        sample_rate=sample_rate or default_sample_rate(fmt),
        lexicons=lexicon or (),
        normalization=Normalization(enabled=normalize_text),
    )
    validate_sample_rate(fmt, prepared.sample_rate)
    cloned = _cloned_voice(runtime, prepared)
    partial = output.with_name(output.name + ".part")
    allowed = AUTHORISED.set(cloned.voice.id) if cloned is not None else None
    complete = False
    try:
        with partial.open("wb") as sink:
            render = Render.open(
                runtime.speech, prepared, fmt, file=sink, metadata=cloned.metadata if cloned else None
            )
            for _ in render:
                pass
        complete = True
    finally:
        if allowed is not None:
            AUTHORISED.reset(allowed)
        if cloned is not None:  # every use of a cloned voice is audited, as the local admin
            audio = partial.read_bytes() if partial.exists() else b""
            cloned.record(len(prepared.text), len(audio), hashlib.sha256(audio).hexdigest(), complete)
        if complete:
            partial.replace(output)
        partial.unlink(missing_ok=True)
    used = prepared.state.voice or prepared.resolved.voice
    typer.echo(
        f"wrote {output} ({prepared.state.seconds:.1f} s, {fmt.value}, {render.encoded_rate} Hz, "
        f"voice {used.id})",
        err=True,
    )
    if cloned is not None:
        typer.echo(
            f"cloned voice {cloned.voice.id} ({cloned.voice.speaker}), consent record "
            f"{cloned.voice.consent_record}: synthetic speech, tagged as such in the file",
            err=True,
        )


def _cloned_voice(runtime: Runtime, prepared: PreparedSpeech) -> ClonedSpeech | None:
    """A cloned voice for `mynah say`: spoken as the local admin (`LOCAL_ADMIN`), who may use any
    live one; a revoked or unknown one is NotFound, as on the server."""
    from mynah.cloning.disclosure import POCKET, authorise
    from mynah.cloning.voices import Cloning
    from mynah.platform.keys import LOCAL_ADMIN

    resolved = prepared.resolved
    if all(v.engine != POCKET for v in (resolved.voice, *(v for _, v in resolved.alternatives))):
        return None
    return authorise(Cloning(runtime), resolved, LOCAL_ADMIN)


@app.command()
def transcribe(
    file: Annotated[Path, typer.Argument(help="Audio or video file, any format ffmpeg reads")],
    response_format: Annotated[
        str, typer.Option("--format", help="json, text, verbose_json, diarized_json, srt, vtt")
    ] = "text",
    model: Annotated[str | None, typer.Option(help="Model id, e.g. pocketsphinx:en-us")] = None,
    language: Annotated[str | None, typer.Option(help="Language hint, e.g. en")] = None,
    diarize: Annotated[bool, typer.Option(help="Label speakers")] = False,
    num_speakers: Annotated[int | None, typer.Option("--num-speakers", help="How many speakers")] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout")
    ] = None,
) -> None:
    """Transcribe an audio file (with a progress bar on stderr for long files)."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    from mynah.stt.formats import parse_transcript_format, render
    from mynah.stt.service import TranscribeOptions

    fmt = parse_transcript_format(response_format)
    if not file.is_file():
        raise InvalidRequest(f"no such file: {file}")
    runtime = _runtime()
    options = TranscribeOptions(
        language=language, diarize=diarize or fmt.value == "diarized_json", num_speakers=num_speakers
    )
    prepared = runtime.transcription.prepare(model, options)
    runtime.transcription.check_upload_size(file.stat().st_size)
    columns = (
        TextColumn("transcribing"),
        BarColumn(),
        TextColumn("{task.fields[where]}"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("transcribe", total=None, where="")

        def progress(done: float, total: float) -> None:
            bar.update(task, completed=done, total=total or None, where=f"{done:,.0f}/{total:,.0f} s")

        result = runtime.transcription.transcribe(file, prepared, progress=progress)
    body = render(
        result.transcription,
        fmt,
        granularities=("segment", "word"),
        low_confidence=runtime.settings.stt.low_confidence,
    )
    rendered = json.dumps(body, indent=2, ensure_ascii=False) + "\n" if isinstance(body, dict) else body
    if output is None:
        sys.stdout.write(rendered)
    else:
        output.write_text(rendered, encoding="utf-8")


@app.command()
def normalize(
    text: Annotated[str | None, typer.Argument(help="Text to normalise (or use --file)")] = None,
    file: Annotated[Path | None, typer.Option("--file", "-f", help="Read the text from a file")] = None,
    language: Annotated[str, typer.Option(help="Language of the text")] = "en",
    category: Annotated[
        list[str] | None, typer.Option("--category", help="Expand only these categories (repeatable)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the span map as JSON")] = False,
) -> None:
    """Show what a voice would say for TEXT, and which input each spoken word reads."""
    from mynah.text.normalize import normalize as run

    if (text is None) == (file is None):
        raise InvalidRequest("give the text to normalise, or --file, but not both")
    source = _read_text(file) if file is not None else text or ""
    result = run(source, categories=category, language=language)
    if not as_json:
        typer.echo(result.text)
        return
    tokens = [
        {
            "spoken": t.spoken,
            "start": t.start,
            "end": t.end,
            "category": t.category,
            "source": source[t.start : t.end],
        }
        for t in result.tokens
        if t.spoken
    ]
    unspoken = [{"start": u.start, "end": u.end, "text": source[u.start : u.end]} for u in result.unspoken]
    typer.echo(
        json.dumps(
            {"text": result.text, "tokens": tokens, "unspoken": unspoken}, ensure_ascii=False, indent=2
        )
    )


@app.command()
def voices(
    engine: Annotated[str | None, typer.Option(help="Only this engine's voices")] = None,
    language: Annotated[str | None, typer.Option(help="Only voices whose language starts with this")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """List the voices available on this machine."""
    runtime = _runtime()
    found = [
        v
        for v in runtime.registry.all_voices()
        if (engine is None or v.engine == engine)
        and (language is None or v.language.lower().startswith(language.lower()))
    ]
    if as_json:
        rows = [{"id": v.id, "engine": v.engine, "language": v.language, "gender": v.gender} for v in found]
        typer.echo(json.dumps(rows, indent=2))
    else:
        table = Table("id", "language", "gender", "rate")
        for v in found:
            table.add_row(v.id, v.language, v.gender or "", str(v.sample_rate))
        _out.print(table)
        if engine is None and (language is None or "en".startswith(language.lower()[:2])):
            _out.print(_alias_table(runtime))
    missing = sorted(
        {u.name for u in runtime.registry.unavailable if u.kind == "tts" and engine in (None, u.name)}
    )
    if missing:  # on stderr, so stdout stays the list (and valid JSON)
        typer.echo(
            f"not available here: {', '.join(missing)} (`mynah doctor` says why and what to install)",
            err=True,
        )


app.command()(doctor)
app.command()(wyoming)


def _alias_table(runtime: Runtime) -> Table:
    """What each OpenAI voice name (and the user's own aliases) means now; ids are never cut."""
    table = Table("alias", "voice now", "passed over", title="OpenAI voice names")
    table.columns[0].no_wrap = table.columns[1].no_wrap = True
    for alias in runtime.speech.aliases():
        try:
            resolved = runtime.speech.resolve_voice(alias)
        except MynahError as exc:
            table.add_row(alias, "nothing", exc.message)
            continue
        passed = ", ".join(s.split(": ", 1)[0] for s in resolved.skipped)
        table.add_row(alias, resolved.voice.id, passed)
    return table


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidRequest(f"no such file: {path}") from None
    except UnicodeDecodeError:
        raise InvalidRequest(f"{path} is not UTF-8 text") from None


def main() -> None:
    single_threaded_blas()  # before anything imports numpy
    configure_logging()
    try:
        app(obj=_Process())
    except MynahError as exc:
        typer.echo(f"mynah: error: {exc.message}", err=True)
        sys.exit(2 if exc.status_code < 500 else 1)
    except OSError as exc:
        typer.echo(
            f"mynah: error: {exc.strerror or exc}: {getattr(exc, 'filename', '') or ''}".rstrip(": "),
            err=True,
        )
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
