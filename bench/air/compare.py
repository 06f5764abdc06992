#!/usr/bin/env python3
"""Runs `ecoduty air assess --json` and the pandas baseline on one generated dataset, checks that
they agree on every field of every city and station, and reports both times and their ratio.

usage: compare.py [--stations N] [--year YYYY] [--seed S] [--data DIR] [--ecoduty PATH]
                  [--skip-baseline-if-slow]

Generates the data with `ecoduty bench gen-air` when DIR holds no day files of the year.
Exit status 0 when the results are identical, 1 when any field differs.
"""
import argparse
import glob
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
FIELDS = ["region_code", "stations", "valid_days", "pm25_mean", "pm25_p95", "pm10_mean", "pm10_p95",
          "so2_mean", "so2_p98", "no2_mean", "no2_p98", "co_p95", "o3_8h_p90", "good_days",
          "good_day_ratio", "heavy_days", "composite_index", "annual_valid"]


def run(cmd, out_path):
    t0 = time.time()
    with open(out_path, "w") as out:
        p = subprocess.run(cmd, stdout=out, stderr=subprocess.PIPE, text=True)
    elapsed = time.time() - t0
    if p.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({p.returncode}):\n{p.stderr}")
    return elapsed, p.stderr


def same(a, b):
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and abs(a - b) < 1e-9
    return a == b


def compare(rust, py, key, section):
    r = {e[key]: e for e in rust[section]}
    p = {e[key]: e for e in py[section]}
    problems = []
    if set(r) != set(p):
        problems.append(f"{section}: only in Rust {sorted(set(r) - set(p))[:10]}, "
                        f"only in pandas {sorted(set(p) - set(r))[:10]}")
    fields = 0
    for name in sorted(set(r) & set(p)):
        for f in FIELDS:
            fields += 1
            if not same(r[name].get(f), p[name].get(f)):
                problems.append(f"{section} {name} {f}: Rust {r[name].get(f)!r}, pandas {p[name].get(f)!r}")
    return problems, len(set(r) & set(p)), fields


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--stations", type=int, default=20)
    ap.add_argument("--year", type=int, default=2025)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--data", help="dataset directory (default /tmp/ecoduty-air-N-YEAR)")
    ap.add_argument("--ecoduty", default=os.path.join(ROOT, "target", "release", "ecoduty"))
    args = ap.parse_args()
    data = args.data or f"/tmp/ecoduty-air-{args.stations}-{args.year}"
    if not glob.glob(os.path.join(data, f"china_sites_{args.year}*.csv")):
        print(f"generating {args.stations} stations, {args.year} into {data}", file=sys.stderr)
        subprocess.run([args.ecoduty, "bench", "gen-air", "--stations", str(args.stations), "--year",
                        str(args.year), "--out", data, "--seed", str(args.seed)], check=True)
    stations = os.path.join(data, "stations.csv")
    rust_json = os.path.join(data, "..", f"rust-{os.path.basename(data)}.json")
    py_json = os.path.join(data, "..", f"pandas-{os.path.basename(data)}.json")

    rust_s, rust_err = run([args.ecoduty, "air", "assess", "--input", data, "--stations", stations,
                            "--year", str(args.year), "--json", "--timings"], rust_json)
    print(f"rust:   {rust_s:8.2f} s  {[l for l in rust_err.splitlines() if l.startswith('timings')]}")
    py_s, py_err = run([sys.executable, os.path.join(HERE, "baseline.py"), "--input", data, "--stations",
                        stations, "--year", str(args.year)], py_json)
    print(f"pandas: {py_s:8.2f} s  {[l for l in py_err.splitlines() if l.startswith('baseline')]}")

    with open(rust_json) as f:
        rust = json.load(f)
    with open(py_json) as f:
        py = json.load(f)
    problems = []
    counts = []
    for section, key in (("cities", "city"), ("stations", "station")):
        p, n, fields = compare(rust, py, key, section)
        problems += p
        counts.append(f"{n} {section} × {len(FIELDS)} fields")
    for k in ("negative", "non_numeric", "absurd"):
        if rust["invalid_values"][k] != py["invalid_values"][k]:
            problems.append(f"invalid_values {k}: Rust {rust['invalid_values'][k]}, pandas {py['invalid_values'][k]}")
    if problems:
        print(f"{len(problems)} differences:")
        for line in problems[:50]:
            print("  " + line)
        sys.exit(1)
    print(f"identical: {', '.join(counts)}, invalid-value counts {rust['invalid_values']['negative']}/"
          f"{rust['invalid_values']['non_numeric']}/{rust['invalid_values']['absurd']}")
    print(f"speed ratio (pandas / rust, end to end): {py_s / rust_s:.1f}×")


if __name__ == "__main__":
    main()
