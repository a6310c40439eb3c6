"""IPA to espeak-ng's phoneme mnemonics, for SSML <phoneme> and IPA lexicon entries.

espeak-ng reads phonemes between `[[` and `]]` (with the espeakPHONEMES flag) in its own ASCII notation.
The table covers the IPA used for English (General American and RP) plus common consonants; matching
is greedy, longest symbol first, so diphthongs and affricates map as units. Symbols with no entry are
dropped (and reported by `unknown_symbols`) rather than passed through, since a stray character inside
`[[ ]]` makes espeak-ng spell it out.
"""

from __future__ import annotations

from functools import cache

_IPA_TO_ESPEAK: dict[str, str] = {
    # diphthongs and r-coloured vowels first (greedy match prefers longer keys anyway)
    "eɪ": "eI", "aɪ": "aI", "ɔɪ": "OI", "aʊ": "aU", "oʊ": "oU", "əʊ": "@U", "ɪə": "i@", "eə": "e@",
    "ɛə": "e@", "ʊə": "U@", "ɑɹ": "A@", "ɔɹ": "o@", "ɛɹ": "e@", "ɪɹ": "i@", "ʊɹ": "U@", "ɝ": "3:",
    "ɚ": "3", "ɜː": "3:", "ɜ": "3",
    # monophthongs
    "iː": "i:", "i": "i", "ɪ": "I", "e": "e", "ɛ": "E", "æ": "a", "a": "a", "ɑː": "A:", "ɑ": "A:",
    "ɒ": "0", "ɔː": "O:", "ɔ": "O:", "o": "o", "ʊ": "U", "uː": "u:", "u": "u:", "ʌ": "V", "ə": "@",
    "ɐ": "a#", "ɨ": "I#", "ʉ": "u:", "y": "y", "ø": "Y", "œ": "W",
    # consonants
    "tʃ": "tS", "dʒ": "dZ", "p": "p", "b": "b", "t": "t", "d": "d", "k": "k", "ɡ": "g", "g": "g",
    "f": "f", "v": "v", "θ": "T", "ð": "D", "s": "s", "z": "z", "ʃ": "S", "ʒ": "Z", "h": "h", "m": "m",
    "n": "n", "ŋ": "N", "l": "l", "ɫ": "l", "ɹ": "r", "r": "r", "ɾ": "t#", "j": "j", "w": "w", "ʍ": "w",
    "ʔ": "?", "x": "x", "ç": "C", "ɲ": "n^", "ʎ": "l^", "ʁ": "r", "β": "B", "ɣ": "Q",
    # prosody marks
    "ˈ": "'", "ˌ": ",", "ː": ":", " ": " ", ".": "", "‿": "",
    # diacritics that do not change an English phoneme
    "ʰ": "", "̩": "", "̃": "", "̯": "",
}  # fmt: skip


@cache
def _longest() -> int:
    return max(len(k) for k in _IPA_TO_ESPEAK)


def ipa_to_espeak(ipa: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(ipa):
        for size in range(min(_longest(), len(ipa) - i), 0, -1):
            symbol = _IPA_TO_ESPEAK.get(ipa[i : i + size])
            if symbol is not None:
                out.append(symbol)
                i += size
                break
        else:
            i += 1
    return "".join(out)


def unknown_symbols(ipa: str) -> set[str]:
    """IPA characters `ipa_to_espeak` could not map."""
    return {c for c in ipa if c not in _IPA_TO_ESPEAK and not any(c in k for k in _IPA_TO_ESPEAK)}
