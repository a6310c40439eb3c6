"""The `mynah` command: serve, say, transcribe, voices.

`say`, `transcribe` and `voices` run the engines in this process; `serve` starts the HTTP server.
Every failure the user can cause prints one line, `mynah: error: ...`, and exits non-zero.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from mynah.cli_lexicons import lexicons_app
from mynah.cli_models import models_app
from mynah.errors import InvalidRequest, MynahError

app = typer.Typer(
    name="mynah",
    help="Self-hosted text to speech and speech to text.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(lexicons_app, name="lexicons")
app.add_typer(models_app, name="models")
_out = Console()


def _runtime() -> Any:
    from mynah.config import Settings
    from mynah.runtime import Runtime

    return Runtime.start(Settings())


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to listen on [default: 127.0.0.1]")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on [default: 8000]")] = None,
    log_level: Annotated[str, typer.Option(help="debug, info, warning, error")] = "info",
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
    logging.basicConfig(level=log_level.upper(), format="%(levelname)s %(name)s: %(message)s", force=True)
    uvicorn.run(
        create_app(settings),
        host=settings.server.host,
        port=settings.server.port,
        log_level=log_level.lower(),
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
    from mynah.audio.encode import StreamingEncoder
    from mynah.audio.formats import default_sample_rate, format_from_path, parse_format, validate_sample_rate
    from mynah.tts.plan import Normalization

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
    rate = prepared.sample_rate
    validate_sample_rate(fmt, rate)
    encoder = StreamingEncoder(fmt, rate, input_rate=rate)
    partial = output.with_name(output.name + ".part")
    try:
        with partial.open("wb") as sink:
            for chunk in runtime.speech.stream(prepared):
                sink.write(encoder.write(chunk.samples))
            sink.write(encoder.close())
        partial.replace(output)
    finally:
        partial.unlink(missing_ok=True)
    used = prepared.state.voice or prepared.resolved.voice
    typer.echo(
        f"wrote {output} ({prepared.state.seconds:.1f} s, {fmt.value}, {rate} Hz, voice {used.id})", err=True
    )


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
        return
    table = Table("id", "language", "gender", "rate")
    for v in found:
        table.add_row(v.id, v.language, v.gender or "", str(v.sample_rate))
    _out.print(table)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidRequest(f"no such file: {path}") from None
    except UnicodeDecodeError:
        raise InvalidRequest(f"{path} is not UTF-8 text") from None


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="mynah: %(message)s")
    try:
        app()
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
