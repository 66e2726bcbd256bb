"""The GeoNames city index kept on disk: every process (each Airflow task is one) looks names up
in it instead of building the index again, and a damaged or foreign file is built anew, never trusted."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

from conftest import PROJECT_DIR

RESOLVE = ("import sys; from etl import geo; city = geo.resolve_city(sys.argv[1], 'en');"
           "print(geo._geonames_cache_path()); print(city.name if city else None, city.country if city else None)")


def resolve_in_new_process(name: str, cache_dir) -> tuple[str, str]:
    env = {**os.environ, "ETL_CACHE_DIR": str(cache_dir)}
    out = subprocess.run([sys.executable, "-c", RESOLVE, name], cwd=PROJECT_DIR, env=env, check=True,
                         capture_output=True, text=True, timeout=120).stdout.split("\n")
    return out[0], out[1]


def test_the_index_is_built_once_then_read_from_the_cache(tmp_path):
    path, city = resolve_in_new_process("Kuala Lumpur", tmp_path)
    assert city == "Kuala Lumpur MY"  # a GeoNames city (not in the curated gazetteer)
    assert os.path.dirname(path) == str(tmp_path) and os.path.isfile(path)
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".partial")]

    # The next process takes what the file says (here a city that GeoNames does not have).
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM city").fetchone()[0] > 100_000
        conn.execute("INSERT OR REPLACE INTO city VALUES ('latin', 'Atlantis', 'Atlantis', 'XX')")
    assert resolve_in_new_process("Atlantis", tmp_path)[1] == "Atlantis XX"


def test_a_damaged_cache_is_built_again(tmp_path):
    path, _ = resolve_in_new_process("Kuala Lumpur", tmp_path)
    with open(path, "wb") as handle:
        handle.write(b"\x00not an index")
    assert resolve_in_new_process("Kuala Lumpur", tmp_path)[1] == "Kuala Lumpur MY"
    with sqlite3.connect(path) as conn:  # rewritten whole
        assert {row[0] for row in conn.execute("SELECT DISTINCT script FROM city")} == {"latin", "cyrillic"}


def test_an_index_missing_its_completion_mark_is_built_again(tmp_path):
    path, _ = resolve_in_new_process("Kuala Lumpur", tmp_path)
    with sqlite3.connect(path) as conn:  # as a build cut short would leave it, were it renamed
        conn.execute("DELETE FROM meta")
        conn.execute("DELETE FROM city WHERE name = 'Kuala Lumpur'")
    assert resolve_in_new_process("Kuala Lumpur", tmp_path)[1] == "Kuala Lumpur MY"


def test_an_unwritable_cache_folder_only_costs_the_build(tmp_path):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    assert resolve_in_new_process("Kuala Lumpur", blocked / "cache")[1] == "Kuala Lumpur MY"
