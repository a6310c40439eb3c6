"""`mynah keys create | list | revoke` and `mynah usage`: API keys and metered usage, in the same
database as the server's (MYNAH_DATABASE_URL, or SQLite in MYNAH_DATA_DIR).

A key made here works on a running server at once; the token is printed once and never stored.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from mynah.errors import InvalidRequest

if TYPE_CHECKING:
    from mynah.config import Settings
    from mynah.store import Store

keys_app = typer.Typer(help="API keys: create (shown once), list, revoke.", no_args_is_help=True)
_out = Console()


def _open() -> tuple[Settings, Store]:
    from mynah.config import Settings
    from mynah.store import Store, database_url

    settings = Settings()
    return settings, Store.open(database_url(settings))


def _duration(text: str) -> timedelta:
    units = {"h": 3600, "d": 86400, "w": 7 * 86400}
    number, unit = text[:-1], text[-1:].lower()
    try:
        if unit in units:
            return timedelta(seconds=float(number) * units[unit])
        return timedelta(days=float(text))
    except ValueError:
        raise InvalidRequest(f"--expires wants e.g. 12h, 30d or 8w, not {text!r}") from None


@keys_app.command("create")
def create(
    name: Annotated[str, typer.Argument(help="Who or what the key is for")],
    scope: Annotated[
        list[str] | None,
        typer.Option(
            "--scope",
            "-s",
            help="speech, transcription, jobs, voices, admin (repeat) [default: speech, transcription]",
        ),
    ] = None,
    expires: Annotated[str | None, typer.Option(help="Lifetime: 12h, 30d, 8w")] = None,
    rpm: Annotated[int | None, typer.Option(help="Requests per minute")] = None,
    streams: Annotated[int | None, typer.Option(help="Concurrent streams")] = None,
    chars_per_day: Annotated[int | None, typer.Option(help="Billable characters per UTC day")] = None,
    audio_minutes_per_day: Annotated[float | None, typer.Option(help="Audio minutes per UTC day")] = None,
    default: Annotated[
        list[str] | None, typer.Option(help="A request default, e.g. voice=alloy (repeat)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Make a key and print it: this is the only time it is shown."""
    from mynah.platform.keys import KeyStore

    defaults: dict[str, object] = {}
    for item in default or []:
        field, sep, value = item.partition("=")
        if not sep:
            raise InvalidRequest(f"--default wants field=value, not {item!r}")
        defaults[field.strip()] = json.loads(value) if value[:1].isdigit() or value[:1] == "-" else value
    limits = {
        "requests_per_minute": rpm,
        "concurrent_streams": streams,
        "chars_per_day": chars_per_day,
        "audio_minutes_per_day": audio_minutes_per_day,
    }
    _, store = _open()
    try:
        created = KeyStore(store).create(
            name,
            scopes=scope or ["speech", "transcription"],
            expires_in=_duration(expires) if expires else None,
            limits={k: v for k, v in limits.items() if v is not None},
            defaults=defaults,
        )
    finally:
        store.close()
    if as_json:
        typer.echo(json.dumps({**created.key.as_json(), "key": created.token}, indent=2))
        return
    typer.echo(created.token)
    typer.echo(
        f"key {created.key.id} ({', '.join(sorted(created.key.scopes))}) for {created.key.name}: "
        "keep it now, it is not shown again",
        err=True,
    )


@keys_app.command("list")
def list_(as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False) -> None:
    """Every key: id, name, prefix, scopes, limits, state. Never the key itself."""
    from mynah.platform.keys import KeyStore

    _, store = _open()
    try:
        keys = KeyStore(store).list()
    finally:
        store.close()
    if as_json:
        typer.echo(json.dumps([k.as_json() for k in keys], indent=2))
        return
    table = Table("id", "name", "prefix", "scopes", "limits", "expires", "state")
    for k in keys:
        row = k.as_json()
        limits = ", ".join(f"{n}={v}" for n, v in row["limits"].items())
        table.add_row(
            k.id,
            k.name,
            k.prefix + "…",
            ",".join(row["scopes"]),
            limits,
            row["expires_at"] or "",
            row["state"],
        )
    _out.print(table)


@keys_app.command("revoke")
def revoke(
    key_id: Annotated[str, typer.Argument(help="The key's id (key_...), from `mynah keys list`")],
) -> None:
    """Revoke a key: it stops working at once here, within seconds on running servers."""
    from mynah.platform.keys import KeyStore

    _, store = _open()
    try:
        key = KeyStore(store).revoke(key_id)
    finally:
        store.close()
    typer.echo(f"revoked {key.id} ({key.name})")


def usage(
    from_: Annotated[str | None, typer.Option("--from", help="ISO date or date-time (UTC)")] = None,
    to: Annotated[str | None, typer.Option(help="ISO date (inclusive) or date-time (exclusive)")] = None,
    group_by: Annotated[str, typer.Option(help="key, day, model or voice")] = "key",
    key_id: Annotated[str | None, typer.Option("--key", help="Only this key's usage")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Metered usage and its estimated cost (prices from MYNAH_PLATFORM__PRICES__...)."""
    from mynah.platform.usage import UsageMeter, parse_period

    settings, store = _open()
    try:
        report = UsageMeter(store).report(
            parse_period(from_, param="from"),
            parse_period(to, param="to", end=True),
            group_by=group_by,
            prices=settings.platform.prices,
            key_id=key_id,
        )
    finally:
        store.close()
    if as_json:
        typer.echo(json.dumps(report, indent=2))
        return
    table = Table(group_by, "requests", "errors", "cached", "characters", "audio (s)", "cost (USD)")
    for row in [*report["data"], {**report["total"], "group": "total"}]:
        table.add_row(
            row["group"],
            str(row["requests"]),
            str(row["errors"]),
            str(row["cached"]),
            f"{row['chars']:,}",
            f"{row['audio_seconds']:.1f}",
            f"{row['cost_usd']:.4f}",
        )
    _out.print(table)


def canary(
    voice: Annotated[
        list[str] | None, typer.Option(help="Check this voice (repeat) [default: the configured ones]")
    ] = None,
    update: Annotated[
        bool, typer.Option("--update-baseline", help="Store what is measured as the baseline")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Speak fixed prompts with each voice and compare duration, loudness and round-trip WER with the
    stored baseline. Exits 1 when a voice drifted."""
    from mynah.config import Settings
    from mynah.platform.canary import run_canary
    from mynah.runtime import Runtime

    with Runtime.start(Settings()) as runtime:
        report = run_canary(runtime, update=update, voices=voice or None)
    if as_json:
        typer.echo(json.dumps(report.as_json(), indent=2, default=str))
    else:
        table = Table("voice", "status", "duration (s)", "loudness (LUFS)", "WER", "why")
        for check in report.voices:
            wer = f"{check.wer:.0%}" if check.wer is not None else "-"
            table.add_row(
                check.voice,
                check.status,
                f"{check.duration:.2f}",
                f"{check.loudness:.1f}",
                wer,
                "; ".join(check.reasons),
            )
        _out.print(table)
    if report.drifted:
        raise typer.Exit(1)
