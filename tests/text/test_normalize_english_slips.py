"""English slips a careful narrator would not make (issue 16, scope 2): one or more cases per item."""

from __future__ import annotations

import pytest

from mynah.text import normalize
from tests.text.helpers import said

CASES = [
    # street addresses: house numbers in pairs, directions, street types, state codes, ZIP digits
    ("He lives at 1234 E Main St.", "he lives at twelve thirty four east main street"),
    ("Take the LBJ Expy to 12 Oak Ct.", "take the l b j expressway to twelve oak court"),
    ("Springfield, IL 62704", "springfield illinois six two seven zero four"),
    ("Austin, TX 78701-1234", "austin texas seven eight seven zero one one two three four"),
    ("Go to 500 NW Elm Ave.", "go to five hundred northwest elm avenue"),
    # rates
    ("It costs $20/mo.", "it costs twenty dollars a month"),
    ("She earns $35/hr.", "she earns thirty five dollars an hour"),
    ("The plan is $100/yr.", "the plan is one hundred dollars a year"),
    ("Tomatoes are $3/lb.", "tomatoes are three dollars per pound"),
    ("Take 3 per day.", "take three per day"),
    # digit strings that are identifiers by context
    ("Card ending in 4242.", "card ending in four two four two"),
    ("SSN 123-45-6789", "s s n one two three four five six seven eight nine"),
    ("Account 12345678 is closed.", "account one two three four five six seven eight is closed"),
    ("Order #40213 shipped.", "order number four zero two one three shipped"),
    ("Flight UA 1234 is late.", "flight u a twelve thirty four is late"),
    ("The war ended in 1945.", "the war ended in nineteen forty five"),
    # AM/PM glued to numbers or dotted
    ("Meet at 4PM.", "meet at four p m"),
    ("Meet at 4A.M. sharp.", "meet at four a m sharp"),
    ("Doors open at 10:30AM.", "doors open at ten thirty a m"),
    # day-month dates
    ("Born 17 may 2010.", "born the seventeenth of may twenty ten"),
    ("You may 2 go.", "you may two go"),
    # fiscal quarters
    ("Revenue rose in 2Q22.", "revenue rose in second quarter twenty twenty two"),
    ("Guidance for Q3 FY24.", "guidance for q three f y twenty twenty four"),
    ("Results for Q4 2023.", "results for q four twenty twenty three"),
    # foot and inch marks
    ('A 12" pizza.', "a twelve inch pizza"),
    ('The screen is 27" wide.', "the screen is twenty seven inches wide"),
    ("He is 6'2\" tall.", "he is six feet two inches tall"),
    ('She said "I am 12" and left.', "she said i am twelve and left"),
    # regnal numerals after a single name
    ("Sam II took over.", "sam the second took over"),
    ("Henry VIII reigned.", "henry the eighth reigned"),
    # currency with magnitude suffixes
    ("Japan spent ¥30 b.", "japan spent thirty billion yen"),
    ("A $5bn deal.", "a five billion dollars deal | a five billion dollar deal"),
    ("It raised €2.3m.", "it raised two point three million euros"),
    ("Buy $5 T-shirts.", "buy five dollars t shirts | buy five dollar t shirts"),
    # the symbols of e-mail addresses and URLs
    ("Mail john-doe_x@example.com.", "mail john dash doe underscore x at example dot com"),
    ("See example.com/a-b_c.", "see example dot com slash a dash b underscore c"),
    # slashes between words
    ("Please upgrade/update now.", "please upgrade or update now"),
    ("Cash and/or card.", "cash and or card"),
]


@pytest.mark.parametrize(("written", "spoken"), CASES)
def test_reads_as_a_careful_narrator_would(written: str, spoken: str) -> None:
    assert said(written) in [s.strip() for s in spoken.split("|")]


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("So <noise/> hello.", "So hello."),
        ("Well [laughter] yes.", "Well yes."),
        ("Thank you (applause).", "Thank you."),
        ("[Music] Hi <laughter/> there.", "Hi there."),
    ],
)
def test_non_speech_tags_are_dropped_and_reported(written: str, kept: str) -> None:
    for language in ("en", "de"):
        result = normalize(written, language=language)
        assert result.text == kept
        reported = [written[s.start : s.end] for s in result.unspoken]
        assert reported and all(r.strip("[]()<>/").strip() for r in reported)
        assert all(
            any(tag in r.lower() for tag in ("noise", "laughter", "applause", "music")) for r in reported
        )
