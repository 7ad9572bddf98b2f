"""The dossier as a readable, printable document (HTML), in Bahasa Indonesia or English.

Every value from the record is escaped: text fields hold whatever people typed, verbatim.
"""

from __future__ import annotations

from html import escape
from typing import Any

from domain.rules import label_of

WORDS = {
    "id": {
        "title": "Berkas Keberatan — Riwayat Penilaian Kinerja", "evaluation": "Penilaian",
        "generated": "Dibuat", "point": "Titik yang disengketakan", "then": "Keadaan saat itu",
        "now": "Keadaan sekarang", "diff": "Perbedaan", "field": "Unsur", "old": "Sebelum",
        "new": "Sesudah", "rules": "Predikat menurut aturan saat itu dan aturan sekarang",
        "recorded": "Tercatat", "rule_then": "Aturan saat itu", "rule_now": "Aturan sekarang",
        "differs": "Berbeda", "timeline": "Kronologi", "when": "Waktu", "who": "Oleh",
        "role": "Peran", "event": "Peristiwa", "changes": "Perubahan", "why": "Alasan",
        "leaf": "Posisi buku besar", "stage": "Tahap", "predikat": "Predikat",
        "proof": ("Setiap peristiwa di atas disertai bukti inklusi (RFC 9162) terhadap checkpoint "
                  "bertanda tangan di bawah. Periksa dengan: kinerja verify --dossier BERKAS.json"),
        "yes": "ya", "no": "tidak", "as": "sebagai",
    },
    "en": {
        "title": "Appeal Dossier — Performance Evaluation History", "evaluation": "Evaluation",
        "generated": "Generated", "point": "Disputed point", "then": "State at that point",
        "now": "State now", "diff": "Differences", "field": "Field", "old": "Before",
        "new": "After", "rules": "Predikat under the rules then and now", "recorded": "Recorded",
        "rule_then": "Rules then", "rule_now": "Rules now", "differs": "Differs",
        "timeline": "Timeline", "when": "When", "who": "By", "role": "Role", "event": "Event",
        "changes": "Changes", "why": "Reason", "leaf": "Ledger position", "stage": "Stage",
        "predikat": "Predikat",
        "proof": ("Every event above carries an inclusion proof (RFC 9162) against the signed "
                  "checkpoint below. Check it with: kinerja verify --dossier FILE.json"),
        "yes": "yes", "no": "no", "as": "as",
    },
}

STYLE = """body{font-family:Georgia,serif;margin:2em;color:#111}table{border-collapse:collapse;
width:100%;margin:1em 0}th,td{border:1px solid #999;padding:4px 6px;font-size:90%;
vertical-align:top}th{background:#eee}pre{white-space:pre-wrap;font-size:80%}
@media print{body{margin:1cm}}"""


def html(dossier: dict[str, Any], lang: str = "id") -> str:
    w = WORDS[lang]
    parts = [f"<!doctype html><html lang='{lang}'><meta charset='utf-8'>",
             f"<title>{w['title']}</title><style>{STYLE}</style><body>",
             f"<h1>{w['title']}</h1>",
             _facts(w, dossier),
             f"<h2>{w['diff']}</h2>", _table(
                 [w["field"], w["old"], w["new"]],
                 [[c["field"], c["old"], c["new"]] for c in dossier["diff"]]),
             f"<h2>{w['rules']}</h2>", _table(
                 [w["recorded"], w["rule_then"], w["rule_now"], w["differs"]],
                 [[label_of(r["recorded"], r["rule_version_then"]),
                   _under(r["predikat_then"], r["rule_version_then"]),
                   _under(r["predikat_now"], r["rule_version_now"]),
                   w["yes"] if r["differs"] else w["no"]] for r in dossier["rules"]]),
             f"<h2>{w['timeline']}</h2>", _table(
                 [w["when"], w["event"], w["who"], w["role"], w["changes"], w["why"], w["leaf"]],
                 [[e["at"], f"{e['topic']} v{e['version']}",
                   _who(w, e), e["role"],
                   "; ".join(f"{c['field']}: {c['old']} → {c['new']}" for c in e["changes"]),
                   e["reason"], e["leaf_index"]] for e in dossier["timeline"]]),
             f"<p>{w['proof']}</p><pre>{escape(dossier['checkpoint'])}</pre></body></html>"]
    return "\n".join(parts)


def _who(w: dict, entry: dict) -> str:
    """The actor, and the capacity of an act by a Plt/Plh ("sebagai Plt")."""
    who = f"{entry['actor_name'] or ''} ({entry['actor']})"
    acting = entry.get("acting_as")  # a dossier made before it was recorded has none
    return f"{who} {w['as']} {acting}" if acting else who


def _facts(w: dict, d: dict) -> str:
    then, now = d["state_then"], d["state_now"]
    rows = [[w["evaluation"], f"{d['evaluation_id']} (NIP {now.get('nip')}, {now.get('period')})"],
            [w["generated"], d["generated_at"]], [w["point"], d["point"]],
            [w["then"], f"{w['stage']}: {then.get('stage')}; {w['predikat']}: "
                        f"{_predikat(then)}"],
            [w["now"], f"{w['stage']}: {now.get('stage')}; {w['predikat']}: "
                       f"{_predikat(now)}"]]
    return _table(None, rows)


def _predikat(state: dict) -> str | None:
    """The predikat as the outcome's rule set writes it ("Kurang/Misconduct"): this page is
    read by people; the dossier's JSON keeps the stored code."""
    outcome = state.get("outcome") or {}
    return label_of(outcome.get("predikat"), outcome.get("rule_version"))


def _under(predikat: str | None, version: str) -> str:
    return f"{label_of(predikat, version)} ({version})"


def _table(head: list[str] | None, rows: list[list[Any]]) -> str:
    header = "<tr>" + "".join(f"<th>{escape(h)}</th>" for h in head) + "</tr>" if head else ""
    body = "".join("<tr>" + "".join(f"<td>{escape(str(c) if c is not None else '')}</td>"
                                    for c in row) + "</tr>" for row in rows)
    return f"<table>{header}{body}</table>"
