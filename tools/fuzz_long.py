"""Long fuzzing run of the targets in tests/test_fuzz.py (not run by pytest).

    uv run python tools/fuzz_long.py --total 1000000 --report out/fuzz_long.json

Runs hypothesis in chunks of ``--chunk`` examples per target (fresh seed each chunk, no
example database) until the target's share of ``--total`` inputs has been checked, and prints
(and optionally writes as JSON) inputs, seconds and inputs/s per target.  A failure stops the
run and prints the shrunk input.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from test_fuzz import LONG_TARGETS as TARGETS

# Share of the inputs per target: extraction is ~50x slower than the pure functions.
SHARES = {"normalize": 0.30, "paragraphs": 0.20, "dates": 0.45, "extraction": 0.05}


def run_target(name: str, inputs: int, chunk: int) -> dict[str, float]:
    """Check ``inputs`` generated inputs on one target; return counts and timing."""
    check, strategy = TARGETS[name]
    done = 0

    def body(text: str) -> None:
        nonlocal done
        done += 1
        check(text)

    started = time.monotonic()
    while done < inputs:
        n = min(chunk, inputs - done)
        test = settings(
            max_examples=n, deadline=None, database=None, derandomize=False,
            phases=[Phase.generate, Phase.shrink], suppress_health_check=list(HealthCheck),
        )(given(strategy)(body))
        before = done
        test()
        if done == before:  # the strategy is exhausted (cannot happen for these strategies)
            break
        elapsed = time.monotonic() - started
        print(f"{name:11} {done:>9,} inputs  {elapsed:8.0f} s  {done / elapsed:8.0f}/s",
              flush=True)
    seconds = time.monotonic() - started
    return {"inputs": done, "seconds": round(seconds, 1), "per_second": round(done / seconds, 1)}


def main() -> None:
    """Parse arguments and run every target for its share of the inputs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--total", type=int, default=1_000_000)
    parser.add_argument("--chunk", type=int, default=5_000)
    parser.add_argument("--targets", default=",".join(SHARES))
    parser.add_argument("--report", type=Path)
    args = parser.parse_args()
    names = [t for t in args.targets.split(",") if t]
    share = sum(SHARES[t] for t in names)
    results = {}
    for name in names:
        results[name] = run_target(name, int(args.total * SHARES[name] / share), args.chunk)
    total = sum(r["inputs"] for r in results.values())
    seconds = sum(r["seconds"] for r in results.values())
    summary = {"targets": results, "inputs": total, "seconds": round(seconds, 1),
               "per_second": round(total / seconds, 1), "failures": 0}
    print(json.dumps(summary, indent=2))
    if args.report:
        args.report.parent.mkdir(parents=True, exist_ok=True)
        args.report.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
