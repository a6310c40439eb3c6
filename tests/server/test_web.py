"""The playground's files as the server serves them (the browser tests in tests/web drive the page)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from mynah.server.web import WEB_DIR
from tests.support import LiveServer


@pytest.fixture(scope="module")
def http(live_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_server.url, timeout=30) as client:
        yield client


def test_the_page_is_at_the_root_with_a_strict_content_security_policy(http: httpx.Client) -> None:
    page = http.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "script-src" not in page.headers["content-security-policy"]  # default-src 'self' covers it
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert '<script type="module" src="/web/js/main.js">' in page.text
    assert "/" not in http.get("/openapi.json").json()["paths"]  # the API's schema stays the API's


def test_every_module_the_page_imports_is_served_as_javascript(http: httpx.Client) -> None:
    modules = sorted(p.name for p in (WEB_DIR / "js").glob("*.js"))
    assert "main.js" in modules
    for name in modules:
        response = http.get(f"/web/js/{name}")
        assert response.status_code == 200, name
        assert "javascript" in response.headers["content-type"], name
        assert response.headers["x-content-type-options"] == "nosniff"
        for imported in re.findall(r'from "\./([\w.]+)"', response.text):
            assert imported in modules, (name, imported)
    assert http.get("/web/app.css").headers["content-type"].startswith("text/css")


@pytest.mark.parametrize("path", ["/web/../server/web.py", "/web/%2e%2e/__init__.py", "/web/nope.js"])
def test_nothing_outside_the_web_directory_is_served(http: httpx.Client, path: str) -> None:
    assert http.get(path).status_code == 404
