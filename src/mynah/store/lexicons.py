"""Stored pronunciation lexicons: the uploaded document, a summary, and parsed copies cached in memory.

    store = LexiconStore(Store.open(url))
    store.put("names", pls_bytes, "application/pls+xml")     # validates by parsing, then stores
    store.load_many(["names", "tech"])                       # parsed Lexicons, cached per revision
    store.matcher_for(("names", "tech"))                     # a LexiconMatcher over them

A put bumps the row's revision; the caches are keyed by revision, so a lexicon replaced by another
process (PostgreSQL shared by several servers) is re-read, and one replaced here never is.

Each lexicon is compiled once (`CompiledLexicon`) and a matcher over any list of lexicons is just
their compiled forms in order, so no list of names builds anything new. Parsed and compiled lexicons
are kept least-recently-used within `cache_bytes` (their estimated memory), whatever their number.

Names are 1 to 64 characters of `A-Z a-z 0-9 _ . -`, and not only dots.
"""

from __future__ import annotations

import builtins
import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from mynah.errors import InvalidRequest, NotFound
from mynah.store.db import Store
from mynah.store.models import LexiconRow
from mynah.text.lexicon import (
    CANONICAL_CONTENT_TYPE,
    JSON_CONTENT_TYPES,
    PLS_CONTENT_TYPES,
    Lexicon,
    LexiconFormat,
    LexiconMatcher,
    detect_format,
    media_type,
    parse_json,
    parse_pls,
)
from mynah.text.lexicon.match import CompiledLexicon

_NAME = re.compile(r"[A-Za-z0-9_.-]{1,64}")


@dataclass(frozen=True)
class LexiconInfo:
    name: str
    format: LexiconFormat
    language: str | None
    entries: int
    """How many lexemes it has."""
    created_at: datetime
    updated_at: datetime
    size: int
    """Bytes of the stored document."""
    content_type: str
    """The media type `raw` returns it with."""


def check_name(name: str) -> str:
    """The name, if it is a valid lexicon name; else InvalidRequest."""
    if not isinstance(name, str) or not _NAME.fullmatch(name) or not name.strip("."):
        raise InvalidRequest(
            f"lexicon name {name!r} must be 1 to 64 characters of letters, digits, '_', '.' and '-'",
            param="name",
        )
    return name


def _parse(content: bytes, name: str, fmt: str) -> Lexicon:
    return parse_json(content, name) if fmt == "json" else parse_pls(content, name)


def _info(row: LexiconRow) -> LexiconInfo:
    return LexiconInfo(
        name=row.name,
        format="json" if row.format == "json" else "pls",
        language=row.language,
        entries=row.entries,
        created_at=row.created_at,
        updated_at=row.updated_at,
        size=row.size,
        content_type=row.content_type,
    )


class LexiconStore:
    """The lexicons table, with parsed lexicons and compiled matchers cached in this process."""

    def __init__(self, store: Store, *, cache_bytes: int = 256 * 1024 * 1024) -> None:
        self._store = store
        self._cache_bytes = cache_bytes
        self._lock = threading.Lock()
        self._parsed: OrderedDict[str, tuple[int, Lexicon]] = OrderedDict()
        self._sizes: dict[str, int] = {}
        self._compiled: OrderedDict[tuple[str, int], CompiledLexicon] = OrderedDict()

    # ------------------------------------------------------------------------------------ writing

    def put(self, name: str, content: bytes, content_type: str | None = None) -> LexiconInfo:
        """Store a PLS or JSON lexicon under `name`, replacing one of that name. Parses it first, so a
        bad document is refused (InvalidRequest, PayloadTooLarge, UnsupportedMediaType) and never stored."""
        check_name(name)
        fmt = detect_format(content, content_type)
        lexicon = _parse(content, name, fmt)
        kind = media_type(content_type)
        stored_type = (
            kind if kind in (*PLS_CONTENT_TYPES, *JSON_CONTENT_TYPES) else CANONICAL_CONTENT_TYPE[fmt]
        )
        try:
            info, revision = self._write(name, content, fmt, stored_type, lexicon)
        except IntegrityError:  # created by another process between our read and our insert
            info, revision = self._write(name, content, fmt, stored_type, lexicon)
        with self._lock:
            self._remember(name, (revision, lexicon), _parsed_size(content))
        return info

    def _write(
        self, name: str, content: bytes, fmt: str, content_type: str, lexicon: Lexicon
    ) -> tuple[LexiconInfo, int]:
        now = datetime.now(UTC)
        with self._store.session(write=True) as session:
            row = session.get(LexiconRow, name, with_for_update=True)
            if row is None:
                row = LexiconRow(name=name, revision=0, created_at=now, updated_at=now)
                session.add(row)
            else:  # strictly later, so clients can tell two versions apart even within one clock tick
                row.updated_at = max(now, row.updated_at + timedelta(microseconds=1))
            row.revision += 1
            row.format = fmt
            row.content_type = content_type
            row.language = lexicon.language
            row.entries = len(lexicon.entries)
            row.size = len(content)
            row.content = content
            session.flush()
            return _info(row), row.revision

    def delete(self, name: str) -> None:
        """Remove a lexicon. NotFound if there is none of that name."""
        self._check_known(name)
        with self._store.session(write=True) as session:
            found = session.scalar(select(LexiconRow.name).where(LexiconRow.name == name))
            if found is not None:
                session.execute(delete(LexiconRow).where(LexiconRow.name == name))
        with self._lock:
            self._parsed.pop(name, None)
            self._sizes.pop(name, None)
            for key in [k for k in self._compiled if k[0] == name]:
                del self._compiled[key]
        if found is None:
            raise _not_found(name)

    # ------------------------------------------------------------------------------------ reading

    def info(self, name: str) -> LexiconInfo:
        self._check_known(name)
        with self._store.session() as session:
            row = session.get(LexiconRow, name)
            if row is None:
                raise _not_found(name)
            return _info(row)

    def raw(self, name: str) -> tuple[bytes, str]:
        """The document as it was uploaded, and its media type."""
        self._check_known(name)
        with self._store.session() as session:
            found = session.execute(
                select(LexiconRow.content, LexiconRow.content_type).where(LexiconRow.name == name)
            ).one_or_none()
        if found is None:
            raise _not_found(name)
        return bytes(found[0]), found[1]

    def list(self) -> builtins.list[LexiconInfo]:
        """Every lexicon, by name (without reading the documents)."""
        columns = (
            LexiconRow.name,
            LexiconRow.format,
            LexiconRow.language,
            LexiconRow.entries,
            LexiconRow.created_at,
            LexiconRow.updated_at,
            LexiconRow.size,
            LexiconRow.content_type,
        )
        with self._store.session() as session:
            rows = session.execute(select(*columns).order_by(LexiconRow.name)).all()
        return [
            LexiconInfo(
                name=r.name,
                format="json" if r.format == "json" else "pls",
                language=r.language,
                entries=r.entries,
                created_at=r.created_at,
                updated_at=r.updated_at,
                size=r.size,
                content_type=r.content_type,
            )
            for r in rows
        ]

    def get(self, name: str) -> Lexicon:
        """The parsed lexicon. NotFound if there is none of that name."""
        (lexicon,) = self.load_many([name], param="name")
        return lexicon

    def load_many(self, names: Sequence[str], *, param: str = "lexicons") -> builtins.list[Lexicon]:
        """The named lexicons, parsed, in the order given (each once). NotFound names the first unknown."""
        return [lexicon for _, lexicon in self._load(names, param)]

    def matcher_for(self, names: Sequence[str]) -> LexiconMatcher | None:
        """A matcher over the named lexicons (earlier names win), or None for no names. Each lexicon is
        compiled once (until it changes); the matcher only lists the compiled forms."""
        if not names:
            return None
        compiled: builtins.list[CompiledLexicon] = []
        for revision, lexicon in self._load(names, "lexicons"):
            key = (lexicon.name, revision)
            with self._lock:
                found = self._compiled.get(key)
                if found is not None:
                    self._compiled.move_to_end(key)
            if found is None:
                found = CompiledLexicon(lexicon)
                with self._lock:
                    self._compiled[key] = found
                    self._trim()
            compiled.append(found)
        return LexiconMatcher(compiled)

    def _load(self, names: Sequence[str], param: str) -> builtins.list[tuple[int, Lexicon]]:
        wanted = builtins.list(dict.fromkeys(names))
        for name in wanted:
            self._check_known(name, param)
        with self._store.session() as session:
            revisions: dict[str, int] = {
                name: revision
                for name, revision in session.execute(
                    select(LexiconRow.name, LexiconRow.revision).where(LexiconRow.name.in_(wanted))
                )
            }
            for name in wanted:
                if name not in revisions:
                    raise _not_found(name, param)
            with self._lock:
                cached = {n: self._parsed[n] for n in wanted if n in self._parsed}
            cached = {n: value for n, value in cached.items() if value[0] == revisions[n]}
            stale = [n for n in wanted if n not in cached]
            documents = (
                session.execute(
                    select(LexiconRow.name, LexiconRow.revision, LexiconRow.format, LexiconRow.content).where(
                        LexiconRow.name.in_(stale)
                    )
                ).all()
                if stale
                else []
            )
        loaded = {name: (revision, _parse(content, name, fmt)) for name, revision, fmt, content in documents}
        sizes = {name: _parsed_size(content) for name, _, _, content in documents}
        if len(loaded) < len(stale):  # deleted between the two reads
            raise _not_found(next(n for n in stale if n not in loaded), param)
        with self._lock:
            for name, value in loaded.items():
                self._remember(name, value, sizes[name])
            for name in cached:
                if name in self._parsed:
                    self._parsed.move_to_end(name)
        return [cached[name] if name in cached else loaded[name] for name in wanted]

    # ------------------------------------------------------------------------------------ helpers

    def _remember(self, name: str, value: tuple[int, Lexicon], size: int) -> None:
        """Cache a parsed lexicon of about `size` bytes (the caller holds the lock)."""
        self._parsed[name] = value
        self._parsed.move_to_end(name)
        self._sizes[name] = size
        self._trim()

    def cached_bytes(self) -> int:
        """The estimated memory the caches hold (at most `cache_bytes`, or the one newest entry)."""
        with self._lock:
            return sum(self._sizes.values()) + sum(c.size_bytes for c in self._compiled.values())

    def _trim(self) -> None:
        """Drop the least recently used parsed and compiled lexicons until the caches fit in
        `cache_bytes` (the caller holds the lock); the newest of each is always kept."""
        while True:
            total = sum(self._sizes.values()) + sum(c.size_bytes for c in self._compiled.values())
            if total <= self._cache_bytes:
                return
            if len(self._parsed) > 1:  # compiled forms outlive their parsed documents: cheaper
                name, _ = self._parsed.popitem(last=False)
                self._sizes.pop(name, None)
            elif len(self._compiled) > 1:
                self._compiled.popitem(last=False)
            else:
                return

    @staticmethod
    def _check_known(name: str, param: str = "name") -> None:
        try:
            check_name(name)
        except InvalidRequest:
            raise _not_found(name, param) from None


def _parsed_size(content: bytes) -> int:
    """About what a parsed lexicon holds in memory: measured at ten to eleven times its document."""
    return 11 * len(content)


def _not_found(name: str, param: str = "name") -> NotFound:
    return NotFound(f"no lexicon named {name!r}", param=param)
