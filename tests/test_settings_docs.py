"""The README's configuration table states the defaults the code has (service/config.py)."""

from __future__ import annotations

import re
from pathlib import Path

from service.config import Settings

README = Path(__file__).resolve().parent.parent / "README.md"
# README variable -> the Settings field it sets (the JWT variables default to unset: no field).
FIELDS = {
    "KINERJA_DATABASE_URL": ("database_url",), "KINERJA_POOL_SIZE": ("pool_size",),
    "KINERJA_LEDGER_ORIGIN": ("origin",), "KINERJA_KEY_FILE": ("key_file",),
    "KINERJA_VERIFIER_KEYS": ("verifier_keys",),
    "KINERJA_CHECKPOINT_EVERY": ("checkpoint_every", "checkpoint_seconds"),
    "KINERJA_PROJECTIONS": ("projections",), "KINERJA_LOG_REDACT_NIPS": ("redact_nips",),
}


def documented_defaults() -> dict[str, str]:
    rows = re.findall(r"^\| `(KINERJA_\w+)`[^|]*\| ([^|]+) \|", README.read_text(), re.M)
    return {name: default.replace("`", "").strip() for name, default in rows}


def test_the_readme_states_every_default_the_code_has():
    settings = Settings.from_env({})
    documented = documented_defaults()
    for variable, fields in FIELDS.items():
        assert documented[variable] == " / ".join(str(getattr(settings, f)) for f in fields)
    assert documented["KINERJA_JWT_ISSUER"] == "unset" and settings.jwt is None
