"""Fixtures for the ledger on a real store: a signing key in a temp folder, and raw SQL access
the way a rogue administrator has it (past the append-only triggers)."""

from __future__ import annotations

import sqlite3

import psycopg
import pytest

from ledger.schema import completing_leaf
from tests.conftest import ledger_app, signed_settings  # noqa: F401  (shared fixtures)
from tests.service.scenario import finalised, reporting_line


def some_history(app, clock, lines: int = 2) -> None:
    for _ in range(lines):
        finalised(app, clock, reporting_line(app))


class RogueAdmin:
    """Raw SQL on the store, as someone with the database's superuser password would run it."""

    def __init__(self, settings) -> None:
        self.is_postgres = settings.backend == "postgresql"
        self.events = "kinerja_events" if self.is_postgres else "stored_events"
        self.order = "notification_id" if self.is_postgres else "rowid"
        if self.is_postgres:
            self.conn = psycopg.connect(settings.database_url, autocommit=True)
            self.conn.execute("SET session_replication_role = replica")
        else:
            self.conn = sqlite3.connect(settings.database_url.split(":///", 1)[1],
                                        isolation_level=None)

    def sql(self, statement: str, params: tuple = ()) -> list:
        statement = statement.replace("{events}", self.events).replace("{order}", self.order)
        if not self.is_postgres:
            statement = statement.replace("%s", "?")
        cursor = self.conn.execute(statement, params)
        return list(cursor.fetchall()) if cursor.description else []

    def key(self, oid):
        return oid if self.is_postgres else oid.hex

    def set_node(self, level: int, idx: int, digest: bytes) -> None:
        """Overwrite a stored subtree hash (on SQLite, inside the row of its leaf)."""
        if self.is_postgres:
            self.sql("UPDATE ledger_nodes SET hash = %s WHERE level = %s AND idx = %s",
                     (digest, level, idx))
            return
        leaf = completing_leaf(level, idx)
        (nodes,), = self.sql("SELECT nodes FROM ledger_leaves WHERE leaf_index = %s", (leaf,))
        nodes = nodes[:(level - 1) * 32] + digest + nodes[level * 32:]
        self.sql("UPDATE ledger_leaves SET nodes = %s WHERE leaf_index = %s", (nodes, leaf))

    def truncate(self, keep: int) -> None:
        """The ledger cut back to ``keep`` leaves, with every node above those it drops."""
        self.sql("DELETE FROM ledger_leaves WHERE leaf_index >= %s", (keep,))
        if self.is_postgres:
            self.sql("DELETE FROM ledger_nodes WHERE (idx + 1) * (1 << level) > %s", (keep,))

    def fail_next_leaf_insert(self) -> None:
        """A trigger that fails inside the transaction that stores the next event."""
        if self.is_postgres:
            self.sql("""CREATE OR REPLACE FUNCTION kinerja_test_fail() RETURNS trigger
                LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$""")
            self.sql("CREATE TRIGGER kinerja_test_fail BEFORE INSERT ON ledger_leaves"
                     " FOR EACH STATEMENT EXECUTE FUNCTION kinerja_test_fail()")
        else:
            self.sql("CREATE TRIGGER kinerja_test_fail BEFORE INSERT ON ledger_leaves"
                     " BEGIN SELECT RAISE(ABORT, 'injected failure'); END")

    def close(self) -> None:
        if self.is_postgres:
            self.conn.execute("DROP TRIGGER IF EXISTS kinerja_test_fail ON ledger_leaves")
        else:
            self.conn.execute("DROP TRIGGER IF EXISTS kinerja_test_fail")
        self.conn.close()

    def __enter__(self) -> RogueAdmin:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


@pytest.fixture
def rogue(signed_settings):  # noqa: F811 - the fixture imported above, asked for by name
    admin = RogueAdmin(signed_settings)
    yield admin
    admin.close()
