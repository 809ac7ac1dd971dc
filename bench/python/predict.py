# Times predict_proba of scikit-learn and xgboost models on Heart-Disease-shaped data and prints JSON.
# Debian packages: apt-get install -y python3-sklearn python3-xgboost; run with /usr/bin/python3.
# Usage: predict.py [--data FILE] [--repeats N] [--batches 100,1000]
import argparse
import json
import os
import sys
import time
import warnings

# One BLAS/OpenMP thread, set before NumPy loads, so the figure is per core like ours.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import sklearn  # noqa: E402
import xgboost  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.neural_network import MLPClassifier  # noqa: E402
from sklearn.tree import DecisionTreeClassifier  # noqa: E402

from bench_data import load_data, median_seconds, tiled_batch  # noqa: E402


def make_model(family, num_classes):
    """Return an untrained model with the hyperparameters our families default to."""
    if family == "mlp":
        return MLPClassifier(hidden_layer_sizes=(64, 32), activation="relu", max_iter=200, random_state=0)
    if family == "xgboost":
        # multi:softprob grows one tree per class per round (200 trees for 2 classes), as ours does.
        return xgboost.XGBClassifier(
            n_estimators=100, max_depth=4, learning_rate=0.3, objective="multi:softprob",
            num_class=num_classes, n_jobs=1,
        )
    if family == "xgboost-binary":
        # The usual two-class choice: one tree per round; reported as an extra figure only.
        return xgboost.XGBClassifier(
            n_estimators=100, max_depth=4, learning_rate=0.3, objective="binary:logistic", n_jobs=1
        )
    return DecisionTreeClassifier(max_depth=5, random_state=0)


def time_family(family, x, y, batches, repeats):
    model = make_model(family, int(y.max()) + 1)
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(x, y)
    result = {"train_s": time.perf_counter() - start, "batches": {}}
    for batch in batches:
        rows = tiled_batch(x, batch)
        seconds, calls = median_seconds(lambda: model.predict_proba(rows), repeats)
        result["batches"][str(batch)] = {
            "rows_per_s": batch / seconds,
            "us_per_row": seconds / batch * 1e6,
            "calls_per_repeat": calls,
            "repeats": repeats,
        }
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", help="CSV written by the bench harness (13 features, then label)")
    parser.add_argument("--repeats", type=int, default=7, help="timed repeats per batch size (median)")
    parser.add_argument("--batches", default="100,1000", help="comma-separated batch sizes in rows")
    args = parser.parse_args()
    x, y, source = load_data(args.data)
    batches = [int(b) for b in args.batches.split(",")]
    families = {f: time_family(f, x, y, batches, args.repeats) for f in ("mlp", "xgboost", "tree", "xgboost-binary")}
    print(json.dumps({
        "source": source,
        "rows": int(len(x)),
        "python": sys.version.split()[0],
        "versions": {"numpy": np.__version__, "sklearn": sklearn.__version__, "xgboost": xgboost.__version__},
        "threads": {k: os.environ.get(k) for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")},
        "families": families,
    }))


if __name__ == "__main__":
    main()
