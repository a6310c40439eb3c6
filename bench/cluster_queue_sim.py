"""Scale beyond this machine, simulated: 1,000 queued jobs of mixed priority drained by many small
Ray replicas (a tenth of a CPU each) claiming from ONE PostgreSQL job queue, to show that queueing,
priority and fairness hold: the queue drains in priority order and no owner is starved.

    python bench/cluster_queue_sim.py                       # 1,000 jobs, 16 replicas x 0.1 CPU
    python bench/cluster_queue_sim.py --replicas 24 --cpus 0.05 --database-url postgresql+psycopg://...

The queue is the real one (mynah.jobs.store.JobStore on PostgreSQL: claims with leases, the advisory
lock, `FOR UPDATE SKIP LOCKED`, mynah.jobs.claims' order); only the work is simulated (each job
sleeps its length / --speed, so no engine competes for the two cores). Queued before any replica
starts, in this order: "archive" with 600 jobs at priority 0 (a bulk upload, the oldest), then seven
API keys' jobs interleaved: key_1..key_4 at priority 5, key_5..key_7 at a random one of -5, 0, 5 and
10, and key_8 at -5 (the owner that priority alone would leave to the very end). The starvation
limit is `jobs.starvation_seconds` (default 60 s) on the simulation's clock: 60 / --speed real
seconds. Reported:

    per priority  how many, first, median and last place in the drain
    order         claims that took a lower priority while a higher one was waiting, and whether each
                  was a starvation turn (its owner had waited the limit); within each owner, jobs
                  taken out of (priority, age) order
    per owner     first and median place, and the longest it had a job waiting without a claim
    throughput    makespan against the simulated work divided by the replicas

Passes when every out-of-order claim is a starvation turn, no owner waited longer than the limit
plus one claim per owner (at the measured claim rate: starved owners take turns) plus two of the
longest jobs, no job within an owner is displaced by more than the replicas, and no
job was lost or run twice. Claims are ordered by their started_at (taken under the claim lock).
The database is the bench's own (`--database-url`, default mynah_ray on 127.0.0.1): its jobs table
is emptied first.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import statistics
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import delete  # noqa: E402

from mynah.jobs.store import JobStore, NewJob  # noqa: E402
from mynah.jobs.tables import DeliveryRow, JobRow  # noqa: E402
from mynah.store import Store  # noqa: E402

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/mynah_ray"
LEASE = 60.0


class SimReplica:
    """One replica: claims, 'runs' (sleeps the job's simulated length), marks done, until empty."""

    def __init__(self, url: str, name: str, speed: float, starvation: float) -> None:
        self.store = Store.open(url)
        self.jobs = JobStore(self.store, starvation_seconds=starvation)
        self.name = name
        self.speed = speed

    def ready(self) -> str:
        """Started (mynah imported, the database open): the drain starts once every replica is."""
        return self.name

    def drain(self) -> list[tuple[float, str]]:
        claims = []
        while (job := self.jobs.claim(self.name, ["transcription"], LEASE)) is not None:
            assert job.started_at is not None
            claims.append((job.started_at.timestamp(), job.id))
            time.sleep(float(job.request["seconds"]) / self.speed)
            assert self.jobs.succeed(job, "0" * 64, "application/json", callback=False)
        self.store.close()
        return claims


@dataclass(frozen=True)
class Queued:
    id: str
    owner: str
    priority: int
    seconds: float
    created: float


def queue_jobs(jobs: JobStore, count: int, rng: random.Random) -> list[Queued]:
    """The archive's jobs first, then the keys' interleaved; in submission order."""
    archive = int(count * 0.6)
    keys = [f"key_{i}" for i in range(1, 9)]
    owners = ["archive"] * archive + [keys[i % len(keys)] for i in range(count - archive)]
    queued = []
    for owner in owners:
        seconds = rng.uniform(5, 60)  # a short call recording
        if owner == "archive":
            priority = 0
        elif owner in ("key_1", "key_2", "key_3", "key_4"):
            priority = 5
        elif owner == "key_8":
            priority = -5
        else:
            priority = rng.choice([-5, 0, 5, 10])
        new = NewJob(
            kind="transcription", request={"seconds": seconds}, max_attempts=3, owner=owner, priority=priority
        )
        job = jobs.create(new)
        queued.append(Queued(job.id, owner, priority, seconds, job.created_at.timestamp()))
    return queued


def analyse(claims: list[tuple[float, str]], queued: list[Queued], starvation: float) -> dict[str, Any]:
    """Replay the drain in claim order (all jobs were queued before the first claim)."""
    claims.sort()
    start = claims[0][0]
    by_id = {q.id: q for q in queued}
    order = {q.id: i for i, q in enumerate(queued)}
    waiting = Counter(q.priority for q in queued)
    pending = Counter(q.owner for q in queued)
    last_claim = {owner: min(q.created for q in queued if q.owner == owner) for owner in pending}
    """When each owner was last claimed for, or (before its first) queued: its wait, as the claim sees it."""
    longest = dict.fromkeys(pending, 0.0)
    places: dict[str, list[int]] = defaultdict(list)
    by_priority: dict[int, list[int]] = defaultdict(list)
    out_of_order = starvation_turns = 0
    for place, (at, job_id) in enumerate(claims):
        job = by_id[job_id]
        for owner, count in pending.items():  # every owner with a job waiting, this one included
            if count:
                longest[owner] = max(longest[owner], at - max(start, last_claim[owner]))
        top = max(p for p, n in waiting.items() if n)
        if job.priority < top:
            out_of_order += 1
            starvation_turns += at - last_claim[job.owner] >= starvation * 0.9  # clocks of two processes
        waiting[job.priority] -= 1
        pending[job.owner] -= 1
        last_claim[job.owner] = at
        places[job.owner].append(place)
        by_priority[job.priority].append(place)
    inversions, displacement = 0, 0
    for owner_places in places.values():
        taken = [claims[p][1] for p in owner_places]
        expected = sorted(taken, key=lambda i: (-by_id[i].priority, order[i]))
        rank = {job_id: i for i, job_id in enumerate(expected)}
        inversions += sum(1 for a, b in itertools.pairwise(taken) if rank[b] < rank[a])
        displacement = max(displacement, *(abs(rank[job_id] - i) for i, job_id in enumerate(taken)))
    return {
        "places": places,
        "by_priority": by_priority,
        "longest": longest,
        "out_of_order": out_of_order,
        "starvation_turns": starvation_turns,
        "inversions": inversions,
        "displacement": displacement,
        "sequence": [job_id for _, job_id in claims],
        "interval": (claims[-1][0] - start) / max(1, len(claims) - 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--jobs", type=int, default=1000)
    parser.add_argument("--replicas", type=int, default=16)
    parser.add_argument("--cpus", type=float, default=0.1)
    parser.add_argument(
        "--speed", type=float, default=25.0, help="simulated seconds of audio per real second"
    )
    parser.add_argument(
        "--starvation", type=float, default=60.0, help="jobs.starvation_seconds, simulated seconds"
    )
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
    store = Store.open(args.database_url)
    jobs = JobStore(store)
    with store.session(write=True) as session:
        session.execute(delete(DeliveryRow))
        session.execute(delete(JobRow))
    queued = queue_jobs(jobs, args.jobs, random.Random(args.seed))
    work = sum(q.seconds for q in queued)
    starvation = args.starvation / args.speed  # on the real clock

    import ray

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        replica = ray.remote(num_cpus=args.cpus)(SimReplica)
        replicas = [
            replica.remote(args.database_url, f"sim-{i}", args.speed, starvation)
            for i in range(args.replicas)
        ]
        ray.get([r.ready.remote() for r in replicas])
        started = time.time()
        results = ray.get([r.drain.remote() for r in replicas])
        makespan = time.time() - started
    finally:
        ray.shutdown()
    claims = [claim for result in results for claim in result]
    done = [j for j in (jobs.get(q.id) for q in queued) if j.state == "succeeded"]
    store.close()
    report = analyse(claims, queued, starvation)
    owners = len(report["places"])
    bound = starvation + owners * report["interval"] + 2 * max(q.seconds for q in queued) / args.speed
    print(
        f"{args.jobs} jobs queued ({len(report['places'])} owners), {args.replicas} replicas x "
        f"{args.cpus:g} CPU on one PostgreSQL queue; simulated work {work:,.0f} s at {args.speed:g}x; "
        f"starvation limit {args.starvation:g} s simulated = {starvation:.2f} s real"
    )
    print(f"{'priority':>8s} {'jobs':>5s} {'first':>6s} {'median':>7s} {'last':>5s}")
    for priority, places in sorted(report["by_priority"].items(), reverse=True):
        print(
            f"{priority:8d} {len(places):5d} {places[0]:6d} {statistics.median(places):7.0f} {places[-1]:5d}"
        )
    print(f"{'owner':8s} {'jobs':>5s} {'first':>6s} {'median':>7s} {'longest wait (s)':>17s}")
    for owner, places in sorted(report["places"].items(), key=lambda kv: kv[1][0]):
        print(
            f"{owner:8s} {len(places):5d} {places[0]:6d} {statistics.median(places):7.0f} "
            f"{report['longest'][owner]:17.2f}"
        )
    ideal = work / args.speed / args.replicas
    print(
        f"claims {len(claims)}, distinct {len(set(report['sequence']))}, succeeded {len(done)} of {args.jobs}"
    )
    in_order = len(claims) - report["out_of_order"]
    print(
        f"priority order: {in_order} of {len(claims)} claims took the top priority waiting; the other "
        f"{report['out_of_order']} were starvation turns: {report['starvation_turns']} of them "
        f"(owner waited >= the limit)"
    )
    print(
        f"within an owner: {report['inversions']} claims out of (priority, age) order, none displaced by "
        f"more than {report['displacement']} places (claims race by at most the {args.replicas} replicas)"
    )
    print(
        f"makespan {makespan:.1f} s; simulated work / replicas {ideal:.1f} s ({makespan / ideal:.2f} x); "
        f"a claim every {report['interval'] * 1000:.0f} ms ({1 / report['interval']:.0f} a second)"
    )
    worst_owner, worst = max(report["longest"].items(), key=lambda kv: kv[1])
    drained = report["out_of_order"] == report["starvation_turns"]
    fed = worst <= bound
    whole = len(claims) == len(set(report["sequence"])) == len(done) == args.jobs
    print(
        f"queue drains in priority order: {'yes' if drained else 'NO'}; no owner starved: "
        f"{'yes' if fed else 'NO'} (longest wait {worst:.2f} s, {worst_owner}; bound {bound:.2f} s); "
        f"every job run once: {'yes' if whole else 'NO'}"
    )
    ok = drained and fed and whole and report["displacement"] <= args.replicas
    return 0 if ok else 2


if __name__ == "__main__":
    raise SystemExit(main())
