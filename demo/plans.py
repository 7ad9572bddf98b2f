"""SKP plans that cascade, and the realisations and evidence reported against them.

Pure. A plan line names the supervisor's result it supports; the words depend on the level of
the post (a kepala dinas plans outcomes, a kepala seksi activities, staff outputs) and on what
the OPD delivers. Realisations follow the rating the rater will give, so the report and the
rating tell the same story.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass

from demo.org import DIVISION, HEAD, SECTION, STAFF
from demo.words import BEHAVIOUR_EXPECTATIONS
from domain.rules import BERAKHLAK
from domain.values import Evidence, PlanLine, Realisation

CITY_GOALS = (  # the Sekda's plan: the city's goals, at the top of every cascade
    ("Meningkatnya kualitas tata kelola pemerintahan", "Indeks Reformasi Birokrasi", "quality", 78,
     "indeks"),
    ("Meningkatnya kualitas pelayanan publik", "Indeks Kepuasan Masyarakat", "quality", 88,
     "indeks"),
    ("Meningkatnya akuntabilitas kinerja perangkat daerah", "Nilai SAKIP Kota", "quality", 80,
     "nilai"),
)
# (result, indicator, aspect, (low, high) target, unit); {s} a service, {a} an activity
TEMPLATES = {
    HEAD: (("Meningkatnya kualitas layanan {s}", "Indeks kepuasan masyarakat atas layanan {s}",
            "quality", (82, 90), "indeks"),),
    DIVISION: (("Terlaksananya pelayanan {s} tepat waktu",
                "Persentase layanan {s} yang selesai sesuai standar waktu", "quality", (90, 98),
                "%"),
               ("Terkendalinya anggaran program {s}", "Realisasi anggaran program {s}", "cost",
                (500, 3000), "juta rupiah")),
    SECTION: (("Terkelolanya {a} {s}", "Jumlah laporan {a} {s}", "quantity", (12, 24), "laporan"),),
    STAFF: (("Terselesaikannya {a} {s}", "Jumlah {a} {s} yang diselesaikan", "quantity",
             (200, 1500), "berkas"),
            ("Terlayaninya permohonan {s} tepat waktu",
             "Rata-rata waktu penyelesaian permohonan {s}", "time", (2, 5), "hari kerja"),
            ("Tersusunnya laporan {a} {s}", "Jumlah laporan {a} {s} yang disusun", "quantity",
             (12, 24), "laporan")),
}
ACTIVITIES = ("pendataan", "verifikasi", "pengendalian", "pembinaan", "evaluasi", "pengarsipan")
EXTRA_ROLES = ("anggota tim SAKIP", "pengelola media sosial", "anggota tim zona integritas")
NARRATIVE = {"above": "Terlaksana lebih cepat dari jadwal", "meets": "Terlaksana sesuai jadwal",
             "below": "Terlaksana sebagian"}
FACTORS = {"above": (1.08, 1.25), "meets": (0.98, 1.04), "below": (0.6, 0.85)}


@dataclass(frozen=True)
class Target:
    aspect: str
    amount: int
    unit: str


@dataclass(frozen=True)
class Plan:
    kind: str  # quantitative or narrative
    lines: tuple[PlanLine, ...]
    targets: tuple[Target, ...]

    @property
    def ids(self) -> list[str]:
        return [line.id for line in self.lines]


def city_plan() -> Plan:
    lines, targets = [], []
    for n, (rhk, indicator, aspect, amount, unit) in enumerate(CITY_GOALS, start=1):
        targets.append(Target(aspect, amount, unit))
        lines.append(PlanLine(f"G{n}", "utama", "", rhk, aspect, indicator, _amount(targets[-1])))
    return Plan("quantitative", tuple(lines), tuple(targets))


def draft(rng: random.Random, level: int, services: tuple[str, ...], supports: list[str]) -> Plan:
    """A plan for a post at ``level``; every line supports one of the supervisor's results."""
    narrative = level < STAFF and rng.random() < 0.15
    count = rng.randint(2, 3) if level in (HEAD, DIVISION) else rng.randint(1, 3)
    lines, targets = [], []
    for n in range(1, count + 1):
        rhk, indicator, aspect, (low, high), unit = rng.choice(TEMPLATES[level])
        words = {"s": rng.choice(services), "a": rng.choice(ACTIVITIES)}
        targets.append(Target(aspect, rng.randint(low, high), unit))
        goal = "Terlaksana sesuai jadwal" if narrative else _amount(targets[-1])
        lines.append(PlanLine(f"RHK-{n}", "utama", rng.choice(supports), rhk.format(**words),
                              aspect, indicator.format(**words), goal))
    if level == STAFF and rng.random() < 0.3:
        role = rng.choice(EXTRA_ROLES)
        targets.append(Target("quantity", rng.randint(4, 12), "kegiatan"))
        lines.append(PlanLine(f"RHK-{count + 1}", "tambahan", rng.choice(supports),
                              f"Terlaksananya tugas tambahan sebagai {role}",
                              "quantity", f"Jumlah kegiatan {role} yang diikuti",
                              _amount(targets[-1])))
    return Plan("narrative" if narrative else "quantitative", tuple(lines), tuple(targets))


def expectations(rng: random.Random) -> dict[str, str]:
    """What the supervisor expects on a few BerAKHLAK values (the rest go without saying)."""
    return {value: BEHAVIOUR_EXPECTATIONS[value] for value in rng.sample(BERAKHLAK, 3)}


def realise(rng: random.Random, plan: Plan, rating: str) -> list[Realisation]:
    if plan.kind == "narrative":
        return [Realisation(line.id, NARRATIVE[rating]) for line in plan.lines]
    return [Realisation(line.id, _amount(_achieved(rng, target, rating)))
            for line, target in zip(plan.lines, plan.targets)]


def evidence(rng: random.Random, folder: int | str, nip: str, name: str = "laporan", *,
             least: int = 0) -> list[Evidence]:
    """Documents kept elsewhere, named by URI and pinned by the hash of their bytes."""
    return [Evidence(f"s3://kinerja-bukti/{folder}/{nip}/{name}-{k}.pdf",
                     hashlib.sha256(f"{folder}/{nip}/{name}-{k}".encode()).hexdigest())
            for k in range(1, rng.randint(least, 2) + 1)]


def _achieved(rng: random.Random, target: Target, rating: str) -> Target:
    factor = rng.uniform(*FACTORS[rating])
    if target.aspect == "time":  # less time is better
        factor = 2 - factor
    amount = max(1, round(target.amount * factor))
    return Target(target.aspect, min(amount, 100) if target.unit == "%" else amount, target.unit)


def _amount(target: Target) -> str:
    number = f"{target.amount:,}".replace(",", ".")  # Indonesian thousands separator
    if target.unit == "%":
        return f"{number}%"
    return f"Rp {number} juta" if target.unit == "juta rupiah" else f"{number} {target.unit}"
