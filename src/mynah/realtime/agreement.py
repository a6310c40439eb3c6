"""The LocalAgreement-2 policy of whisper_streaming: a word is committed once two successive decodes
of the growing audio agree on it (and on every word before it).

    agreement = LocalAgreement()
    agreement.update(words_of_decode_1)    -> []                     nothing to compare with yet
    agreement.update(words_of_decode_2)    -> [the agreed new words]
    agreement.committed                    every word agreed so far, in order
    agreement.tentative                    the latest decode's words after them (may still change)

Words are compared by their letters and digits, lower-cased ("Hello," agrees with "hello").
"""

from __future__ import annotations

from collections.abc import Sequence

from mynah.types import Word

__all__ = ["LocalAgreement", "comparable"]


def comparable(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum())


class LocalAgreement:
    def __init__(self) -> None:
        self.committed: list[Word] = []
        self.tentative: list[Word] = []
        self._previous: list[Word] | None = None

    def update(self, words: Sequence[Word]) -> list[Word]:
        """Take a new decode of the whole window (every word, committed ones included); returns the
        words newly committed."""
        fresh = list(words[len(self._committed_prefix(words)) :])
        previous = self._previous
        self._previous = fresh
        if previous is None:
            self.tentative = fresh
            return []
        agreed: list[Word] = []
        for old, new in zip(previous, fresh, strict=False):
            if comparable(old.text) != comparable(new.text):
                break
            agreed.append(new)
        self.committed.extend(agreed)
        self._previous = fresh[len(agreed) :]
        self.tentative = self._previous
        return agreed

    def _committed_prefix(self, words: Sequence[Word]) -> list[Word]:
        """The part of a full-window decode that repeats what is committed (matched word by word;
        where the decode no longer agrees, the committed words still stand and the rest is new)."""
        count = 0
        for done, word in zip(self.committed, words, strict=False):
            if comparable(done.text) != comparable(word.text):
                break
            count += 1
        if count < len(self.committed):  # the decode rewrote committed words: skip by time instead
            until = self.committed[-1].end if self.committed else 0.0
            return [w for w in words if w.end <= until + 0.05]
        return list(words[:count])

    def reset(self) -> None:
        self.committed.clear()
        self.tentative = []
        self._previous = None
