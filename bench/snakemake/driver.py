# Runs the study-shaped Snakefile cold once, then times no-op reruns, and prints JSON.
# Debian package: apt-get install -y snakemake; run with /usr/bin/python3 (the Debian interpreter
# that has the snakemake module).
# Usage: driver.py WORKDIR [--repeats 5] [--jobs 2] [--config key=value ...]
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time

SNAKEFILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "Snakefile")


def snakemake(workdir, jobs, config):
    """Run snakemake once; return wall seconds. Raises CalledProcessError with its output on failure."""
    command = [sys.executable, "-m", "snakemake", "--snakefile", SNAKEFILE, "--directory", workdir,
               "--cores", str(jobs), "--quiet"]
    if config:
        command += ["--config", *config]
    start = time.perf_counter()
    completed = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if completed.returncode != 0:
        sys.stderr.write(completed.stdout + completed.stderr)
        raise subprocess.CalledProcessError(completed.returncode, command)
    return seconds


def count_outputs(workdir):
    """Count the files the jobs wrote; every job writes exactly one under results/."""
    return sum(len(files) for _, _, files in os.walk(os.path.join(workdir, "results")))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("workdir", help="empty directory for the run (outputs and .snakemake/)")
    parser.add_argument("--repeats", type=int, default=5, help="timed no-op reruns (median)")
    parser.add_argument("--jobs", type=int, default=2, help="--cores for the cold run")
    parser.add_argument("--config", nargs="*", default=[], help="axis sizes, e.g. datasets=3")
    args = parser.parse_args()
    version = subprocess.run([sys.executable, "-m", "snakemake", "--version"], capture_output=True, text=True)
    cold_s = snakemake(args.workdir, args.jobs, args.config)
    jobs = count_outputs(args.workdir)
    noop_s = [snakemake(args.workdir, args.jobs, args.config) for _ in range(args.repeats)]
    if count_outputs(args.workdir) != jobs:
        raise SystemExit("error: a no-op rerun changed the number of outputs")
    # ru_maxrss of waited-for children is in KiB on Linux: the largest snakemake process of all runs.
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({
        "version": version.stdout.strip(),
        "jobs": jobs,
        "cold_s": cold_s,
        "cold_cores": args.jobs,
        "noop_s": noop_s,
        "noop_median_s": statistics.median(noop_s),
        "peak_rss_mb": peak_kib / 1024,
    }))


if __name__ == "__main__":
    main()
