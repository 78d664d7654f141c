"""Generate a pipeline database for the benchmarks: 5,000 creators and 50,000 samples spread
over every stage, 20 BD reps and the BD chat, on the real schema (migrations applied).

    .venv/bin/python bench/gen_pipeline.py [PATH]     # default /tmp/crewbot-pipeline.sqlite3

The generator is `fill_pipeline` in bench/generate.py (which also builds the whole data set);
times are relative to NOW (the benchmark's clock).
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from generate import BDS, CREATORS, SAMPLES, create_schema, fill_pipeline
from generate import PIPELINE_NOW as NOW

__all__ = ["NOW", "create_schema", "fill"]
fill = fill_pipeline


def main(argv: list[str]) -> None:
    path = Path(argv[0] if argv else "/tmp/crewbot-pipeline.sqlite3")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    asyncio.run(create_schema(path))
    fill(path)
    print(f"{path}: {CREATORS} creators, {SAMPLES} samples, {BDS} BDs")


if __name__ == "__main__":
    main(sys.argv[1:])
