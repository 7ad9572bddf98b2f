"""Subcommands that need more than configuration (demo data, and later the ledger)."""

from __future__ import annotations
