"""Which warehouse to use, and connections to it.

Order: an explicit DSN, then `ETL_DATABASE_URL`, then an embedded PostgreSQL (pgserver) whose
data lives under `.etl/pgdata` in the working directory and survives between runs.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, unquote

import psycopg

EMBEDDED_DIR_ENV = "ETL_EMBEDDED_PGDATA"


class DatabaseUnavailable(RuntimeError):
    """The warehouse cannot be reached; the message names the host, never the password."""


def embedded_data_dir() -> Path:
    return Path(os.environ.get(EMBEDDED_DIR_ENV) or Path.cwd() / ".etl" / "pgdata").resolve()


def start_embedded(data_dir: str | os.PathLike | None = None) -> str:
    """Start (or reuse) the embedded server and return its DSN. The server outlives this process."""
    import warnings

    with warnings.catch_warnings():  # platformdirs warns about XDG_RUNTIME_DIR on import; harmless here
        warnings.simplefilter("ignore")
        import pgserver

    data_dir = Path(data_dir) if data_dir else embedded_data_dir()
    data_dir.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(data_dir, cleanup_mode=None)
    return server.get_uri()


def embedded_running(data_dir: str | os.PathLike | None = None) -> bool:
    data_dir = Path(data_dir) if data_dir else embedded_data_dir()
    return (data_dir / "postmaster.pid").exists()


def stop_embedded(data_dir: str | os.PathLike | None = None) -> bool:
    """Stop the embedded server of `data_dir` (default: this directory's); False when none runs there."""
    import warnings

    data_dir = Path(data_dir) if data_dir else embedded_data_dir()
    if not embedded_running(data_dir):
        return False
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from pgserver import _commands

    # pgserver runs the server as its own system user when we are root; pg_ctl must run as that user.
    as_user = {"user": "pgserver"} if hasattr(os, "geteuid") and os.geteuid() == 0 else {}
    _commands.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=data_dir, **as_user)
    return True


def resolve_dsn(dsn: str | None = None) -> str:
    return dsn or os.environ.get("ETL_DATABASE_URL") or start_embedded()


class DsnUnparseable(DatabaseUnavailable):
    """The DSN cannot be read; the message never quotes it (it may hold the password)."""


DSN_FORMS = ("postgresql://user:password@host:port/dbname, or key=value pairs (quote a value with spaces: "
             "password='a b')")
_URI = re.compile(r"^\s*(postgres(?:ql)?://)(.*?)\s*$", re.I | re.S)
# key=value: a password runs to the next ` key=` (an unquoted space is the user's slip, not the end).
_KV_PASSWORD = re.compile(r"(password\s*=\s*)('(?:[^'\\]|\\.)*'|.*?)(?=\s+\w+\s*=|$)", re.I | re.S)
_URI_PASSWORD_PARAM = re.compile(r"(password=)[^&#]*", re.I)


def _split_uri(dsn: str) -> tuple[str, str | None, str] | None:
    """(scheme, userinfo or None, rest) of a URI DSN. The userinfo ends at the LAST `@`, so a raw `/`,
    `?` or `@` in a password stays in it."""
    match = _URI.match(dsn)
    if not match:
        return None
    scheme, rest = match.groups()
    at = rest.rfind("@")
    if at < 0:
        return scheme, None, rest
    return scheme, rest[:at], rest[at + 1:]


def normalise_dsn(dsn: str) -> str:
    """The DSN as libpq reads it: a URI's user and password percent-encoded (raw `/ ? @ :` or spaces
    in them are common in generated passwords). Raises DsnUnparseable, which never quotes the DSN."""
    parts = _split_uri(dsn)
    if parts is not None:
        scheme, userinfo, rest = parts
        if userinfo is not None:
            user, colon, password = userinfo.partition(":")
            userinfo = _quote(user) + (":" + _quote(password) if colon else "")
            dsn = f"{scheme}{userinfo}@{rest}"
        else:
            dsn = scheme + rest
    try:
        psycopg.conninfo.conninfo_to_dict(dsn)
    except Exception:  # noqa: BLE001 - psycopg's message quotes the DSN: say what is wrong, not what it is
        raise DsnUnparseable(f"cannot parse the DSN (ETL_DATABASE_URL or the connection given); its forms: "
                             f"{DSN_FORMS}") from None
    return dsn


def _quote(text: str) -> str:
    return quote(unquote(text), safe="")


def dsn_password(dsn: str) -> str | None:
    try:
        return psycopg.conninfo.conninfo_to_dict(normalise_dsn(dsn)).get("password") or None
    except DsnUnparseable:
        return None


def mask_dsn(dsn: str) -> str:
    """The DSN with any password replaced by ***, in URL or key=value form, parseable or not."""
    parts = _split_uri(dsn)
    if parts is not None:
        scheme, userinfo, rest = parts
        rest = _URI_PASSWORD_PARAM.sub(r"\1***", rest)
        if userinfo is None:
            return scheme + rest
        user, colon, password = userinfo.partition(":")
        return f"{scheme}{user}{':***' if password else colon}@{rest}"
    return mask_text(dsn)


def mask_text(text: str, dsn: str | None = None) -> str:
    """A message that may quote a DSN or its password (a driver's error): both masked."""
    password = dsn_password(dsn) if dsn else None
    if password:
        text = text.replace(password, "***")
    text = re.sub(r"postgres(?:ql)?://\S*", lambda m: mask_dsn(m.group(0)), text, flags=re.I)
    return _KV_PASSWORD.sub(lambda m: m.group(1) + "***", text)


def dsn_host(dsn: str) -> str:
    try:
        info = psycopg.conninfo.conninfo_to_dict(normalise_dsn(dsn))
    except DsnUnparseable:
        return "?"
    return f"{info.get('host') or 'localhost'}:{info.get('port') or 5432}/{info.get('dbname') or ''}"


def connect(dsn: str | None = None, **kwargs) -> psycopg.Connection:
    dsn = normalise_dsn(resolve_dsn(dsn))
    try:
        return psycopg.connect(dsn, connect_timeout=10, **kwargs)
    except psycopg.OperationalError as exc:
        reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else exc.__class__.__name__
        raise DatabaseUnavailable(f"cannot connect to the warehouse at {dsn_host(dsn)}: {mask_text(reason, dsn)}") from None


@contextmanager
def scratch_database(server_dsn: str, prefix: str = "etl_scratch") -> Iterator[str]:
    """A new, empty database on the server, yielded as a DSN and dropped afterwards (even with
    sessions still open). For tests and benchmarks, which must never touch a real warehouse."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield psycopg.conninfo.make_conninfo(server_dsn, dbname=name)
    finally:
        with psycopg.connect(server_dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
