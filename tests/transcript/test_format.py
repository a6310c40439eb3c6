"""Smart formatting: spoken words written as text reads, each formatted word spanning the words it
replaced; on real pocketsphinx output it writes numbers and dates the way Whisper writes them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mynah.runtime import Runtime
from mynah.stt.service import TranscribeOptions
from mynah.transcript.format import format_text, smart_format
from mynah.types import Segment, Transcription, Word


@pytest.mark.parametrize(
    ("spoken", "written"),
    [
        ("twenty five dollars on march third", "$25 on March 3"),
        ("it costs one point five million dollars", "it costs $1.5 million"),
        ("nineteen dollars and fifty cents", "$19.50"),
        ("fifty cents", "50 cents"),
        ("a thousand euros", "€1000"),
        ("twenty five percent of them", "25% of them"),
        ("we sold forty three thousand units", "we sold 43,000 units"),
        ("one thousand five hundred", "1500"),
        ("two hundred and five", "205"),
        ("three point one four", "3.14"),
        ("the fifteenth century", "the 15th century"),
        ("the twenty first of may", "May 21"),
        ("the first time", "the first time"),
        ("one hundred and twenty first", "121st"),
        ("go forward ten meters", "go forward 10 meters"),
        ("five meters", "5 meters"),
        ("seven of hearts", "seven of hearts"),
        ("born on may fifth nineteen ninety nine", "born on May 5, 1999"),
        ("march the twenty first twenty twenty four", "March 21, 2024"),
        ("march third twenty twenty four", "March 3, 2024"),
        ("the third of march", "March 3"),
        ("third of march", "March 3"),
        ("on the twenty fourth of december", "on December 24"),
        ("twenty fourth of december twenty twenty three", "December 24, 2023"),
        ("december twenty fourth", "December 24"),
        ("on second of june", "on June 2"),
        ("the thirty first of january two thousand and five", "January 31, 2005"),
        ("march twenty twenty four", "March 2024"),
        ("friday the fourth of october", "Friday, October 4"),
        ("on tuesday march third", "on Tuesday, March 3"),
        ("monday the third", "Monday the 3rd"),
        ("see you monday", "see you monday"),  # capitals are _punctuate's, for bare segments only
        # Whisper's half-written dates read into the same form
        ("3rd of March 2024", "March 3, 2024"),
        ("the 24th of December", "December 24"),
        ("March 3rd, 2024", "March 3, 2024"),
        ("3 March 2024", "March 3, 2024"),
        ("first of all", "first of all"),
        ("the first time", "the first time"),
        ("it was the fifth", "it was the fifth"),
        ("in two thousand and five", "in 2005"),
        ("of about fourteen fifty five", "of about 1455"),
        ("in nineteen oh five", "in 1905"),
        ("you may two", "you may two"),
        ("meet at three thirty p m", "meet at 3:30 p.m."),
        ("at seven a m", "at 7 a.m."),
        ("at nine oh five p m", "at 9:05 p.m."),
        ("at four o'clock", "at 4 o'clock"),
        ("call five five five one two three four five six seven", "call 555-123-4567"),
        ("call one eight hundred", "call one 800"),
        ("one eight zero zero five five five zero one nine nine", "1-800-555-0199"),
        ("dial five five five double one two three", "dial 555-1123"),
        ("four one one one one one one one one one one one one one one one", "4111 1111 1111 1111"),
        ("room four one two", "room 412"),
        ("five five", "five five"),
        ("john dot smith at example dot com", "john.smith@example.com"),
        ("write to support at mynah dot io", "write to support@mynah.io"),
        ("visit w w w dot mynah dot org today", "visit www.mynah.org today"),
        ("go to example dot com", "go to example.com"),
        ("send it to peter at novak.org.", "send it to peter@novak.org"),
        ("look at that", "look at that"),
        ("john.smith at example.com", "john.smith@example.com"),  # Whisper's half-written forms
        ("my email is John Smith at example.com.", "my email is johnsmith@example.com"),
        ("email me at example.com", "email me at example.com"),
        ("look at example.com", "look at example.com"),
        ("see Example.com", "see Example.com"),
    ],
)
def test_spoken_forms_are_written(spoken: str, written: str) -> None:
    assert format_text(spoken) == written


def _words(text: str, gap: float = 0.1) -> tuple[Word, ...]:
    out, t = [], 0.0
    for i, w in enumerate(text.split()):
        out.append(Word(w, t, t + 0.3, 0.9 - i * 0.01))
        t += 0.3 + gap
    return tuple(out)


def test_a_formatted_word_spans_the_words_it_replaced() -> None:
    words = _words("pay twenty five dollars on march third")
    segment = Segment(0, 0.0, words[-1].end, "pay twenty five dollars on march third", words)
    formatted = smart_format(Transcription((segment,), duration=3.0))
    out = formatted.segments[0].words
    assert [w.text for w in out] == ["Pay", "$25", "on", "March 3."]
    assert (out[1].start, out[1].end) == (words[1].start, words[3].end)
    assert out[1].probability == min(w.probability for w in words[1:4])
    assert (out[3].start, out[3].end) == (words[5].start, words[6].end)
    assert formatted.text == "Pay $25 on March 3."


def test_a_date_spans_its_words_weekday_and_year_included() -> None:
    text = "call me on friday the fourth of october twenty twenty four please"
    words = _words(text)
    segment = Segment(0, 0.0, words[-1].end, text, words)
    out = smart_format(Transcription((segment,), duration=6.0)).segments[0].words
    assert [w.text for w in out] == ["Call", "me", "on", "Friday, October 4, 2024", "please."]
    assert (out[3].start, out[3].end) == (words[3].start, words[10].end)
    assert out[3].probability == min(w.probability for w in words[3:11])


def test_a_written_date_keeps_the_punctuation_around_it() -> None:
    text = "It is on Tuesday, March 3rd, 2024. Thanks"
    words = _words(text)
    out = smart_format(Transcription((Segment(0, 0.0, 4.0, text, words),), duration=4.0))
    assert out.text == "It is on Tuesday, March 3, 2024. Thanks"
    date = out.segments[0].words[3]
    assert (date.start, date.end) == (words[3].start, words[6].end)


def test_whisper_pieces_of_an_address_are_read_whole() -> None:
    pieces = [("send", False), ("it", False), ("to", False), ("Peter", False), ("at", False)]
    pieces += [("Novak", False), (".org.", True), ("Thanks", False)]
    words = tuple(Word(t, i * 0.4, i * 0.4 + 0.3, 0.9, joins_previous=j) for i, (t, j) in enumerate(pieces))
    segment = Segment(0, 0, 3.5, "send it to Peter at Novak.org. Thanks", words)
    out = smart_format(Transcription((segment,), 4)).segments[0]
    assert out.text == "send it to peter@novak.org. Thanks"
    assert (out.words[3].start, out.words[3].end) == (words[3].start, words[6].end)


def test_punctuation_is_added_only_where_the_engine_gave_none() -> None:
    spoken = Segment(0, 0, 3, "i said so it is ten", _words("i said so it is ten"))
    assert smart_format(Transcription((spoken,), 3)).text == "I said so it is 10."
    written = Segment(0, 0, 3, "It was ten, I think", _words("It was ten, I think"))
    assert smart_format(Transcription((written,), 3)).text == "It was 10, I think"


def test_a_long_pause_ends_a_sentence() -> None:
    words = _words("ask not what your country can do", gap=0.1)
    late = tuple(
        Word(w.text, w.start + 2 * (i > 1), w.end + 2 * (i > 1), w.probability) for i, w in enumerate(words)
    )
    segment = Segment(0, 0, late[-1].end, "ask not what your country can do", late)
    assert smart_format(Transcription((segment,), 6)).text == "Ask not. What your country can do."


# Whisper base (the real weights, README "Neural models") on the same recordings, `format=raw`:
WHISPER_BASE = {
    "goforward.wav": "Go forward 10 meters.",
    "cards/001.wav": "10 of clothes",
    "ljspeech/LJ001-0005.flac": "The invention of movable metal letters in the middle of the 15th century may "
    "justly be considered as the invention of the art of printing.",
    "ljspeech/LJ001-0007.flac": "The earliest book printed with movable types, the Guttenberg or 42 line Bible "
    "of about 1455.",
}
_NUMBER = re.compile(r"\$?\d[\d,.:]*(?:st|nd|rd|th|%)?")


@pytest.mark.parametrize("name", sorted(WHISPER_BASE))
def test_pocketsphinx_reads_like_whisper_on_numbers_and_dates(
    name: str, speech_dir: Path, runtime: Runtime
) -> None:
    service = runtime.transcription
    smart = service.transcribe(speech_dir / name, service.prepare("pocketsphinx:en-us"))  # smart by default
    raw = service.transcribe(
        speech_dir / name, service.prepare("pocketsphinx:en-us", TranscribeOptions(format="raw"))
    )
    assert not _NUMBER.findall(raw.transcription.text)  # pocketsphinx writes words only
    assert _NUMBER.findall(smart.transcription.text.rstrip(".")) == _NUMBER.findall(
        WHISPER_BASE[name].rstrip(".")
    )
    assert not smart.transcription.text[0].islower()
    words = smart.transcription.words
    assert (
        words[0].start == raw.transcription.words[0].start
        and words[-1].end == raw.transcription.words[-1].end
    )
