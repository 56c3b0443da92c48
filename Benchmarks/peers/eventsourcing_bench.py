"""Python's `eventsourcing` library (PyPI) on Vigil's benchmark workload, for scripts/bench-peers.

Uses the library's own persistence layer, the part that stores and reads events: an
ApplicationRecorder (SQLiteApplicationRecorder or PostgresApplicationRecorder) made by its
datastore, with stream names as originator ids (originator_id_type="text"), the payload as each
stored event's state and "BenchEvent" as its topic. The library's tables: (originator_id,
originator_version) is the primary key, positions are notification ids.

Phases, each printing one JSON object with events_per_s (the same as Benchmarks/peers/peers_bench.c):
  append   --events in insert_events() calls of --batch events (one transaction each)
  commit   --clients threads, each inserting one event per insert_events() call
  replay   select_notifications() in pages of 10,000 from the start, folded into a view keyed by stream
  streams  select_events() for stream-0 .. stream-(S-1)

usage: eventsourcing_bench.py --backend sqlite|postgres --phase P [--dir DIR] [--pg-host SOCKETDIR
       --pg-port PORT --pg-user USER --pg-db DB] [--events N] [--streams S] [--payload P] [--batch B]
       [--clients C] [--seed N]
"""

import argparse
import json
import math
import os
import sys
import threading
import time
import traceback
from importlib.metadata import version as package_version

from eventsourcing.persistence import StoredEvent

PAGE = 10_000
TOPIC = "BenchEvent"
MASK = (1 << 64) - 1


def splitmix64(seed):
    state = seed
    while True:
        state = (state + 0x9E3779B97F4A7C15) & MASK
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        yield z ^ (z >> 31)


def interleaved_streams(events, streams, seed):
    """The streams of the workload's events in append order (as Vigil's SyntheticWorkload)."""
    rng = splitmix64(seed)
    perm = []
    for i in range(events):
        r = i % streams
        if r == 0:
            perm = list(range(streams))
            for k in range(streams - 1, 0, -1):
                j = next(rng) % (k + 1)
                perm[k], perm[j] = perm[j], perm[k]
        yield perm[r]


def make_recorder(args, create):
    if args.backend == "sqlite":
        from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteDatastore

        os.makedirs(args.dir, exist_ok=True)
        path = os.path.join(args.dir, "eventsourcing.sqlite")
        if create and os.path.exists(path):
            sys.exit(f"eventsourcing_bench: {path} exists: append needs a new directory")
        datastore = SQLiteDatastore(
            path, originator_id_type="text", pool_size=args.clients, max_overflow=args.clients, pool_timeout=60
        )
        recorder = SQLiteApplicationRecorder(datastore)
        with datastore.transaction(commit=False) as c:
            c.execute("PRAGMA synchronous")
            settings = {"sqlite_synchronous": c.fetchone()[0]}
    else:
        from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore

        datastore = PostgresDatastore(
            args.pg_db,
            args.pg_host,
            args.pg_port,
            args.pg_user,
            "",
            originator_id_type="text",
            pool_size=args.clients,
            max_overflow=0,
        )
        recorder = PostgresApplicationRecorder(datastore)
        if create:
            with datastore.transaction(commit=True) as c:
                c.execute("DROP TABLE IF EXISTS stored_events")
        with datastore.transaction(commit=False) as c:
            c.execute("SELECT current_setting('synchronous_commit') AS s")
            value = c.fetchone()["s"]
            settings = {"synchronous_commit": value.decode() if isinstance(value, bytes) else value}
    if create:
        recorder.create_table()
    return datastore, recorder, settings


def report(args, phase, events, seconds, settings, **extra):
    out = {
        "tool": "eventsourcing",
        "backend": args.backend,
        "phase": phase,
        "events": events,
        "seconds": round(seconds, 4),
        "events_per_s": round(events / seconds) if seconds > 0 else 0,
        "streams": args.streams,
        "payload": args.payload,
        "eventsourcing": package_version("eventsourcing"),
        **settings,
        **extra,
    }
    print(json.dumps(out), flush=True)


def payload(size):
    return bytes(97 + k % 26 for k in range(size))


def run_append(args):
    _, recorder, settings = make_recorder(args, create=True)
    state = payload(args.payload)
    versions = [0] * args.streams
    batch = []
    start = time.perf_counter()
    for s in interleaved_streams(args.events, args.streams, args.seed):
        versions[s] += 1
        batch.append(StoredEvent(f"stream-{s}", versions[s], TOPIC, state))
        if len(batch) == args.batch:
            recorder.insert_events(batch)
            batch = []
    if batch:
        recorder.insert_events(batch)
    report(args, "append", args.events, time.perf_counter() - start, settings, batch=args.batch)


def run_commit(args):
    _, recorder, settings = make_recorder(args, create=True)
    state = payload(args.payload)
    versions = [0] * args.streams
    lock = threading.Lock()
    latencies = []
    errors = []

    def client(c):
        mine = []
        try:
            for i in range(c, args.events, args.clients):
                s = i % args.streams
                with lock:
                    versions[s] += 1
                    v = versions[s]
                t0 = time.perf_counter()
                recorder.insert_events([StoredEvent(f"stream-{s}", v, TOPIC, state)])
                mine.append(time.perf_counter() - t0)
        except Exception as e:  # a failed client fails the run, with its reason
            errors.append("".join(traceback.format_exception(e)))
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(c,)) for c in range(args.clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - start
    if errors:
        sys.exit(f"eventsourcing_bench: {len(errors)} client(s) failed, first: {errors[0]}")
    latencies.sort()
    n = len(latencies)

    def pct(p):  # nearest rank, as `vigil bench commit` reports it
        rank = min(n, max(1, math.ceil(p * n)))
        return latencies[rank - 1] * 1000

    report(
        args, "commit", n, seconds, settings, clients=args.clients,
        p50_ms=round(pct(0.5), 3), p99_ms=round(pct(0.99), 3), max_ms=round(latencies[-1] * 1000, 3),
    )


def fold(view, stream, version, size):
    row = view.get(stream)
    if row is None:
        row = view[stream] = [0, 0, 0]
    if version != row[1] + 1:
        sys.exit(f"eventsourcing_bench: {stream}: version {version} follows {row[1]}: the stream is not dense")
    row[0] += 1
    row[1] = version
    row[2] += size


def totals(rows):
    rows = list(rows)
    return {
        "view_streams": len(rows),
        "view_events": sum(r[0] for r in rows),
        "view_version_sum": sum(r[1] for r in rows),
        "view_payload_bytes": sum(r[2] for r in rows),
    }


def run_replay(args):
    _, recorder, settings = make_recorder(args, create=False)
    view = {}
    count = 0
    start = time.perf_counter()
    last = 0
    while True:
        page = recorder.select_notifications(last + 1, PAGE)
        for n in page:
            fold(view, n.originator_id, n.originator_version, len(n.state))
        count += len(page)
        if len(page) < PAGE:
            break
        last = page[-1].id
    report(args, "replay", count, time.perf_counter() - start, settings, **totals(view.values()))


def run_streams(args):
    _, recorder, settings = make_recorder(args, create=False)
    rows = []
    start = time.perf_counter()
    for s in range(args.streams):
        name = f"stream-{s}"
        view = {}
        for e in recorder.select_events(name):
            fold(view, name, e.originator_version, len(e.state))
        rows.extend(view.values())
    events = sum(r[0] for r in rows)
    report(args, "streams", events, time.perf_counter() - start, settings, **totals(rows))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--backend", choices=["sqlite", "postgres"], required=True)
    p.add_argument("--phase", choices=["append", "commit", "replay", "streams"], required=True)
    p.add_argument("--dir")
    p.add_argument("--pg-host")
    p.add_argument("--pg-port", default="5432")
    p.add_argument("--pg-user", default="postgres")
    p.add_argument("--pg-db", default="postgres")
    for name, default in [("events", 1_000_000), ("streams", 10_000), ("payload", 300), ("batch", 1_000),
                          ("clients", 64), ("seed", 42)]:
        p.add_argument(f"--{name}", type=int, default=default)
    args = p.parse_args()
    if args.backend == "sqlite" and not args.dir:
        p.error("--dir is required with --backend sqlite")
    if args.backend == "postgres" and not args.pg_host:
        p.error("--pg-host is required with --backend postgres")
    if args.phase not in ("commit",):
        args.clients = 1
    {"append": run_append, "commit": run_commit, "replay": run_replay, "streams": run_streams}[args.phase](args)


if __name__ == "__main__":
    main()
