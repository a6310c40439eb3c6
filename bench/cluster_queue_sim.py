"""Scale beyond this machine, simulated: 1,000 queued jobs drained by many small Ray replicas (a tenth
of a CPU each) claiming from ONE PostgreSQL job queue, to show that queueing and fairness hold.

    python bench/cluster_queue_sim.py                       # 1,000 jobs, 16 replicas x 0.1 CPU
    python bench/cluster_queue_sim.py --replicas 24 --cpus 0.05 --database-url postgresql+psycopg://...

The queue is the real one (mynah.jobs.store.JobStore on PostgreSQL: claims with leases, `FOR UPDATE
SKIP LOCKED`, fairness across owners); only the work is simulated (each job sleeps its length /
--speed, so no engine competes for the two cores). Owners, queued in this order before any replica
starts: "archive" with 600 jobs (a bulk upload, the oldest), then eight API keys with 50 each,
interleaved. Reported:

    per owner     first claim (its place in the drain), median place, last claim, the longest run of
                  other owners' claims while it had a job waiting (starvation shows up here)
    order         within each owner, claims of a younger job before an older one, and the largest
                  displacement from the owner's submission order (the queue's order is run_after,
                  then age: a retry waits for its run_after; replicas claiming at the same instant
                  may finish their claims in either order)
    throughput    makespan against the simulated work divided by the replicas

Fair: with k owners waiting, each gets about one claim in k; the check fails if any owner waited
through more than 3 x (owners + replicas) claims of others, if a job is displaced by more than the replicas, or if a job was lost or run twice.
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
from collections import defaultdict
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

    def __init__(self, url: str, name: str, speed: float) -> None:
        self.store = Store.open(url)
        self.jobs = JobStore(self.store)
        self.name = name
        self.speed = speed

    def drain(self) -> list[tuple[float, str, str | None]]:
        claims = []
        while (job := self.jobs.claim(self.name, ["transcription"], LEASE)) is not None:
            claims.append((time.time(), job.id, job.owner))
            time.sleep(float(job.request["seconds"]) / self.speed)
            assert self.jobs.succeed(job, "0" * 64, "application/json", callback=False)
        self.store.close()
        return claims


def queue_jobs(jobs: JobStore, count: int, rng: random.Random) -> tuple[list[str], float]:
    """The archive's jobs first, then the keys' interleaved; ids in submission order, total seconds."""
    archive = int(count * 0.6)
    keys = [f"key_{i}" for i in range(1, 9)]
    owners = ["archive"] * archive + [keys[i % len(keys)] for i in range(count - archive)]
    ids, total = [], 0.0
    for owner in owners:
        seconds = rng.uniform(5, 60)  # a short call recording
        total += seconds
        ids.append(
            jobs.create(
                NewJob(kind="transcription", request={"seconds": seconds}, max_attempts=3, owner=owner)
            ).id
        )
    return ids, total


def analyse(
    claims: list[tuple[float, str, str | None]], order: dict[str, int], owner_of: dict[str, str]
) -> dict[str, Any]:
    claims.sort()
    sequence = [job_id for _, job_id, _ in claims]
    per_owner: dict[str, list[int]] = defaultdict(list)
    for place, job_id in enumerate(sequence):
        per_owner[owner_of[job_id]].append(place)
    remaining = {owner: len(places) for owner, places in per_owner.items()}
    longest_wait = dict.fromkeys(per_owner, 0)
    since = dict.fromkeys(per_owner, 0)
    for job_id in sequence:
        mine = owner_of[job_id]
        for owner in per_owner:
            if owner != mine and remaining[owner] > 0:
                since[owner] += 1
                longest_wait[owner] = max(longest_wait[owner], since[owner])
        since[mine] = 0
        remaining[mine] -= 1
    inversions, displacement = 0, 0
    for places in per_owner.values():
        created = [order[sequence[p]] for p in places]
        inversions += sum(1 for a, b in itertools.pairwise(created) if b < a)
        ranked = {rank: i for i, rank in enumerate(sorted(created))}
        displacement = max(displacement, *(abs(ranked[rank] - i) for i, rank in enumerate(created)))
    return {
        "per_owner": per_owner,
        "longest_wait": longest_wait,
        "inversions": inversions,
        "displacement": displacement,
        "sequence": sequence,
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--jobs", type=int, default=1000)
    parser.add_argument("--replicas", type=int, default=16)
    parser.add_argument("--cpus", type=float, default=0.1)
    parser.add_argument(
        "--speed", type=float, default=200.0, help="simulated seconds of audio per real second"
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
    ids, work = queue_jobs(jobs, args.jobs, random.Random(args.seed))
    order = {job_id: i for i, job_id in enumerate(ids)}
    owner_of = {job_id: str(jobs.get(job_id).owner) for job_id in ids}

    import ray

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        replica = ray.remote(num_cpus=args.cpus)(SimReplica)
        replicas = [replica.remote(args.database_url, f"sim-{i}", args.speed) for i in range(args.replicas)]
        started = time.time()
        results = ray.get([r.drain.remote() for r in replicas])
        makespan = time.time() - started
    finally:
        ray.shutdown()
    claims = [claim for result in results for claim in result]
    done = [j for j in (jobs.get(i) for i in ids) if j.state == "succeeded"]
    store.close()
    report = analyse(claims, order, owner_of)
    owners = len(report["per_owner"])
    bound = 3 * (owners + args.replicas)
    print(
        f"{args.jobs} jobs queued ({len(report['per_owner'])} owners), {args.replicas} replicas x "
        f"{args.cpus:g} CPU on one PostgreSQL queue; simulated work {work:,.0f} s at {args.speed:g}x"
    )
    print(f"{'owner':8s} {'jobs':>5s} {'first':>6s} {'median':>7s} {'last':>5s} {'longest wait':>13s}")
    for owner, places in sorted(report["per_owner"].items(), key=lambda kv: kv[1][0]):
        print(
            f"{owner:8s} {len(places):5d} {places[0]:6d} {statistics.median(places):7.0f} {places[-1]:5d} "
            f"{report['longest_wait'][owner]:13d}"
        )
    ideal = work / args.speed / args.replicas
    print(
        f"claims {len(claims)}, distinct {len(set(report['sequence']))}, succeeded {len(done)} of {args.jobs}"
    )
    print(
        f"within an owner: {report['inversions']} claims after a younger job, none displaced by more than "
        f"{report['displacement']} places (claims race by at most the {args.replicas} replicas)"
    )
    print(f"makespan {makespan:.1f} s; simulated work / replicas {ideal:.1f} s ({makespan / ideal:.2f} x)")
    worst = max(report["longest_wait"].values())
    fair = (
        worst <= bound
        and report["displacement"] <= args.replicas
        and len(claims) == len(set(report["sequence"])) == len(done) == args.jobs
    )
    print(f"longest wait of any owner {worst} claims (bound {bound}): {'fair' if fair else 'NOT FAIR'}")
    return 0 if fair else 2


if __name__ == "__main__":
    raise SystemExit(main())
