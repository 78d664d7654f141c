"""Run every benchmark of the project in one go and write their table in bench/README.md.

    .venv/bin/python bench/run.py                 # full sizes (an hour or more)
    .venv/bin/python bench/run.py --quick         # smaller sizes (about ten minutes)
    .venv/bin/python bench/run.py --only bench_faq,bench_chart --no-write

Each benchmark runs as its own process with the data it needs generated first (kept in
--work and reused by later runs). Each ends with a JSON line {"rows": [{figure, value,
baseline, ratio, goal}]}: the baseline is measured by the same script in the same run, so
the ratio is what to compare across runs on this shared, noisy machine. The table goes
between the `bench:run` markers of bench/README.md; every output is kept in --work/*.log.
Scripts that do not exist yet are skipped.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
README = BENCH / "README.md"
START, END = "<!-- bench:run:start -->", "<!-- bench:run:end -->"
PY = ".venv/bin/python"


@dataclass
class Step:
    name: str
    command: list[str]
    prepare: list[tuple[Path, list[str]]] = field(default_factory=list)  # (made file, command)
    timeout: float = 3600


def steps(work: Path, quick: bool) -> list[Step]:
    b = "bench/"
    pipe = work / "pipeline.sqlite3"
    n_import = 100_000 if quick else 1_000_000
    orders, roster = work / f"orders-{n_import}.csv", work / f"roster-{n_import}.csv"
    small, one_m = work / "data-100k.sqlite3", work / "data-1m.sqlite3"
    five_m = work / "data-5m.sqlite3"
    commission_db = work / "commission-200k.sqlite3"
    system_db = small if quick else one_m
    out = [
        Step("bench_pipeline", [PY, b + "bench_pipeline.py", str(pipe)],
             [(pipe, [PY, b + "gen_pipeline.py", str(pipe)])]),
        Step("bench_import", [PY, b + "bench_import.py", "--orders", str(orders), "--roster",
                              str(roster), "--repeat", "1" if quick else "3"],
             [(orders, [PY, b + "gen_orders.py", "--orders", str(n_import), "--out", str(orders),
                        "--roster", str(roster)])]),
        Step("bench_commission", [PY, b + "bench_commission.py"] + (
            ["--orders", "200000", "--db", str(commission_db)] if quick else [])),
        Step("bench_faq", [PY, b + "bench_faq.py"] + (["--queries", "200"] if quick else [])),
        Step("bench_dm_all", [PY, b + "bench_dm_all.py", "--sharers", "600" if quick else "10000"]),
        Step("bench_chart", [PY, b + "bench_chart.py", "--repeat", "10" if quick else "40"]),
        Step("bench_digest", [PY, b + "bench_digest.py"]),
        Step("bench_import_beside_bot", [PY, b + "bench_import_beside_bot.py"]),
        Step("bench_memory", [PY, b + "bench_memory.py"]),
        Step("bench_system", [PY, b + "bench_system.py", "--db", str(system_db)] + (
            ["--quick"] if quick else ["--rss-db", str(five_m)]),
             [(system_db, [PY, b + "generate.py", "--orders", str(100_000 if quick else 1_000_000),
                           "--db", str(system_db)])]),
    ]  # fmt: skip
    if not quick:  # the 5M set reuses bench_commission's orders when that database holds them
        source = Path("/tmp/crewbot-bench-commission.sqlite3")
        reuse = ["--from", str(source)] if source.exists() else []
        out[-1].prepare.append(
            (five_m, [PY, b + "generate.py", "--orders", "5000000", "--db", str(five_m), *reuse])
        )
    for step in out:  # a benchmark that has a --quick of its own gets it
        script = ROOT / step.command[1]
        own_quick = script.exists() and "--quick" in script.read_text("utf-8")
        if quick and own_quick and "--quick" not in step.command:
            step.command.append("--quick")
    return out


def figures(name: str, stdout: str, code: int) -> list[dict]:
    lines = [line for line in stdout.strip().splitlines() if line.strip()]
    if lines:
        try:
            rows = json.loads(lines[-1])["rows"]
            return [dict(row, bench=name) for row in rows]
        except (ValueError, KeyError, TypeError):
            pass
    # A markdown table (bench_chart prints one): | what | median | … | ÷ baseline |
    table = [line for line in lines if line.startswith("| ") and "---" not in line][1:]
    if table:
        cells = [[c.strip() for c in line.strip("|").split("|")] for line in table]
        base = cells[0][1]
        return [dict(bench=name, figure=c[0], value=c[1], baseline=base, ratio=c[-1], goal="")
                for c in cells[1:]]  # fmt: skip
    return [dict(bench=name, figure=f"no figures (exit code {code})", value="", baseline="",
                 ratio="", goal="")]  # fmt: skip


def run(step: Step, work: Path) -> list[dict]:
    log = work / f"{step.name}.log"
    for made, command in step.prepare:
        if not made.exists():
            print(f"  preparing: {' '.join(command)}", file=sys.stderr, flush=True)
            subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    print(f"  running: {' '.join(step.command)}", file=sys.stderr, flush=True)
    started = time.monotonic()
    try:
        done = subprocess.run(step.command, cwd=ROOT, capture_output=True, text=True,
                              timeout=step.timeout)  # fmt: skip
        stdout, code = done.stdout, done.returncode
        log.write_text(done.stdout + "\n--- stderr ---\n" + done.stderr[-20000:], "utf-8")
    except subprocess.TimeoutExpired:
        stdout, code = "", -1
    took = time.monotonic() - started
    rows = figures(step.name, stdout, code)
    print(f"  {step.name}: {len(rows)} figures in {took:.0f} s (exit {code}); log {log}",
          file=sys.stderr, flush=True)  # fmt: skip
    for row in rows:
        row["command"] = " ".join(step.command)
    return rows


def cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, int):
        return f"{value:,}"
    return str(value).replace("|", "\\|")


def table(rows: list[dict], quick: bool) -> str:
    load = os.getloadavg()[0]
    head = [
        f"{date.today()}, `bench/run.py{' --quick' if quick else ''}`, load average at the end"
        f" {load:.1f} on {os.cpu_count()} cores. The baseline is measured by the same script"
        " in the same run; compare ratios, not absolute figures, across runs.",
        "",
        "| benchmark | figure | value | baseline (same run) | ratio | goal | command |",
        "|---|---|---:|---:|---:|---|---|",
    ]
    body = [
        "| " + " | ".join([r["bench"], cell(r["figure"]), cell(r["value"]), cell(r["baseline"]),
                          cell(r["ratio"]), cell(r["goal"]), f"`{r['command']}`"]) + " |"
        for r in rows
    ]  # fmt: skip
    return "\n".join(head + body)


def write(text: str) -> None:
    readme = README.read_text("utf-8")
    if START not in readme:
        readme = readme.rstrip("\n") + (
            "\n\n## All benchmarks in one run (bench/run.py)\n\n"
            "```sh\n.venv/bin/python bench/run.py [--quick]\n```\n\n"
            f"{START}\n{END}\n"
        )
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
    README.write_text(pattern.sub(lambda _: f"{START}\n{text}\n{END}", readme), "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes")
    parser.add_argument("--only", help="comma-separated names, e.g. bench_faq,bench_chart")
    parser.add_argument("--work", type=Path, default=Path("/tmp/crewbot-bench"))
    parser.add_argument("--no-write", dest="write", action="store_false")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    wanted = set(args.only.split(",")) if args.only else None
    rows: list[dict] = []
    for step in steps(args.work, args.quick):
        if wanted is not None and step.name not in wanted:
            continue
        if not (ROOT / step.command[1]).exists():
            print(f"  {step.name}: not in the tree, skipped", file=sys.stderr)
            continue
        rows += run(step, args.work)
    text = table(rows, args.quick)
    print(text)
    if args.write:
        write(text)
        print(f"written to {README}", file=sys.stderr)


if __name__ == "__main__":
    main()
