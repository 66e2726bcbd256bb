"""Shared fixtures: a real PostgreSQL (embedded by default) and real HTTP servers on 127.0.0.1."""

from __future__ import annotations

import contextlib
import logging
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from etl.store import db
from etl.demo import static_server

PROJECT_DIR = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE_SITE = FIXTURES / "sample_site"
REFERENCE = FIXTURES / "reference"
SAMPLE_SOURCES = PROJECT_DIR / "dags" / "sources.sample.yaml"

# Airflow reads its configuration when first imported, so the test session's Airflow home (with a
# SQLite metadata database of its own) is set before any test module imports it.
_AIRFLOW_HOME = Path(tempfile.mkdtemp(prefix="etl-test-airflow-"))
os.environ["AIRFLOW_HOME"] = str(_AIRFLOW_HOME)
os.environ["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"] = f"sqlite:///{_AIRFLOW_HOME}/airflow.db"
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(PROJECT_DIR / "dags")
os.environ["AIRFLOW__CORE__PLUGINS_FOLDER"] = str(PROJECT_DIR / "dags" / "plugins")  # the DAGs' timetable
os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"


# pgserver logs from an atexit hook, after pytest has closed the streams it captured.
logging.getLogger("pgserver").propagate = False


@pytest.fixture(scope="session")
def airflow_metadata_db() -> Path:
    """The session's Airflow metadata database, migrated once (for dag.test())."""
    airflow = Path(sys.executable).with_name("airflow")
    subprocess.run([str(airflow), "db", "migrate"], check=True, capture_output=True, env=os.environ.copy())
    return _AIRFLOW_HOME


@pytest.fixture(scope="session")
def pg_server_url(tmp_path_factory) -> str:
    """DSN of a server where tests may create databases: ETL_TEST_DATABASE_URL or embedded."""
    url = os.environ.get("ETL_TEST_DATABASE_URL")
    if url:
        yield url
        return
    data_dir = tmp_path_factory.mktemp("pg") / "data"
    try:
        yield db.start_embedded(data_dir)
    finally:
        db.stop_embedded(data_dir)  # the server outlives its starter otherwise


@pytest.fixture
def database_url(pg_server_url, monkeypatch) -> str:
    """A fresh, empty database for one test, dropped afterwards. Also set as ETL_DATABASE_URL."""
    with db.scratch_database(pg_server_url, "etl_test") as url:
        monkeypatch.setenv("ETL_DATABASE_URL", url)
        yield url


@pytest.fixture
def serve_directory():
    """Serve a directory over real HTTP on 127.0.0.1; returns the base URL (no trailing slash)."""
    with contextlib.ExitStack() as servers:
        yield lambda directory: servers.enter_context(static_server(directory))


@pytest.fixture
def sample_site(serve_directory, monkeypatch) -> str:
    """The bundled sample site, served locally; ETL_SAMPLE_SITE_URL points the sample sources file at it."""
    url = serve_directory(SAMPLE_SITE)
    monkeypatch.setenv("ETL_SAMPLE_SITE_URL", url)
    return url
