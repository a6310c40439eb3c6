"""The web playground in a real browser: speak with highlighted words, SSML errors pointed at,
transcribe a real recording, pull a model with progress, and the API-key prompt."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from mynah.config import ModelSettings, ServerSettings, Settings
from tests.support import decoded_seconds, start_live_server
from tests.web.conftest import PageLog, open_page

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

# Every highlight change, with the audio's own clock at that moment (media time, not wall time).
RECORD_HIGHLIGHTS = """() => {
  const reading = document.getElementById('speak-reading');
  const audio = document.getElementById('speak-audio');
  window.highlights = [];
  new MutationObserver(() => {
    const current = reading.dataset.current;
    const last = window.highlights.at(-1);
    if (!last || last.index !== Number(current)) {
      window.highlights.push({index: Number(current), time: audio.currentTime});
    }
  }).observe(reading, {attributes: true, attributeFilter: ['data-current']});
}"""


def _ready(page: Page, name: str) -> None:
    page.locator(f"#page-{name}[data-ready]").wait_for()


def _seek_and_show(page: Page, span: int, screenshot: Path) -> None:
    """Seek the paused audio into the middle of a span's first word: that span, and only it, is lit
    (a screenshot while it plays would stall the page's frames and skip words, so: seek, then look)."""
    node = page.locator("#speak-reading .w").nth(span)
    index = node.get_attribute("data-index")
    page.eval_on_selector(
        "#speak-audio",
        "(audio, time) => { audio.pause(); audio.currentTime = time; }",
        float(node.get_attribute("data-time") or 0) + 0.05,
    )
    page.locator(f'#speak-reading .w.current[data-index="{index}"]').wait_for()
    assert page.locator("#speak-reading .w.current").count() == 1
    page.screenshot(path=screenshot, full_page=True)


def _on(page: Page, selector: str, event: str) -> Callable[[], None]:
    """Listen for a DOM event now; the returned function waits until it has fired. (The page's CSP
    forbids eval, so no wait_for_function: the listener marks the element and a locator waits.)"""
    page.eval_on_selector(
        selector,
        "(node, name) => node.addEventListener(name, () => node.setAttribute('data-fired-' + name, ''), {once: true})",
        event,
    )
    return lambda: page.locator(f"{selector}[data-fired-{event}]").wait_for(state="attached", timeout=60_000)


def test_typed_text_plays_to_its_end_with_each_word_highlighted_in_step(
    playground: Page, screenshots: Path, live_server: Any
) -> None:
    page = playground
    _ready(page, "speak")
    text = "The quick brown fox jumps over the lazy dog. Then it naps in the warm sun."
    page.fill("#speak-input", text)
    page.select_option("#speak-voice", "espeak:en-us")
    page.evaluate(RECORD_HIGHLIGHTS)
    ended = _on(page, "#speak-audio", "ended")
    with page.expect_response(lambda r: r.url.endswith("/v1/audio/speech")) as answer:
        page.click("#speak-play")
    ended()
    page.screenshot(path=screenshots / "speak.png", full_page=True)
    # the words the server sent this page, as server-sent events
    sent = [
        json.loads(line[len("data:") :])
        for line in answer.value.text().splitlines()
        if line.startswith("data:") and '"speech.word"' in line
    ]

    audio = page.evaluate(
        "(() => { const a = document.getElementById('speak-audio');"
        " return {duration: a.duration, time: a.currentTime, error: a.error && a.error.code}; })()"
    )
    assert audio["error"] is None
    assert audio["duration"] > 3 and audio["time"] == pytest.approx(audio["duration"], abs=0.1)
    words = page.eval_on_selector_all(
        "#speak-reading .w", "spans => spans.map(s => ({text: s.textContent, time: Number(s.dataset.time)}))"
    )
    # the words are the server's timings, placed on the text as typed
    marks = httpx.post(
        live_server.url + "/v1/mynah/speech",
        json={"input": text, "voice": "espeak:en-us", "output": "marks"},
        timeout=60,
    ).text.splitlines()
    timed = [json.loads(line) for line in marks if '"word"' in line]
    assert [w["text"] for w in words] == [text[m["start"] : m["end"]] for m in timed]
    # each span starts when the server said its word does (a second synthesis is not the reference:
    # on a loaded CI machine the two once differed by 10 ms on the last word, cause not found)
    assert [w["time"] for w in words] == [event["time"] for event in sent]
    assert [w["time"] for w in words] == pytest.approx([m["time"] for m in timed], abs=0.05)
    assert " ".join(w["text"] for w in words).split() == text.replace(".", "").split()
    highlights: list[dict[str, Any]] = page.evaluate("window.highlights")
    lit = [h for h in highlights if h["index"] >= 0]
    # words lit in order, first to last, each while the audio was inside that word's timing; a
    # starved browser (a loaded machine) may paint past a short word, never light one out of turn
    order = [h["index"] for h in lit]
    assert order == sorted(set(order)) and order[0] == 0 and order[-1] == len(words) - 1
    assert len(order) >= 0.75 * len(words), order
    starts = [w["time"] for w in words] + [audio["duration"]]
    for h in lit:
        assert starts[h["index"]] - 0.05 <= h["time"] <= starts[h["index"] + 1] + 0.25, (h, starts)
    assert highlights[-1]["index"] == -1  # cleared at the end
    assert "(streamed)" in page.inner_text("#speak-status")
    _seek_and_show(page, 4, screenshots / "speak-word-lit.png")


def test_ssml_is_spoken_with_its_words_lit_on_the_markup_as_typed(
    playground: Page, screenshots: Path, live_server: Any
) -> None:
    page = playground
    _ready(page, "speak")
    page.click("#speak-example")
    assert page.inner_text("#speak-mode") == "SSML"
    # espeak-ng times each spoken word; flite (the default voice where it is installed) times none, so
    # its words are estimated one per typed span
    page.select_option("#speak-voice", "espeak:en-us")
    ssml = page.input_value("#speak-input")
    page.evaluate(RECORD_HIGHLIGHTS)
    ended = _on(page, "#speak-audio", "ended")
    page.click("#speak-play")
    ended()
    marks = httpx.post(
        live_server.url + "/v1/mynah/speech",
        json={"input": ssml, "voice": page.input_value("#speak-voice"), "output": "marks"},
        timeout=60,
    ).text.splitlines()
    timed = [json.loads(line) for line in marks if '"word"' in line]
    lit = [h["index"] for h in page.evaluate("window.highlights") if h["index"] >= 0]
    # in order, first to last (a starved browser may paint past a short word, never out of turn)
    assert lit == sorted(set(lit)) and lit[0] == 0 and lit[-1] == len(timed) - 1
    assert len(lit) >= 0.75 * len(timed), lit
    # the spans are the typed source of the words: "1234" is one span, lit for all its words
    spans = page.eval_on_selector_all("#speak-reading .w", "spans => spans.map(s => s.textContent)")
    assert "1234" in spans and "12/24/2026" in spans and "mynah" in spans
    assert not any("<" in span or ">" in span for span in spans)  # markup is never lit
    assert len(spans) < len(timed)
    # the markup is shown as typed around them
    assert page.inner_text("#speak-reading").strip() == ssml.strip()
    number = spans.index("1234")
    _seek_and_show(page, number, screenshots / "speak-ssml-word-lit.png")


def test_malformed_ssml_shows_its_line_and_column(
    playground: Page, page_log: PageLog, screenshots: Path
) -> None:
    page = playground
    page_log.expect(400, "/v1/audio/speech")
    _ready(page, "speak")
    page.fill("#speak-input", "<speak>\n  Hello <break time='soon'/> there\n</speak>")
    assert page.inner_text("#speak-mode") == "SSML"
    page.click("#speak-play")
    error = page.locator("#speak-error")
    error.wait_for()
    page.screenshot(path=screenshots / "speak-ssml-error.png", full_page=True)
    assert "line 2, column 29" in error.inner_text()  # just after the element at fault
    assert "break time" in error.inner_text()
    excerpt = page.inner_text("#speak-error .excerpt")
    assert excerpt.splitlines()[0] == "2 |   Hello <break time='soon'/> there"
    assert excerpt.splitlines()[1].index("^") == len("2 | ") + 28
    # the editor's caret is put there, ready for the fix
    caret = page.evaluate("document.getElementById('speak-input').selectionStart")
    assert caret == len("<speak>\n") + 28


def test_an_uploaded_recording_shows_its_transcript(
    playground: Page, screenshots: Path, speech_dir: Path
) -> None:
    page = playground
    page.click("#tab-transcribe")
    _ready(page, "transcribe")
    page.set_input_files("#transcribe-file", str(speech_dir / "goforward.wav"))
    page.locator("#transcript .w").first.wait_for(timeout=60_000)
    page.screenshot(path=screenshots / "transcribe.png", full_page=True)
    words = page.eval_on_selector_all("#transcript .w", "spans => spans.map(s => s.textContent)")
    assert " ".join(words) == "Go forward 10 meters."  # pocketsphinx's words, smart-formatted
    assert "goforward.wav" in page.inner_text("#transcribe-status")
    # a click on a word plays from its start
    playing = _on(page, "#transcribe-audio", "playing")
    page.locator("#transcript .w").nth(2).click()
    start = float(page.locator("#transcript .w").nth(2).get_attribute("data-start") or "nan")
    playing()
    assert page.evaluate("document.getElementById('transcribe-audio').currentTime") >= start - 0.01
    # exports: the server's own SRT and the JSON as received
    with page.expect_download() as srt:
        page.click("[data-export=srt]")
    assert "Go forward 10 meters." in Path(srt.value.path()).read_text()
    with page.expect_download() as exported:
        page.click("[data-export=json]")
    assert json.loads(Path(exported.value.path()).read_text())["text"].strip() == "Go forward 10 meters."


def test_speakers_are_coloured_and_low_confidence_words_marked(
    playground: Page, screenshots: Path, data_dir: Path
) -> None:
    page = playground
    page.click("#tab-transcribe")
    _ready(page, "transcribe")
    page.check("#transcribe-diarize")
    # one speaker per stereo channel: the server tells them apart by channel
    page.set_input_files(
        "#transcribe-file", str(data_dir / "diarization" / "faster_whisper_stereo" / "stereo_diarization.wav")
    )
    page.locator("#transcript .w").first.wait_for(timeout=120_000)
    page.screenshot(path=screenshots / "transcribe-speakers.png", full_page=True)
    legend = page.locator("#transcribe-legend .speaker").all_inner_texts()
    assert legend == ["SPEAKER_0", "SPEAKER_1"]
    for index in (0, 1):
        assert page.locator(f"#transcript .w.spk-{index}").count() > 0
    labels = page.locator("#transcript .speaker").all_inner_texts()
    assert set(labels) == set(legend) and len(labels) >= 2  # turns, each labelled
    low = page.locator("#transcript .w.low")
    assert low.count() > 0
    assert "confidence" in (low.first.get_attribute("title") or "")
    assert page.locator("#transcribe-legend .low").inner_text() == "low confidence"


def test_a_microphone_recording_is_transcribed(playground: Page) -> None:
    page = playground  # Chromium's fake microphone: a beep, no words
    page.click("#tab-transcribe")
    _ready(page, "transcribe")
    record = page.locator("#transcribe-record")
    record.click()
    page.locator('#transcribe-record[aria-pressed="true"]').wait_for()
    page.locator("#transcribe-status", has_text="Recording").wait_for()
    # the status counts the seconds held, block by block: stop once a second of audio is in
    held = re.compile(r"Recording [1-9]\d*\.\d s")
    page.locator("#transcribe-status", has_text=held).wait_for(timeout=60_000)
    record.click()
    page.locator("#transcribe-status", has_text="recording.webm:").wait_for(timeout=60_000)
    assert record.get_attribute("aria-pressed") == "false"
    assert page.locator("#transcribe-audio").get_attribute("src", timeout=1000) is not None


def test_the_api_key_is_asked_for_and_a_wrong_one_is_refused(
    browser: Browser, page_log: PageLog, screenshots: Path, tmp_path: Path
) -> None:
    settings = Settings(
        data_dir=tmp_path,
        server=ServerSettings(api_key="right-key"),  # type: ignore[arg-type]
        models=ModelSettings(offline=True),
    )
    page_log.expect(401, "/v1/audio/voices")
    page_log.expect(401, "/v1/lexicons")
    with start_live_server(settings) as server:
        page = open_page(browser, server.url + "/", page_log, viewport={"width": 1280, "height": 900})
        dialog = page.locator("#key-dialog")
        dialog.wait_for()
        page.fill("#key-input", "wrong-key")
        page.keyboard.press("Enter")
        page.locator("#key-error").wait_for()
        page.screenshot(path=screenshots / "api-key-refused.png")
        assert "refused" in page.inner_text("#key-error")
        assert "API key" in page.inner_text("#key-error")  # the server's own reason
        page.fill("#key-input", "right-key")
        page.keyboard.press("Enter")
        _ready(page, "speak")
        assert not dialog.is_visible()
        assert page.evaluate("sessionStorage.getItem('mynah.apiKey')") == "right-key"
        # kept for the tab: another page's requests do not ask again
        page.click("#tab-models")
        _ready(page, "models")
        assert not dialog.is_visible()
        page.context.close()
    assert page_log.unexpected() == []


def test_a_tab_shows_only_when_the_server_has_its_route(
    browser: Browser, page_log: PageLog, tmp_path: Path
) -> None:
    from mynah.runtime import Runtime
    from mynah.server.app import create_app
    from mynah.server.routes import models

    settings = Settings(data_dir=tmp_path, models=ModelSettings(offline=True))
    runtime = Runtime.start(settings)
    app = create_app(runtime=runtime)  # a server without the model routes (as before they existed)
    app.router.routes = [  # included routers are wrapped (FastAPI >= 0.16x) or flattened (before)
        r
        for r in app.router.routes
        if getattr(r, "original_router", None) is not models.router
        and not getattr(r, "path", "").startswith("/v1/mynah/models")
    ]
    assert "/v1/mynah/models" not in app.openapi()["paths"]
    try:
        with start_live_server(settings, runtime, app=app) as server:
            page = open_page(browser, server.url + "/#/models", page_log)
            _ready(page, "speak")  # the missing page's address falls to the first page
            assert page.locator("#tabs a").all_inner_texts() == [
                "Speak",
                "Transcribe",
                "Jobs",
                "Usage & keys",
            ]
            assert page.locator("#page-models").is_hidden()
            page.context.close()
    finally:
        runtime.close()
    assert page_log.unexpected() == []


CONTROLS = """() => {
  const shown = [...document.querySelectorAll('input, select, textarea, button, audio, [tabindex="0"]')]
    .filter((node) => node.offsetParent !== null);
  const unlabelled = shown.filter((node) => !(
    node.getAttribute('aria-label') || node.getAttribute('aria-labelledby') || node.closest('label') ||
    (node.id && document.querySelector(`label[for="${node.id}"]`)) ||
    (node.tagName === 'BUTTON' && node.textContent.trim())));
  return {shown: shown.length, unlabelled: unlabelled.map((node) => node.outerHTML.slice(0, 80))};
}"""


def test_every_control_is_labelled(playground: Page, screenshots: Path, speech_dir: Path) -> None:
    page = playground
    for name in ("speak", "transcribe", "jobs", "models"):
        page.click(f"#tab-{name}")
        _ready(page, name)
        if name == "transcribe":  # with a transcript, its words and exports shown
            page.set_input_files("#transcribe-file", str(speech_dir / "goforward.wav"))
            page.locator("#transcript .w").first.wait_for(timeout=60_000)
        controls = page.evaluate(CONTROLS)
        assert controls["shown"] >= 8 and controls["unlabelled"] == [], (name, controls)


def test_phone_sized_window(browser: Browser, live_server: Any, page_log: PageLog, screenshots: Path) -> None:
    page = open_page(browser, live_server.url + "/", page_log, viewport={"width": 390, "height": 844})
    for name in ("speak", "transcribe", "jobs", "models"):
        page.click(f"#tab-{name}")
        _ready(page, name)
        assert page.evaluate("document.activeElement.id") == f"{name}-title"  # focus follows the tab
        page.screenshot(path=screenshots / f"{name}-phone.png", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, name  # nothing runs off
    page.context.close()
    assert page_log.unexpected() == []


RECORD_PROGRESS = """(row) => {
  window.progress = [];
  new MutationObserver(() => {
    const bar = row.querySelector('progress');
    if (bar && bar.value !== window.progress.at(-1)) window.progress.push(bar.value);
  }).observe(row, {attributes: true, childList: true, subtree: true});
}"""

PIPER_VOICE = "en_US-lessac-medium"


@pytest.fixture
def hub_server(tmp_path: Path) -> Iterator[Any]:
    """A server whose model source is a local Hugging Face Hub carrying one Piper voice (its bytes
    random: pulling checks sizes and hashes, not that the network is any good)."""
    from tests.fixtures.fake_hub import FakeHub
    from tests.fixtures.fake_index import FakeIndex

    folder = f"en/en_US/lessac/medium/{PIPER_VOICE}"
    files = {f"{folder}.onnx": os.urandom(3 * 1024 * 1024), f"{folder}.onnx.json": b'{"num_speakers": 1}'}
    with FakeHub({"rhasspy/piper-voices": files}).running() as hub, FakeIndex().running() as index:
        models = ModelSettings(hub_endpoint=hub.url, package_index=index.simple, download_retries=0)
        with start_live_server(Settings(data_dir=tmp_path, models=models)) as server:
            yield server


def test_a_model_is_pulled_with_its_progress_shown(
    browser: Browser, hub_server: Any, page_log: PageLog, screenshots: Path
) -> None:
    page = open_page(browser, hub_server.url + "/#/models", page_log, viewport={"width": 1280, "height": 900})
    _ready(page, "models")
    row = page.locator(f'tr[data-model="piper:{PIPER_VOICE}"]')
    assert "Pull (63 MB)" in row.inner_text()
    row.evaluate(RECORD_PROGRESS)
    row.get_by_role("button", name=f"Pull piper:{PIPER_VOICE}").click()
    row.locator("td.state", has_text="Installed").wait_for(timeout=60_000)
    page.screenshot(path=screenshots / "models.png", full_page=True)
    progress: list[float] = page.evaluate("window.progress")
    assert len(progress) > 3 and progress == sorted(progress)  # the bar moved forward, several times
    assert "3.1 MB" in row.inner_text()
    page.locator(
        "#voices-summary summary", has_text="piper: 1 voice in 1 language"
    ).wait_for()  # its voice is listed
    page.context.close()
    assert page_log.unexpected() == []


def test_the_keyboard_reaches_play_and_every_format_downloads(playground: Page, screenshots: Path) -> None:
    page = playground
    _ready(page, "speak")
    page.fill("#speak-input", "Downloads in every format.")
    page.focus("#speak-input")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "speak-play":
            break
    assert page.evaluate("document.activeElement.id") == "speak-play"
    ended = _on(page, "#speak-audio", "ended")
    page.keyboard.press("Enter")
    ended()
    page.click("#speak-preview")  # the chosen voice says its name
    page.locator("#speak-status", has_text="Preview of").wait_for(timeout=60_000)
    seconds: dict[str, float] = {}
    for fmt in ("mp3", "opus", "aac", "flac", "wav", "pcm", "mulaw", "alaw"):
        page.select_option("#speak-download-format", fmt)
        with page.expect_download() as download:
            page.click("#speak-download")
        assert download.value.suggested_filename.startswith("mynah-speech.")
        data = Path(download.value.path()).read_bytes()
        # raw samples: 16-bit pcm at 24 kHz (OpenAI's rate for pcm), G.711 at 8 kHz
        raw = {"pcm": 24000 * 2, "mulaw": 8000, "alaw": 8000}.get(fmt)
        seconds[fmt] = len(data) / raw if raw else decoded_seconds(data)
    assert seconds["wav"] > 1.0
    for fmt, value in seconds.items():
        assert value == pytest.approx(seconds["wav"], abs=0.1), (fmt, seconds)
