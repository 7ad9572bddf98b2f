"""The organisations of the demo city: Kota Semarang-style OPDs with their bidang and seksi.

Pure data. The order matters: a demo with fewer OPDs takes the first ones, so the Sekretariat
Daerah (where the Sekda sits), BKPP (whose staff inspect) and the first service counters always
exist. Names follow the city's perangkat daerah; the structure is simplified to three tiers.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Division:
    """A bidang, bagian, sekretariat or kelurahan: headed by one official, split into sections."""

    name: str
    head: str  # the position of its head
    sections: tuple[str, ...]  # seksi or subbagian; each is headed by "Kepala <section>"


@dataclass(frozen=True)
class OPD:
    code: str
    name: str
    head: str  # the position of the OPD's head
    divisions: tuple[Division, ...]  # the first ones are kept when a small demo trims them
    services: tuple[str, ...]  # what it delivers: the words of its plans
    jobs: tuple[str, ...]  # the positions of its staff
    weight: int = 2  # relative size of its staff
    place: str = ""  # its service counter: only these units get a service standard and sidak
    school_jobs: tuple[str, ...] = ()  # the positions of staff in its schools: teachers

    def jobs_in(self, unit_name: str) -> tuple[str, ...]:
        """Teachers teach in schools; everyone else works in the office's sections."""
        return self.school_jobs if is_school(unit_name) and self.school_jobs else self.jobs


SCHOOLS = ("SD Negeri", "SMP Negeri")  # satuan pendidikan of the city: each headed by a
                                       # kepala sekolah, staffed by teachers


def is_school(unit_name: str) -> bool:
    return unit_name.startswith(SCHOOLS)


def schools(level: str, *names: str) -> Division:
    """The bidang that fosters one level of schools, with the schools under it (the city's
    schools are satuan pendidikan of Dinas Pendidikan): each school's head is its kepala
    sekolah."""
    return Division(f"Bidang Pembinaan {level}", f"Kepala Bidang Pembinaan {level}", names)


def bidang(name: str, *sections: str) -> Division:
    return _division("Bidang", "Seksi", name, sections)


def bagian(name: str, *sections: str) -> Division:
    return _division("Bagian", "Subbagian", name, sections)


def _division(kind: str, section_kind: str, name: str, sections: tuple[str, ...]) -> Division:
    return Division(f"{kind} {name}", f"Kepala {kind} {name}",
                    tuple(f"{section_kind} {s}" for s in sections))


def kelurahan(name: str) -> Division:
    return Division(f"Kelurahan {name}", f"Lurah {name}",
                    ("Seksi Pemerintahan dan Ketenteraman",
                     "Seksi Pelayanan dan Kesejahteraan Sosial"))


def sekretariat(kecamatan: bool = False) -> Division:
    if kecamatan:
        return Division("Sekretariat Kecamatan", "Sekretaris Kecamatan",
                        ("Subbagian Umum dan Kepegawaian", "Subbagian Perencanaan dan Keuangan"))
    return Division("Sekretariat", "Sekretaris",
                    ("Subbagian Umum dan Kepegawaian", "Subbagian Keuangan",
                     "Subbagian Perencanaan dan Evaluasi"))


def kecamatan(code: str, name: str, *kelurahans: str) -> OPD:
    return OPD(code, f"Kecamatan {name}", f"Camat {name}",
               (*(kelurahan(k) for k in kelurahans), sekretariat(kecamatan=True)),
               ("surat keterangan kependudukan", "rekomendasi perizinan", "pelayanan PATEN"),
               ("Pengadministrasi Perkantoran", "Pengolah Data Kependudukan",
                "Penata Layanan Operasional"),
               weight=2, place=f"Ruang Pelayanan Kantor Kecamatan {name}")


ADMIN_JOBS = ("Pengadministrasi Perkantoran", "Analis Keuangan", "Pranata Komputer", "Arsiparis",
              "Perencana", "Analis Sumber Daya Manusia Aparatur")

STANDARD_ITEMS = (
    "Persyaratan dan alur layanan dipajang di ruang layanan",
    "Nomor antrian tertib dan berjalan",
    "Petugas hadir dan siap melayani sesuai jam layanan",
    "Petugas berseragam dan memakai tanda pengenal",
    "Layanan selesai sesuai waktu yang dijanjikan",
    "Tidak ada pungutan di luar ketentuan",
    "Sarana pengaduan tersedia dan ditindaklanjuti",
    "Ruang tunggu bersih dan ramah difabel",
)

CATALOGUE: tuple[OPD, ...] = (
    OPD("SETDA", "Sekretariat Daerah Kota Semarang", "Sekretaris Daerah",
        (bagian("Organisasi", "Kelembagaan dan Analisis Jabatan",
                "Reformasi Birokrasi dan Akuntabilitas Kinerja"),
         bagian("Hukum", "Peraturan Perundang-undangan", "Bantuan Hukum"),
         bagian("Umum", "Tata Usaha Pimpinan", "Rumah Tangga"),
         bagian("Pengadaan Barang dan Jasa", "Pengelolaan Pengadaan", "Pembinaan dan Advokasi")),
        ("tata kelola pemerintahan", "reformasi birokrasi", "produk hukum daerah"),
        ADMIN_JOBS + ("Analis Hukum", "Analis Kebijakan"), weight=2),
    OPD("BKPP", "Badan Kepegawaian, Pendidikan dan Pelatihan", "Kepala Badan",
        (bidang("Penilaian Kinerja dan Pembinaan Aparatur", "Penilaian Kinerja",
                "Disiplin dan Pembinaan"),
         sekretariat(),
         bidang("Mutasi dan Promosi", "Mutasi", "Promosi dan Jabatan Fungsional"),
         bidang("Pengembangan Kompetensi Aparatur", "Diklat Struktural",
                "Diklat Teknis dan Fungsional")),
        ("manajemen kinerja ASN", "pembinaan disiplin pegawai", "pengembangan kompetensi ASN"),
        ("Analis Sumber Daya Manusia Aparatur", "Asesor SDM Aparatur", "Pranata Komputer",
         "Widyaiswara"), weight=2),
    OPD("DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", "Kepala Dinas",
        (bidang("Pelayanan Pendaftaran Penduduk", "Identitas Penduduk", "Pindah Datang Penduduk",
                "Pendataan Penduduk"),
         sekretariat(),
         bidang("Pelayanan Pencatatan Sipil", "Kelahiran dan Kematian",
                "Perkawinan dan Perceraian"),
         bidang("Pengelolaan Informasi Administrasi Kependudukan", "Sistem Informasi",
                "Pengolahan dan Penyajian Data"),
         bidang("Pemanfaatan Data dan Inovasi Pelayanan", "Kerja Sama", "Inovasi Pelayanan")),
        ("KTP-el", "Kartu Keluarga", "akta kelahiran", "Kartu Identitas Anak", "surat pindah"),
        ("Administrator Database Kependudukan", "Verifikator Berkas Kependudukan",
         "Pengadministrasi Kependudukan", "Pranata Komputer"),
        weight=3, place="Ruang Pelayanan Disdukcapil, Jl. Kanguru Raya"),
    OPD("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "Kepala Dinas",
        (bidang("Pelayanan Perizinan", "Perizinan Usaha", "Perizinan Non Usaha"),
         sekretariat(),
         bidang("Pengaduan dan Informasi Layanan", "Pengaduan", "Informasi Layanan"),
         bidang("Penanaman Modal", "Promosi Penanaman Modal", "Pengendalian Penanaman Modal")),
        ("Persetujuan Bangunan Gedung", "Nomor Induk Berusaha", "izin reklame",
         "izin praktik tenaga kesehatan"),
        ("Analis Perizinan", "Penata Perizinan", "Pengelola Pengaduan",
         "Penelaah Teknis Kebijakan"),
        weight=2, place="Mal Pelayanan Publik Kota Semarang"),
    OPD("DINKES", "Dinas Kesehatan", "Kepala Dinas",
        (bidang("Pelayanan Kesehatan", "Pelayanan Kesehatan Primer",
                "Pelayanan Kesehatan Rujukan"),
         sekretariat(),
         bidang("Pencegahan dan Pengendalian Penyakit", "Surveilans dan Imunisasi",
                "Pengendalian Penyakit Menular"),
         bidang("Kesehatan Masyarakat", "Kesehatan Keluarga dan Gizi", "Promosi Kesehatan"),
         bidang("Sumber Daya Kesehatan", "Kefarmasian", "Sumber Daya Manusia Kesehatan")),
        ("imunisasi dasar lengkap", "pelayanan puskesmas", "penanganan stunting",
         "jaminan kesehatan semesta"),
        ("Perawat", "Bidan", "Dokter", "Nutrisionis", "Sanitarian", "Apoteker",
         "Epidemiolog Kesehatan"),
        weight=5, place="Puskesmas Pandanaran"),
    OPD("DISDIK", "Dinas Pendidikan", "Kepala Dinas",
        (schools("Sekolah Dasar", "SD Negeri Sekayu", "SD Negeri Pekunden",
                 "SD Negeri Srondol Wetan 02"),
         sekretariat(),
         schools("Sekolah Menengah Pertama", "SMP Negeri 2 Semarang", "SMP Negeri 5 Semarang",
                 "SMP Negeri 21 Semarang"),
         bidang("Pendidikan Anak Usia Dini dan Nonformal", "PAUD", "Pendidikan Nonformal"),
         bidang("Pendidik dan Tenaga Kependidikan", "Pendidik", "Tenaga Kependidikan")),
        ("wajib belajar sembilan tahun", "penerimaan peserta didik baru", "mutu pendidikan dasar"),
        ("Pengawas Sekolah", "Penilik", "Analis Pendidikan", "Pengadministrasi Perkantoran"),
        weight=6,
        school_jobs=("Guru Ahli Pertama", "Guru Ahli Muda", "Guru Ahli Madya",
                     "Guru Kelas", "Guru Mata Pelajaran")),
    OPD("BAPPEDA", "Badan Perencanaan Pembangunan Daerah", "Kepala Badan",
        (bidang("Perencanaan Pemerintahan dan Pembangunan Manusia", "Pemerintahan",
                "Pembangunan Manusia"),
         sekretariat(),
         bidang("Perencanaan Infrastruktur dan Kewilayahan", "Infrastruktur", "Kewilayahan"),
         bidang("Penelitian, Pengembangan dan Evaluasi", "Penelitian", "Evaluasi Pembangunan")),
        ("dokumen RKPD", "evaluasi RPJMD", "musrenbang kelurahan"),
        ("Perencana", "Peneliti", "Analis Kebijakan", "Statistisi"), weight=1),
    OPD("DISHUB", "Dinas Perhubungan", "Kepala Dinas",
        (bidang("Pengujian Kendaraan Bermotor", "Pengujian Berkala", "Sarana Pengujian"),
         sekretariat(),
         bidang("Lalu Lintas", "Manajemen Lalu Lintas", "Pengendalian dan Operasi"),
         bidang("Angkutan", "Angkutan Orang", "Angkutan Barang")),
        ("uji berkala kendaraan", "ketertiban lalu lintas", "layanan Trans Semarang"),
        ("Penguji Kendaraan Bermotor", "Asisten Inspektur Perhubungan",
         "Petugas Pengatur Lalu Lintas", "Pengelola Parkir"),
        weight=3, place="Unit Pengujian Kendaraan Bermotor Manyaran"),
    OPD("SATPOLPP", "Satuan Polisi Pamong Praja", "Kepala Satuan",
        (bidang("Penegakan Peraturan Daerah", "Penyelidikan dan Penyidikan",
                "Pembinaan dan Pengawasan"),
         sekretariat(),
         bidang("Ketertiban Umum dan Ketenteraman Masyarakat", "Operasi dan Pengendalian",
                "Kerja Sama"),
         bidang("Perlindungan Masyarakat", "Satuan Linmas", "Bina Potensi Masyarakat")),
        ("penegakan peraturan daerah", "ketertiban umum", "perlindungan masyarakat"),
        ("Polisi Pamong Praja Terampil", "Polisi Pamong Praja Mahir",
         "Penyidik Pegawai Negeri Sipil"),
        weight=3),
    OPD("DINSOS", "Dinas Sosial", "Kepala Dinas",
        (bidang("Perlindungan dan Jaminan Sosial", "Jaminan Sosial Keluarga",
                "Perlindungan Korban Bencana"),
         sekretariat(),
         bidang("Rehabilitasi Sosial", "Rehabilitasi Sosial Anak dan Lansia",
                "Rehabilitasi Penyandang Disabilitas"),
         bidang("Pemberdayaan Sosial", "Pemberdayaan Fakir Miskin",
                "Kepahlawanan dan Restorasi Sosial")),
        ("Data Terpadu Kesejahteraan Sosial", "bantuan sosial", "rehabilitasi sosial"),
        ("Pekerja Sosial", "Penyuluh Sosial", "Pengolah Data Kesejahteraan Sosial"),
        weight=2, place="Ruang Layanan Terpadu Dinas Sosial"),
    kecamatan("KEC-SMGTENGAH", "Semarang Tengah", "Sekayu", "Miroto", "Pindrikan Kidul",
              "Kranggan"),
    kecamatan("KEC-BANYUMANIK", "Banyumanik", "Srondol Wetan", "Pedalangan", "Sumurboto",
              "Tinjomoyo"),
    OPD("BAPENDA", "Badan Pendapatan Daerah", "Kepala Badan",
        (bidang("Pajak Bumi dan Bangunan", "Pendataan PBB", "Penagihan PBB"),
         sekretariat(),
         bidang("Pajak Daerah Lainnya", "Pajak Restoran dan Hotel", "Pajak Reklame dan Parkir")),
        ("Pajak Bumi dan Bangunan", "pajak restoran", "pajak reklame"),
        ("Penilai Pajak", "Pemeriksa Pajak Daerah", "Pengelola Penerimaan"),
        weight=2, place="Loket Pelayanan Bapenda"),
    OPD("DISNAKER", "Dinas Tenaga Kerja", "Kepala Dinas",
        (bidang("Penempatan Tenaga Kerja", "Informasi Pasar Kerja", "Penempatan"),
         sekretariat(),
         bidang("Hubungan Industrial", "Persyaratan Kerja", "Penyelesaian Perselisihan")),
        ("kartu pencari kerja", "pelatihan kerja", "mediasi hubungan industrial"),
        ("Pengantar Kerja", "Mediator Hubungan Industrial", "Instruktur"), weight=1,
        place="Layanan Kartu Kuning Disnaker"),
    OPD("DLH", "Dinas Lingkungan Hidup", "Kepala Dinas",
        (bidang("Pengelolaan Sampah", "Pengurangan Sampah", "Penanganan Sampah"),
         sekretariat(),
         bidang("Penataan dan Penaatan Lingkungan", "Kajian Dampak Lingkungan",
                "Penegakan Hukum Lingkungan")),
        ("pengelolaan sampah", "ruang terbuka hijau", "kualitas air sungai"),
        ("Pengendali Dampak Lingkungan", "Pengawas Lingkungan Hidup", "Petugas Kebersihan"),
        weight=3),
    kecamatan("KEC-SMGUTARA", "Semarang Utara", "Bandarharjo", "Tanjung Mas", "Kuningan",
              "Panggung Lor"),
)

INSPECTING_OPD = "BKPP"  # the civil-service agency of Kota Semarang: its first bidang inspects
TOP_RATER = "pejabat:walikota"  # the regional head: not an ASN, rates the Sekda
BY_CODE = {opd.code: opd for opd in CATALOGUE}
