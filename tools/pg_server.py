"""A throwaway PostgreSQL server for tests and CI: initdb into a temporary directory, start it
on a loopback port, print the DATABASE_URL, stop and delete it at the end.

    eval "$(python tools/pg_server.py start /tmp/crewbot-pg)"   # exports DATABASE_URL
    python tools/pg_server.py stop /tmp/crewbot-pg
    python tools/pg_server.py run -- python -m pytest           # start, run, stop

initdb refuses to run as root, and CI runs as root: the server then runs as the `postgres`
user (Debian's packages create it), which owns the data directory. The cluster uses the C
locale and UTF-8, so text sorts by code point as SQLite's BINARY collation does, and trusts
loopback connections: it holds test data only and listens on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import os
import pwd
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_DEBIAN_BIN = Path("/usr/lib/postgresql")
_URL_FILE = "url"
_USER = "postgres"


class NoPostgres(RuntimeError):
    """No PostgreSQL server binaries on this machine."""


def binaries() -> Path | None:
    """The directory holding initdb and pg_ctl: PATH first, then the newest Debian version."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).resolve().parent
    versions = sorted(
        (p for p in _DEBIAN_BIN.glob("*/bin") if (p / "initdb").exists()),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    return versions[-1] if versions else None


def _as_server_user(argv: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return argv
    try:
        pwd.getpwnam(_USER)
    except KeyError:
        raise NoPostgres(
            f"running as root and there is no {_USER!r} user to run the server"
        ) from None
    return ["runuser", "-u", _USER, "--", *argv]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run(argv: list[str], log: Path) -> None:
    with log.open("ab") as out:
        done = subprocess.run(argv, stdout=out, stderr=subprocess.STDOUT, check=False)
    if done.returncode:
        tail = log.read_text(errors="replace")[-2000:]
        raise RuntimeError(f"{shlex.join(argv)} failed ({done.returncode}):\n{tail}")


def start(directory: Path | None = None) -> str:
    """Create and start a cluster in `directory` (a new temporary one if None); its URL."""
    bin_dir = binaries()
    if bin_dir is None:
        raise NoPostgres(
            "no PostgreSQL binaries (initdb, pg_ctl) on PATH or in /usr/lib/postgresql"
        )
    root = Path(directory or tempfile.mkdtemp(prefix="crewbot-pg-"))
    root.mkdir(parents=True, exist_ok=True)
    data, log = root / "data", root / "server.log"
    log.touch()
    if os.geteuid() == 0:
        entry = pwd.getpwnam(_USER)
        for path in (root, log):
            os.chown(path, entry.pw_uid, entry.pw_gid)
    _run(
        _as_server_user([
            str(bin_dir / "initdb"), "-D", str(data), "-U", _USER, "-A", "trust",
            "-E", "UTF8", "--locale=C", "--no-sync",
        ]),
        log,
    )  # fmt: skip
    port = _free_port()
    # Durability off: a test cluster is thrown away, and fsync is most of a commit's time.
    options = (
        f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={root}"
        " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    )
    _run(
        _as_server_user([
            str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w",
            "-t", "60", "start",
        ]),
        log,
    )  # fmt: skip
    url = f"postgresql://{_USER}@127.0.0.1:{port}/postgres"
    (root / _URL_FILE).write_text(url)
    return url


def stop(directory: Path, *, remove: bool = True) -> None:
    """Stop the cluster in `directory` (fast shutdown) and delete the directory."""
    bin_dir = binaries()
    data = directory / "data"
    if bin_dir is not None and (data / "postmaster.pid").exists():
        _run(
            _as_server_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
            directory / "server.log",
        )
    if remove:
        shutil.rmtree(directory, ignore_errors=True)


def stop_when_gone(directory: Path, pid: int) -> None:
    """In a process of its own: stop the cluster once process `pid` has ended, however it
    ended (a test run killed by a timeout runs no finaliser)."""
    subprocess.Popen(
        [sys.executable, __file__, "watch", str(directory), str(pid)],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip


def _watch(directory: Path, pid: int) -> None:
    while directory.exists():
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            stop(directory)
            return
        except PermissionError:
            pass  # alive, another user's
        time.sleep(1)


def wait_ready(url: str, timeout: float = 30.0) -> None:
    """Until the server accepts TCP connections (pg_ctl -w has waited already, mostly)."""
    host, port = url.split("@", 1)[1].split("/", 1)[0].rsplit(":", 1)
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection((host, int(port)), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_start = sub.add_parser("start", help="start a cluster; print `export DATABASE_URL=...`")
    p_start.add_argument("directory", type=Path)
    p_stop = sub.add_parser("stop", help="stop the cluster and delete its directory")
    p_stop.add_argument("directory", type=Path)
    p_watch = sub.add_parser("watch", help="stop the cluster when process PID ends")
    p_watch.add_argument("directory", type=Path)
    p_watch.add_argument("pid", type=int)
    p_run = sub.add_parser("run", help="start a cluster, run a command with DATABASE_URL, stop")
    p_run.add_argument("cmd", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    try:
        if args.command == "start":
            url = start(args.directory)
            print(f"export DATABASE_URL={shlex.quote(url)}")
            return 0
        if args.command == "stop":
            stop(args.directory)
            return 0
        if args.command == "watch":
            _watch(args.directory, args.pid)
            return 0
        cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
        if not cmd:
            parser.error("run needs a command after --")
        root = Path(tempfile.mkdtemp(prefix="crewbot-pg-"))
        try:
            url = start(root)
            return subprocess.run(
                cmd, env={**os.environ, "DATABASE_URL": url}, check=False
            ).returncode
        finally:
            stop(root)
    except NoPostgres as exc:
        print(f"pg_server: {exc}", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
