#!/usr/bin/env python3
"""Where a JVM spent its CPU, from the execution samples of a JFR recording.

  agent/bench/jfr_hotspots.py FILE.jfr [--top N] [--start ISO] [--end ISO]

Uses `jfr print --json --events jdk.ExecutionSample` (the JDK's jfr tool) and prints:
  - samples per thread (Java threads only: JFR samples running Java code, not GC or JIT threads; the GC share
    comes from the jdk.GarbageCollection events and is printed separately);
  - samples per category: the first frame (from the top of the stack) that falls in a known area
    (JSON encoding, Kafka producer, Vert.x dispatch, spool, ...), so a sample inside Jackson called from
    the publisher counts as JSON encoding;
  - the top frames (self time) and the top "inclusive" methods of the tracemesh code.
--start/--end keep only samples in that window (e.g. the measured phase).
"""
import argparse
import collections
import json
import subprocess
import sys

# (category, prefixes of the frame's class name), checked from the top of the stack down: first match wins
CATEGORIES = [
    ("JSON encoding (Jackson)", ("com.fasterxml.jackson.",)),
    ("compression (lz4/zstd/snappy)", ("net.jpountz.", "com.github.luben.", "org.xerial.snappy.",
                                        "org.apache.kafka.common.compress.")),
    ("Kafka producer: record batching/append", ("org.apache.kafka.clients.producer.internals.RecordAccumulator",
                                                "org.apache.kafka.common.record.",
                                                "org.apache.kafka.clients.producer.internals.ProducerBatch")),
    ("Kafka producer: sender/network", ("org.apache.kafka.clients.producer.internals.Sender",
                                        "org.apache.kafka.clients.NetworkClient", "org.apache.kafka.common.network.",
                                        "sun.nio.ch.", "org.apache.kafka.common.requests.",
                                        "org.apache.kafka.common.protocol.")),
    ("Kafka producer: send()/partitioner/metadata", ("org.apache.kafka.clients.producer.KafkaProducer",
                                                      "org.apache.kafka.clients.producer.internals.",
                                                      "org.apache.kafka.clients.")),
    ("Kafka other", ("org.apache.kafka.",)),
    ("Vert.x Kafka client wrapper", ("io.vertx.kafka.",)),
    ("Vert.x/Netty dispatch", ("io.vertx.core.", "io.netty.")),
    ("tracemesh spool", ("net.tracemesh.agent.spool.",)),
    ("tracemesh publisher", ("net.tracemesh.agent.publish.",)),
    ("tracemesh message records (constructors, validation)", ("net.tracemesh.message.", "net.tracemesh.record.")),
    ("benchmark driver (message generation)", ("net.tracemesh.agent.bench.",)),
    ("tracemesh probing engine/capture", ("net.tracemesh.agent.engine.", "net.tracemesh.agent.capture.",
                                          "net.tracemesh.agent.trace.", "net.tracemesh.agent.probe.",
                                          "net.tracemesh.agent.daemon.", "org.pcap4j.", "com.sun.jna.")),
    ("tracemesh other", ("net.tracemesh.",)),
    ("JDK concurrency (queues, locks, park)", ("java.util.concurrent.",)),
]


def frame_name(f):
    m = f.get("method", {})
    t = m.get("type", {}).get("name", "?").replace("/", ".")
    return t, "%s.%s" % (t, m.get("name", "?"))


def category(frames):
    for f in frames:
        t, _ = frame_name(f)
        for name, prefixes in CATEGORIES:
            if t.startswith(prefixes):
                return name
    return "other (JDK, ...)"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--start", default=None, help="ignore samples before this ISO time (as JFR prints it)")
    ap.add_argument("--end", default=None)
    args = ap.parse_args()

    raw = subprocess.run(["jfr", "print", "--json", "--stack-depth", "64", "--events", "jdk.ExecutionSample",
                          args.file], check=True, capture_output=True, text=True).stdout
    events = json.loads(raw)["recording"]["events"]
    threads = collections.Counter()
    cats = collections.Counter()
    top = collections.Counter()
    incl = collections.Counter()
    n = 0
    for e in events:
        v = e["values"]
        t = v.get("startTime", "")
        if (args.start and t < args.start) or (args.end and t > args.end):
            continue
        frames = (v.get("stackTrace") or {}).get("frames") or []
        if not frames:
            continue
        n += 1
        threads[(v.get("sampledThread") or {}).get("javaName") or "?"] += 1
        cats[category(frames)] += 1
        top[frame_name(frames[0])[1]] += 1
        seen = set()
        for f in frames:
            _, name = frame_name(f)
            if name.startswith("net.tracemesh.") and name not in seen:
                seen.add(name)
                incl[name] += 1

    gc = subprocess.run(["jfr", "print", "--json", "--events", "jdk.GarbageCollection", args.file],
                        check=True, capture_output=True, text=True).stdout
    gcs = json.loads(gc)["recording"]["events"]

    def pct(c):
        return "%5.1f%%" % (100.0 * c / n) if n else "-"

    print("%d execution samples (Java code only)" % n)
    print("\nby thread:")
    for k, c in threads.most_common(args.top):
        print("  %s  %6d  %s" % (pct(c), c, k))
    print("\nby category (first matching frame from the top of the stack):")
    for k, c in cats.most_common():
        print("  %s  %6d  %s" % (pct(c), c, k))
    print("\ntop frames (self):")
    for k, c in top.most_common(args.top):
        print("  %s  %6d  %s" % (pct(c), c, k))
    print("\ntracemesh methods on the stack (inclusive):")
    for k, c in incl.most_common(args.top):
        print("  %s  %6d  %s" % (pct(c), c, k))

    def dur_ms(d):
        # JFR prints durations like "PT0.001234S" in JSON
        if isinstance(d, str) and d.startswith("PT") and d.endswith("S"):
            try:
                return float(d[2:-1]) * 1000.0
            except ValueError:
                return 0.0
        return 0.0

    total = sum(dur_ms(g["values"].get("duration")) for g in gcs)
    names = collections.Counter(g["values"].get("name") for g in gcs)
    print("\ngarbage collections: %d (%s), total pause %.0f ms" % (len(gcs), dict(names), total))
    return 0


if __name__ == "__main__":
    sys.exit(main())
