#!/usr/bin/env python3
"""Scores traceroute output from the trace-vs-scamper benchmark lab.

Reads either scamper's JSON output (-O json: one object per line, trace objects
have "type":"trace") or the tracemesh agent's `trace --json` output (one object
per line, "type":"trace"), and checks every trace against the lab's known path:

  ttl 1..R   : exactly the expected router addresses, ICMP time exceeded (type 11)
  ttl R+1    : the destination address itself, ICMP echo reply (type 0)
  nothing else (no other ttl, no other address), stop_reason "completed".

Prints one JSON object with the totals and a breakdown of why traces failed.
Targets with no trace at all count as incorrect ("no trace").
"""
import argparse
import collections
import json
import sys


def load_targets(path):
    with open(path) as f:
        return [line.strip() for line in f if line.strip()]


def normalise_scamper(obj):
    hops = []
    for h in obj.get("hops", []) or []:
        hops.append((h.get("probe_ttl"), h.get("addr"), h.get("icmp_type")))
    # scamper 20211212 JSON has "probe_count"; older/newer may not.
    probes = obj.get("probe_count")
    return obj.get("dst"), str(obj.get("stop_reason", "")).lower(), hops, probes


def normalise_agent(obj):
    hops = []
    for h in obj.get("hops", []) or []:
        hops.append((h.get("ttl"), h.get("addr"), h.get("icmp_type")))
    return obj.get("dst"), str(obj.get("stop_reason", "")).lower(), hops, obj.get("probes_sent")


def check(dst, stop_reason, hops, routers):
    """Returns None when the trace is correct, else a short reason."""
    final_ttl = len(routers) + 1
    by_ttl = collections.defaultdict(list)
    for ttl, addr, icmp_type in hops:
        by_ttl[ttl].append((addr, icmp_type))
    for k, router in enumerate(routers, start=1):
        got = by_ttl.get(k)
        if not got:
            return "hop %d missing" % k
        if any(a != router for a, _ in got):
            return "hop %d wrong addr" % k
        if any(t != 11 for _, t in got):
            return "hop %d not time-exceeded" % k
    got = by_ttl.get(final_ttl)
    if not got:
        return "destination (ttl %d) missing" % final_ttl
    if any(a != dst for a, _ in got):
        return "ttl %d wrong addr" % final_ttl
    if any(t != 0 for _, t in got):
        return "ttl %d not echo reply" % final_ttl
    extra = [t for t in by_ttl if t is None or t < 1 or t > final_ttl]
    if extra:
        return "extra hops beyond destination"
    if stop_reason != "completed":
        return "stop_reason %s" % (stop_reason or "missing")
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--format", choices=["scamper", "agent"], required=True)
    ap.add_argument("--file", required=True)
    ap.add_argument("--targets", required=True)
    ap.add_argument("--routers", required=True, help="comma-separated expected hop addresses before the destination")
    ap.add_argument("--bad-sample", default=None, help="write up to 20 incorrect traces (raw lines) to this file")
    args = ap.parse_args()

    routers = [r for r in args.routers.split(",") if r]
    targets = load_targets(args.targets)
    target_set = set(targets)
    normalise = normalise_scamper if args.format == "scamper" else normalise_agent

    traces = 0
    unparsable = 0
    probes_sum = 0
    probes_known = True
    per_target = {}
    reasons = collections.Counter()
    foreign = 0
    bad_lines = []
    try:
        f = open(args.file, errors="replace")
    except OSError as e:
        print(json.dumps({"error": str(e)}))
        return 0
    with f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            try:
                obj = json.loads(line)
            except ValueError:
                unparsable += 1
                continue
            if obj.get("type") != "trace":
                continue
            traces += 1
            dst, stop_reason, hops, probes = normalise(obj)
            if probes is None:
                probes_known = False
            else:
                probes_sum += int(probes)
            if dst not in target_set:
                foreign += 1
                continue
            reason = check(dst, stop_reason, hops, routers)
            if dst in per_target:
                # a second trace for the same target: the target counts correct only if all its traces are
                if per_target[dst] is None and reason is not None:
                    per_target[dst] = reason
                reasons["duplicate trace for a target"] += 1
            else:
                per_target[dst] = reason
            if reason is not None:
                reasons[reason] += 1
                if len(bad_lines) < 20:
                    bad_lines.append(line)

    missing = len(target_set) - len(per_target)
    if missing:
        reasons["no trace"] += missing
    correct = sum(1 for t in targets if t in per_target and per_target[t] is None)
    if args.bad_sample and bad_lines:
        with open(args.bad_sample, "w") as out:
            out.write("\n".join(bad_lines) + "\n")
    print(json.dumps({
        "targets": len(targets),
        "traces": traces,
        "unparsable_lines": unparsable,
        "traces_for_non_targets": foreign,
        "correct": correct,
        "correct_pct": (100.0 * correct / len(targets)) if targets else 0.0,
        "probes_sent": probes_sum if probes_known and traces else None,
        "failure_reasons": dict(reasons.most_common()),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
