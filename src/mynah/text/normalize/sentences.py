"""Sentence splitting on normalised text, so the TTS pipeline can stream sentence by sentence.

The tokeniser has already decided which dots end sentences (an abbreviation keeps its dot inside its
own token unless the dot also ends the sentence), so splitting only looks at `punct` tokens: a sentence
ends after `.`, `?` or `!`, or after `...` when the next word starts with a capital. Silent tokens
right after the mark (closing quotes, brackets) stay with the sentence they close.
"""

from __future__ import annotations

from mynah.text.normalize.model import PUNCT, SENTENCE_END, SILENT, NormalizedText, Token


def _sentence(source: NormalizedText, tokens: list[Token]) -> NormalizedText:
    start, end = tokens[0].start, tokens[-1].end
    unspoken = tuple(s for s in source.unspoken if start <= s.start and s.end <= end)
    return NormalizedText(source.source, tuple(tokens), unspoken, source.language)


def _next_word(tokens: tuple[Token, ...], i: int) -> Token | None:
    for token in tokens[i:]:
        if token.category not in (SILENT, PUNCT):
            return token
    return None


def split_sentences(normalized: NormalizedText) -> list[NormalizedText]:
    """Split into sentences; each is a `NormalizedText` over the same source, with its own tokens.

    Tokens are shared, never copied or re-spanned; joining the sentences' tokens gives back the
    original tokens. Unspoken spans go with the sentence that contains them.
    """
    tokens = normalized.tokens
    sentences: list[NormalizedText] = []
    current: list[Token] = []
    i = 0
    n = len(tokens)
    while i < n:
        token = tokens[i]
        current.append(token)
        i += 1
        if token.category != PUNCT:
            continue
        if token.spoken == "...":
            following = _next_word(tokens, i)
            if following is None or not following.spoken[:1].isupper():
                continue
        elif token.spoken not in SENTENCE_END:
            continue
        while i < n and tokens[i].category == SILENT and not _opens(normalized.source, tokens[i]):
            current.append(tokens[i])
            i += 1
        sentences.append(_sentence(normalized, current))
        current = []
    if current:
        if any(t.category != SILENT for t in current) or not sentences:
            sentences.append(_sentence(normalized, current))
        else:
            sentences[-1] = _sentence(normalized, list(sentences[-1].tokens) + current)
    if not sentences and normalized.unspoken:
        return [normalized]
    return _attach_loose_unspoken(normalized, sentences)


def _opens(source: str, token: Token) -> bool:
    """Silent characters that open the next sentence rather than close this one."""
    return source[token.start : token.start + 1] in "([{“‘¿¡<*#-"


def _attach_loose_unspoken(
    normalized: NormalizedText, sentences: list[NormalizedText]
) -> list[NormalizedText]:
    """Unspoken spans between two sentences (or before the first) join the nearest following one."""
    if not normalized.unspoken or not sentences:
        return sentences
    placed = {s for sentence in sentences for s in sentence.unspoken}
    loose = [s for s in normalized.unspoken if s not in placed]
    if not loose:
        return sentences
    out = []
    for sentence in sentences:
        span = sentence.span
        mine = [s for s in loose if s.end <= span.end]
        loose = [s for s in loose if s.end > span.end]
        if mine:
            merged = tuple(sorted(set(sentence.unspoken) | set(mine)))
            sentence = NormalizedText(sentence.source, sentence.tokens, merged, sentence.language)
        out.append(sentence)
    if loose:
        last = out[-1]
        merged = tuple(sorted(set(last.unspoken) | set(loose)))
        out[-1] = NormalizedText(last.source, last.tokens, merged, last.language)
    return out
