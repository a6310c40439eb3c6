"""Cardinals, negatives, ordinals, decimals, fractions, percentages, ranges and years vs quantities."""

from __future__ import annotations

import pytest

from tests.text.helpers import said

CARDINALS = [
    ("0", "zero"),
    ("7", "seven"),
    ("13", "thirteen"),
    ("42", "forty two"),
    ("100", "one hundred"),
    ("101", "one hundred one"),
    ("999", "nine hundred ninety nine"),
    ("1,234", "one thousand two hundred thirty four"),
    ("1,234,567", "one million two hundred thirty four thousand five hundred sixty seven"),
    ("12,000", "twelve thousand"),
    ("3000000", "three million"),
    ("250000", "two hundred fifty thousand"),
    ("We counted 86 ducks.", "we counted eighty six ducks"),
    ("She owns 3 cats and 2 dogs.", "she owns three cats and two dogs"),
    (
        "There were 12,500 runners at the start",
        "there were twelve thousand five hundred runners at the start",
    ),
    ("Route 66 is long", "route sixty six is long"),
    ("007", "zero zero seven"),
    ("Agent 0042 reported.", "agent zero zero four two reported"),
    ("a 10,000,000 budget", "a ten million budget"),
    (
        "The code is 4815162342",
        "the code is four billion eight hundred fifteen million one hundred sixty two thousand three hundred forty two",
    ),
    (
        "12345678901234567890",
        "one two three four five six seven eight nine zero one two three four five six seven eight nine zero",
    ),
    ("3 million people", "three million people"),
    ("1.5 billion", "one point five billion"),
    ("$ and 5 or 6", "dollar and five or six"),
    ("Page 5, line 12.", "page five line twelve"),
    ("Call 911 now!", "call nine one one now"),
    ("(1)Hello", "one hello"),
]

NEGATIVES = [
    ("-5", "minus five"),
    ("It fell to -12 overnight.", "it fell to minus twelve overnight"),
    ("−40", "minus forty"),
    ("-3.5", "minus three point five"),
    ("a change of +7", "a change of plus seven"),
    ("between -2 and 2", "between minus two and two"),
    ("-0.25", "minus zero point two five"),
    ("±3", "plus or minus three"),
]

ORDINALS = [
    ("1st", "first"),
    ("2nd", "second"),
    ("3rd", "third"),
    ("4th", "fourth"),
    ("11th", "eleventh"),
    ("12th", "twelfth"),
    ("13th", "thirteenth"),
    ("21st", "twenty first"),
    ("22nd", "twenty second"),
    ("103rd", "one hundred third"),
    ("111th", "one hundred eleventh"),
    ("1,000th", "one thousandth"),
    ("She finished 2nd in the race.", "she finished second in the race"),
    ("the 20th century", "the twentieth century"),
    ("our 50th anniversary", "our fiftieth anniversary"),
    ("the 2nd-largest city", "the second largest city"),
    ("the 101st Airborne", "the one hundred first airborne"),
    ("3RD", "third"),
]

DECIMALS = [
    ("3.14", "three point one four"),
    ("0.5", "zero point five"),
    (".5", "point five"),
    ("2.0", "two point zero"),
    ("10.05", "ten point zero five"),
    ("1,234.5", "one thousand two hundred thirty four point five"),
    ("Pi is about 3.14159.", "pi is about three point one four one five nine"),
    ("The ratio rose to 1.25 today", "the ratio rose to one point two five today"),
    ("a 4.5 rating", "a four point five rating"),
    ("$1.5M", "one point five million dollars"),
    ("2.5M", "two point five million"),
    ("12.75", "twelve point seven five"),
]

FRACTIONS = [
    ("1/2", "one half"),
    ("1/3", "one third"),
    ("2/3", "two thirds"),
    ("1/4", "one quarter"),
    ("3/4", "three quarters"),
    ("5/8", "five eighths"),
    ("7/16", "seven sixteenths"),
    ("1 1/2", "one and a half"),
    ("2 3/4", "two and three quarters"),
    ("3 1/3", "three and a third"),
    ("½", "one half"),
    ("¾", "three quarters"),
    ("1½", "one and a half"),
    ("2 ¼", "two and a quarter"),
    ("Add 3/4 cup of flour.", "add three quarters of a cup of flour"),
    ("Stir in 1 1/2 cups of milk", "stir in one and a half cups of milk"),
    ("It is open 24/7.", "it is open twenty four seven"),
    ("a 50/50 chance", "a fifty fifty chance"),
    ("5/1", "five over one"),
    ("22/7", "twenty two sevenths"),
    ("⅛ inch", "one eighth inch"),
]

PERCENTAGES = [
    ("50%", "fifty percent"),
    ("3.5%", "three point five percent"),
    ("100%", "one hundred percent"),
    ("Sales grew 12% last year.", "sales grew twelve percent last year"),
    ("a 10-20% discount", "a ten to twenty percent discount"),
    ("0.1% of users", "zero point one percent of users"),
    ("-5%", "minus five percent"),
    ("1 %", "one percent"),
    ("only 1% said yes", "only one percent said yes"),
]

RANGES = [
    ("10-20", "ten to twenty"),
    ("pages 10–20", "pages ten to twenty"),
    ("1990-1995", "nineteen ninety to nineteen ninety five"),
    ("1990-95", "nineteen ninety to ninety five"),
    ("2010-2015", "twenty ten to twenty fifteen"),
    ("ages 5-12", "ages five to twelve"),
    ("The score was 3-2.", "the score was three to two"),
    ("from 9 - 17", "from nine to seventeen"),
    ("1.5-2.5", "one point five to two point five"),
    ("2001-2003", "two thousand one to two thousand three"),
    ("100-1000", "one hundred to one thousand"),
]

YEARS = [
    ("in 1999", "in nineteen ninety nine"),
    ("2005", "two thousand five"),
    ("2000", "two thousand"),
    ("1900", "nineteen hundred"),
    ("1905", "nineteen oh five"),
    ("2010", "twenty ten"),
    ("2024", "twenty twenty four"),
    ("1066", "ten sixty six"),
    ("1999 people", "one thousand nine hundred ninety nine people"),
    ("2000 calories", "two thousand calories"),
    ("in 2000 years", "in two thousand years"),
    ("1500 soldiers marched", "one thousand five hundred soldiers marched"),
    ("The war ended in 1945.", "the war ended in nineteen forty five"),
    ("1984 was a novel by Orwell", "nineteen eighty four was a novel by orwell"),
    ("Since 2019, prices rose.", "since twenty nineteen prices rose"),
    ("the 2012 Olympics", "the twenty twelve olympics"),
    ("a 2000-mile trip", "a two thousand mile trip"),
    ("1200 children", "one thousand two hundred children"),
    ("2,024 people", "two thousand twenty four people"),
    ("3000", "three thousand"),
    ("1,999", "one thousand nine hundred ninety nine"),
]

MATH = [
    ("2+2=4", "two plus two equals four"),
    ("1-2=5", "one minus two equals five"),
    ("y=x+1", "y equals x plus one"),
    ("3 × 4 = 12", "three times four equals twelve"),
    ("10 ÷ 2", "ten divided by two"),
    ("2^10", "two to the power of ten"),
    ("x ≠ y", "x not equal to y"),
    ("a ≤ b", "a less than or equal to b"),
    ("≈ 5", "approximately five"),
    ("~5 minutes", "approximately five minutes"),
    ("a 2x4 board", "a two by four board"),
    ("1920x1080", "one thousand nine hundred twenty by one thousand eighty"),
    ("10 x 20 ft", "ten by twenty feet"),
    ("a 3:1 ratio", "a three to one ratio"),
    ("won 2:0", "won two to zero"),
    ("2 * 3", "two times three"),
]


@pytest.mark.parametrize(("text", "expected"), CARDINALS)
def test_cardinals(text: str, expected: str) -> None:
    assert said(text) == expected


@pytest.mark.parametrize(("text", "expected"), NEGATIVES)
def test_negative_numbers(text: str, expected: str) -> None:
    assert said(text) == expected


@pytest.mark.parametrize(("text", "expected"), ORDINALS)
def test_ordinals(text: str, expected: str) -> None:
    assert said(text) == expected


@pytest.mark.parametrize(("text", "expected"), DECIMALS)
def test_decimals(text: str, expected: str) -> None:
    assert said(text) == expected


@pytest.mark.parametrize(("text", "expected"), FRACTIONS)
def test_fractions(text: str, expected: str) -> None:
    assert said(text) == expected


@pytest.mark.parametrize(("text", "expected"), PERCENTAGES)
def test_percentages(text: str, expected: str) -> None:
    assert said(text) == expected


@pytest.mark.parametrize(("text", "expected"), RANGES)
def test_ranges(text: str, expected: str) -> None:
    assert said(text) == expected


@pytest.mark.parametrize(("text", "expected"), YEARS)
def test_years_and_quantities(text: str, expected: str) -> None:
    assert said(text) == expected


@pytest.mark.parametrize(("text", "expected"), MATH)
def test_math_and_dimensions(text: str, expected: str) -> None:
    assert said(text) == expected
