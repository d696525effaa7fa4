#!/usr/bin/env python3
"""Where the collector benchmark's JVM spent CPU, from a JFR recording's execution samples.

  collector/bench/jfr_summary.py FILE.jfr [--top N] [--thread NAME ...]

Reads `jfr print --json --events jdk.ExecutionSample` (the JDK's jfr tool). Prints:
  - samples per thread (Java code only; GC time is printed from jdk.GarbageCollection separately);
  - samples per area, overall and for each --thread (default: the ingest's consuming thread
    tracemesh-collector-ingest and its store thread tracemesh-collector-apply): each sample is charged to the
    first frame, from the top of the stack down, that belongs to a known area, so H2 code called by the store
    counts as H2, and JDK collection code called by the merger counts as the merger;
  - the hottest frames (self) and the hottest tracemesh methods (inclusive) of each --thread.
"""
import argparse
import collections
import json
import subprocess
import sys

COLLECTOR_THREADS = ["tracemesh-collector-ingest", "tracemesh-collector-apply"]

# (area, class-name prefixes); checked in this order for every frame from the top of the stack down
AREAS = [
    ("H2 storage (MVStore pages, B-trees, file I/O)", ("org.h2.mvstore.", "org.h2.store.")),
    ("H2 SQL engine (parse, plan, execute)", ("org.h2.",)),
    ("JDBC pool (HikariCP)", ("com.zaxxer.",)),
    ("JSON (Jackson)", ("com.fasterxml.jackson.",)),
    ("compression (lz4/zstd/snappy)", ("net.jpountz.", "com.github.luben.", "org.xerial.snappy.")),
    ("Kafka consumer", ("org.apache.kafka.clients.consumer.",)),
    ("Kafka producer", ("org.apache.kafka.clients.producer.",)),
    ("Kafka broker", ("kafka.", "org.apache.kafka.storage.", "org.apache.kafka.server.", "org.apache.kafka.raft.",
                      "org.apache.kafka.controller.", "org.apache.kafka.metadata.", "org.apache.kafka.coordinator.",
                      "org.apache.kafka.image.")),
    ("Kafka common/network", ("org.apache.kafka.",)),
    ("collector store (SQL building, row codecs)", ("net.tracemesh.collector.store.",)),
    ("collector merger (trace -> nodes/links)", ("net.tracemesh.collector.topology.",)),
    ("collector route history", ("net.tracemesh.collector.history.",)),
    ("collector RTT summaries", ("net.tracemesh.collector.rtt.",)),
    ("collector assembler", ("net.tracemesh.collector.assemble.",)),
    ("collector ingest loop", ("net.tracemesh.collector.ingest.",)),
    ("collector queries/export", ("net.tracemesh.collector.query.", "net.tracemesh.collector.export.")),
    ("benchmark generator/producer", ("net.tracemesh.collector.bench.",)),
    ("message validation (common)", ("net.tracemesh.",)),
]
OTHER = "other (JDK only)"


def load(path):
    try:
        out = subprocess.run(["jfr", "print", "--json", "--events", "jdk.ExecutionSample", path],
                             check=True, capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        sys.exit(f"jfr_summary: cannot read {path}: {e}")
    return json.loads(out)["recording"]["events"]


def gc_seconds(path):
    try:
        out = subprocess.run(["jfr", "print", "--json", "--events", "jdk.GarbageCollection", path],
                             check=True, capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    total = 0.0
    for e in json.loads(out)["recording"]["events"]:
        d = e["values"].get("duration", "PT0S")
        total += parse_duration(d)
    return total


def parse_duration(text):
    # ISO-8601 like PT0.012345S or PT1M2.5S
    text = text.replace("PT", "")
    seconds = 0.0
    number = ""
    for ch in text:
        if ch.isdigit() or ch == ".":
            number += ch
        else:
            value = float(number or 0)
            seconds += value * {"H": 3600, "M": 60, "S": 1}.get(ch, 0)
            number = ""
    return seconds


def class_name(frame):
    # the JSON output names classes in internal form (org/h2/Value)
    return frame["method"]["type"]["name"].replace("/", ".")


def frame_name(frame):
    return class_name(frame) + "." + frame["method"]["name"]


def area_of(frames):
    for f in frames:
        cls = class_name(f)
        for area, prefixes in AREAS:
            if cls.startswith(prefixes):
                return area
    return OTHER


def table(title, counter, total, top=None):
    print(title)
    for name, n in counter.most_common(top):
        print(f"  {100.0 * n / total:5.1f}%  {n:7d}  {name}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--thread", action="append", help="a thread to detail (repeatable)")
    args = ap.parse_args()
    detailed = args.thread or COLLECTOR_THREADS
    events = load(args.file)
    if not events:
        sys.exit("jfr_summary: no execution samples in the recording")
    threads = collections.Counter()
    areas = collections.Counter()
    per_thread = {t: (collections.Counter(), collections.Counter(), collections.Counter()) for t in detailed}
    for e in events:
        v = e["values"]
        thread = (v.get("sampledThread") or {}).get("javaName") or "?"
        frames = (v.get("stackTrace") or {}).get("frames") or []
        threads[thread] += 1
        area = area_of(frames)
        areas[area] += 1
        if thread in per_thread:
            thread_areas, self_frames, inclusive = per_thread[thread]
            thread_areas[area] += 1
            if frames:
                self_frames[frame_name(frames[0])] += 1
            seen = set()
            for f in frames:
                name = frame_name(f)
                if name.startswith("net.tracemesh.") and name not in seen:
                    seen.add(name)
                    inclusive[name] += 1
    total = len(events)
    table(f"samples per thread ({total} samples):", threads, total, args.top)
    gc = gc_seconds(args.file)
    if gc is not None:
        print(f"GC pauses in the recording: {gc:.1f} s in total")
    table("\nsamples per area, all threads:", areas, total)
    for name, (thread_areas, self_frames, inclusive) in per_thread.items():
        n = threads[name]
        if not n:
            print(f"\n(no samples of thread {name})")
            continue
        table(f"\nsamples per area, thread {name} ({n} samples):", thread_areas, n)
        table(f"\nhottest frames (self) of {name}:", self_frames, n, args.top)
        table(f"\nhottest tracemesh methods (inclusive) of {name}:", inclusive, n, args.top)


if __name__ == "__main__":
    main()
