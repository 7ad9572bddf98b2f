"""The command line as an operator meets it: real processes, real stores."""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import psycopg

from service.config import Settings
from service.store import open_app
from tests.conftest import ADMIN_URL, postgres_url
from tests.service.scenario import ADMIN

KINERJA = [sys.executable, "-m", "api"]


def kinerja(*args: str, url: str, cwd=None) -> subprocess.CompletedProcess:
    env = {**os.environ, "KINERJA_DATABASE_URL": url}
    return subprocess.run([*KINERJA, *args], capture_output=True, text=True, env=env, cwd=cwd,
                          timeout=120)


def test_version_is_printed(tmp_path):
    result = kinerja("--version", url=f"sqlite:///{tmp_path}/k.db")
    assert result.returncode == 0 and result.stdout.startswith("kinerja-ledger ")


def test_every_command_is_registered_by_the_entry_point_module_alone():
    # A fresh interpreter that imports api.cli only: its explicit list must hold every command
    listing = subprocess.run(
        [sys.executable, "-c", "import typer, api.cli; group = typer.main.get_command(api.cli.app);"
                               "print(' '.join(group.list_commands(None)))"],
        capture_output=True, text=True, timeout=60)
    assert listing.stdout.split() == ["demo", "checkpoint", "verify", "export", "serve",
                                      "import-history", "db",
                                      "keys", "project", "replay", "tokens"]


def test_db_init_is_idempotent(tmp_path):
    url = f"sqlite:///{tmp_path}/k.db"
    assert kinerja("db", "init", url=url).returncode == 0
    second = kinerja("db", "init", url=url)
    assert second.returncode == 0 and "database ready" in second.stdout


def test_the_default_store_is_kinerja_db_in_the_working_folder(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "KINERJA_DATABASE_URL"}
    result = subprocess.run([*KINERJA, "db", "init"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and (tmp_path / "kinerja.db").exists()


def one_clear_line(result: subprocess.CompletedProcess) -> str:
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def test_a_bad_url_is_one_clear_line(tmp_path):
    line = one_clear_line(kinerja("db", "init", url="mysql://root@localhost/kinerja"))
    assert "KINERJA_DATABASE_URL" in line


def test_an_unreachable_database_is_one_clear_line():
    line = one_clear_line(kinerja("db", "init", url="postgresql://postgres@127.0.0.1:1/none"))
    assert "cannot reach the database" in line


def test_a_store_without_tables_asks_for_db_init(tmp_path):
    from service.config import Settings
    from service.store import StoreError, open_app
    try:
        open_app(Settings(f"sqlite:///{tmp_path}/empty.db"))
    except StoreError as e:
        assert "kinerja db init" in str(e)
    else:
        raise AssertionError("opening a store without tables must fail")


def test_several_processes_initialising_postgres_at_once_all_succeed():
    name = f"kinerja_race_{os.getpid()}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    url = postgres_url(name)
    try:
        with ThreadPoolExecutor(4) as pool:
            results = list(pool.map(lambda _: kinerja("db", "init", url=url), range(4)))
        assert [r.returncode for r in results] == [0, 0, 0, 0], [r.stderr for r in results]
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_no_token_is_issued_for_an_invalid_number_or_someone_unregistered(tmp_path):
    url = f"sqlite:///{tmp_path}/k.db"
    assert kinerja("db", "init", url=url).returncode == 0
    line = one_clear_line(kinerja("tokens", "issue", "--nip", "12345", "--role", "asn", url=url))
    assert "neither a valid NIP" in line
    pppk = "199009132025212014"
    line = one_clear_line(kinerja("tokens", "issue", "--nip", pppk, "--role", "asn", url=url))
    assert "not a registered employee" in line
    application = open_app(Settings(database_url=url), sign=False)
    application.establish_unit(ADMIN, "DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil")
    application.register_employee(ADMIN, pppk, "Rina", unit_code="DISDUKCAPIL",
                                  position="Pengadministrasi", effective_from=date(2025, 1, 1),
                                  contract=(date(2025, 1, 1), date(2029, 12, 31)))
    application.close()
    issued = kinerja("tokens", "issue", "--nip", pppk, "--role", "asn", url=url)
    assert issued.returncode == 0 and issued.stdout.startswith("kin_")
    service = kinerja("tokens", "issue", "--nip", "system:bkpp-sync", "--role", "admin", url=url)
    assert service.returncode == 0
