"""`mynah wyoming`: serve speech to text and text to speech over the Wyoming protocol."""

from __future__ import annotations

import asyncio
from typing import Annotated
from urllib.parse import urlparse

import typer

from mynah.errors import InvalidRequest


def wyoming(
    uri: Annotated[
        str, typer.Option(help="Where to listen: tcp://HOST:PORT or unix://PATH")
    ] = "tcp://127.0.0.1:10300",
    model: Annotated[
        str | None, typer.Option(help="STT model when a client names none [default: whisper-1's chain]")
    ] = None,
) -> None:
    """Serve Wyoming (Home Assistant's protocol for local voice services): asr, tts and describe."""
    from mynah.config import Settings
    from mynah.realtime.hub import Realtime
    from mynah.realtime.wyoming import serve
    from mynah.runtime import Runtime

    parsed = urlparse(uri)
    if parsed.scheme not in ("tcp", "unix") or (parsed.scheme == "tcp" and parsed.port is None):
        raise InvalidRequest(f"--uri must be tcp://HOST:PORT or unix://PATH, not {uri!r}")

    async def run() -> None:
        ready = asyncio.Event()
        task = asyncio.create_task(serve(hub, uri, model=model, ready=ready))
        await asyncio.wait([task, asyncio.create_task(ready.wait())], return_when=asyncio.FIRST_COMPLETED)
        if ready.is_set():
            typer.echo(f"mynah wyoming: listening on {uri}")
        await task

    with Runtime.start(Settings()) as runtime:
        hub = Realtime(runtime)
        try:
            asyncio.run(run())
        finally:
            hub.close()
