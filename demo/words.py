"""The words of the demo: Indonesian names and the texts people write in an appraisal year.

Pure data plus a name maker. Names are common Javanese and Indonesian given names and family
names, with the academic degrees that civil servants put after them.
"""

from __future__ import annotations

import random

MALE = ("Agus", "Ahmad", "Andi", "Arif", "Bambang", "Bayu", "Budi", "Dedi", "Dimas", "Eko", "Fajar",
        "Hadi", "Hendra", "Heru", "Imam", "Joko", "Muhammad", "Rizki", "Rudi", "Sigit", "Slamet",
        "Sugeng", "Teguh", "Wahyu", "Yudi", "Yusuf", "Aditya", "Galih", "Hari", "Iwan", "Rahmat",
        "Taufik", "Bagus", "Gilang", "Irfan", "Anton", "Setyo", "Dwi", "Tri", "Nur")
FEMALE = ("Siti", "Sri", "Dewi", "Endang", "Rini", "Wulan", "Ayu", "Fitri", "Nur", "Retno", "Indah",
          "Ratna", "Yuni", "Dian", "Putri", "Anisa", "Nurul", "Kartika", "Eka", "Lina", "Maya",
          "Novi",
          "Rina", "Tri", "Umi", "Widya", "Yulia", "Diah", "Titik", "Sari", "Mega", "Intan", "Rahma",
          "Puji", "Hana", "Dwi")
MALE_FAMILY = ("Santoso", "Wibowo", "Prasetyo", "Setiawan", "Nugroho", "Susanto", "Hidayat",
               "Kurniawan", "Saputra", "Pratama", "Wijaya", "Purnomo", "Hartono", "Sutrisno",
               "Haryanto", "Gunawan", "Firmansyah", "Ramadhan", "Hakim", "Utomo", "Sulistyo",
               "Raharjo", "Prabowo", "Wicaksono", "Syahputra", "Budiman", "Permana")
FEMALE_FAMILY = ("Rahayu", "Lestari", "Wulandari", "Handayani", "Susanti", "Anggraeni",
                 "Puspitasari", "Safitri", "Kusumawati", "Pratiwi", "Maharani", "Rahmawati",
                 "Permatasari", "Yuliani", "Nurhayati", "Setyaningsih", "Fitriani", "Utami",
                 "Astuti", "Suryani", "Kurniasih")
SINGLE = {"1": ("Sutarno", "Suparno", "Mulyono", "Sukardi", "Paimin", "Sumarno", "Sarjono"),
          "2": ("Suparmi", "Sumarni", "Sulastri", "Tukiyem", "Sumiyati", "Wartini", "Sriyani")}
DEGREES = ("S.E.", "S.Sos.", "S.H.", "S.Kom.", "S.T.", "S.AP.", "S.IP.", "A.Md.", "S.Psi.", "S.Ak.",
           "S.Pd.", "S.KM.", "A.Md.Kep.", "S.Kep., Ns.", "A.Md.Keb.")
MASTERS = ("M.Si.", "M.M.", "M.T.", "M.Kes.", "M.H.", "M.Pd.", "M.AP.")


def person_name(rng: random.Random, sex: str, *, senior: bool, doctor: bool = False) -> str:
    """A name with degrees; ``sex`` is the NIP's digit (1 male, 2 female) so the two agree."""
    if rng.random() < 0.08:
        core = rng.choice(SINGLE[sex])
    else:
        given, family = (MALE, MALE_FAMILY) if sex == "1" else (FEMALE, FEMALE_FAMILY)
        core = f"{rng.choice(given)} {rng.choice(family)}"
    if doctor:
        return f"dr. {core}" + (f", {rng.choice(MASTERS)}" if senior else "")
    degree = rng.choice(DEGREES[:11])  # officials hold a bachelor's degree
    if senior:
        return f"{core}, {degree}, {rng.choice(MASTERS)}"
    return f"{core}, {rng.choice(DEGREES)}" if rng.random() < 0.85 else core


BEHAVIOUR_EXPECTATIONS = {
    "berorientasi_pelayanan": "Melayani masyarakat dengan ramah, cepat dan tuntas",
    "akuntabel": "Menyelesaikan tugas tepat waktu dan dapat dipertanggungjawabkan",
    "kompeten": "Terus belajar dan berbagi pengetahuan dengan rekan kerja",
    "harmonis": "Menghargai perbedaan dan menjaga suasana kerja yang kondusif",
    "loyal": "Menjaga nama baik instansi dan kerahasiaan data",
    "adaptif": "Cepat menyesuaikan diri dengan aplikasi dan prosedur baru",
    "kolaboratif": "Aktif bekerja sama lintas bidang",
}

ACHIEVEMENTS = (
    "Seluruh target layanan tercapai sebelum akhir tahun",
    "Menyusun prosedur baru yang memangkas waktu layanan",
    "Menjadi narasumber bimbingan teknis bagi kelurahan",
    "Menuntaskan tunggakan berkas dari tahun sebelumnya",
    "Mendapat apresiasi masyarakat melalui kanal pengaduan",
    "Mendigitalkan arsip layanan tahun berjalan",
)
CHALLENGES = (
    "Gangguan jaringan pada aplikasi layanan di triwulan III",
    "Lonjakan permohonan menjelang tahun ajaran baru",
    "Keterbatasan blangko pada pertengahan tahun",
    "Mutasi pegawai mengurangi jumlah petugas loket",
    "Perubahan regulasi di tengah tahun",
)
NEXT_PLANS = (
    "Memperluas layanan daring agar antrean berkurang",
    "Mengikuti pelatihan teknis untuk meningkatkan kompetensi",
    "Menyusun standar operasional prosedur yang diperbarui",
    "Meningkatkan koordinasi dengan kelurahan",
)
RATING_REASONS = {
    "results": {"above": "Realisasi melampaui target pada sebagian besar indikator",
                "meets": "Realisasi sesuai target yang disepakati",
                "below": "Beberapa target utama tidak tercapai tanpa kendala yang memadai"},
    "behaviour": {"above": "Menjadi teladan dalam pelayanan dan kerja sama tim",
                  "meets": "Perilaku kerja sesuai ekspektasi BerAKHLAK",
                  "below": "Beberapa kali tidak hadir saat jam layanan tanpa keterangan"},
}
UNIT_ACHIEVEMENT = {"above": "Capaian kinerja unit di atas target berdasarkan evaluasi SAKIP",
                    "meets": "Capaian kinerja unit sesuai target berdasarkan evaluasi SAKIP",
                    "below": "Capaian kinerja unit di bawah target berdasarkan evaluasi SAKIP"}
CURVE_DEPARTURE = "Inovasi layanan terverifikasi; melampaui pola distribusi organisasi"
# When the OPD's distribution departs from the pattern its predikat selects, the rater says why.
CURVE_REASONS = (
    "Capaian individu terverifikasi dengan bukti dukung, melampaui pola organisasi",
    "Unit kerja menanggung beban layanan tertinggi tahun ini",
    "Penilaian sesuai hasil dialog kinerja dan rekomendasi tim penilai",
)
REVISION_REASONS = (
    "Dikoreksi setelah dialog kinerja dan verifikasi bukti dukung",
    "Penyesuaian setelah masukan tim penilai kinerja",
    "Bukti dukung tambahan diterima setelah penilaian awal",
)
SUPERVISOR_COMMENTS = (
    "Progres triwulan ini baik, pertahankan",
    "Mohon bukti dukung kegiatan bulan ini diunggah",
    "Target verifikasi berkas masih tertinggal, apa kendalanya?",
    "Terima kasih atas inisiatif perbaikan alur layanan",
    "Perhatikan ketepatan waktu penyampaian laporan",
)
REPLIES = (
    "Baik, akan segera saya lengkapi",
    "Kendalanya jaringan aplikasi, sudah dilaporkan ke pengelola",
    "Siap, terima kasih atas arahannya",
    "Mohon izin berkonsultasi untuk penyesuaian jadwal",
)
FOLLOW_UPS = ("Baik, dipantau pada bulan berikutnya", "Silakan koordinasi dengan kepala seksi")
TEAM_RECOMMENDATIONS = (
    "Penilaian hasil kerja sesuai bukti dukung",
    "Disarankan mempertimbangkan capaian inovasi layanan",
    "Perlu pembinaan perilaku kerja terkait kehadiran",
)
GROUNDS = (
    "Penilaian tidak mempertimbangkan bukti dukung yang telah diunggah",
    "Target tidak tercapai karena gangguan sistem di luar kendali saya",
    "Saya tidak pernah mendapat umpan balik selama tahun berjalan",
)
RATER_EXPLANATIONS = (
    "Penilaian didasarkan pada realisasi dan catatan dialog kinerja",
    "Bukti dukung diterima setelah batas waktu penilaian",
)
ASN_EXPLANATIONS = (
    "Bukti dukung terlampir pada laporan, mohon diperiksa kembali",
    "Gangguan aplikasi dapat dikonfirmasi oleh pengelola sistem",
)
DECISIONS = {
    "rejected": "Penilaian pejabat penilai telah sesuai bukti dan dialog kinerja",
    "upheld": "Bukti dukung membuktikan capaian; penilaian diperbaiki",
}
CHECKLIST_NOTES = {
    "Persyaratan dan alur layanan dipajang di ruang layanan":
        "Papan informasi persyaratan belum diperbarui",
    "Nomor antrian tertib dan berjalan": "Mesin antrean rusak, antrean manual tidak tertib",
    "Petugas hadir dan siap melayani sesuai jam layanan": "Dua loket kosong pada pukul 08.30",
    "Petugas berseragam dan memakai tanda pengenal": "Petugas tidak memakai tanda pengenal",
    "Layanan selesai sesuai waktu yang dijanjikan": "Berkas menumpuk melebihi standar waktu",
    "Tidak ada pungutan di luar ketentuan": "Ada laporan permintaan uang jasa pengetikan",
    "Sarana pengaduan tersedia dan ditindaklanjuti": "Kotak pengaduan terkunci dan tidak dibuka",
    "Ruang tunggu bersih dan ramah difabel": "Jalur kursi roda terhalang",
}
PERSONAL_ITEMS = (  # a failure of these names the ASN on duty
    "Petugas hadir dan siap melayani sesuai jam layanan",
    "Petugas berseragam dan memakai tanda pengenal",
    "Layanan selesai sesuai waktu yang dijanjikan",
    "Tidak ada pungutan di luar ketentuan",
)
ACTIONS = ("Lakukan pembinaan kepada petugas yang bersangkutan",
           "Perbaiki sarana dan laporkan dengan foto",
           "Sampaikan rencana perbaikan tertulis")
RESOLUTIONS = ("Sudah dilakukan pembinaan dan dicatat dalam berita acara",
               "Sarana telah diperbaiki, foto terlampir",
               "Rencana perbaikan telah disampaikan dan dijalankan")
