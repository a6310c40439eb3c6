"""Crash soak for durable jobs: 20 transcriptions of the real recordings, with processes SIGKILLed mid-run.

    python bench/jobs_soak.py                      # both phases, whisper:tiny.en
    python bench/jobs_soak.py --phase sqlite --model whisper:base

Phase sqlite:   `mynah serve` (in-process workers, SQLite) is SIGKILLed twice while jobs run, and
                started again each time.
Phase postgres: `mynah serve` with no workers (the API only) and two `mynah worker` processes on one
                PostgreSQL database (127.0.0.1:5432, a database made for the run and dropped after);
                one worker is SIGKILLed twice while it runs a job, and started again.

Every job has a callback to a receiver in this script (on 127.0.0.1, so the run sets
MYNAH_JOBS__ALLOW_PRIVATE_CALLBACKS=true); the receiver answers 500 to the first delivery of every
third job, so retries happen too. Afterwards it checks, and prints, that:
  - every job succeeded;
  - each result is the transcript a synchronous request gives for the same file;
  - no result was stored twice (each job's "succeeded" transition is logged exactly once across every
    process, and the store holds exactly one result blob per distinct result);
  - every callback arrived at least once with a 2xx, every attempt for a job carried the same
    webhook-id, and every signature verifies with the standardwebhooks package.
Kills happen on state (a job is running on the victim), never on a timer. Real weights come from the
real-weights tier (tests/fixtures/real_weights.py).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fixtures.real_weights import real_model_cache  # noqa: E402
from tests.fixtures.webhook_receiver import Receiver, webhook_receiver  # noqa: E402
from tests.support import free_port  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
if not DATA.is_dir():
    DATA = Path("/work/shared/data")
POSTGRES = os.environ.get("MYNAH_TEST_POSTGRES", "host=127.0.0.1 port=5432 user=postgres dbname=postgres")
DEADLINE_SECONDS = 1800.0


def recordings(count: int) -> list[Path]:
    files = sorted((DATA / "speech").rglob("*.wav")) + sorted((DATA / "speech").rglob("*.flac"))
    files += sorted((DATA / "diarization").rglob("*.wav"))
    return [files[i % len(files)] for i in range(count)]


@dataclass
class Proc:
    name: str
    args: list[str]
    env: dict[str, str]
    log: Path
    process: subprocess.Popen[bytes] | None = None
    kills: int = 0
    logs: list[Path] = field(default_factory=list)

    def start(self) -> None:
        log = self.log.with_suffix(f".{len(self.logs)}.log")
        self.logs.append(log)
        handle = log.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mynah", "-v", *self.args], env=self.env, stdout=handle, stderr=handle
        )

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self.kills += 1

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid


def wait_http(url: str, proc: Proc, timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.process is not None and proc.process.poll() is not None:
            raise RuntimeError(f"{proc.name} exited: see {proc.logs[-1]}")
        try:
            if httpx.get(url + "/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{proc.name} did not answer within {timeout:.0f} s")


def jobs_state(url: str) -> list[dict[str, object]]:
    page = httpx.get(url + "/v1/mynah/jobs", params={"limit": 1000}, timeout=30).json()
    return list(page["data"])


def wait_until(predicate, what: str, timeout: float = DEADLINE_SECONDS) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except httpx.HTTPError:
            pass  # the server is restarting
        time.sleep(0.1)
    raise RuntimeError(f"timed out waiting for {what}")


def base_env(data_dir: Path, cache: Path, secret: str, model: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MYNAH_")}
    env |= {
        "MYNAH_DATA_DIR": str(data_dir),
        "MYNAH_MODELS__CACHE_DIR": str(cache),
        "MYNAH_MODELS__OFFLINE": "true",
        "MYNAH_ENGINES": '["whisper"]',
        "MYNAH_STT__CACHE": "false",
        "MYNAH_STT__DEFAULT_MODEL": json.dumps([model]),
        "MYNAH_JOBS__ALLOW_PRIVATE_CALLBACKS": "true",
        "MYNAH_JOBS__LEASE_SECONDS": "4",
        "MYNAH_JOBS__POLL_SECONDS": "0.2",
        "MYNAH_JOBS__CALLBACK_RETRY_BASE_SECONDS": "0.5",
        "MYNAH_JOBS__MAX_ATTEMPTS": "5",
        "MYNAH_JOBS__WEBHOOK_SECRET": secret,
    }
    return env


def submit_all(url: str, files: list[Path], receiver: Receiver, model: str) -> dict[str, Path]:
    submitted: dict[str, Path] = {}
    for index, path in enumerate(files):
        hook = receiver.at(f"/job-{index}", [500] if index % 3 == 0 else [])
        response = httpx.post(
            url + "/v1/mynah/jobs/transcriptions",
            data={"model": model, "callback_url": hook, "webhook_extra": f"index:{index}"},
            files={"file": (path.name, path.read_bytes())},
            timeout=60,
        )
        response.raise_for_status()
        submitted[response.json()["id"]] = path
    return submitted


def running_on(url: str, pid: int | None = None) -> bool:
    for job in jobs_state(url):
        if job["status"] == "running" and (pid is None or f":{pid}:" in str(job["worker"] or "")):
            return True
    return False


def succeeded(url: str) -> int:
    return sum(job["status"] == "succeeded" for job in jobs_state(url))


def verify(
    url: str, submitted: dict[str, Path], receiver: Receiver, procs: list[Proc], model: str, data_dir: Path
) -> dict[str, object]:
    jobs = {str(j["id"]): j for j in jobs_state(url)}
    problems: list[str] = []
    states = Counter(str(jobs[i]["status"]) for i in submitted)
    if states != Counter({"succeeded": len(submitted)}):
        problems.append(f"states: {dict(states)}")
    sync_cache: dict[Path, str] = {}
    mismatches = 0
    for job_id, path in submitted.items():
        if path not in sync_cache:
            sync = httpx.post(
                url + "/v1/audio/transcriptions",
                data={"model": model},
                files={"file": (path.name, path.read_bytes())},
                timeout=300,
            )
            sync.raise_for_status()
            sync_cache[path] = sync.json()["text"]
        result = httpx.get(url + f"/v1/mynah/jobs/{job_id}/result", timeout=60).json()
        if result["text"] != sync_cache[path]:
            mismatches += 1
            problems.append(f"{job_id} ({path.name}): job {result['text']!r} != sync {sync_cache[path]!r}")
    # each job's success is logged exactly once across every process that ran jobs
    finished = Counter()
    for proc in procs:
        for log in proc.logs:
            for match in re.finditer(r"job (job_[0-9a-f]+) succeeded", log.read_text(errors="replace")):
                finished[match.group(1)] += 1
    doubles = {j: n for j, n in finished.items() if n != 1 and j in submitted}
    missing = [j for j in submitted if finished[j] == 0]
    if doubles or missing:
        problems.append(f"success logged twice: {doubles}; never: {missing}")
    result_refs = {str(jobs[j]["result"]["sha256"]) for j in submitted if jobs[j]["result"]}  # type: ignore[index]
    blobs = data_dir / "jobs" / "blobs"
    stored = {p.name for p in blobs.glob("??/*")}
    input_refs = {str(jobs[j]["input"]["sha256"]) for j in submitted}  # type: ignore[index]
    stray = stored - result_refs - input_refs
    if stray:
        problems.append(f"{len(stray)} result blobs no job refers to")
    deliveries = 0
    retried = 0
    for index, job_id in enumerate(submitted):
        got = receiver.for_path(f"/job-{index}")
        deliveries += len(got)
        retried += len(got) > 1
        ids = {d.headers.get("webhook-id") for d in got}
        if not any(200 <= d.status < 300 for d in got):
            problems.append(f"{job_id}: no delivery answered 2xx ({[d.status for d in got]})")
        if len(ids) != 1 or ids != {jobs[job_id]["callback"]["webhook_id"]}:  # type: ignore[index]
            problems.append(f"{job_id}: webhook-ids {ids}")
        if not all(d.verified for d in got):
            problems.append(f"{job_id}: a signature did not verify")
        if got and got[-1].payload and got[-1].payload["data"]["webhook_extra"] != {"index": str(index)}:
            problems.append(f"{job_id}: webhook_extra not echoed")
    attempts = Counter(int(jobs[j]["attempts"]) for j in submitted)  # type: ignore[call-overload]
    return {
        "jobs": len(submitted),
        "states": dict(states),
        "attempts": dict(sorted(attempts.items())),
        "rerun_after_kill": sum(n for a, n in attempts.items() if a > 1),
        "results_match_sync": len(submitted) - mismatches,
        "callback_attempts": deliveries,
        "callbacks_retried": retried,
        "problems": problems,
    }


def phase_sqlite(model: str, cache: Path, count: int, work: Path) -> dict[str, object]:
    secret = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
    data_dir = work / "sqlite"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = base_env(data_dir, cache, secret, model) | {"MYNAH_JOBS__WORKERS": "2"}
    server = Proc("server", ["serve", "--port", str(port)], env, work / "sqlite-server")
    started = time.monotonic()
    with webhook_receiver(secret) as receiver:
        server.start()
        wait_http(url, server)
        submitted = submit_all(url, recordings(count), receiver, model)
        for threshold in (count // 5, count // 2):
            wait_until(
                lambda t=threshold: succeeded(url) >= t and running_on(url), f"{threshold} done, one running"
            )
            server.kill()
            print(f"  sqlite: SIGKILLed the server with {threshold}+ done and a job running", flush=True)
            server.start()
            wait_http(url, server)
        wait_until(lambda: all(j["status"] == "succeeded" for j in jobs_state(url)), "every job done")
        wait_until(
            lambda: all(
                any(200 <= d.status < 300 for d in receiver.for_path(f"/job-{i}")) for i in range(count)
            ),
            "every callback delivered",
            timeout=300,
        )
        elapsed = time.monotonic() - started
        report = verify(url, submitted, receiver, [server], model, data_dir)
        server.stop()
    return {
        "phase": "sqlite: server SIGKILLed twice",
        "seconds": round(elapsed, 1),
        "kills": server.kills,
        **report,
    }


def phase_postgres(model: str, cache: Path, count: int, work: Path) -> dict[str, object]:
    import psycopg

    name = f"mynah_soak_{uuid.uuid4().hex[:10]}"
    admin = psycopg.connect(POSTGRES, autocommit=True, connect_timeout=5)
    admin.execute(f'CREATE DATABASE "{name}"')
    info = admin.info
    database_url = f"postgresql+psycopg://{info.user}@{info.host}:{info.port}/{name}"
    secret = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
    data_dir = work / "postgres"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = base_env(data_dir, cache, secret, model) | {"MYNAH_DATABASE_URL": database_url}
    server = Proc(
        "server", ["serve", "--port", str(port)], env | {"MYNAH_JOBS__WORKERS": "0"}, work / "pg-server"
    )
    victim = Proc("worker-a", ["worker", "--threads", "1"], env, work / "pg-worker-a")
    other = Proc("worker-b", ["worker", "--threads", "1"], env, work / "pg-worker-b")
    try:
        started = time.monotonic()
        with webhook_receiver(secret) as receiver:
            server.start()
            wait_http(url, server)
            submitted = submit_all(url, recordings(count), receiver, model)
            victim.start()
            other.start()
            for threshold in (count // 5, count // 2):
                wait_until(
                    lambda t=threshold: succeeded(url) >= t and running_on(url, victim.pid),
                    f"{threshold} done, worker a running one",
                )
                victim.kill()
                print(
                    f"  postgres: SIGKILLed worker a with {threshold}+ done and its job running", flush=True
                )
                victim.start()
            wait_until(lambda: all(j["status"] == "succeeded" for j in jobs_state(url)), "every job done")
            wait_until(
                lambda: all(
                    any(200 <= d.status < 300 for d in receiver.for_path(f"/job-{i}")) for i in range(count)
                ),
                "every callback delivered",
                timeout=300,
            )
            elapsed = time.monotonic() - started
            report = verify(url, submitted, receiver, [victim, other], model, data_dir)
    finally:
        for proc in (victim, other, server):
            proc.stop()
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
    return {
        "phase": "postgres: one of two workers SIGKILLed twice",
        "seconds": round(elapsed, 1),
        "kills": victim.kills,
        **report,
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--phase", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--model", default="whisper:tiny.en")
    parser.add_argument("--jobs", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="keep the work directory (logs)")
    args = parser.parse_args()
    cache = real_model_cache()
    work = Path(tempfile.mkdtemp(prefix="mynah-soak-"))
    print(f"soak: {args.jobs} jobs, {args.model}, work dir {work}", flush=True)
    reports = []
    if args.phase in ("sqlite", "both"):
        reports.append(phase_sqlite(args.model, cache, args.jobs, work))
        print(json.dumps(reports[-1], indent=2), flush=True)
    if args.phase in ("postgres", "both"):
        reports.append(phase_postgres(args.model, cache, args.jobs, work))
        print(json.dumps(reports[-1], indent=2), flush=True)
    failed = [r for r in reports if r["problems"]]
    print("soak:", "FAILED" if failed else "every check passed", flush=True)
    if not args.keep and not failed:
        import shutil

        shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
