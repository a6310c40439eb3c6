"""Stores for the cloning tests: the store tests' SQLite file and throwaway PostgreSQL database."""

from tests.store.conftest import database_url, postgres_url, store

__all__ = ["database_url", "postgres_url", "store"]
