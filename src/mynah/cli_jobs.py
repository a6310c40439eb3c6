"""`mynah worker` (run jobs from the store) and `mynah jobs` (submit and follow them on a server).

    mynah worker [--threads N] [--grace S]        claim and run jobs until SIGTERM/SIGINT; running
                                                  jobs get S seconds, then go back to the queue
    mynah jobs submit FILE | --text-file F [--callback URL] [--priority N] [--wait] [-o OUT]
    mynah jobs list [--state S] [--kind K] | show ID | result ID [--format F] [-o OUT] | cancel ID

`mynah jobs` talks to a server (`--server`, or MYNAH_SERVER_URL; default http://127.0.0.1:8000,
with MYNAH_API_KEY as the bearer token when set). `mynah worker` opens the store itself: point every
worker and the server at one PostgreSQL database (MYNAH_DATABASE_URL) and one data directory.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from mynah.errors import InvalidRequest, MynahError

jobs_app = typer.Typer(help="Submit and follow durable jobs on a mynah server.", no_args_is_help=True)
_out = Console()
_err = Console(stderr=True)

ServerOption = Annotated[
    str | None,
    typer.Option("--server", help="Server URL [default: MYNAH_SERVER_URL or http://127.0.0.1:8000]"),
]


def worker(
    threads: Annotated[
        int | None, typer.Option(help="Jobs run at once [default: MYNAH_JOBS__WORKERS, 2]")
    ] = None,
    grace: Annotated[float, typer.Option(help="Seconds running jobs get to finish on SIGTERM")] = 30.0,
) -> None:
    """Run jobs from the store (share one PostgreSQL database between workers) until stopped."""
    from mynah.config import Settings
    from mynah.jobs import JobService, WorkerPool
    from mynah.runtime import Runtime

    settings = Settings()
    stop = threading.Event()

    def on_signal(signum: int, _frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    with Runtime.start(settings) as runtime:
        count = threads if threads is not None else (settings.jobs.workers or 1)
        if count < 1:
            raise InvalidRequest("--threads must be at least 1")
        service = JobService(runtime)
        if settings.platform.enabled and settings.redis_url:  # the limits every server shares
            _count_job_audio(service, runtime)
        pool = WorkerPool(service, threads=count).start()
        _err.print(f"mynah worker {pool.name}: {count} threads on {runtime.store.dialect}", highlight=False)
        stop.wait()
        _err.print("mynah worker: stopping (running jobs finish or go back to the queue)", highlight=False)
        pool.stop(grace=grace)


def _count_job_audio(service: Any, runtime: Any) -> None:
    """The audio of the jobs this worker finishes counts against their owners' daily minutes in
    the limits on Redis, as it does for jobs a server's own workers run."""
    import functools

    from mynah.platform.keys import KeyStore
    from mynah.platform.limits import Limiter
    from mynah.platform.service import count_job_audio

    options = runtime.settings.platform
    limiter = Limiter.open(
        redis_url=runtime.settings.redis_url, defaults=options.limits, prefix=options.redis_prefix
    )
    service.on_finished(functools.partial(count_job_audio, limiter, KeyStore(runtime.store)))


def _client(server: str | None) -> Any:
    from mynah.client import Client

    url = server or os.environ.get("MYNAH_SERVER_URL") or "http://127.0.0.1:8000"
    return Client(url, api_key=os.environ.get("MYNAH_API_KEY") or None)


def _call(action: Any) -> Any:
    from mynah.client import MynahClientError

    try:
        return action()
    except MynahClientError as exc:
        raise MynahError(exc.message, param=exc.param) from None


def _write(body: Any, output: Path | None) -> None:
    if isinstance(body, bytes):
        if output is None:
            if sys.stdout.isatty():
                raise InvalidRequest("the result is audio: write it to a file with -o FILE")
            sys.stdout.buffer.write(body)
            return
        output.write_bytes(body)
        return
    text = json.dumps(body, indent=2, ensure_ascii=False) + "\n" if isinstance(body, dict) else str(body)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")


def _wait(client: Any, job: dict[str, Any]) -> dict[str, Any]:
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (
        TextColumn("{task.fields[state]:<9}"),
        BarColumn(),
        TextColumn("{task.fields[where]}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=_err, transient=True) as bar:
        task = bar.add_task("job", total=1.0, state=job["status"], where="")

        def progress(current: dict[str, Any]) -> None:
            total = current.get("seconds_total")
            where = f"{current['seconds_done']:,.0f}/{total:,.0f} s" if total else ""
            bar.update(task, completed=current["progress"], state=current["status"], where=where)

        return dict(_call(lambda: client.jobs.wait(job["id"], progress=progress)))


@jobs_app.command()
def submit(
    file: Annotated[Path | None, typer.Argument(help="Audio to transcribe")] = None,
    text_file: Annotated[
        Path | None, typer.Option("--text-file", help="Text, SSML or Markdown to speak")
    ] = None,
    callback: Annotated[str | None, typer.Option("--callback", help="POST the result here when done")] = None,
    wait: Annotated[
        bool, typer.Option("--wait", help="Wait with a progress bar, then print the result")
    ] = False,
    model: Annotated[str | None, typer.Option(help="Transcription model, or speech model")] = None,
    language: Annotated[str | None, typer.Option(help="Language hint")] = None,
    diarize: Annotated[bool, typer.Option(help="Label speakers")] = False,
    voice: Annotated[str | None, typer.Option(help="Voice for --text-file")] = None,
    response_format: Annotated[
        str | None, typer.Option("--format", help="Transcript format, or audio format for speech")
    ] = None,
    loudness: Annotated[float | None, typer.Option(help="Speech: normalise to this LUFS, e.g. -16")] = None,
    priority: Annotated[
        int | None, typer.Option(help="-10 (lowest) to 10 (highest), default 0: higher runs first")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="With --wait: write the result here")
    ] = None,
    server: ServerOption = None,
) -> None:
    """Queue a transcription of FILE, or speech of --text-file; print the job (or, with --wait, its result)."""
    if (file is None) == (text_file is None):
        raise InvalidRequest("give an audio FILE or --text-file, not both")
    with _client(server) as client:
        if text_file is not None:
            if not text_file.is_file():
                raise InvalidRequest(f"no such file: {text_file}")
            source = text_file.read_text(encoding="utf-8")
            input_type = "markdown" if text_file.suffix.lower() in (".md", ".markdown") else "auto"
            job = _call(
                lambda: client.jobs.submit(
                    text=source,
                    callback_url=callback,
                    voice=voice,
                    model=model,
                    response_format=response_format,
                    input_type=input_type,
                    loudness=loudness,
                    priority=priority,
                )
            )
        else:
            assert file is not None
            if not file.is_file():
                raise InvalidRequest(f"no such file: {file}")
            job = _call(
                lambda: client.jobs.submit(
                    file,
                    callback_url=callback,
                    model=model,
                    language=language,
                    diarize=diarize or None,
                    response_format=response_format,
                    priority=priority,
                )
            )
        if not wait:
            _write(job, None)
            return
        done = _wait(client, job)
        if done["status"] != "succeeded":
            error = (done.get("error") or {}).get("error", {})
            raise MynahError(f"job {done['id']} {done['status']}: {error.get('message', 'no reason given')}")
        _write(_call(lambda: client.jobs.result(done["id"])), output)


@jobs_app.command("list")
def list_jobs(
    state: Annotated[str | None, typer.Option(help="queued, running, succeeded, failed, cancelled")] = None,
    kind: Annotated[str | None, typer.Option(help="transcription or speech")] = None,
    limit: Annotated[int, typer.Option(help="How many, newest first")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
    server: ServerOption = None,
) -> None:
    """The newest jobs."""
    with _client(server) as client:
        page = _call(lambda: client.jobs.list(state=state, kind=kind, limit=limit))
    if as_json:
        _write(page, None)
        return
    table = Table("id", "kind", "status", "progress", "attempts", "created", "input")
    for job in page["data"]:
        table.add_row(
            job["id"],
            job["kind"],
            job["status"],
            f"{job['progress']:.0%}",
            str(job["attempts"]),
            job["created_at"],
            job["input"]["name"] or "",
        )
    _out.print(table)


@jobs_app.command()
def show(job_id: str, server: ServerOption = None) -> None:
    """One job as JSON, with its callback's delivery log."""
    with _client(server) as client:
        _write(_call(lambda: client.jobs.get(job_id)), None)


@jobs_app.command()
def result(
    job_id: str,
    response_format: Annotated[str | None, typer.Option("--format", help="json, text, srt, vtt, ...")] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout")
    ] = None,
    server: ServerOption = None,
) -> None:
    """A finished job's result (the transcript in any format, or the audio)."""
    with _client(server) as client:
        _write(_call(lambda: client.jobs.result(job_id, format=response_format)), output)


@jobs_app.command()
def cancel(job_id: str, server: ServerOption = None) -> None:
    """Cancel a queued or running job; a finished one is removed with its files."""
    with _client(server) as client:
        _write(_call(lambda: client.jobs.cancel(job_id)), None)
