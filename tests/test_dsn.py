"""The warehouse DSN: every form parsed, the password never printed (issue 12, item 14), and Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import psycopg
import pytest

from conftest import PROJECT_DIR, SAMPLE_SOURCES
from etl.store import db

SECRET = "S3crt99"


def etl(dsn: str, *args, timeout: float = 60) -> subprocess.CompletedProcess:
    env = dict(os.environ, ETL_DATABASE_URL=dsn, ETL_SOURCES_FILE=str(SAMPLE_SOURCES))
    return subprocess.run([sys.executable, "-m", "etl", *args], cwd=PROJECT_DIR, capture_output=True, text=True,
                          env=env, timeout=timeout)


def test_a_malformed_dsn_is_named_unparseable_by_every_command_without_echoing_it():
    dsn = f"postgresql://etl:{SECRET}@[::1:1/wh"
    for command in (["db"], ["migrate"], ["run"], ["report"], ["check"], ["errors"]):
        result = etl(dsn, *command)
        output = result.stdout + result.stderr
        assert result.returncode == 1, (command, output[-800:])
        assert "cannot parse the DSN" in result.stderr, (command, output[-800:])
        assert SECRET not in output and "Traceback" not in output, (command, output[-800:])


@pytest.mark.parametrize("password", ["pa/ss99", "pa?ss99", "p@ss99", "pa ss99", "a:b/c?d@e f"])
def test_raw_special_characters_in_a_uri_password_are_parsed_and_masked(password):
    dsn = f"postgresql://etl:{password}@127.0.0.1:1/wh"
    info = psycopg.conninfo.conninfo_to_dict(db.normalise_dsn(dsn))
    assert (info["user"], info["password"], info["host"], info["port"], info["dbname"]) == \
        ("etl", password, "127.0.0.1", "1", "wh")
    assert db.mask_dsn(dsn) == "postgresql://etl:***@127.0.0.1:1/wh"
    assert db.dsn_host(dsn) == "127.0.0.1:1/wh"
    for command in (["db"], ["errors"]):
        result = etl(dsn, *command)
        output = result.stdout + result.stderr
        assert password not in output and "Traceback" not in output, (command, output[-800:])
    assert "postgresql://etl:***@127.0.0.1:1/wh" in etl(dsn, "db").stdout


def test_key_value_dsn_with_an_unquoted_space_is_refused_and_masked():
    dsn = f"host=127.0.0.1 port=1 password={SECRET} x99 dbname=wh"
    assert db.mask_dsn(dsn) == "host=127.0.0.1 port=1 password=*** dbname=wh"
    result = etl(dsn, "errors")
    assert result.returncode == 1 and "cannot parse the DSN" in result.stderr
    assert SECRET not in result.stdout + result.stderr and "x99" not in result.stderr
    assert "Traceback" not in result.stderr


def test_a_password_with_raw_special_characters_really_connects(database_url):
    # The test server trusts local connections, so the password is carried but not checked: what is
    # shown is that the URI is read the way its author meant (user, host, database all right).
    info = psycopg.conninfo.conninfo_to_dict(database_url)
    host = info.get("host") or "127.0.0.1"
    dsn = (f"postgresql://{info.get('user') or 'postgres'}:we/ird?p@ss w0rd@/{info['dbname']}"
           f"?host={host}&port={info.get('port') or 5432}")
    with db.connect(dsn) as conn:
        assert conn.execute("SELECT current_database()").fetchone()[0] == info["dbname"]


def test_masking_a_message_hides_the_password_of_the_dsn_used():
    dsn = "postgresql://etl:pa/ss99@127.0.0.1:1/wh"
    assert db.mask_text("FATAL: password pa/ss99 refused", dsn) == "FATAL: password *** refused"
    assert "zz9" not in db.mask_text("see postgresql://a:zz9@h/d and password=zz9")


def test_ctrl_c_says_the_next_run_resumes_and_exits_130(tmp_path):
    # `extract` of a FIFO nobody writes to blocks in the middle of a command, like a run waiting on a
    # site; the test opens the writing end, so the command is past its start when SIGINT comes.
    fifo = tmp_path / "page.html"
    os.mkfifo(fifo)
    proc = subprocess.Popen([sys.executable, "-m", "etl", "extract", str(fifo)], cwd=PROJECT_DIR,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        with open(fifo, "wb"):  # returns once the command has opened the FIFO to read
            time.sleep(0.5)
            proc.send_signal(signal.SIGINT)
            stdout, stderr = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130, stderr[-800:]
    assert "interrupted; the next run resumes" in stderr
    assert "Traceback" not in stderr


def test_db_stop_stops_the_embedded_server_and_says_when_none_runs(tmp_path):
    data_dir = tmp_path / "pgdata"
    env = dict(os.environ, ETL_EMBEDDED_PGDATA=str(data_dir))
    env.pop("ETL_DATABASE_URL", None)
    shown = subprocess.run([sys.executable, "-m", "etl", "db"], cwd=PROJECT_DIR, env=env, capture_output=True,
                           text=True, timeout=120)
    assert shown.returncode == 0 and db.embedded_running(data_dir), shown.stderr[-1000:]
    pid = int((data_dir / "postmaster.pid").read_text().split()[0])
    try:
        stopped = subprocess.run([sys.executable, "-m", "etl", "db", "stop"], cwd=PROJECT_DIR, env=env,
                                 capture_output=True, text=True, timeout=120)
        assert stopped.returncode == 0 and "stopped the embedded PostgreSQL" in stopped.stdout, stopped.stderr
        assert not db.embedded_running(data_dir)
        import psutil

        gone = not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
        assert gone, "the postmaster still runs"
        again = subprocess.run([sys.executable, "-m", "etl", "db", "stop"], cwd=PROJECT_DIR, env=env,
                               capture_output=True, text=True, timeout=120)
        assert again.returncode == 0 and "no embedded PostgreSQL running" in again.stdout
    finally:
        db.stop_embedded(data_dir)
