"""PostgreSQL's save: one plpgsql function, created by ``kinerja db init``, that writes a save's
events, their Merkle leaves and nodes and the request's receipt in one statement under the events
table lock (``postgres_save_function``), and how the recorder calls it (``postgres_save_call``).
"""

from __future__ import annotations

from psycopg.sql import SQL, Composed, Identifier, Literal


def postgres_save_name(events_table: str) -> str:
    """The name of ``postgres_save_function`` for an events table."""
    return f"{events_table}_save"


# The save function's parameters. Its signature is part of its identity: ``db init`` drops a
# function of the same name with other parameters (an earlier release's), and the service
# refuses to start until the function with these exists (``LedgerDB.needs_init``).
SAVE_PARAMETERS = (
    ("new_events", "{event_type}[]"), ("first_leaf", "bigint"), ("last_hash", "bytea"),
    ("leaf_hashes", "bytea"), ("node_levels", "smallint[]"), ("node_idxs", "bigint[]"),
    ("node_hashes", "bytea"), ("wait_for_lock", "text"), ("receipt_actor", "text"),
    ("receipt_key", "text"), ("receipt_fingerprint", "bytea"), ("receipt_resource", "uuid"),
    ("receipt_version", "bigint"), ("receipt_status", "smallint"),
)


# What the function answers, as pg_get_function_result gives it: with the signature, what
# tells this release's function from an earlier one.
SAVE_RESULT = "TABLE(id bigint, recomputed boolean, placed_at bigint, tree bytea)"


def postgres_save_signature(schema: str, events_table: str, event_type: str) -> str:
    """The save function as ``to_regprocedure`` and ``GRANT … ON FUNCTION`` name it."""
    types = ", ".join(kind.format(event_type=f"{schema}.{event_type}")
                      for _, kind in SAVE_PARAMETERS)
    return f"{schema}.{postgres_save_name(events_table)}({types})"


def postgres_save_function(schema: str, events_table: str, event_type: str,
                           channel: str) -> list[Composed]:
    """A save as one statement in a transaction of its own, so one round trip: the events, their
    leaves, the nodes they form and the request's receipt (if any), under the events table lock
    as the library takes it (so notification ids commit in order), and a NOTIFY for followers.

    The caller made the leaves and nodes from the tree as its last commit left it. If the log
    no longer ends there (another writer appended since: leaf ``first_leaf - 1`` is not
    ``last_hash``, or leaf ``first_leaf`` exists), the function makes the nodes itself, under
    the lock, from the tree as stored (its perfect subtrees, O(log n) rows) and the same leaf
    hashes (a leaf's hash does not depend on its place), as ``merkle.CompactRange.extend``
    does, and refuses to go on from a stored tree that lacks a hash. It answers the events'
    notification ids, each with whether it did so (``recomputed``: the caller's tree was
    stale), and then the first leaf's index (``placed_at``) and the tree's perfect subtrees
    after the save, end to end (``tree``), so that the caller can cache it. The events go
    first, so that a version clash names the events table's key. Hashes come end to end in one
    value, node levels and indexes as arrays: few parameters, mostly bytes (sending a short
    array costs more than the row it writes).

    Not the library's POSTGRES_ENABLE_DB_FUNCTIONS function, which skips the lock: a follower
    could then pass over an id that commits later. The statements: drop a function of the
    name with other parameters or another result (an earlier release's), then create it."""
    name = postgres_save_name(events_table)
    names = {"schema": Identifier(schema), "name": Identifier(name),
             "events": SQL("{}.{}").format(Identifier(schema), Identifier(events_table)),
             "channel": Identifier(channel)}
    parameters = SQL(", ").join(
        SQL("{} {}").format(Identifier(parameter), SQL(kind).format(
            event_type=SQL("{}.{}").format(Identifier(schema), Identifier(event_type))))
        for parameter, kind in SAVE_PARAMETERS)
    drop = SQL("""
DO $drop$ DECLARE earlier regprocedure; BEGIN
  FOR earlier IN SELECT p.oid::regprocedure FROM pg_proc p
      WHERE p.proname = {name_text} AND p.pronamespace = {schema_text}::regnamespace
        AND (p.oid IS DISTINCT FROM to_regprocedure({signature})
             OR pg_get_function_result(p.oid) <> {result}) LOOP
    EXECUTE 'DROP FUNCTION ' || earlier;
  END LOOP;
END $drop$""").format(name_text=Literal(name), schema_text=Literal(schema),
                      result=Literal(SAVE_RESULT),
                      signature=Literal(postgres_save_signature(schema, events_table, event_type)))
    create = SQL("""
CREATE OR REPLACE FUNCTION {schema}.{name}({parameters})
RETURNS {result} LANGUAGE plpgsql AS $save$
DECLARE
  stale boolean;
  size bigint;
  stack bytea[];
  formed bytea;
  rest bigint;
  height smallint;
BEGIN
  PERFORM set_config('lock_timeout', wait_for_lock, true);
  LOCK TABLE {events} IN EXCLUSIVE MODE;
  stale := first_leaf > 0 AND (SELECT leaf_hash FROM {schema}.ledger_leaves
                               WHERE leaf_index = first_leaf - 1) IS DISTINCT FROM last_hash
           OR EXISTS (SELECT FROM {schema}.ledger_leaves WHERE leaf_index = first_leaf);
  IF stale THEN  -- the tree as stored, and the nodes the leaves form on it
    SELECT coalesce(max(leaf_index) + 1, 0) INTO size FROM {schema}.ledger_leaves;
    SELECT coalesce(array_agg(CASE WHEN b.level = 0
             THEN (SELECT leaf_hash FROM {schema}.ledger_leaves WHERE leaf_index = size - 1)
             ELSE (SELECT n.hash FROM {schema}.ledger_nodes n
                   WHERE n.level = b.level AND n.idx = (size >> b.level) - 1) END
             ORDER BY b.level DESC), '{{}}')
      INTO stack FROM generate_series(0, 62) AS b(level) WHERE ((size >> b.level) & 1) = 1;
    IF array_position(stack, NULL) IS NOT NULL THEN  -- only a rogue removes one
      RAISE EXCEPTION 'kinerja-ledger: the stored tree of % leaves lacks a subtree hash;'
        ' run kinerja verify', size USING ERRCODE = 'data_corrupted';
    END IF;
    first_leaf := size;
    node_levels := '{{}}'; node_idxs := '{{}}'; node_hashes := '';
    FOR i IN 1 .. length(leaf_hashes) / 32 LOOP
      formed := substring(leaf_hashes FROM (32 * i - 31)::int FOR 32);
      rest := size; height := 0;
      WHILE rest & 1 = 1 LOOP
        formed := sha256('\\x01'::bytea || stack[cardinality(stack)] || formed);
        stack := stack[1:cardinality(stack) - 1];
        rest := rest >> 1; height := height + 1;
        node_levels := node_levels || height; node_idxs := node_idxs || rest;
        node_hashes := node_hashes || formed;
      END LOOP;
      stack := stack || formed;
      size := size + 1;
    END LOOP;
    tree := (SELECT string_agg(h, ''::bytea ORDER BY o)
             FROM unnest(stack) WITH ORDINALITY AS s(h, o));
  END IF;
  NOTIFY {channel};
  RETURN QUERY INSERT INTO {events} AS t (originator_id, originator_version, topic, state)
    SELECT e.originator_id, e.originator_version, e.topic, e.state
    FROM unnest(new_events) WITH ORDINALITY AS e(originator_id, originator_version, topic, state, n)
    ORDER BY e.n
    RETURNING t.notification_id, stale, first_leaf, tree;
  INSERT INTO {schema}.ledger_leaves (leaf_index, originator_id, originator_version, leaf_hash)
  SELECT first_leaf + e.n - 1, e.originator_id, e.originator_version,
         substring(leaf_hashes FROM (32 * e.n - 31)::int FOR 32)
  FROM unnest(new_events) WITH ORDINALITY AS e(originator_id, originator_version, topic, state, n);
  INSERT INTO {schema}.ledger_nodes (level, idx, hash)
  SELECT u.level, u.idx, substring(node_hashes FROM (32 * u.n - 31)::int FOR 32)
  FROM unnest(node_levels, node_idxs) WITH ORDINALITY AS u(level, idx, n);
  IF receipt_actor IS NOT NULL THEN
    INSERT INTO {schema}.request_receipts (actor, key, fingerprint, resource_id, version, status)
    VALUES (receipt_actor, receipt_key, receipt_fingerprint, receipt_resource, receipt_version,
            receipt_status);
  END IF;
END $save$""").format(parameters=parameters, result=SQL(SAVE_RESULT), **names)
    return [drop, create]


def postgres_save_call(schema: str, events_table: str, event_type: str) -> Composed:
    """Calling ``postgres_save_function`` with named parameters
    (``LedgerPostgresRecorder._params``)."""
    name = SQL("{}.{}").format(Identifier(schema), Identifier(postgres_save_name(events_table)))
    qualified_type = SQL("{}.{}").format(Identifier(schema), Identifier(event_type))
    return SQL("SELECT id, recomputed, placed_at, tree FROM {name}(%(events)s::{event_type}[],"
               " %(first)s, %(last)s::bytea, %(hashes)s, %(levels)s::smallint[],"
               " %(idxs)s::bigint[], %(node_hashes)s,"
               " %(wait)s, %(receipt_actor)s, %(receipt_key)s, %(receipt_fingerprint)s::bytea,"
               " %(receipt_resource_id)s::uuid, %(receipt_version)s::bigint,"
               " %(receipt_status)s::smallint)").format(name=name, event_type=qualified_type)
