"""Response headers that say what served a request.

`x-mynah-fallback` is a summary, short enough for any proxy and any log line: the first voice or
model passed over, with its reason cut to a sentence, and how many more there were. The whole story
is in the native JSON (`fallback` of POST /v1/mynah/speech), in `/health` (`aliases`: what each
OpenAI name means now and everything passed over on the way) and in the server's log.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["FALLBACK_FIRST_CHARS", "fallback_header"]

FALLBACK_FIRST_CHARS = 200
"""Most characters of the first skip's reason in the header."""


def fallback_header(skipped: Sequence[str]) -> str | None:
    """`first: reason (+N more; GET /health)`, ASCII; None when nothing was passed over."""
    if not skipped:
        return None
    first = " ".join(skipped[0].split())
    if len(first) > FALLBACK_FIRST_CHARS:
        first = first[: FALLBACK_FIRST_CHARS - 3].rstrip() + "..."
    more = f" (+{len(skipped) - 1} more; GET /health)" if len(skipped) > 1 else ""
    return (first + more).encode("ascii", "replace").decode()
