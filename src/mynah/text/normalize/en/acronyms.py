"""Upper-case words: spell them ("FBI" -> "f b i") or read them as words ("NASA" -> "nasa")?

The rule, in order:
1. `SPECIAL` readings win ("IEEE" -> "i triple e", "OK" -> "okay").
2. `WORD_ACRONYMS` are read as words, `SPELLED_ACRONYMS` are spelled, whatever the heuristic says.
3. In shouted text (a neighbouring word is also upper case), common short words ("THE", "IS") and any
   word of four or more letters with a vowel are read as words. A few short English words ("MIX",
   "THE", `PLAIN_CAPS`) are words even outside shouted text.
4. Otherwise words of four or more letters that are *pronounceable* are read as words: they have a vowel,
   start with an English onset ("str", "pl", ...), end with an English coda ("nd", "rst", ...), and
   have no consonant run longer than three. Everything else is spelled.

Mixed-case initialisms with two or more capitals ("PhD", "mRNA", "iOS", "MSc") are spelled.
"""

from __future__ import annotations

import re

from mynah.text.normalize.wordlist import words

SPECIAL: dict[str, str] = {
    "IEEE": "i triple e",
    "AAA": "triple a",
    "NAACP": "n double a c p",
    "NCAA": "n c double a",
    "JPEG": "jay peg",
    "JPG": "jay peg",
    "OK": "okay",
    "Ok": "okay",
    "WWII": "world war two",
    "WWI": "world war one",
    "MoMA": "moma",
}

WORD_ACRONYMS = words(
    """NASA NATO UNESCO UNICEF OPEC FIFA UEFA NASDAQ NASCAR SCUBA LASER RADAR SONAR AIDS COVID SARS MERS
    ISIS IKEA NAFTA FEMA OSHA DARPA ASCII CAPTCHA LIDAR NIMBY YOLO FOMO POTUS FLOTUS SCOTUS INTERPOL EUROPOL
    TOEFL GIF PIN RAM ROM SIM CERN NIST ANSI JSON YAML UNIX MIDI NORAD NVIDIA ASUS IMAX ICANN AMOLED OLED
    WASP CAD DOS ZIP SWAT GAAP ERISA MEDLINE TESOL WIFI ZOOM ASAP BAFTA"""
)

SPELLED_ACRONYMS = words(
    """UCLA ACLU USAF AARP USAID USSR USPS NYPD LAPD NYSE AMEX AFL CIO AIG AOL ESPN WWE WWF MSNBC IBM ISO
    HSBC UBS USMC USCG NSFW TBT TBA TBD FAQ FYI DIY EULA OECD CDC RSVP IOU UAE RIP"""
)

COMMON_SHORT = words(
    """A I AM AN AS AT BE BY DO GO HE IF IN IS IT ME MY NO OF OH ON OR SO TO UP US WE YE
    ALL AND ANY ARE BAD BIG BOY BUT CAN CAR DAY DID DOG END FOR GET GOD GOT HAD HAS HER HIM HIS HOT HOW
    ITS LET MAN MAY MEN NEW NOT NOW OFF OLD ONE OUR OUT OWN PUT RED RUN SAY SEE SHE SIT TEN THE TOO TOP
    TRY TWO USE WAR WAS WAY WHO WHY WIN YES YET YOU"""
)

PLAIN_CAPS = words(
    """THE AND BUT NOT YES MIX BOX FOX FIX SIX TEN ONE TWO NEW OLD BIG HOT RED END ALL ANY HOW WHY YOU
    OUR OUT OFF OWN SAY SEE SHE HER HIM HIS HAS HAD WAS ARE CAR DOG DAY WAY MAN MEN BOY RUN GET GOT LET
    PUT TRY USE WIN BAD MAD SAD GOD YET TOO FOR NOW WOW HEY YAY"""
)
"""Short words that are English words even in capitals outside shouted text ("MIX", "THE")."""

_ONSETS = words(
    """b c d f g h j k l m n p r s t v w y z bl br ch cl cr dr dw fl fr gl gr kl kn kr ph pl pr qu sc sch
    scr sh shr sk sl sm sn sp spl spr st str sw th thr tr tw wh wr"""
) | {""}
_CODAS = words(
    """b c d f g h k l m n p r s t v x z ck ct ft ld lf lk lm lp lt mp nd ng nk ns nt ps pt rb rc rd rf rg
    rk rl rm rn rp rs rt sh sk sp ss st th ch tch ks ts ds ms ls rst rth nth ngs nks nts lds rds rts mps
    sts cts pts rld ngth lth xt mpt nch rch lch ght gh dth fth pth nds rks ll ff"""
) | {""}
_TRIPLE = re.compile(r"(.)\1\1")
_LOWER_THEN_CAPS = re.compile(r"^[a-z][A-Z]{2,}$")
_FEW_CAPS = re.compile(r"^(?=(?:[^A-Z]*[A-Z]){2})[A-Za-z]{2,4}$")


def spell(letters: str) -> str:
    """ "FBI" -> "f b i"."""
    return " ".join(letters.lower())


def _is_vowel(w: str, i: int) -> bool:
    c = w[i]
    if c in "aeiou":
        return True
    # 'y' is a vowel unless it starts the word or precedes a vowel ("yoga", "kayak")
    return c == "y" and i > 0 and (i + 1 == len(w) or w[i + 1] not in "aeiou")


def pronounceable(word: str) -> bool:
    """Whether a letter string reads naturally as an English word (see the module docstring)."""
    w = word.lower()
    if len(w) < 2 or _TRIPLE.search(w):
        return False
    shape = "".join("v" if _is_vowel(w, i) else "c" for i in range(len(w)))
    if "v" not in shape or "vvv" in shape:
        return False
    first = shape.index("v")
    last = shape.rindex("v") + 1
    if w[:first] not in _ONSETS or w[last:] not in _CODAS:
        return False
    return "cccc" not in shape[first:last]


def read_caps(word: str, *, shouting: bool = False) -> str | None:
    """Spoken form of an all-capitals word, or None to keep it as written (a single letter)."""
    if word in SPECIAL:
        return SPECIAL[word]
    if len(word) == 1:
        return None
    if shouting and word in COMMON_SHORT:
        return word.lower()
    if word in WORD_ACRONYMS:
        return word.lower()
    if word in SPELLED_ACRONYMS:
        return spell(word)
    if word in PLAIN_CAPS:
        return word.lower()
    if shouting and len(word) >= 4 and re.search("[AEIOUY]", word):
        return word.lower()
    if len(word) >= 4 and pronounceable(word):
        return word.lower()
    return spell(word)


def is_mixed_initialism(word: str) -> bool:
    """ "mRNA", "iOS", "PhD", "MSc" (but not "iPhone", "McDonald", "Inc")."""
    return bool(_LOWER_THEN_CAPS.match(word) or (_FEW_CAPS.match(word) and not word.istitle()))


def read_letters_part(part: str, *, shouting: bool = False) -> tuple[str, bool]:
    """Reading of a run of letters inside a word or code; the flag says whether it changed."""
    if part.isupper():
        spoken = read_caps(part, shouting=shouting)
        return (spoken, True) if spoken is not None else (part, False)
    if part in SPECIAL:
        return SPECIAL[part], True
    if is_mixed_initialism(part):
        return spell(part), True
    return part, False
