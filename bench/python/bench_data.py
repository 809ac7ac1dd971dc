# Data and timing helpers shared by predict.py and sampler.py.
# Debian packages: apt-get install -y python3-numpy (pulled in by python3-sklearn).
import csv
import os
import statistics
import time

import numpy as np

FEATURES = 13
HEART_FILE = os.path.join("heart_disease_cleveland", "processed.cleveland.data")


def load_csv(path):
    """Read the harness's data file: a header line, 13 feature columns, then a `label` column."""
    with open(path, newline="") as handle:
        rows = list(csv.reader(handle))
    values = np.array(rows[1:], dtype=np.float64)
    return values[:, :-1].astype(np.float32), values[:, -1].astype(np.int64), "file " + path


def load_heart(path):
    """Read Cleveland Heart Disease: drop rows with `?`, label num > 0, standardize (population sd)."""
    rows = []
    with open(path) as handle:
        for line in handle:
            cells = line.strip().split(",")
            if len(cells) == 14 and "?" not in cells:
                rows.append([float(cell) for cell in cells])
    values = np.array(rows)
    x = values[:, :13]
    x = (x - x.mean(axis=0)) / x.std(axis=0)
    y = (values[:, 13] > 0).astype(np.int64)
    return x.astype(np.float32), y, "heart " + path


def synthetic(rows=297, seed=0):
    """Heart-Disease-shaped synthetic data: 13 standard normal features, a logistic label."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((rows, FEATURES))
    weights = rng.standard_normal(FEATURES)
    y = (rng.random(rows) < 1 / (1 + np.exp(-x @ weights))).astype(np.int64)
    return x.astype(np.float32), y, "synthetic"


def load_data(data_arg):
    """Return (x, y, source): the harness's file if given, else the real file, else synthetic."""
    if data_arg:
        return load_csv(data_arg)
    data_dir = os.environ.get("RECON_DATA_DIR")
    if data_dir and os.path.exists(os.path.join(data_dir, HEART_FILE)):
        return load_heart(os.path.join(data_dir, HEART_FILE))
    return synthetic()


def tiled_batch(x, batch):
    """Return `batch` rows made by repeating the data's rows in order (the harness does the same)."""
    reps = -(-batch // len(x))
    return np.ascontiguousarray(np.tile(x, (reps, 1))[:batch])


def median_seconds(work, repeats, min_seconds=0.2):
    """Time `work()` and return (median seconds per call, calls per repeat) over `repeats` repeats.

    Each repeat loops enough calls to last about `min_seconds`, so timer resolution does not matter.
    """
    work()  # warm-up: first-call allocations and lazy initialisation stay out of the figure
    start = time.perf_counter()
    work()
    once = max(time.perf_counter() - start, 1e-7)
    calls = max(1, round(min_seconds / once))
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(calls):
            work()
        samples.append((time.perf_counter() - start) / calls)
    return statistics.median(samples), calls
