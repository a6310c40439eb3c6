"""Consent challenges and the checks behind them, without a server: the statement heard or not, a
challenge spent once and refused once expired, recordings too short, and the speaker check on the
real people of ../shared/data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from mynah.audio.decode import decode_audio
from mynah.cloning.audit import AuditLog
from mynah.cloning.consent import CODE_WORDS, ChallengeRow, ConsentChallenges, statement_heard, words_of
from mynah.cloning.speaker import SAME_SPEAKER_THRESHOLD, check_quality, speaker_distance
from mynah.errors import InvalidRequest, NotFound
from mynah.store import Store

DATA = next(
    (p / "shared" / "data" for p in Path(__file__).resolve().parents if (p / "shared" / "data").is_dir()),
    None,
)


def _challenges(store: Store) -> ConsentChallenges:
    return ConsentChallenges(store, AuditLog(store))


def test_a_challenge_names_speaker_organisation_and_a_fresh_code(store: Store) -> None:
    challenges = _challenges(store)
    first = challenges.issue("key_a", speaker="Ada Lovelace", organisation="Acme")
    second = challenges.issue("key_a", speaker="Ada Lovelace", organisation="Acme")
    assert first.statement.startswith(
        "I, Ada Lovelace, agree that Acme may create a synthetic copy of my voice."
    )
    assert first.statement.endswith(f"My code is {first.code}.") and len(first.code.split()) == 4
    assert first.id != second.id
    assert timedelta(minutes=1) < first.expires_at - datetime.now(UTC) <= timedelta(minutes=10)
    assert [e.event for e in AuditLog(store).entries()] == ["consent.issued", "consent.issued"]
    with pytest.raises(InvalidRequest):
        challenges.issue("key_a", speaker="   ", organisation="Acme")


def test_a_challenge_is_spent_once_belongs_to_its_key_and_expires(store: Store) -> None:
    challenges = _challenges(store)
    challenge = challenges.issue("key_a", speaker="Ada", organisation="Acme")
    with pytest.raises(NotFound):
        challenges.take(challenge.id, "key_b")
    assert challenges.take(challenge.id, "key_a").code == challenge.code
    with pytest.raises(InvalidRequest) as used:
        challenges.take(challenge.id, "key_a")
    assert used.value.code == "challenge_used"
    old = challenges.issue("key_a", speaker="Ada", organisation="Acme")
    with store.session(write=True) as session:
        row = session.get(ChallengeRow, old.id)
        assert row is not None
        row.expires_at = datetime.now(UTC) - timedelta(seconds=1)
    with pytest.raises(InvalidRequest) as expired:
        challenges.take(old.id, "key_a")
    assert expired.value.code == "challenge_expired"


def test_the_statement_is_heard_with_the_code_exact_and_the_rest_within_tolerance(store: Store) -> None:
    challenge = _challenges(store).issue("key_a", speaker="Ada Lovelace", organisation="Acme")
    digits = "".join(str(CODE_WORDS.index(w)) for w in challenge.code.split())
    heard = statement_heard(
        challenge,
        f"I ate a lovelace, agree that acne may create a synthetic copy of my voice. My code is {digits}.",
    )
    assert heard.ok, heard.reason
    assert statement_heard(challenge, challenge.statement).word_error_rate == 0
    other = " ".join(CODE_WORDS[(CODE_WORDS.index(w) + 1) % 10] for w in challenge.code.split())
    wrong_code = challenge.statement.replace(challenge.code, other)
    refused = statement_heard(challenge, wrong_code)
    assert not refused.ok and refused.code == "consent_code_mismatch"
    no_code = statement_heard(challenge, challenge.statement.replace(challenge.code, ""))
    assert no_code.code == "consent_code_mismatch"
    other_words = statement_heard(
        challenge, f"The weather is lovely today and I like it a lot. {challenge.code}"
    )
    assert not other_words.ok and other_words.code == "consent_statement_mismatch"


def test_the_speaker_and_the_organisation_must_be_heard_themselves(store: Store) -> None:
    """Another speaker's statement with the right code is refused, and so is one naming an
    organisation that sounds nothing like this one (the organisation's bar is low: README), each
    naming which; the names misheard the way whisper:base mishears them still pass."""
    challenge = _challenges(store).issue("key_a", speaker="Olu Adeyemi", organisation="Northwind Traders")
    code = challenge.code
    template = "I, {}, agree that {} may create a synthetic copy of my voice. My code is {}."
    misheard = statement_heard(challenge, template.format("Oliver Damey", "North Wind Traders", code))
    assert misheard.ok, misheard.reason
    other_speaker = statement_heard(challenge, template.format("Emily Brown", "Northwind Traders", code))
    assert other_speaker.code == "consent_speaker_not_heard", other_speaker
    assert "'olu adeyemi' was not heard" in other_speaker.reason
    other_org = statement_heard(challenge, template.format("Olu Adeyemi", "Acme", code))
    assert other_org.code == "consent_organisation_not_heard", other_org
    left_out = statement_heard(
        challenge, f"I agree that Northwind Traders may copy my voice. My code is {code}."
    )
    assert left_out.code == "consent_speaker_not_heard"


def test_words_are_compared_without_case_punctuation_or_digit_spelling() -> None:
    assert words_of("My code is 7-4-1, nine!") == ["my", "code", "is", "seven", "four", "one", "nine"]


def _load(*paths: Path) -> np.ndarray:
    return np.concatenate([decode_audio(p, 16000) for p in paths])


@pytest.mark.skipif(DATA is None, reason="real recordings (../shared/data) not found")
def test_real_speakers_same_and_different() -> None:
    assert DATA is not None
    speech = DATA / "speech"
    lj = sorted((speech / "ljspeech").glob("*.flac"))
    lj_consent, lj_reference = _load(lj[0]), _load(*lj[1:])
    jfk = _load(speech / "jfk.flac")
    cards = _load(*sorted((speech / "cards").glob("*.wav")))
    assert speaker_distance(lj_consent, lj_reference, 16000) <= SAME_SPEAKER_THRESHOLD
    assert speaker_distance(jfk[: 4 * 16000], lj_reference, 16000) > SAME_SPEAKER_THRESHOLD
    assert speaker_distance(cards[: 4 * 16000], jfk, 16000) > SAME_SPEAKER_THRESHOLD
    assert speaker_distance(lj_consent, cards, 16000) > SAME_SPEAKER_THRESHOLD


@pytest.mark.skipif(DATA is None, reason="real recordings (../shared/data) not found")
def test_short_or_noisy_recordings_are_refused_with_their_reason() -> None:
    assert DATA is not None
    short = _load(DATA / "speech" / "goforward.wav")
    with pytest.raises(InvalidRequest) as too_short:
        check_quality(short, 16000, "reference")
    assert too_short.value.code == "reference_too_short"
    jfk = _load(DATA / "speech" / "jfk.flac")
    assert check_quality(jfk, 16000, "reference").speech_seconds >= 8
    noisy = jfk + np.random.default_rng(1).normal(0, 0.1, len(jfk)).astype(np.float32)
    with pytest.raises(InvalidRequest) as too_noisy:
        check_quality(noisy, 16000, "reference")
    assert too_noisy.value.code == "reference_too_noisy"
    with pytest.raises(InvalidRequest) as quiet:
        check_quality(jfk * 0.001, 16000, "reference")
    assert quiet.value.code == "reference_too_quiet"


def test_a_name_heard_before_a_moved_i_is_still_in_its_slot(store: Store) -> None:
    """Whisper hears "I, Mary Smith, agree" as "Mary Smith, I agree" now and then (Piper's joe,
    whisper:base): the lone "I" does not bound the name's slot, so the name is found; another name
    said the same way is still refused."""
    challenge = _challenges(store).issue("key_a", speaker="Mary Smith", organisation="Acme")
    rest = f"agree that Acme may create a synthetic copy of my voice. My code is {challenge.code}."
    moved = statement_heard(challenge, f"Merry Smith, I {rest}")
    assert moved.ok, moved.reason
    impostor = statement_heard(challenge, f"Emily Brown, I {rest}")
    assert impostor.code == "consent_speaker_not_heard", impostor
