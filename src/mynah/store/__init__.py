"""Persistent state: SQLAlchemy over SQLite (the default, a file in the data directory) or PostgreSQL."""

from mynah.store.db import DatabaseCheck, Store, check_database, database_url
from mynah.store.lexicons import LexiconInfo, LexiconStore, check_name
from mynah.store.transcripts import TranscriptCacheStore

__all__ = [
    "DatabaseCheck",
    "LexiconInfo",
    "LexiconStore",
    "Store",
    "TranscriptCacheStore",
    "check_database",
    "check_name",
    "database_url",
]
