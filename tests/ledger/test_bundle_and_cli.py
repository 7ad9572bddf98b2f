"""What an auditor runs: kinerja checkpoint, verify (database and bundle), export — as processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ledger.bundle import BundleError, verify_bundle
from ledger.keys import trusted_verifiers
from ledger.note import verifier_key
from tests.ledger.conftest import RogueAdmin, some_history


def kinerja(config, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "KINERJA_DATABASE_URL": config.database_url,
           "KINERJA_KEY_FILE": str(config.key_file),
           "KINERJA_VERIFIER_KEYS": str(config.verifier_keys)}
    return subprocess.run([sys.executable, "-m", "api", *args], env=env, capture_output=True,
                          text=True, timeout=120)


@pytest.fixture
def history(ledger_app, signed_settings, clock):
    some_history(ledger_app, clock)
    return signed_settings


def test_checkpoint_prints_a_signed_note(history):
    result = kinerja(history, "checkpoint")
    lines = result.stdout.splitlines()
    assert result.returncode == 0 and lines[0] == history.origin
    assert lines[3] == "" and lines[4].startswith("\u2014 " + history.origin + " ")


def test_verify_passes_then_names_the_tampered_leaf(history):
    assert kinerja(history, "checkpoint").returncode == 0
    ok = kinerja(history, "verify", "--json")
    assert ok.returncode == 0 and json.loads(ok.stdout)["ok"] is True
    with RogueAdmin(history) as rogue:
        rogue.sql("UPDATE {events} SET topic = 'kinerja/X' WHERE {order} = "
                  "(SELECT {order} FROM {events} ORDER BY {order} LIMIT 1 OFFSET 5)")
    failed = kinerja(history, "verify", "--json")
    report = json.loads(failed.stdout)
    assert failed.returncode == 1 and report["ok"] is False
    assert report["first_failure"]["kind"] == "content_changed"
    assert report["first_failure"]["leaf_index"] == 5
    words = kinerja(history, "verify")
    assert words.returncode == 1 and words.stdout.startswith("FAILED: leaf 5 (event ")


def test_an_exported_bundle_verifies_offline_and_catches_tampering(history, tmp_path):
    assert kinerja(history, "checkpoint").returncode == 0
    bundle = tmp_path / "ledger.zip"
    assert kinerja(history, "export", str(bundle)).returncode == 0
    keys = trusted_verifiers(history.verifier_keys)
    report, manifest = verify_bundle(bundle, keys)
    assert report.ok and report.leaves == manifest["events"] > 0
    offline = subprocess.run([sys.executable, "-m", "api", "verify", "--bundle", str(bundle)],
                             env={**os.environ, "KINERJA_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"},
                             capture_output=True, text=True, timeout=120)
    assert offline.returncode == 0, offline.stderr  # no database needed
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(bundle) as src, zipfile.ZipFile(tampered, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "events.bin":
                data = data.replace(b'"role":"asn"', b'"role":"adm"', 1)
            dst.writestr(item, data)
    report, _ = verify_bundle(tampered, keys)
    assert report.first.kind == "content_changed"


def test_verify_trusting_only_another_key_rejects_the_checkpoint(history):
    assert kinerja(history, "checkpoint").returncode == 0
    stranger = verifier_key(history.origin, Ed25519PrivateKey.generate().public_key())
    result = kinerja(history, "verify", "--json", "--key", stranger)
    assert result.returncode == 1
    assert json.loads(result.stdout)["first_failure"]["kind"] == "unknown_key"


def test_a_malformed_key_is_one_clear_error(history):
    result = kinerja(history, "verify", "--key", "not-a-key")
    assert result.returncode == 2 and result.stderr.startswith("error: not a verifier key")


def rewritten(bundle, path, change) -> None:
    """A copy of ``bundle`` at ``path`` with events.bin passed through ``change``."""
    with zipfile.ZipFile(bundle) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            dst.writestr(item, change(data) if item.filename == "events.bin" else data)


def test_the_events_read_beside_or_here_give_the_same_report(history, tmp_path):
    assert kinerja(history, "checkpoint").returncode == 0
    bundle = tmp_path / "ledger.zip"
    assert kinerja(history, "export", str(bundle)).returncode == 0
    keys = trusted_verifiers(history.verifier_keys)
    dropped = tmp_path / "dropped.zip"  # the third event's record cut out of events.bin
    rewritten(bundle, dropped, lambda data: _without_record(data, 2))
    for path in (bundle, dropped):
        beside, here = (verify_bundle(path, keys, beside=b)[0] for b in (True, False))
        assert beside.as_dict() == here.as_dict()
        assert beside.ok is (path == bundle)
    assert beside.first.kind in ("missing_event", "out_of_order", "content_changed")
    assert beside.first.leaf_index == 2


@pytest.mark.parametrize("beside", [True, False])
def test_a_malformed_event_record_is_a_bundle_error(history, tmp_path, beside):
    bundle, broken = tmp_path / "ledger.zip", tmp_path / "broken.zip"
    assert kinerja(history, "export", str(bundle)).returncode == 0
    # the first event's id said to be 5 bytes long, not 16
    rewritten(bundle, broken, lambda data: data[:5] + b"\x00\x00\x00\x05" + data[9:])
    with pytest.raises(BundleError, match="malformed event"):
        verify_bundle(broken, trusted_verifiers(history.verifier_keys), beside=beside)


def _without_record(data: bytes, n: int) -> bytes:
    offset = 0
    for _ in range(n):
        offset += 4 + int.from_bytes(data[offset:offset + 4], "big")
    end = offset + 4 + int.from_bytes(data[offset:offset + 4], "big")
    return data[:offset] + data[end:]


@pytest.mark.parametrize("beside", [True, False])
def test_a_damaged_zip_is_a_bundle_error_on_both_paths(history, tmp_path, beside):
    bundle = tmp_path / "ledger.zip"
    assert kinerja(history, "export", str(bundle)).returncode == 0
    with zipfile.ZipFile(bundle) as z:
        member = z.getinfo("events.bin")
    data = bytearray(bundle.read_bytes())
    start = member.header_offset + 30 + len(member.filename) + len(member.extra)
    middle = start + member.compress_size // 2
    data[middle:middle + 64] = bytes(64)  # the deflated events, zeroed in the middle
    bundle.write_bytes(bytes(data))
    with pytest.raises(BundleError, match="events.bin") as caught:
        verify_bundle(bundle, trusted_verifiers(history.verifier_keys), beside=beside)
    assert "Traceback" not in str(caught.value)
