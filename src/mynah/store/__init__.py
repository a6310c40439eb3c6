"""Persistent state: SQLAlchemy over SQLite (the default, a file in the data directory) or PostgreSQL."""

from mynah.store.db import Store, database_url
from mynah.store.lexicons import LexiconInfo, LexiconStore, check_name
from mynah.store.transcripts import TranscriptCacheStore

__all__ = ["LexiconInfo", "LexiconStore", "Store", "TranscriptCacheStore", "check_name", "database_url"]
