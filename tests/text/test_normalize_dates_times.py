"""Dates in common formats, decades, eras, and clock times."""

from __future__ import annotations

import pytest

from tests.text.helpers import said

DATES = [
    ("2024-03-15", "march fifteenth twenty twenty four"),
    ("2016/07/03", "july third twenty sixteen"),
    ("03/15/2024", "march fifteenth twenty twenty four"),
    ("3/15/2024", "march fifteenth twenty twenty four"),
    ("12/25/2023", "december twenty fifth twenty twenty three"),
    ("15/03/2024", "the fifteenth of march twenty twenty four"),
    ("15.01.2020", "the fifteenth of january twenty twenty"),
    ("01.10.2010", "january tenth twenty ten"),
    ("11/17/05", "november seventeenth oh five"),
    ("1/7/98", "january seventh ninety eight"),
    ("2006-08-05", "august fifth two thousand six"),
    ("15 March 2024", "the fifteenth of march twenty twenty four"),
    ("March 15, 2024", "march fifteenth twenty twenty four"),
    ("March 15 2024", "march fifteenth twenty twenty four"),
    ("Mar. 15th", "march fifteenth"),
    ("Jan 1", "january first"),
    ("June 30", "june thirtieth"),
    ("on 4 July", "on the fourth of july"),
    ("the 26th of May", "the twenty sixth of may"),
    ("on the 3rd of June, 1998", "on the third of june nineteen ninety eight"),
    ("25th July 2012", "the twenty fifth of july twenty twelve"),
    ("Sept. 11, 2001", "september eleventh two thousand one"),
    ("SEPT. 15", "september fifteenth"),
    ("Dec 31", "december thirty first"),
    ("in March 2024", "in march twenty twenty four"),
    ("May 2019", "may twenty nineteen"),
    ("Jan-15-2020", "january fifteenth twenty twenty"),
    ("july 4 1776", "july fourth seventeen seventy six"),
    ("Born on August 23, 1902.", "born on august twenty third nineteen oh two"),
    ("March 15-20", "march fifteenth to twentieth"),
    ("The deadline is Oct. 1.", "the deadline is october first"),
    ("due on 3/4", "due on march fourth"),
    ("1990s", "nineteen nineties"),
    ("the 1980's", "the nineteen eighties"),
    ("'90s", "nineties"),
    ("the ’60s", "the sixties"),
    ("in his 40s", "in his forties"),
    ("2000s", "two thousands"),
    ("1900s", "nineteen hundreds"),
    ("2010s", "twenty tens"),
    ("mid-1980s", "mid nineteen eighties"),
    ("340 AD", "three forty a d"),
    ("44 BC", "forty four b c"),
    ("AD 1066", "a d ten sixty six"),
    ("500 BCE", "five hundred b c e"),
    ("Mar. 15th, 2024-03-16", "march fifteenth march sixteenth twenty twenty four"),
    ("Between 2015 and 2020 sales doubled.", "between twenty fifteen and twenty twenty sales doubled"),
    ("In FY2023 we grew.", "in f y twenty twenty three we grew"),
]

TIMES = [
    ("3:30", "three thirty"),
    ("3:30 p.m.", "three thirty p m"),
    ("3:30pm", "three thirty p m"),
    ("3:30 PM", "three thirty p m"),
    ("15:45", "fifteen forty five"),
    ("10am", "ten a m"),
    ("10 a.m.", "ten a m"),
    ("7 PM", "seven p m"),
    ("3:00", "three o'clock"),
    ("12:00", "twelve o'clock"),
    ("23:00", "twenty three o'clock"),
    ("3:00 pm", "three p m"),
    ("9:05", "nine oh five"),
    ("9:05 am", "nine oh five a m"),
    ("08:15", "eight fifteen"),
    ("00:00", "midnight"),
    ("1:59 p.m. EST", "one fifty nine p m e s t"),
    ("10:30 UTC", "ten thirty u t c"),
    ("18:00 GMT", "eighteen o'clock g m t"),
    ("9am PST", "nine a m p s t"),
    ("4 pm (CET)", "four p m c e t"),
    ("1.59 p.m.", "one fifty nine p m"),
    ("2pm-5pm", "two p m to five p m"),
    ("9:00-17:00", "nine o'clock to seventeen o'clock"),
    ("10am - 2pm", "ten a m to two p m"),
    ("14:10:30", "fourteen hours ten minutes and thirty seconds"),
    ("1:01:01", "one hour one minute and one second"),
    ("The meeting starts at 9:30 a.m. sharp.", "the meeting starts at nine thirty a m sharp"),
    ("We left at 6 p.m. It was dark.", "we left at six p m it was dark"),
    ("Open 8am-6pm daily", "open eight a m to six p m daily"),
    ("Lunch is at 12:30.", "lunch is at twelve thirty"),
]


@pytest.mark.parametrize(("text", "expected"), DATES)
def test_dates(text: str, expected: str) -> None:
    assert said(text) == expected


@pytest.mark.parametrize(("text", "expected"), TIMES)
def test_times(text: str, expected: str) -> None:
    assert said(text) == expected
