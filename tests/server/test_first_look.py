"""What a newcomer meets first (issue 19, items 6 and 8): GET / is a page (the playground) and /docs
answers, as the README says; an offline pull is a 503 the client may retry, logged as a warning."""

from __future__ import annotations

import logging
from pathlib import Path

import httpx
import pytest

from tests.support import LiveServer

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_root_is_a_page_and_the_docs_answer(live_server: LiveServer) -> None:
    page = httpx.get(live_server.url + "/", timeout=30)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    docs = httpx.get(live_server.url + "/docs", timeout=30)
    assert docs.status_code == 200 and "text/html" in docs.headers["content-type"]
    assert "http://127.0.0.1:8000/docs" in README.read_text("utf-8")


def test_an_offline_pull_is_service_unavailable_and_a_warning(
    live_server: LiveServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="mynah.server")
    refused = httpx.post(live_server.v1 + "/mynah/models/whisper:small/pull", timeout=30)
    assert refused.status_code == 503
    error = refused.json()["error"]
    assert (error["type"], error["code"]) == ("service_unavailable", "offline")
    records = [r for r in caplog.records if "cannot pull whisper:small" in r.getMessage()]
    assert [r.levelno for r in records] == [logging.WARNING]
