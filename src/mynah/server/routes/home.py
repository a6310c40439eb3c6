"""GET /: a small page for whoever opens the server in a browser (until the playground lands).

It points at the interactive API docs (/docs), /health and /v1/audio/voices, and shows the README's
first examples with this server's own address.
"""

from __future__ import annotations

import html

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from mynah import __version__

router = APIRouter()

_PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>mynah {version}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.5}}
pre{{background:#f4f4f4;padding:.75rem;overflow-x:auto}}</style></head>
<body>
<h1>mynah {version}</h1>
<p>Self-hosted text to speech and speech to text, with OpenAI's audio API under <code>/v1</code>.</p>
<ul>
<li><a href="/docs">/docs</a>: every route, to read and to try (<a href="/redoc">/redoc</a> to read only)</li>
<li><a href="/health">/health</a>: the engines that loaded, why any did not, what each OpenAI name means now</li>
<li><a href="/v1/audio/voices">/v1/audio/voices</a>: the voices on this machine</li>
</ul>
<h2>Try it</h2>
<pre>curl -s {base}/v1/audio/speech -H 'content-type: application/json' \\
  -d '{{"model":"tts-1","voice":"alloy","input":"Hello there","response_format":"wav"}}' -o hello.wav
curl -s {base}/v1/audio/transcriptions -F model=whisper-1 -F file=@hello.wav</pre>
<pre>from openai import OpenAI   # pip install openai
client = OpenAI(base_url="{base}/v1", api_key="unused")
client.audio.speech.create(model="tts-1", voice="alloy", input="Hello!").write_to_file("hello.mp3")</pre>
</body>
</html>
"""


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
async def home(request: Request) -> HTMLResponse:
    base = html.escape(str(request.base_url).rstrip("/"))
    return HTMLResponse(_PAGE.format(version=html.escape(__version__), base=base))
