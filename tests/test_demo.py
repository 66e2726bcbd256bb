"""`make demo` (python -m etl demo) stays apart: source `sample`, a warehouse of its own under .etl/demo/,
a summary of what this demo loaded, and checks on the sample source only."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg

from conftest import PROJECT_DIR


def _stop_server(data_dir: Path) -> None:
    """Stop the embedded PostgreSQL the demo started (by its pid; it outlives the demo by design)."""
    pid_file = data_dir / "postmaster.pid"
    if not pid_file.exists():
        return
    pid = int(pid_file.read_text().splitlines()[0])
    os.kill(pid, signal.SIGINT)  # fast shutdown
    for _ in range(100):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    os.kill(pid, signal.SIGKILL)


def test_the_demo_has_its_own_warehouse_and_says_what_it_loaded(tmp_path, database_url):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW__") and k != "AIRFLOW_HOME"}
    env.update(ETL_DATABASE_URL=database_url, PYTHONPATH=str(PROJECT_DIR))  # a real warehouse: not the demo's

    def demo(*options: str) -> str:
        result = subprocess.run([sys.executable, "-m", "etl", "demo", *options], cwd=tmp_path, env=env,
                                capture_output=True, text=True, timeout=900)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        return result.stdout

    data_dir = tmp_path / ".etl" / "demo" / "pgdata"
    try:
        first = demo()
        assert "this demo loaded 4 articles (en: 2, ru: 2), 2 events (3 event reports); " \
               "the demo warehouse holds 4 articles" in first
        assert "checks: all passed" in first
        # The server the demo started is stopped when it ends; its data stays for the next demo.
        assert not (data_dir / "postmaster.pid").exists() and "its server stopped" in first
        second = demo("--keep-running")
        assert "the demo warehouse holds 4 articles" in second  # not 8: the same pages, the same articles
        assert "checks: all passed" in second
        assert data_dir.is_dir()
        with psycopg.connect(database_url) as conn:  # the warehouse ETL_DATABASE_URL names was not touched
            assert conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'core'").fetchone() == (0,)
        dsn = next(line.split("'")[1] for line in second.splitlines() if "ETL_DATABASE_URL='" in line)
        with psycopg.connect(dsn) as conn:
            assert conn.execute("SELECT DISTINCT source FROM core.articles").fetchall() == [("sample",)]
        check = subprocess.run([sys.executable, "-m", "etl", "check", "--config", "dags/sources.sample.yaml"],
                               cwd=PROJECT_DIR, env={**env, "ETL_DATABASE_URL": dsn}, capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr
        stop = subprocess.run([sys.executable, "-m", "etl", "db", "stop", "--demo"], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=120)
        assert stop.returncode == 0 and "stopped the embedded PostgreSQL" in stop.stdout, stop.stdout + stop.stderr
        assert not (data_dir / "postmaster.pid").exists()
    finally:
        _stop_server(data_dir)
