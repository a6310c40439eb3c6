"""What a text is billed as: the characters a listener hears, markup excluded (as hosted APIs bill).

    billable_chars("Hello there.")                     12
    billable_chars("<speak>Hi <break/>you</speak>")    6

Used wherever usage is counted: a request's metering (`mynah.platform.hooks`) and a job's
(`mynah.jobs`), so both count the same text the same way.
"""

from __future__ import annotations

from xml.etree import ElementTree

__all__ = ["billable_chars"]


def billable_chars(text: str) -> int:
    """Characters billed for `text`: all of plain text; of SSML the text only, markup excluded."""
    stripped = text.lstrip()
    if stripped.startswith("<") and ("<speak" in stripped[:200] or stripped.startswith("<?xml")):
        try:
            return sum(len(piece) for piece in ElementTree.fromstring(stripped).itertext())
        except ElementTree.ParseError:
            pass
    return len(text)
