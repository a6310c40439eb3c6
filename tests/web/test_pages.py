"""The playground's later pages in a real browser: loudness on the Speak page, live transcription over
the streaming socket, the Jobs page (submit, progress from the events route, download, cancel) and
Usage & keys (create a key shown once, its usage with cost, revoke), each on a phone-sized window."""

from __future__ import annotations

import io
import re
import wave
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import numpy as np
import pytest

from mynah.config import JobsSettings, ModelSettings, ServerSettings, Settings
from tests.support import decoded_seconds, start_live_server
from tests.web.conftest import CHROMIUM, CHROMIUM_ARGS, PageLog, open_page
from tests.web.test_playground import CONTROLS, _on, _ready

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

ADMIN_KEY = "admin-key-for-the-playground"


def _wav_lufs(data: bytes) -> float:
    from mynah.audio.loudness import measure_lufs

    with wave.open(io.BytesIO(data)) as clip:
        rate = clip.getframerate()
        samples = np.frombuffer(clip.readframes(clip.getnframes()), dtype="<i2").astype(np.float32) / 32768
    return measure_lufs(samples, rate)


def test_the_loudness_and_rate_controls_shape_the_audio(playground: Page, screenshots: Path) -> None:
    page = playground
    _ready(page, "speak")
    page.fill("#speak-input", "Loudness is levelled to the target you pick, for podcasts or broadcast.")
    page.select_option("#speak-voice", "espeak:en-us")
    page.select_option("#speak-download-format", "wav")
    measured = {}
    for target in ("-30", "-14"):
        page.select_option("#speak-loudness", target)
        with page.expect_download() as download:
            page.click("#speak-download")
        measured[target] = _wav_lufs(Path(download.value.path()).read_bytes())
    page.screenshot(path=screenshots / "speak-loudness.png", full_page=True)
    assert measured["-30"] == pytest.approx(-30, abs=1.5), measured
    assert measured["-14"] == pytest.approx(-14, abs=1.5), measured
    page.select_option("#speak-rate", "8000")
    with page.expect_download() as download:
        page.click("#speak-download")
    with wave.open(str(download.value.path())) as clip:
        assert clip.getframerate() == 8000
    # and the streamed answer, levelled as it goes, plays to its end
    ended = _on(page, "#speak-audio", "ended")
    page.click("#speak-play")
    ended()
    assert "(streamed)" in page.inner_text("#speak-status") and "8000 Hz" in page.inner_text("#speak-status")


def test_the_language_filter_lists_only_that_languages_voices(playground: Page, live_server: Any) -> None:
    page = playground
    _ready(page, "speak")
    listed = httpx.get(live_server.url + "/v1/audio/voices", timeout=60).json()
    language_of = {v["id"]: v["language"] for v in listed["voices"]}
    alias_to = {a["alias"]: a["voice"] for a in listed.get("aliases", [])}
    every = page.locator("#speak-voice option").count()
    page.select_option("#speak-language", "en-US")
    shown = page.eval_on_selector_all("#speak-voice option", "options => options.map(o => o.value)")
    assert shown and len(shown) < every
    assert {language_of[alias_to.get(v, v)] for v in shown} == {"en-US"}, shown
    page.select_option("#speak-language", "")
    assert page.locator("#speak-voice option").count() == every


# -------------------------------------------------------------------------------------------- live

# Marks #live once a partial with a word in it has been shown (it is replaced by the final soon after,
# so a locator polling the text could miss it).
SEE_PARTIALS = """() => {
  const partial = document.getElementById('live-partial');
  window.partials = [];
  new MutationObserver(() => {
    if (/\\w/.test(partial.textContent)) {
      window.partials.push(partial.textContent);
      document.getElementById('live').setAttribute('data-partial-seen', '');
    }
  }).observe(partial, {childList: true, characterData: true, subtree: true});
}"""


@pytest.fixture
def speaking_microphone(browser: Browser, speech_dir: Path) -> Iterator[Browser]:
    """A second Chromium whose fake microphone says "go forward ten meters", over and over."""
    args = [*CHROMIUM_ARGS, f"--use-file-for-fake-audio-capture={speech_dir / 'goforward.wav'}"]
    speaking = browser.browser_type.launch(executable_path=CHROMIUM, args=args)
    yield speaking
    speaking.close()


def _speak_live(page: Page, screenshots: Path, name: str) -> None:
    """Live mode on, a partial with words shown, then off: the final text of what the microphone said."""
    _ready(page, "transcribe")
    page.evaluate(SEE_PARTIALS)
    live = page.locator("#transcribe-live")
    live.click()
    page.locator('#transcribe-live[aria-pressed="true"]').wait_for()
    page.locator("#transcribe-status", has_text="listening").wait_for(timeout=60_000)
    page.locator("#live[data-partial-seen]").wait_for(timeout=120_000)
    page.screenshot(path=screenshots / f"{name}-partial.png", full_page=True)
    live.click()  # stop: the server finalises what it heard and closes the stream
    page.locator("#live[data-done]").wait_for(timeout=120_000)
    page.locator("#transcribe-status", has_text="Live: finished.").wait_for(timeout=30_000)
    page.screenshot(path=screenshots / f"{name}.png", full_page=True)
    partials: list[str] = page.evaluate("window.partials")
    assert partials and all(p.strip() for p in partials), partials  # what was heard so far, shown
    finals = page.locator("#live-finals p").all_inner_texts()
    assert finals and "forward" in " ".join(finals).lower(), finals
    assert page.inner_text("#live-partial") == ""
    assert live.get_attribute("aria-pressed") == "false"
    assert page.locator("#transcribe-error").is_hidden()


def test_live_mode_shows_partial_then_final_text(
    speaking_microphone: Browser, live_server: Any, page_log: PageLog, screenshots: Path
) -> None:
    page = open_page(
        speaking_microphone,
        live_server.url + "/#/transcribe",
        page_log,
        viewport={"width": 1280, "height": 900},
    )
    _speak_live(page, screenshots, "transcribe-live")
    page.context.close()
    assert page_log.unexpected() == []


def test_live_mode_sends_the_tabs_key_as_a_subprotocol(
    speaking_microphone: Browser, admin_server: Any, page_log: PageLog, screenshots: Path
) -> None:
    from websockets.exceptions import InvalidStatus
    from websockets.sync.client import connect

    socket_url = admin_server.url.replace("http", "ws", 1) + "/v1/mynah/transcriptions/stream"
    with pytest.raises(InvalidStatus) as refused:
        connect(socket_url, subprotocols=["mynah", "mynah-key.wrong"]).close()  # type: ignore[list-item]
    assert refused.value.response.status_code == 401
    with connect(socket_url, subprotocols=["mynah", f"mynah-key.{ADMIN_KEY}"]) as ws:  # type: ignore[list-item]
        assert ws.subprotocol == "mynah"  # the server answers the protocol, never the key

    page_log.expect(401, "/v1/models")
    page = _sign_in(
        speaking_microphone, admin_server, page_log, "transcribe", viewport={"width": 1280, "height": 900}
    )
    _speak_live(page, screenshots, "transcribe-live-with-key")
    page.context.close()
    assert page_log.unexpected() == []


# -------------------------------------------------------------------------------------------- jobs


def test_jobs_are_submitted_followed_and_their_results_downloaded(
    playground: Page, screenshots: Path, speech_dir: Path
) -> None:
    page = playground
    page.click("#tab-jobs")
    _ready(page, "jobs")
    page.set_input_files("#jobs-file", str(speech_dir / "goforward.wav"))
    page.select_option("#jobs-result-format", "text")
    page.click("#jobs-transcription-submit")
    # the row moves from queued to succeeded by the job's events alone (no reload, no refresh)
    done = page.locator('#jobs-table tr[data-state="succeeded"]', has_text="goforward.wav")
    done.wait_for(timeout=120_000)
    assert "100 %" in done.inner_text()
    with page.expect_download() as download:
        done.get_by_role("button", name=re.compile("^Download the result")).click()
    assert download.value.suggested_filename.endswith(".txt")
    assert (
        Path(download.value.path()).read_text().strip().lower() == "go forward 10 meters."
    )  # smart formatting

    page.fill("#jobs-text", "A speech job, rendered in the background.")
    page.select_option("#jobs-voice", "espeak:en-us")
    page.select_option("#jobs-speech-format", "wav")
    page.click("#jobs-speech-submit")
    spoken = page.locator('#jobs-table tr[data-state="succeeded"]', has_text="A speech job")
    spoken.wait_for(timeout=120_000)
    page.screenshot(path=screenshots / "jobs.png", full_page=True)
    with page.expect_download() as download:
        spoken.get_by_role("button", name=re.compile("^Download the result")).click()
    assert download.value.suggested_filename.endswith(".wav")
    assert decoded_seconds(Path(download.value.path()).read_bytes()) > 1.0
    # a finished job is removed with its files
    spoken.get_by_role("button", name=re.compile("^Remove job")).click()
    page.locator("#jobs-status", has_text="removed").wait_for()
    assert page.locator("#jobs-table tr", has_text="A speech job").count() == 0
    done.get_by_role("button", name=re.compile("^Remove job")).click()  # the shared server keeps none
    page.locator("#jobs-table tr", has_text="goforward.wav").wait_for(state="detached")


def test_a_queued_job_is_cancelled(
    browser: Browser, page_log: PageLog, screenshots: Path, tmp_path: Path
) -> None:
    settings = Settings(data_dir=tmp_path, models=ModelSettings(offline=True), jobs=JobsSettings(workers=0))
    with start_live_server(settings) as server:  # no workers: a job waits in the queue until cancelled
        page = open_page(browser, server.url + "/#/jobs", page_log, viewport={"width": 1280, "height": 900})
        _ready(page, "jobs")
        page.click("#jobs-speech-submit")
        queued = page.locator('#jobs-table tr[data-state="queued"]')
        queued.wait_for()
        queued.get_by_role("button", name=re.compile("^Cancel job")).click()
        cancelled = page.locator('#jobs-table tr[data-state="cancelled"]')
        cancelled.wait_for()
        page.screenshot(path=screenshots / "jobs-cancelled.png", full_page=True)
        job_id = cancelled.get_attribute("data-job")
        assert httpx.get(f"{server.url}/v1/mynah/jobs/{job_id}").json()["status"] == "cancelled"
        assert cancelled.get_by_role("button", name=re.compile("^Download")).count() == 0
        page.context.close()
    assert page_log.unexpected() == []


# ----------------------------------------------------------------------------------- usage & keys


@pytest.fixture
def admin_server(tmp_path: Path) -> Iterator[Any]:
    settings = Settings(
        data_dir=tmp_path,
        server=ServerSettings(api_key=ADMIN_KEY),  # type: ignore[arg-type]
        models=ModelSettings(offline=True),
    )
    with start_live_server(settings) as server:
        yield server


def _sign_in(browser: Browser, server: Any, log: PageLog, fragment: str, **context: Any) -> Page:
    page = open_page(browser, f"{server.url}/#/{fragment}", log, **context)
    page.locator("#key-dialog").wait_for()
    page.fill("#key-input", ADMIN_KEY)
    page.keyboard.press("Enter")
    _ready(page, fragment)
    return page


def test_keys_are_made_shown_once_metered_and_revoked(
    browser: Browser, admin_server: Any, page_log: PageLog, screenshots: Path
) -> None:
    page_log.expect(401, "/v1/mynah/keys")
    page = _sign_in(browser, admin_server, page_log, "keys", viewport={"width": 1280, "height": 900})
    page.fill("#keys-name", "call-centre")
    page.click("#keys-create")
    page.locator("#keys-created").wait_for()
    token = page.inner_text("#keys-token").strip()
    assert re.fullmatch(r"mynah_[A-Za-z0-9_-]{43}", token)
    row = page.locator('#keys-table tr[data-state="active"]', has_text="call-centre")
    row.wait_for()
    assert "speech, transcription" in row.inner_text() and token[:10] in row.inner_text()
    page.screenshot(path=screenshots / "keys-created.png", full_page=True)
    page.click("#keys-created-done")  # the token leaves the page
    assert page.locator("#keys-created").is_hidden() and page.inner_text("#keys-token") == ""

    # the new key is used, and its usage is reported under its name, with a cost
    text = "Metered speech for the usage report."
    spoken = httpx.post(
        admin_server.url + "/v1/audio/speech",
        headers={"Authorization": f"Bearer {token}"},
        json={"model": "tts-1", "voice": "espeak:en-us", "input": text, "response_format": "wav"},
        timeout=120,
    )
    assert spoken.status_code == 200
    page.click("#usage-show")
    usage = page.locator("#usage-table tbody tr", has_text="call-centre")
    usage.wait_for()
    cells = usage.locator("td").all_inner_texts()
    assert cells[0] == "1" and cells[3] == str(len(text)), cells
    assert float(cells[5].lstrip("$")) > 0  # speech is priced per character
    page.select_option("#usage-group", "day")
    page.click("#usage-show")
    page.locator("#usage-group-head", has_text="Day").wait_for()
    today = datetime.now(UTC).date().isoformat()
    assert today in page.locator("#usage-table tbody th").all_inner_texts()
    page.select_option("#usage-group", "model")
    page.click("#usage-show")
    page.locator("#usage-group-head", has_text="Model").wait_for()
    assert page.locator("#usage-table tfoot th").inner_text() == "Total"
    page.screenshot(path=screenshots / "usage.png", full_page=True)

    row.get_by_role("button", name="Revoke the key call-centre").click()
    page.locator('#keys-table tr[data-state="revoked"]', has_text="call-centre").wait_for()
    refused = httpx.get(admin_server.url + "/v1/audio/voices", headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 401
    page.context.close()
    assert page_log.unexpected() == []


def test_jobs_and_keys_pages_on_a_phone_are_labelled_and_fit(
    browser: Browser, admin_server: Any, page_log: PageLog, screenshots: Path
) -> None:
    page_log.expect(401, "/v1/audio/voices")
    page_log.expect(401, "/v1/lexicons")
    page = _sign_in(browser, admin_server, page_log, "speak", viewport={"width": 390, "height": 844})
    for name in ("jobs", "keys"):
        page.click(f"#tab-{name}")
        _ready(page, name)
        assert page.evaluate("document.activeElement.id") == f"{name}-title"
        page.screenshot(path=screenshots / f"{name}-phone.png", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, name
        controls = page.evaluate(CONTROLS)
        assert controls["shown"] >= 8 and controls["unlabelled"] == [], (name, controls)
    # the keyboard reaches the key form from the page's title
    page.focus("#keys-title")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "keys-create":
            break
    assert page.evaluate("document.activeElement.id") == "keys-create"
    page.context.close()
    assert page_log.unexpected() == []
