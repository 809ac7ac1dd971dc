# Batched random-walk Metropolis in NumPy over scikit-learn and xgboost models; prints JSON.
# Debian packages: apt-get install -y python3-sklearn python3-xgboost; run with /usr/bin/python3.
# Usage: sampler.py [--data FILE] [--chains 200] [--steps 400] [--repeats 5]
#
# The algorithm is the one the study's `sample` stage runs. There is one chain per reconstructed
# row, and all chains of all classes advance with ONE predict_proba call per step. The proposal is
# Gaussian, the prior N(0, 1) per feature, the likelihood smoothed as (p + alpha) / (1 + K alpha).
# The step size is adapted per class towards acceptance 0.234 every 10 burn-in steps, then frozen,
# and a thinned trace of at most 100 draws per chain is kept.
import argparse
import json
import os
import statistics
import time
import warnings

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402

from bench_data import load_data  # noqa: E402
from predict import make_model  # noqa: E402

TARGET_ACCEPTANCE = 0.234
ADAPT_EVERY = 10
MAX_TRACE = 100


def log_target(model, rows, labels, alpha, num_classes):
    """Return log p~(c|x) + sum_j log N(x_j; 0, 1) up to a constant, and the predict_proba seconds."""
    start = time.perf_counter()
    proba = model.predict_proba(rows)
    predict_s = time.perf_counter() - start
    likelihood = (proba[np.arange(len(rows)), labels] + alpha) / (1 + num_classes * alpha)
    return np.log(likelihood) - 0.5 * np.einsum("ij,ij->i", rows, rows), predict_s


def adapt_step_sizes(step_size, accepted_window, labels, update):
    """Robbins-Monro on the log step size per class, gain 2 k^-0.6 at the k-th update, as ours does."""
    gain = 2 * update ** -0.6
    for c in range(len(step_size)):
        rate = accepted_window[labels == c].mean() / ADAPT_EVERY
        step_size[c] *= np.exp(gain * (rate - TARGET_ACCEPTANCE))
    accepted_window[:] = 0


def run_chains(model, labels, num_classes, steps, alpha, seed):
    """Advance len(labels) chains for `steps` steps; return (wall s, predict_proba s, acceptance)."""
    rng = np.random.default_rng(seed)
    chains, features = len(labels), 13
    burn_in = steps // 2
    step_size = np.full(num_classes, 2.38 / np.sqrt(features))
    thin = max(1, (steps - burn_in) // MAX_TRACE)
    trace = np.empty((MAX_TRACE + 1, chains, features), dtype=np.float32)
    trace_length = 0

    start = time.perf_counter()
    x = rng.standard_normal((chains, features)).astype(np.float32)
    current, predict_s = log_target(model, x, labels, alpha, num_classes)
    accepted_window = np.zeros(chains)
    accepted_total = 0
    for step in range(steps):
        noise = rng.standard_normal((chains, features))
        proposal = x + (step_size[labels][:, None] * noise).astype(np.float32)
        candidate, seconds = log_target(model, proposal, labels, alpha, num_classes)
        predict_s += seconds
        accept = np.log(rng.random(chains)) < candidate - current
        x[accept] = proposal[accept]
        current[accept] = candidate[accept]
        accepted_window += accept

        if step < burn_in and (step + 1) % ADAPT_EVERY == 0:
            adapt_step_sizes(step_size, accepted_window, labels, (step + 1) // ADAPT_EVERY)
        if step >= burn_in:
            accepted_total += int(accept.sum())
            if (step - burn_in) % thin == 0 and trace_length <= MAX_TRACE:
                trace[trace_length] = x
                trace_length += 1
    wall = time.perf_counter() - start
    return wall, predict_s, accepted_total / (chains * (steps - burn_in))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", help="CSV written by the bench harness (13 features, then label)")
    parser.add_argument("--chains", type=int, default=200)
    parser.add_argument("--steps", type=int, default=400)
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per family (median)")
    parser.add_argument("--alpha", type=float, default=1e-3, help="likelihood smoothing")
    args = parser.parse_args()
    x, y, source = load_data(args.data)
    num_classes = int(y.max()) + 1
    # Chains per class in the training set's class proportions, as the stage draws n_c rows per class.
    labels = np.sort(y[np.arange(args.chains) % len(y)])
    families = {}
    for family in ("mlp", "xgboost", "tree"):
        model = make_model(family, num_classes)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.fit(x, y)
        runs = [run_chains(model, labels, num_classes, args.steps, args.alpha, seed) for seed in range(args.repeats)]
        wall = statistics.median(r[0] for r in runs)
        families[family] = {
            "chain_steps_per_s": args.chains * args.steps / wall,
            "us_per_chain_step": wall / (args.chains * args.steps) * 1e6,
            "predict_share": statistics.median(r[1] / r[0] for r in runs),
            "acceptance": statistics.median(r[2] for r in runs),
            "repeats": args.repeats,
        }
    print(json.dumps({"source": source, "chains": args.chains, "steps": args.steps, "families": families}))


if __name__ == "__main__":
    main()
