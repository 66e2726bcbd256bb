"""docker-compose.yml: valid Compose, the services and profiles we promise, secrets only from .env.

Docker does not run here, so the file is checked the way `docker compose config` would see it:
variables interpolated (from .env.example plus stand-in secrets), then validated by a Compose
Specification parser (compose_spec, strict: unknown keys and dangling references are errors).
The init service runs `python -m etl setup` (migrations, the warehouse connection) and the real DAG
needs no pool it would have to create. The postgres
init script runs for real (psql, on an embedded server of its own: it creates cluster-wide roles),
and the warehouse migrations then run as the unprivileged role it creates, as airflow-init does.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import psycopg
import pytest
import yaml
from compose_spec import PyCompose

from conftest import PROJECT_DIR, SAMPLE_SOURCES

COMPOSE_FILE = PROJECT_DIR / "docker-compose.yml"
ENV_EXAMPLE = PROJECT_DIR / ".env.example"

CORE_SERVICES = {
    "postgres", "airflow-init", "airflow-apiserver", "airflow-scheduler", "airflow-dag-processor", "airflow-triggerer",
}
CELERY_SERVICES = {"redis", "airflow-worker"}
AIRFLOW_COMMANDS = {
    "airflow-apiserver": "api-server",
    "airflow-scheduler": "scheduler",
    "airflow-dag-processor": "dag-processor",
    "airflow-triggerer": "triggerer",
    "airflow-worker": "celery worker",
}
SECRET_NAME = re.compile(r"PASSWORD|SECRET|FERNET|TOKEN|_KEY\b", re.I)
# Compose interpolation: $$ (a literal $), ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}.
_INTERPOLATION = re.compile(r"\$\$|\$\{(\w+)(?:(:?[-?])([^}]*))?\}")


def read_env_file(path) -> dict[str, str]:
    values = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


def interpolate(node, env: dict[str, str]):
    """What Compose does to every string of the file before using it."""

    def substitute(match: re.Match) -> str:
        if match.group(0) == "$$":
            return "$"
        name, operator, argument = match.groups()
        value = env.get(name)
        empty = value is None or (value == "" and operator and operator.startswith(":"))
        if operator and operator.endswith("?") and empty:
            raise KeyError(f"compose would stop: {name} is required ({argument})")
        if operator and operator.endswith("-") and empty:
            return argument
        return value or ""

    if isinstance(node, str):
        return _INTERPOLATION.sub(substitute, node)
    if isinstance(node, dict):
        return {key: interpolate(value, env) for key, value in node.items()}
    if isinstance(node, list):
        return [interpolate(value, env) for value in node]
    return node


def stand_in_env() -> dict[str, str]:
    """`.env.example` with every empty secret filled in, as a user's `.env` would be."""
    env = read_env_file(ENV_EXAMPLE)
    return {key: value or f"stand-in-{key.lower()}" for key, value in env.items()}


def compose_raw() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())


def compose_resolved(env: dict[str, str]) -> dict:
    """The file as Compose resolves it: YAML merge keys applied, x- extensions dropped, interpolated."""
    raw = {key: value for key, value in compose_raw().items() if not key.startswith("x-")}
    return interpolate(raw, env)


def services_for(resolved: dict, profiles: set[str]) -> set[str]:
    return {name for name, svc in resolved["services"].items() if not set(svc.get("profiles", [])) - profiles}


def string_leaves(node, path=""):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from string_leaves(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from string_leaves(value, f"{path}[{i}]")
    elif isinstance(node, str):
        yield path, node


def test_compose_file_is_valid_and_complete_per_profile():
    resolved = compose_resolved(stand_in_env())
    compose = PyCompose.from_json(json.dumps(resolved))  # strict: unknown keys and bad values are errors
    compose.validate()  # every volume, config and network a service uses is declared
    services = compose.to_dict()["services"]

    assert services_for(resolved, set()) == CORE_SERVICES
    assert services_for(resolved, {"celery"}) == CORE_SERVICES | CELERY_SERVICES
    for name, service in services.items():
        check = service.get("healthcheck") or {}
        assert check.get("test") and not check.get("disable"), f"{name} has no healthcheck"
    for name, command in AIRFLOW_COMMANDS.items():
        service = services[name]
        assert service["command"] in (command, command.split()), name
        assert service["depends_on"]["airflow-init"]["condition"] == "service_completed_successfully"
        assert service["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert services["airflow-worker"]["depends_on"]["redis"]["condition"] == "service_healthy"
    # Without the celery profile redis is absent, so the scheduler's dependency on it must be optional.
    assert services["airflow-scheduler"]["depends_on"]["redis"]["required"] is False


def test_airflow_services_share_one_image_with_the_project_installed_and_dags_mounted():
    services = compose_resolved(stand_in_env())["services"]
    airflow = {name: svc for name, svc in services.items() if name.startswith("airflow-")}
    assert {svc["image"] for svc in airflow.values()} == {"thinktank-etl-airflow:latest"}
    builds = {json.dumps(svc["build"], sort_keys=True) for svc in airflow.values()}
    assert len(builds) == 1
    build = airflow["airflow-scheduler"]["build"]
    assert build["context"] == "."
    dockerfile = build["dockerfile_inline"]
    assert re.search(r"^FROM apache/airflow:3\.3\.\d+", dockerfile, re.M)
    for path in ("pyproject.toml", "README.md", "etl", "sql"):
        assert re.search(rf"^COPY .*\b{re.escape(path)}\b", dockerfile, re.M), f"{path} is not copied into the image"
        assert (PROJECT_DIR / path).exists()
    assert re.search(r"pip install .*\"apache-airflow==\$\{AIRFLOW_VERSION\}\" /opt/project", dockerfile)
    assert "ENV ETL_SQL_DIR=/opt/project/sql" in dockerfile  # the migrations are not inside the wheel

    for name, svc in airflow.items():
        env = svc["environment"]
        assert "./dags:/opt/airflow/dags:ro" in svc["volumes"], name
        # The DAGs' timetable is a plugin: the folder is mounted and is Airflow's plugins_folder.
        assert "./dags/plugins:/opt/airflow/plugins:ro" in svc["volumes"], name
        assert env["AIRFLOW__CORE__PLUGINS_FOLDER"] == "/opt/airflow/plugins", name
        assert env["AIRFLOW__CORE__EXECUTOR"] == "LocalExecutor", name
        assert env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"] == "http://airflow-apiserver:8080/execution/", name
        assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].startswith("postgresql+psycopg://airflow:"), name
        assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].endswith("@postgres:5432/airflow"), name
        assert env["ETL_DATABASE_URL"].endswith("@postgres:5432/warehouse"), name
        assert env["ETL_SOURCES_FILE"] == "/opt/airflow/dags/sources.yaml", name

    celery = compose_resolved({**stand_in_env(), "AIRFLOW_EXECUTOR": "CeleryExecutor"})["services"]
    assert {celery[name]["environment"]["AIRFLOW__CORE__EXECUTOR"] for name in airflow} == {"CeleryExecutor"}


def test_secrets_come_only_from_the_env_file():
    raw = compose_raw()
    for path, text in string_leaves(raw):
        key = path.rsplit(".", 1)[-1]
        if SECRET_NAME.search(key) and not key.endswith("_FILE"):  # a *_FILE setting is a path
            assert re.fullmatch(r"\$\{\w+(:?[-?][^}]*)?\}", text), f"{path} holds a literal secret"
        for password in re.findall(r"://[^/:@\s]*:([^@]*?)@", text):
            assert password == "" or re.fullmatch(r"\$\{\w+(:?[-?][^}]*)?\}", password), f"{path}: password inline"
    services = compose_resolved(stand_in_env())["services"]
    for name in CORE_SERVICES | CELERY_SERVICES:
        assert services[name]["env_file"] in (".env", [".env"]), f"{name} does not read .env"

    # Every secret the file or the containers need is named in .env.example, and none has a value there.
    example = read_env_file(ENV_EXAMPLE)
    referenced = {m.group(1) for _, text in string_leaves(raw) for m in _INTERPOLATION.finditer(text) if m.group(1)}
    required = {m.group(1) for _, text in string_leaves(raw) for m in _INTERPOLATION.finditer(text)
                if m.group(2) and m.group(2).endswith("?")}
    init_script = " ".join(raw["services"]["airflow-init"]["command"])
    checked_by_init = set(re.search(r"for name in ([\w ]+); do", init_script).group(1).split())
    assert required | checked_by_init <= set(example)
    assert {"AIRFLOW_DB_PASSWORD", "WAREHOUSE_DB_PASSWORD", "AIRFLOW__API_AUTH__JWT_SECRET"} <= checked_by_init | required
    assert {key for key, value in example.items() if SECRET_NAME.search(key) and value} == set()
    # Nothing in .env.example goes unused (the postgres image reads its superuser password itself).
    assert set(example) - referenced - checked_by_init == {"POSTGRES_PASSWORD"}
    with pytest.raises(KeyError, match="AIRFLOW_DB_PASSWORD"):
        compose_resolved({})  # compose refuses to start without a .env

    ignored = subprocess.run(["git", "check-ignore", "-q", ".env"], cwd=PROJECT_DIR).returncode
    assert ignored == 0, ".env must be git-ignored"


def test_airflow_init_runs_the_setup_command_and_the_dags_need_no_pools(monkeypatch):
    script = compose_raw()["services"]["airflow-init"]["command"][-1]
    commands = [line.strip() for line in script.splitlines() if line.strip() and not line.strip().startswith("#")]
    assert "python -m etl setup" in commands
    assert commands.index("airflow db migrate") < commands.index("python -m etl setup")
    monkeypatch.setenv("ETL_SOURCES_FILE", str(SAMPLE_SOURCES))
    monkeypatch.setenv("ETL_SAMPLE_SITE_URL", "http://127.0.0.1:8765")

    from airflow.dag_processing.dagbag import DagBag

    dagbag = DagBag(dag_folder=str(PROJECT_DIR / "dags" / "think_tank_news.py"))
    assert dagbag.import_errors == {}
    # A pool nobody created would leave its tasks queued forever: none is needed.
    assert {task.pool for dag in dagbag.dags.values() for task in dag.tasks} == {"default_pool"}


@pytest.fixture
def private_pg_server(tmp_path):
    """An embedded server of this test's own, where creating roles touches nobody else's cluster."""
    import pgserver

    server = pgserver.get_server(tmp_path / "pgdata", cleanup_mode="delete")
    try:
        yield server
    finally:
        server.cleanup()


def test_postgres_and_airflow_init_scripts_run_for_real(private_pg_server, tmp_path):
    """Both init scripts of the file, on a real server, with the container's names mapped to local ones."""
    import pgserver
    from cryptography.fernet import Fernet

    socket_dir = psycopg_host(private_pg_server.get_uri())
    secrets = {"POSTGRES_USER": "postgres", "AIRFLOW_DB_PASSWORD": "airflow-pw", "WAREHOUSE_DB_PASSWORD": "etl-pw",
               "AIRFLOW_ADMIN_PASSWORD": "admin-pw", "AIRFLOW__CORE__FERNET_KEY": Fernet.generate_key().decode()}
    env_file = {**stand_in_env(), **secrets}
    psql_dir = os.path.join(os.path.dirname(pgserver.__file__), "pginstall", "bin")
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "ETL_"))}

    create_databases = interpolate(compose_raw()["configs"]["create-databases"]["content"], {})
    env = {**base_env, **env_file, "PATH": f"{psql_dir}:{os.environ['PATH']}", "PGHOST": socket_dir}
    subprocess.run(["sh", "-c", create_databases], env=env, check=True, capture_output=True, timeout=60)
    with psycopg.connect(private_pg_server.get_uri()) as conn:
        owners = dict(conn.execute(
            "SELECT datname, pg_get_userbyid(datdba) FROM pg_database WHERE datname IN ('airflow', 'warehouse')"
        ).fetchall())
        superusers = {r[0] for r in conn.execute("SELECT rolname FROM pg_roles WHERE rolsuper")}
    assert owners == {"airflow": "airflow", "warehouse": "etl"}
    assert not superusers & {"airflow", "etl"}

    # airflow-init as the container runs it; only the container's names for things are mapped:
    # host `postgres` -> the server's socket, /opt/airflow/... -> this checkout and tmp_path.
    init = compose_resolved(env_file)["services"]["airflow-init"]

    def localise(text: str) -> str:
        text = re.sub(r"@postgres:5432/(\w+)", rf"@/\1?host={socket_dir}", text)
        text = text.replace("--conn-host postgres", f"--conn-host {socket_dir}")
        text = text.replace("/opt/airflow/dags", str(PROJECT_DIR / "dags"))
        return text.replace("/opt/airflow", str(tmp_path))

    (tmp_path / "auth").mkdir()
    env = {**base_env, **env_file, **{k: localise(str(v)) for k, v in init["environment"].items()},
           "AIRFLOW_HOME": str(tmp_path), "ETL_SQL_DIR": str(PROJECT_DIR / "sql"),
           "PATH": f"{os.path.dirname(sys.executable)}:{os.environ['PATH']}"}
    argv = [localise(part) for part in init["command"]]
    for _ in range(2):  # it runs on every `docker compose up`
        result = subprocess.run(argv, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=240)
        assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]

    with psycopg.connect(f"host={socket_dir} dbname=airflow user=airflow") as conn:
        pools = dict(conn.execute("SELECT pool, slots FROM slot_pool WHERE pool <> 'default_pool'").fetchall())
        connection = conn.execute(
            "SELECT conn_type, host, schema, login FROM connection WHERE conn_id = 'etl_warehouse'").fetchone()
    assert pools == {}  # the DAGs need none
    assert connection == ("postgres", socket_dir, "warehouse", "etl")
    with psycopg.connect(f"host={socket_dir} dbname=warehouse user=etl password=etl-pw") as conn:
        applied = conn.execute("SELECT count(*) FROM public.etl_schema_migrations").fetchone()[0]
        assert conn.execute("SELECT to_regclass('core.articles')").fetchone()[0] == "core.articles"
    assert applied == len(list((PROJECT_DIR / "sql").glob("[0-9][0-9][0-9]_*.sql")))
    assert json.loads((tmp_path / "auth" / "passwords.json").read_text()) == {"admin": "admin-pw"}


def psycopg_host(dsn: str) -> str:
    return psycopg.conninfo.conninfo_to_dict(dsn)["host"]
