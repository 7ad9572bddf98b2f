"""Each demo ASN's standing: a PNS's golongan from their post and years of service, a PPPK's
current contract period. Pure and drawn from nothing random, so the seed's stream is unchanged.
"""

from __future__ import annotations

from datetime import date

from demo.org import DIVISION, HEAD, SECTION, SEKDA, STAFF, Person
from domain.asn import GOLONGAN
from domain.nip import PNS, PPPK_PART_TIME, parse_nip

# The golongan each level of the line holds, lowest to highest (a Sekda is JPT Madya, a kepala
# OPD JPT Pratama, then administrator, pengawas, and staff).
BANDS = {SEKDA: ("IV/c", "IV/e"), HEAD: ("IV/b", "IV/c"), DIVISION: ("III/d", "IV/b"),
         SECTION: ("III/b", "IV/a"), STAFF: ("II/a", "III/d")}
CLERICAL = ("Pengadministrasi", "Petugas", "Pengelola", "Pengolah", "Pengemudi", "Pramu")
YEARS_PER_STEP = 4  # a regular promotion (kenaikan pangkat reguler) every four years
CONTRACT_YEARS = 5  # a full PPPK's agreement; a part-time one's runs a year


def golongan(person: Person, year: int) -> str | None:
    """A PNS enters at II/a (school leavers in clerical posts) or III/a (graduates), rises a
    step every four years of service, and sits within the band of their post."""
    if person.employment != PNS:
        return None
    entry = "II/a" if person.position.startswith(CLERICAL) else "III/a"
    served = year - parse_nip(person.nip).appointed[0]
    low, high = (GOLONGAN.index(g) for g in BANDS[person.level])
    return GOLONGAN[min(max(GOLONGAN.index(entry) + served // YEARS_PER_STEP, low), high)]


def contract(person: Person, year: int) -> tuple[date, date] | None:
    """The agreement in force in ``year``: renewed back to back from the first appointment."""
    if person.employment == PNS:
        return None
    if person.employment == PPPK_PART_TIME:
        return date(year, 1, 1), date(year, 12, 31)
    first = parse_nip(person.nip).appointed[0]
    start = first + (year - first) // CONTRACT_YEARS * CONTRACT_YEARS
    return date(start, 1, 1), date(start + CONTRACT_YEARS - 1, 12, 31)
