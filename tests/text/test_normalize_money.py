"""Money in common currencies, with cents, scale words, codes and ranges."""

from __future__ import annotations

import pytest

from tests.text.helpers import said

MONEY = [
    ("$5", "five dollars"),
    ("$1", "one dollar"),
    ("$1.00", "one dollar"),
    ("$3.50", "three dollars fifty cents"),
    ("$0.99", "ninety nine cents"),
    ("$0.01", "one cent"),
    ("$.25", "twenty five cents"),
    ("$12.05", "twelve dollars five cents"),
    ("$20.5", "twenty dollars fifty cents"),
    ("$1,250", "one thousand two hundred fifty dollars"),
    ("$1,925.21", "one thousand nine hundred twenty five dollars twenty one cents"),
    ("$2,000,000", "two million dollars"),
    ("$45000", "forty five thousand dollars"),
    ("$3.125", "three point one two five dollars"),
    ("$1.5M", "one point five million dollars"),
    ("$2bn", "two billion dollars"),
    ("$3 billion", "three billion dollars"),
    ("$4.2 trillion", "four point two trillion dollars"),
    ("$500k", "five hundred thousand dollars"),
    ("$10K", "ten thousand dollars"),
    ("$7m", "seven million dollars"),
    ("$0.2 million", "zero point two million dollars"),
    ("€20", "twenty euros"),
    ("€1", "one euro"),
    ("€3.50", "three euros fifty cents"),
    ("€2.5 million", "two point five million euros"),
    ("£1.20", "one pound twenty pence"),
    ("£2.01", "two pounds one penny"),
    ("£15", "fifteen pounds"),
    ("¥500", "five hundred yen"),
    ("¥30 billion", "thirty billion yen"),
    ("₹250", "two hundred fifty rupees"),
    ("₩460 billion", "four hundred sixty billion won"),
    ("USD 20", "twenty u s dollars"),
    ("20 EUR", "twenty euros"),
    ("EUR 1.5M", "one point five million euros"),
    ("GBP 300", "three hundred pounds"),
    ("150 JPY", "one hundred fifty yen"),
    ("CHF 12.50", "twelve swiss francs fifty centimes"),
    ("50¢", "fifty cents"),
    ("1¢", "one cent"),
    ("US$76.3 trillion", "seventy six point three trillion u s dollars"),
    ("A$40", "forty australian dollars"),
    ("C$15", "fifteen canadian dollars"),
    ("-$5", "minus five dollars"),
    ("$5-10", "five to ten dollars"),
    ("$5-$10", "five dollars to ten dollars"),
    ("$250-$300", "two hundred fifty dollars to three hundred dollars"),
    ("$2-3 million", "two to three million dollars"),
    ("It costs $9.99 a month.", "it costs nine dollars ninety nine cents a month"),
    ("She earned $85,000 last year.", "she earned eighty five thousand dollars last year"),
    ("The deal was worth $1.2bn.", "the deal was worth one point two billion dollars"),
    (
        "Tickets: $15 for adults, $7.50 for kids.",
        "tickets fifteen dollars for adults seven dollars fifty cents for kids",
    ),
    ("He paid €45 and £30.", "he paid forty five euros and thirty pounds"),
    ("a $20 bill", "a twenty dollar bill"),
    ("an $80 ticket", "an eighty dollar ticket"),
    ("a $3.50 coffee", "a three dollars fifty cents coffee"),
    ("it cost $20", "it cost twenty dollars"),
    ("$0.00", "zero dollars"),
    ("$100.00", "one hundred dollars"),
    ("Rs. 500", "five hundred rupees"),
]


@pytest.mark.parametrize(("text", "expected"), MONEY)
def test_money(text: str, expected: str) -> None:
    assert said(text) == expected
