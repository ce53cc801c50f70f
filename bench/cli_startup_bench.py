"""Start-up time of the ``translator`` command (issue 13: ``translator --help`` under
0.3 s). Each figure is the median wall time of ``--runs`` fresh processes; the baseline,
measured in the same run, is a bare ``python -c pass`` (the interpreter's own start).

    python bench/cli_startup_bench.py [--runs 15]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent
CASES = {
    "python -c pass (baseline)": [sys.executable, "-c", "pass"],
    "translator --help": [str(BIN / "translator"), "--help"],
    "translator progress --help": [str(BIN / "translator"), "progress", "--help"],
    "translator align-files --help": [str(BIN / "translator"), "align-files", "--help"],
    "import translator.app (what every command paid before)": [
        sys.executable,
        "-c",
        "import translator.app",
    ],
}


def median_time(argv: list[str], runs: int) -> float:
    """The median wall time of ``runs`` processes running ``argv``, in seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    baseline = None
    for name, argv in CASES.items():
        seconds = median_time(argv, args.runs)
        baseline = baseline or seconds
        print(f"{name:58s} {seconds * 1000:7.0f} ms  ×{seconds / baseline:5.1f} baseline")


if __name__ == "__main__":
    main()
