"""Run real Airflow components (api-server, scheduler, dag-processor, Celery workers) as processes for tests.

`AirflowHarness` owns an AIRFLOW_HOME, the environment every component shares (metadata DB,
executor, JWT secret, execution API URL) and every process it starts. Leaving its `with` block
stops them all -- including task processes, which Airflow puts in process groups of their own --
whether the test passed or not.

The REST API is used with a real user of the simple auth manager (password file written up front,
token from `/auth/token`), so the test goes through the same authentication a person does.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil
import psycopg

API_USER = "smoke"
COMPONENTS = ("api-server", "scheduler", "dag-processor")
TERMINAL_RUN_STATES = {"success", "failed"}


class AirflowHarnessError(RuntimeError):
    """A component died or a bounded wait ran out; the message carries the relevant log tails."""


WORKER_NAME_ENV = "ETL_HARNESS_WORKER_NAME"


def worker_hostname() -> str:
    """`[core] hostname_callable` of the harness's Celery workers: each worker's task instances record
    its own name, so a test can tell which worker ran what (they all run on one machine)."""
    return os.environ.get(WORKER_NAME_ENV) or socket.getfqdn()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def sqlalchemy_url(dsn: str) -> str:
    """A libpq DSN (URL or key=value, unix-socket hosts included) as a SQLAlchemy psycopg 3 URL."""
    from sqlalchemy.engine import URL

    info = psycopg.conninfo.conninfo_to_dict(dsn)
    host = info.pop("host", None)
    query = {k: str(v) for k, v in info.items() if k not in {"user", "password", "dbname", "port"}}
    is_socket_dir = bool(host) and str(host).startswith("/")
    if is_socket_dir:
        query["host"] = str(host)
    url = URL.create(
        "postgresql+psycopg",
        username=info.get("user"),
        password=info.get("password") or None,
        host=None if is_socket_dir else host,
        port=int(info["port"]) if info.get("port") and not is_socket_dir else None,
        database=info.get("dbname"),
        query=query,
    )
    return url.render_as_string(hide_password=False)


@dataclass
class _Component:
    name: str
    process: subprocess.Popen
    log_path: Path


@dataclass
class AirflowHarness:
    home: Path
    metadata_dsn: str
    dags_folder: Path
    extra_env: dict[str, str] = field(default_factory=dict)
    api_port: int = field(default_factory=free_port)
    components: list[_Component] = field(default_factory=list, init=False)
    _token: str | None = field(default=None, init=False)
    _started_at: float = field(default_factory=time.monotonic, init=False)

    def note(self, message: str) -> None:
        """A timeline on stdout (pytest shows it when the test fails): where the time went."""
        print(f"[airflow harness +{time.monotonic() - self._started_at:6.1f}s] {message}", flush=True)

    def __post_init__(self) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        (self.home / "component-logs").mkdir(exist_ok=True)
        self.password = secrets.token_urlsafe(16)
        # The simple auth manager keeps an existing user's password, so this one is the password.
        (self.home / "simple_auth_manager_passwords.json").write_text(json.dumps({API_USER: self.password}))
        self.env = self._environment()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    def _environment(self) -> dict[str, str]:
        env = dict(os.environ)
        # Never inherit another deployment's Airflow settings (a developer's shell may have some).
        env = {k: v for k, v in env.items() if not k.startswith(("AIRFLOW__", "AIRFLOW_CONN_", "AIRFLOW_VAR_"))}
        from cryptography.fernet import Fernet

        env.update(
            {
                "AIRFLOW_HOME": str(self.home),
                "AIRFLOW__CORE__DAGS_FOLDER": str(self.dags_folder),
                # The DAGs' timetable is a plugin of the project (dags/plugins/).
                "AIRFLOW__CORE__PLUGINS_FOLDER": str(self.dags_folder / "plugins"),
                "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
                "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
                "AIRFLOW__CORE__PARALLELISM": "4",
                "AIRFLOW__CORE__FERNET_KEY": Fernet.generate_key().decode(),
                "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": sqlalchemy_url(self.metadata_dsn),
                # Task processes report to the execution API of *this* api-server, not localhost:8080.
                "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{self.api_url}/execution/",
                "AIRFLOW__API__HOST": "127.0.0.1",
                "AIRFLOW__API__PORT": str(self.api_port),
                "AIRFLOW__API__BASE_URL": self.api_url,
                "AIRFLOW__API__WORKERS": "1",
                # Every component signs or checks the same tokens.
                "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_urlsafe(32),
                "AIRFLOW__API__SECRET_KEY": secrets.token_urlsafe(32),
                "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": f"{API_USER}:admin",
                "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(
                    self.home / "simple_auth_manager_passwords.json"
                ),
                "AIRFLOW__DAG_PROCESSOR__DAG_BUNDLE_STORAGE_PATH": str(self.home / "bundles"),
                "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "5",
                # Its health server listens on a fixed port (8974): off, so two harnesses never collide.
                "AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK": "False",
                "PYTHONUNBUFFERED": "1",
            }
        )
        env.update(self.extra_env)
        return env

    # -- command line ---------------------------------------------------------------------------

    def cli(self, *args: str, timeout: float = 120) -> str:
        """Run `airflow ARGS...` with the harness environment; return stdout, raise with output on failure."""
        self.note(f"airflow {' '.join(args[:2])}")
        result = subprocess.run(
            [sys.executable, "-m", "airflow", *args],
            env=self.env,
            cwd=self.home,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise AirflowHarnessError(
                f"`airflow {' '.join(args)}` exited {result.returncode}:\n{_tail(result.stdout + result.stderr)}"
            )
        return result.stdout

    # -- components -----------------------------------------------------------------------------

    def etl(self, *args: str, env: dict[str, str] | None = None, timeout: float = 180) -> str:
        """Run `python -m etl ARGS...` as an operator would on this deployment (its Airflow settings)."""
        self.note(f"python -m etl {' '.join(args[:1])}")
        result = subprocess.run([sys.executable, "-m", "etl", *args], env={**self.env, **(env or {})},
                                cwd=self.home, capture_output=True, text=True, timeout=timeout)
        if result.returncode != 0:
            raise AirflowHarnessError(f"`python -m etl {' '.join(args)}` exited {result.returncode}:\n"
                                      f"{_tail(result.stdout + result.stderr)}")
        return result.stdout

    def start(self, *names: str) -> None:
        for name in names:
            self.start_process(name, [name])

    def start_celery_worker(self, name: str, queue: str, concurrency: int = 1) -> None:
        """`airflow celery worker` on `queue`, its task instances recording `name` as their hostname."""
        self.start_process(name, ["celery", "worker", "--queues", queue, "--concurrency", str(concurrency),
                                  "--celery-hostname", f"{name}@%h", "--skip-serve-logs"],
                           env={"AIRFLOW__CORE__HOSTNAME_CALLABLE": "airflow_harness.worker_hostname",
                                WORKER_NAME_ENV: name,
                                "PYTHONPATH": os.pathsep.join(filter(None, [str(Path(__file__).parent),
                                                                            self.env.get("PYTHONPATH")]))})

    def start_process(self, name: str, airflow_args: list[str], env: dict[str, str] | None = None) -> None:
        self.note(f"starting {name}")
        log_path = self.home / "component-logs" / f"{name}.log"
        log = log_path.open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "airflow", *airflow_args],
            env={**self.env, **(env or {})},
            cwd=self.home,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # own process group: stopped as a whole
        )
        log.close()
        self.components.append(_Component(name, process, log_path))

    def log_text(self, name: str) -> str:
        path = self.home / "component-logs" / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def check_alive(self) -> None:
        for component in self.components:
            if component.process.poll() is not None:
                raise AirflowHarnessError(
                    f"{component.name} exited with {component.process.returncode}:\n{self.log_tail(component.name)}"
                )

    def log_tail(self, name: str, lines: int = 40) -> str:
        path = self.home / "component-logs" / f"{name}.log"
        return _tail(path.read_text(errors="replace"), lines) if path.exists() else "(no log)"

    def all_log_tails(self) -> str:
        return "\n".join(f"--- {c.name} ---\n{self.log_tail(c.name)}" for c in self.components)

    def stop(self, grace: float = 10) -> list[psutil.Process]:
        """Stop every started process, their process groups and every descendant (task processes too).

        Returns the processes still alive afterwards (none, unless something ignores SIGKILL)."""
        self.note("stopping every process")
        victims: dict[int, psutil.Process] = {}
        for component in self.components:
            try:
                parent = psutil.Process(component.process.pid)
                victims[parent.pid] = parent
                victims.update({p.pid: p for p in parent.children(recursive=True)})
            except psutil.NoSuchProcess:
                pass
        for component in self.components:
            _signal_group(component.process.pid, signal.SIGTERM)
        for proc in victims.values():
            _signal_process(proc, signal.SIGTERM)
        _, alive = psutil.wait_procs(list(victims.values()), timeout=grace)
        for component in self.components:
            _signal_group(component.process.pid, signal.SIGKILL)
        for proc in alive:
            _signal_process(proc, signal.SIGKILL)
        psutil.wait_procs(alive, timeout=5)
        for component in self.components:
            try:
                component.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
        self.components.clear()
        self.note("stopped")
        return [p for p in victims.values() if _is_running(p)]

    def __enter__(self) -> AirflowHarness:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        survivors = self.stop()
        if survivors and exc_type is None:
            raise AirflowHarnessError(f"processes survived the shutdown: {[p.pid for p in survivors]}")

    # -- waiting --------------------------------------------------------------------------------

    def wait_for(self, what: str, probe: Callable[[], object], timeout: float, interval: float = 1.0):
        """Call `probe` until it returns something truthy; fail early if a component dies."""
        deadline = time.monotonic() + timeout
        last_error: Exception | None = None
        while time.monotonic() < deadline:
            self.check_alive()
            try:
                result = probe()
            except (httpx.HTTPError, AirflowHarnessError) as exc:
                last_error, result = exc, None
            if result:
                self.note(f"done waiting for {what}")
                return result
            time.sleep(interval)
        raise AirflowHarnessError(
            f"timed out after {timeout:.0f}s waiting for {what}"
            + (f" (last error: {last_error})" if last_error else "")
            + f"\n{self.all_log_tails()}"
        )

    # -- REST API -------------------------------------------------------------------------------

    def api(self, method: str, path: str, **kwargs) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self._token}"} if self._token else {}
        response = httpx.request(method, f"{self.api_url}{path}", headers=headers, timeout=30, **kwargs)
        return response

    def wait_until_api_ready(self, timeout: float = 120) -> None:
        def healthy():
            return httpx.get(f"{self.api_url}/api/v2/monitor/health", timeout=5).status_code == 200

        self.wait_for("the api-server health endpoint", healthy, timeout)
        response = httpx.post(
            f"{self.api_url}/auth/token", json={"username": API_USER, "password": self.password}, timeout=30
        )
        response.raise_for_status()
        self._token = response.json()["access_token"]

    def wait_for_dag(self, dag_id: str, timeout: float = 120) -> dict:
        def parsed():
            errors = self.api("GET", "/api/v2/importErrors").json().get("import_errors", [])
            if errors:
                raise AssertionError(f"DAG import errors: {json.dumps(errors, indent=1)[:4000]}")
            response = self.api("GET", f"/api/v2/dags/{dag_id}")
            return response.json() if response.status_code == 200 else None

        return self.wait_for(f"the dag-processor to register {dag_id}", parsed, timeout)

    def trigger(self, dag_id: str, conf: dict | None = None) -> str:
        """Unpause the DAG and start a manual run now; return the run id."""
        response = self.api("PATCH", f"/api/v2/dags/{dag_id}", json={"is_paused": False})
        _raise_for(response)
        response = self.api(
            "POST", f"/api/v2/dags/{dag_id}/dagRuns", json={"logical_date": None, "conf": conf or {}}
        )
        _raise_for(response)
        return response.json()["dag_run_id"]

    def wait_for_run(self, dag_id: str, run_id: str, timeout: float = 180) -> dict:
        seen: dict[str, tuple] = {}

        def finished():
            self._note_task_changes(dag_id, seen)
            run = self.api("GET", f"/api/v2/dags/{dag_id}/dagRuns/{run_id}").json()
            return run if run.get("state") in TERMINAL_RUN_STATES else None

        return self.wait_for(f"run {run_id} of {dag_id} to finish", finished, timeout, interval=2)

    def _note_task_changes(self, dag_id: str, seen: dict[str, tuple]) -> None:
        """Every task state change of every run of the DAG, on the timeline (retries show up here)."""
        response = self.api("GET", f"/api/v2/dags/{dag_id}/dagRuns/~/taskInstances")
        if response.is_error:
            return
        for ti in response.json()["task_instances"]:
            key, value = f"{ti['dag_run_id']} {ti['task_id']}", (ti["state"], ti["try_number"])
            if seen.get(key) != value:
                seen[key] = value
                self.note(f"{key}: {value[0]} (try {value[1]})")

    def task_instances(self, dag_id: str, run_id: str) -> list[dict]:
        response = self.api("GET", f"/api/v2/dags/{dag_id}/dagRuns/{run_id}/taskInstances")
        _raise_for(response)
        return response.json()["task_instances"]

    def task_log_tails(self, dag_id: str, lines: int = 30) -> str:
        """The end of every task log of the DAG (written under AIRFLOW_HOME/logs by the task processes)."""
        logs = sorted((self.home / "logs").glob(f"dag_id={dag_id}/**/*.log"))
        return "\n".join(f"--- {p.relative_to(self.home)} ---\n{_tail(p.read_text(errors='replace'), lines)}" for p in logs)


def _raise_for(response: httpx.Response) -> None:
    if response.is_error:
        raise AirflowHarnessError(
            f"{response.request.method} {response.request.url} -> {response.status_code}: {response.text[:2000]}"
        )


def _signal_group(pid: int, sig: int) -> None:
    try:
        os.killpg(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def _signal_process(proc: psutil.Process, sig: int) -> None:
    try:
        os.killpg(proc.pid, sig) if os.getpgid(proc.pid) == proc.pid else proc.send_signal(sig)
    except (ProcessLookupError, PermissionError, psutil.NoSuchProcess):
        pass


def _is_running(proc: psutil.Process) -> bool:
    try:
        return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _tail(text: str, lines: int = 40) -> str:
    return "\n".join(text.splitlines()[-lines:])
