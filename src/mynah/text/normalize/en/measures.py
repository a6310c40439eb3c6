"""Numbers with units: "5 km", "3.5kg", "100 mph", "72°F", "50%", "10-20 GB", "5-km race", "12/kg".

Units are case-sensitive ("mb" is not "MB"). A few short units are only recognised glued to the number
("5V", "10A", "5in") because spaced they are ordinary words ("5 in the morning"). The unit is singular
after exactly "1" and in adjectives ("a 5-km race", "a 12V battery"), plural otherwise; a bare fraction reads
"three quarters of a mile". US spellings (meter, liter).
"""

from __future__ import annotations

import re

from mynah.text.normalize.context import Context, Rule
from mynah.text.normalize.en import numwords
from mynah.text.normalize.en.numbers import FRACTION_PATTERN, NUM, SIGNS
from mynah.text.normalize.model import MEASURE


def _u(singular: str, plural: str | None = None) -> tuple[str, str]:
    return singular, plural if plural is not None else singular + "s"


UNITS: dict[str, tuple[str, str]] = {
    # length
    "mm": _u("millimeter"),
    "cm": _u("centimeter"),
    "m": _u("meter"),
    "km": _u("kilometer"),
    "µm": _u("micrometer"),
    "nm": _u("nanometer"),
    "mi": _u("mile"),
    "ft": _u("foot", "feet"),
    "yd": _u("yard"),
    "yds": _u("yard"),
    "KM": _u("kilometer"),
    "CM": _u("centimeter"),
    "FT": _u("foot", "feet"),
    # mass
    "mg": _u("milligram"),
    "µg": _u("microgram"),
    "mcg": _u("microgram"),
    "g": _u("gram"),
    "kg": _u("kilogram"),
    "kgs": _u("kilogram"),
    "KG": _u("kilogram"),
    "lb": _u("pound"),
    "lbs": _u("pound"),
    "LBS": _u("pound"),
    "oz": _u("ounce"),
    # volume
    "ml": _u("milliliter"),
    "mL": _u("milliliter"),
    "cl": _u("centiliter"),
    "dl": _u("deciliter"),
    "l": _u("liter"),
    "L": _u("liter"),
    "gal": _u("gallon"),
    "qt": _u("quart"),
    "fl oz": _u("fluid ounce"),
    "tsp": _u("teaspoon"),
    "tbsp": _u("tablespoon"),
    "cup": _u("cup"),
    "cc": _u("c c", "c c"),
    # area and volume
    "m²": _u("square meter"),
    "m2": _u("square meter"),
    "km²": _u("square kilometer"),
    "km2": _u("square kilometer"),
    "cm²": _u("square centimeter"),
    "cm2": _u("square centimeter"),
    "ft²": _u("square foot", "square feet"),
    "m³": _u("cubic meter"),
    "m3": _u("cubic meter"),
    "cm³": _u("cubic centimeter"),
    "km³": _u("cubic kilometer"),
    "sq ft": _u("square foot", "square feet"),
    "sq. ft.": _u("square foot", "square feet"),
    "sq m": _u("square meter"),
    "sq mi": _u("square mile"),
    "sq km": _u("square kilometer"),
    "cu ft": _u("cubic foot", "cubic feet"),
    "ha": _u("hectare"),
    # speed and rates
    "mph": _u("mile per hour", "miles per hour"),
    "MPH": _u("mile per hour", "miles per hour"),
    "kph": _u("kilometer per hour", "kilometers per hour"),
    "kmh": _u("kilometer per hour", "kilometers per hour"),
    "km/h": _u("kilometer per hour", "kilometers per hour"),
    "m/s": _u("meter per second", "meters per second"),
    "mpg": _u("mile per gallon", "miles per gallon"),
    "rpm": _u("revolution per minute", "revolutions per minute"),
    "RPM": _u("revolution per minute", "revolutions per minute"),
    "bpm": _u("beat per minute", "beats per minute"),
    "fps": _u("frame per second", "frames per second"),
    "dpi": _u("dot per inch", "dots per inch"),
    "ppm": _u("part per million", "parts per million"),
    "ppb": _u("part per billion", "parts per billion"),
    "psi": _u("pound per square inch", "pounds per square inch"),
    "kbps": _u("kilobit per second", "kilobits per second"),
    "Kbps": _u("kilobit per second", "kilobits per second"),
    "mbps": _u("megabit per second", "megabits per second"),
    "Mbps": _u("megabit per second", "megabits per second"),
    "Gbps": _u("gigabit per second", "gigabits per second"),
    "gbps": _u("gigabit per second", "gigabits per second"),
    # data
    "KB": _u("kilobyte"),
    "kB": _u("kilobyte"),
    "MB": _u("megabyte"),
    "GB": _u("gigabyte"),
    "TB": _u("terabyte"),
    "PB": _u("petabyte"),
    "Kb": _u("kilobit"),
    "Mb": _u("megabit"),
    "Gb": _u("gigabit"),
    # time
    "ms": _u("millisecond"),
    "µs": _u("microsecond"),
    "ns": _u("nanosecond"),
    "sec": _u("second"),
    "secs": _u("second"),
    "min": _u("minute"),
    "mins": _u("minute"),
    "hr": _u("hour"),
    "hrs": _u("hour"),
    "wk": _u("week"),
    "wks": _u("week"),
    "mo": _u("month"),
    "mos": _u("month"),
    "yr": _u("year"),
    "yrs": _u("year"),
    # energy, power, electricity, pressure, sound, frequency
    "Hz": _u("hertz", "hertz"),
    "kHz": _u("kilohertz", "kilohertz"),
    "MHz": _u("megahertz", "megahertz"),
    "GHz": _u("gigahertz", "gigahertz"),
    "kW": _u("kilowatt"),
    "MW": _u("megawatt"),
    "GW": _u("gigawatt"),
    "mW": _u("milliwatt"),
    "Wh": _u("watt hour"),
    "kWh": _u("kilowatt hour"),
    "MWh": _u("megawatt hour"),
    "GWh": _u("gigawatt hour"),
    "TWh": _u("terawatt hour"),
    "mAh": _u("milliamp hour"),
    "kV": _u("kilovolt"),
    "mV": _u("millivolt"),
    "mA": _u("milliamp"),
    "kPa": _u("kilopascal"),
    "hPa": _u("hectopascal"),
    "MPa": _u("megapascal"),
    "Pa": _u("pascal"),
    "mbar": _u("millibar"),
    "atm": _u("atmosphere"),
    "kcal": _u("kilocalorie"),
    "cal": _u("calorie"),
    "kJ": _u("kilojoule"),
    "dB": _u("decibel"),
    "mmol": _u("millimole"),
    "mol": _u("mole"),
    "IU": _u("international unit"),
    # percent and temperature
    "%": _u("percent", "percent"),
    "‰": _u("per mille", "per mille"),
    "°C": _u("degree celsius", "degrees celsius"),
    "°F": _u("degree fahrenheit", "degrees fahrenheit"),
    "ºC": _u("degree celsius", "degrees celsius"),
    "ºF": _u("degree fahrenheit", "degrees fahrenheit"),
    "℃": _u("degree celsius", "degrees celsius"),
    "℉": _u("degree fahrenheit", "degrees fahrenheit"),
    "° C": _u("degree celsius", "degrees celsius"),
    "° F": _u("degree fahrenheit", "degrees fahrenheit"),
    "°": _u("degree"),
    "º": _u("degree"),
    "x": _u("times", "times"),
}

ATTACHED_ONLY = frozenset({"in", "h", "V", "W", "A", "x", "t", "s"})
"""Units recognised only when glued to the number."""

UNITS.update(
    {
        "in": _u("inch", "inches"),
        "h": _u("hour"),
        "V": _u("volt"),
        "W": _u("watt"),
        "A": _u("amp"),
        "t": _u("ton"),
        "s": _u("second"),
    }
)

_PER_SINGULAR = {"h": "hour", "hr": "hour", "s": "second", "sec": "second", "min": "minute", "d": "day"}


def _alternation(units: list[str]) -> str:
    return "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True))


SPACED_PATTERN = _alternation([u for u in UNITS if u not in ATTACHED_ONLY])
ATTACHED_PATTERN = _alternation(list(UNITS))
PER_PATTERN = _alternation([u for u in UNITS if u[0].isalpha()] + list(_PER_SINGULAR))


def unit_words(unit: str, *, plural: bool) -> str:
    if unit in UNITS:
        singular, many = UNITS[unit]
        return many if plural else singular
    return _PER_SINGULAR.get(unit, unit)


def _value(m: re.Match[str]) -> tuple[str, bool, bool]:
    """Spoken value, whether it takes a singular unit, whether it is a bare fraction."""
    if m.group("vulgar") or m.group("num"):
        if m.group("vulgar"):
            num, den = numwords.VULGAR[m.group("vulgar")]
            whole = m.group("vwhole")
        else:
            num, den = int(m.group("num")), int(m.group("den"))
            whole = m.group("whole")
        if whole:
            return numwords.mixed(int(whole), num, den), False, False
        return numwords.fraction(num, den), False, True
    value = m.group("value")
    return numwords.number(value), value == "1", False


def _measure(m: re.Match[str], ctx: Context) -> None:
    if not ctx.on(MEASURE):
        ctx.verbatim(m.start(), m.end())
        return
    spoken, singular, bare_fraction = _value(m)
    if m.group("to"):
        spoken += " to " + numwords.number(m.group("to"))
        singular = False
    if m.group("scale"):
        spoken += " " + m.group("scale").lower()
        singular = False
    if m.group("sign"):
        sign = m.group("sign")
        spoken = ("approximately" if sign in "~≈" else SIGNS[sign]) + " " + spoken
    unit = m.group("unit") or m.group("unit2") or m.group("unit3")
    per = m.group("per")
    if unit is None:  # "12/kg"
        ctx.word(f"{spoken} per {unit_words(m.group('per2'), plural=False)}", m.start(), m.end(), MEASURE)
        return
    # "a 5-km race", and "a 12V battery": after "a"/"an" a measure can only describe the noun after it
    adjectival = m.group("hyphen") is not None or ctx.prev_word().lower() in ("a", "an")
    if unit in ("%", "‰", "x"):
        words = unit_words(unit, plural=True)
    elif bare_fraction and not adjectival:
        singular_word = unit_words(unit, plural=False)
        article = "an" if singular_word[0] in "aeiou" else "a"
        words = f"of {article} {singular_word}"
    else:
        words = unit_words(unit, plural=not (singular or adjectival))
    if per:
        words += " per " + unit_words(per, plural=False)
    ctx.word(f"{spoken} {words}", m.start(), m.end(), MEASURE)


_VALUE = r"(?:" + FRACTION_PATTERN + r"|(?P<value>" + NUM + r"|\.\d+))"
MEASURE_RULE = Rule(
    "measure",
    frozenset({MEASURE}),
    re.compile(
        r"(?:(?<![\w.,])(?P<sign>[-−+~≈±])(?=\.?\d))?(?<![\w.])"
        + _VALUE
        + r"(?:[ \t]?[-–][ \t]?(?P<to>"
        + NUM
        + r"))?"
        + r"(?:[ \t](?P<scale>thousand|million|billion|trillion))?"
        + r"(?:(?:(?P<hyphen>-)(?P<unit3>"
        + SPACED_PATTERN
        + r")"
        + r"|[ \t]?(?P<unit>"
        + SPACED_PATTERN
        + r")"
        + r"|(?P<unit2>"
        + ATTACHED_PATTERN
        + r"))"
        + r"(?:/(?P<per>"
        + PER_PATTERN
        + r"))?"
        + r"|/(?P<per2>"
        + PER_PATTERN
        + r"))"
        + r"(?![^\W_])(?:\.(?=[ \t]+[a-z]))?"
    ),
    _measure,
)


# ------------------------------------------------------------------------------------ feet and inches


def _feet_inches(m: re.Match[str], ctx: Context) -> None:
    if not ctx.on(MEASURE):
        ctx.verbatim(m.start(), m.end())
        return
    feet = int(m.group("ft"))
    spoken = f"{numwords.cardinal(feet)} {'foot' if feet == 1 else 'feet'}"
    if m.group("inch"):
        inches = int(m.group("inch"))
        spoken += f" {numwords.cardinal(inches)} {'inch' if inches == 1 else 'inches'}"
    ctx.word(spoken, m.start(), m.end(), MEASURE)


FEET_INCHES = Rule(
    "feetinches",
    frozenset({MEASURE}),
    re.compile(r"(?<![\w.'’])(?P<ft>\d{1,2})['’′](?:[ \t]?(?P<inch>\d{1,2})(?:[\"”″]|''))?(?![\w'’])"),
    _feet_inches,
)
"""Heights: 6'2" -> "six feet two inches", 5' -> "five feet"."""
