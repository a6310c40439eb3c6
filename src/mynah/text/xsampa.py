"""X-SAMPA to IPA, for SSML <phoneme alphabet="x-sampa">.

The table follows the published X-SAMPA chart (Wells 1995). Conversion is greedy: at each position the
longest X-SAMPA symbol that matches wins (so `t_h` is aspirated t, `r\\` is the approximant), and a
character with no entry passes through unchanged.
"""

from __future__ import annotations

from functools import cache

_TABLE: dict[str, str] = {
    # vowels
    "a": "a", "b": "b", "c": "c", "d": "d", "e": "e", "f": "f", "g": "ɡ", "h": "h", "i": "i", "j": "j",
    "k": "k", "l": "l", "m": "m", "n": "n", "o": "o", "p": "p", "q": "q", "r": "r", "s": "s", "t": "t",
    "u": "u", "v": "v", "w": "w", "x": "x", "y": "y", "z": "z",
    "A": "ɑ", "B": "β", "C": "ç", "D": "ð", "E": "ɛ", "F": "ɱ", "G": "ɣ", "H": "ɥ", "I": "ɪ", "J": "ɲ",
    "K": "ɬ", "L": "ʎ", "M": "ɯ", "N": "ŋ", "O": "ɔ", "P": "ʋ", "Q": "ɒ", "R": "ʁ", "S": "ʃ", "T": "θ",
    "U": "ʊ", "V": "ʌ", "W": "ʍ", "X": "χ", "Y": "ʏ", "Z": "ʒ",
    "1": "ɨ", "2": "ø", "3": "ɜ", "4": "ɾ", "5": "ɫ", "6": "ɐ", "7": "ɤ", "8": "ɵ", "9": "œ",
    "&": "ɶ", "?": "ʔ", "@": "ə", "{": "æ", "}": "ʉ", "\"": "ˈ", "%": "ˌ", ":": "ː", ":\\": "ˑ",
    "@\\": "ɘ", "3\\": "ɞ", "?\\": "ʕ", "<\\": "ʢ", ">\\": "ʡ", "B\\": "ʙ", "G\\": "ɢ", "H\\": "ʜ",
    "I\\": "ᵻ", "J\\": "ɟ", "K\\": "ɮ", "L\\": "ʟ", "M\\": "ɰ", "N\\": "ɴ", "O\\": "ʘ", "R\\": "ʀ",
    "U\\": "ᵿ", "X\\": "ħ", "h\\": "ɦ", "j\\": "ʝ", "l\\": "ɺ", "p\\": "ɸ", "r\\": "ɹ", "r\\`": "ɻ",
    "s\\": "ɕ", "x\\": "ɧ", "z\\": "ʑ", "|\\": "ǀ", "|\\|\\": "ǁ", "=\\": "ǂ", "!\\": "ǃ", "-\\": "‿",
    "d`": "ɖ", "l`": "ɭ", "n`": "ɳ", "r`": "ɽ", "s`": "ʂ", "t`": "ʈ", "z`": "ʐ", "@`": "ɚ",
    "b_<": "ɓ", "d_<": "ɗ", "g_<": "ɠ", "J\\_<": "ʄ", "G\\_<": "ʛ",
    # diacritics
    "_h": "ʰ", "_w": "ʷ", "_j": "ʲ", "_G": "ˠ", "_?\\": "ˤ", "_e": "̴", "_~": "̃", "~": "̃", "_0": "̥",
    "_=": "̩", "=": "̩", "_^": "̯", "_}": "̚", "_n": "ⁿ", "_l": "ˡ", "_d": "̪", "_a": "̺", "_m": "̻",
    "_v": "̬", "_t": "̤", "_k": "̰", "_N": "̼", "_O": "̹", "_c": "̜", "_+": "̟", "_-": "̠", "_\"": "̈",
    "_x": "̽", "_r": "̝", "_o": "̞", "_A": "̘", "_q": "̙", "'": "ʲ", "`": "˞",
    ".": ".", "|": "|", "||": "‖", " ": " ",
}  # fmt: skip


@cache
def _longest() -> int:
    return max(len(k) for k in _TABLE)


def xsampa_to_ipa(xsampa: str) -> str:
    out: list[str] = []
    i = 0
    longest = _longest()
    while i < len(xsampa):
        for size in range(min(longest, len(xsampa) - i), 0, -1):
            symbol = _TABLE.get(xsampa[i : i + size])
            if symbol is not None:
                out.append(symbol)
                i += size
                break
        else:
            out.append(xsampa[i])
            i += 1
    return "".join(out)
