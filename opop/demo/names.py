"""Word lists and name builders for demo data: people, pesantren, cooperatives, enterprises.

Names follow the two provinces' habits: in Jawa Timur a mix of Arabic-origin, Javanese and
Madurese given names (no family names; a second given name or a father's name instead), in
Kalimantan Selatan Banjar names (the `-nor`/`-noor` endings, `Gusti`/`Antung` for nobility).
Every builder takes a `random.Random`, so a fixed seed gives the same names on every run.
"""

from __future__ import annotations

import random


def word_list(text: str) -> tuple[str, ...]:
    """A comma-separated list, kept compact in the source."""
    return tuple(item.strip() for item in text.split(",") if item.strip())


# --- People ------------------------------------------------------------------------------------

ARABIC_MALE = word_list(
    "Muhammad, Ahmad, Abdul, Abdullah, Ali, Umar, Hasan, Husein, Ilham, Imam, Ismail, Yusuf, "
    "Zainal, Zainul, Fauzi, Hidayat, Rizki, Fikri, Farhan, Fathurrohman, Rahmat, Syaiful, "
    "Nur, Khoirul, Mustofa, Mahmud, Hamzah, Habib, Hafidz, Lutfi, Arif, Amin, Anwar, Aziz, "
    "Badrul, Faisal, Ghofur, Hakim, Jamaluddin, Kholil, Luqman, Mukhlis, Nasrullah, "
    "Qomaruddin, Rohman, Salman, Syamsul, Thoriq, Ubaidillah, Wahid, Yahya, Zaki, Zulkifli, "
    "Ainur, Miftahul, Nurul, Saifullah, Abdurrahman, Fadlan, Ridwan, Sholeh, Muhaimin, Mujib"
)
JAVANESE_MALE = word_list(
    "Agus, Bambang, Budi, Joko, Slamet, Sutrisno, Suparman, Wahyu, Hadi, Eko, Dwi, Tri, "
    "Teguh, Bagus, Puguh, Sugeng, Wahyudi, Priyo, Didik, Heru, Yudi, Anang, Bayu, Setyo, "
    "Gatot, Sunarto, Sumarno, Supriyadi, Suyanto, Harianto, Widodo, Yanto, Sigit, Nanang, "
    "Rudi, Dimas, Galih, Aris, Edy"
)
MADURESE_MALE = word_list(
    "Moh., Mat, Abd., Holil, Rahem, Sahri, Samsul, Marzuki, Muzakki, Bahri, Sukri, Jamali, "
    "Asmuni, Fathorrahman, Hosnan, Matsuri"
)
SECOND_MALE = word_list(
    "Hidayat, Santoso, Prasetyo, Wibowo, Setiawan, Kurniawan, Saputra, Hakim, Rahman, "
    "Ramadhan, Maulana, Firmansyah, Nugroho, Susanto, Purnomo, Wijaya, Mubarok, Syafi'i, "
    "Anshori, Muzakki, Ridwan, Sholeh, Zuhdi, Bahri, Asy'ari, Hasyim, Ma'ruf, Huda, Arifin, "
    "Fauzan, Effendi, Hermawan, Wahyudi, Iskandar, Mansur, Rosyid, Abidin, Hamid, Jauhari, "
    "Kamal, Zuhri, Fanani, Amrullah"
)
ARABIC_FEMALE = word_list(
    "Siti, Nur, Nurul, Aisyah, Fatimah, Khadijah, Zahra, Zainab, Aminah, Maryam, Halimah, "
    "Laila, Annisa, Aulia, Azizah, Fauziah, Hanifah, Latifah, Mutmainnah, Rofiah, Salma, Umi, "
    "Zulaikha, Lailatul, Khoirun, Faridah, Husnul, Nafisah, Ulfa, Naila, Hilyah, Rahmah, "
    "Syarifah, Masruroh, Alfiyah"
)
JAVANESE_FEMALE = word_list(
    "Sri, Dwi, Tri, Endang, Sulastri, Suharti, Sumiati, Wahyuni, Rahayu, Lestari, Ningsih, "
    "Puji, Yuli, Retno, Wulan, Dewi, Ayu, Indah, Sari, Kartini, Suprapti, Tutik, Winarti, "
    "Ratna, Rini, Anik, Erna, Yuyun"
)
SECOND_FEMALE = word_list(
    "Hasanah, Maghfiroh, Khotimah, Muthoharoh, Rahmawati, Handayani, Susanti, Wulandari, "
    "Fitriani, Rahayu, Lestari, Ningsih, Maulidiyah, Nisa, Zuhriyah, Kurniasari, Safitri, "
    "Mufidah, Rohmah, Fadilah, Hidayati, Fauziyah, Amalia, Istiqomah, Ni'mah, Sholihah, "
    "Az-Zahra, Kamilah, Rizqiyah, Pratiwi"
)
BANJAR_MALE = word_list(
    "Muhammad, Ahmad, Abdul, Rahmadi, Fahriannor, Jumberi, Saberan, Salman, Taufik, Husin, "
    "Syahrani, Syahrian, Rusdi, Hairi, Ardiansyah, Hafiz, Fahmi, Zainuddin, Kurdi, Rifani, "
    "Jailani, Mahyuni, Arbain, Anshari, Basuni, Darmawi, Hasbullah, Ismail, Khairil, "
    "Rahmatullah, Supiani, Yusran, Zulfikar"
)
BANJAR_MALE_ENDINGS = ("nor", "noor", "ani", "syah", "di")
BANJAR_NOBLE = ("Gusti", "Antung")
BANJAR_FEMALE = word_list(
    "Siti, Noor, Nor, Aulia, Rahmah, Fitriani, Mahmudah, Rusmilawati, Masliani, Salasiah, "
    "Jamilah, Khairunnisa, Rabiatul, Norhasanah, Noorjannah, Halimatus, Mariatul, Rusmini, "
    "Aluh, Hadijah, Mardiana, Normilawati, Rasidah, Zubaidah"
)
BANJAR_SECOND_FEMALE = word_list(
    "Adawiyah, Kiptiah, Sa'diah, Aida, Hayati, Jannah, Fitriah, Rahmawati, Hasanah, Maulida, "
    "Nafisah, Wardah, Safitri, Zahra, Aminah"
)


def _person_jatim(rng: random.Random, gender: str) -> str:
    roll = rng.random()
    if gender == "P":
        if roll < 0.5:
            return f"{rng.choice(ARABIC_FEMALE)} {rng.choice(SECOND_FEMALE)}"
        if roll < 0.8:
            return f"{rng.choice(JAVANESE_FEMALE)} {rng.choice(SECOND_FEMALE)}"
        return (
            f"{rng.choice(ARABIC_FEMALE)} {rng.choice(ARABIC_FEMALE)} {rng.choice(SECOND_FEMALE)}"
        )
    if roll < 0.35:
        return f"{rng.choice(ARABIC_MALE)} {rng.choice(SECOND_MALE)}"
    if roll < 0.55:
        return f"Muhammad {rng.choice(ARABIC_MALE[1:])} {rng.choice(SECOND_MALE)}"
    if roll < 0.84:
        return f"{rng.choice(JAVANESE_MALE)} {rng.choice(SECOND_MALE)}"
    if roll < 0.9:
        return f"{rng.choice(JAVANESE_MALE)}"
    return f"{rng.choice(MADURESE_MALE)} {rng.choice(SECOND_MALE)}"


def _person_kalsel(rng: random.Random, gender: str) -> str:
    roll = rng.random()
    if gender == "P":
        first = rng.choice(BANJAR_FEMALE)
        if roll < 0.15:
            return f"{rng.choice(BANJAR_NOBLE)} {first} {rng.choice(BANJAR_SECOND_FEMALE)}"
        return f"{first} {rng.choice(BANJAR_SECOND_FEMALE)}"
    if roll < 0.3:
        stem = rng.choice(("Rahmadian", "Hafiz", "Fahrian", "Ahmadi", "Noor", "Hairan", "Ilmi"))
        return f"{rng.choice(BANJAR_MALE[:3])} {stem}{rng.choice(BANJAR_MALE_ENDINGS)}"
    if roll < 0.45:
        return f"{rng.choice(BANJAR_NOBLE)} {rng.choice(BANJAR_MALE)} {rng.choice(BANJAR_MALE)}"
    return f"{rng.choice(BANJAR_MALE)} {rng.choice(BANJAR_MALE)}"


def person_name(rng: random.Random, *, gender: str, province: str) -> str:
    name = _person_kalsel(rng, gender) if province == "63" else _person_jatim(rng, gender)
    # "Muhammad Muhammad …" or "Ahmad Ahmad": draw again rather than keep a doubled word.
    words = name.split()
    if len(words) != len(set(words)):
        return person_name(rng, gender=gender, province=province)
    return name


def guardian_name(rng: random.Random, *, province: str) -> tuple[str, str]:
    """A parent's name and relation, for a minor's consent."""
    if rng.random() < 0.7:
        return person_name(rng, gender="L", province=province), "Ayah"
    return person_name(rng, gender="P", province=province), "Ibu"


def leader_name(rng: random.Random, *, province: str, female: bool = False) -> str:
    if female:
        return f"Nyai Hj. {person_name(rng, gender='P', province=province)}"
    title = rng.choice(("KH.", "KH.", "Kiai", "Gus") if province != "63" else ("KH.", "Guru H."))
    return f"{title} {person_name(rng, gender='L', province=province)}"


# --- Places and addresses --------------------------------------------------------------------

STREETS = word_list(
    "KH. Hasyim Asy'ari, KH. Wahid Hasyim, Pesantren, Masjid, Raya, Merdeka, Diponegoro, "
    "Sunan Ampel, Sunan Giri, Pahlawan, Melati, Kenanga, Mawar, Flamboyan, Cendana, Delima, "
    "Mangga, Kelapa, Sawah, Kyai Mojo, Gajah Mada, Ahmad Yani, Veteran, Kartini, Imam Bonjol, "
    "Pangeran Antasari, Sultan Adam"
)


def address(rng: random.Random, *, district_name: str) -> str:
    return (
        f"Jl. {rng.choice(STREETS)} No. {rng.randint(1, 120)}, "
        f"RT {rng.randint(1, 12):03d}/RW {rng.randint(1, 8):03d}, Kec. {district_name}"
    )


def place_name(region_name: str) -> str:
    """`Kabupaten Jombang` -> `Jombang`, `Kota Surabaya` -> `Surabaya` (a birth place)."""
    for prefix in ("Kabupaten ", "Kota "):
        if region_name.startswith(prefix):
            return region_name[len(prefix) :]
    return region_name


# --- Pesantren and cooperatives ---------------------------------------------------------------

PESANTREN_CORES = word_list(
    "Darul Ulum, Al-Hikmah, Darussalam, Al-Falah, Nurul Jadid, Al-Amien, Miftahul Ulum, Nurul "
    "Huda, Mambaul Ulum, Bahrul Ulum, Hidayatul Mubtadiin, Al-Ishlah, Raudlatul Ulum, Sabilul "
    "Muttaqin, Darul Falah, Al-Muhajirin, Al-Ikhlas, Al-Amanah, Nurul Islam, Salafiyah "
    "Syafi'iyah, Al-Anwar, Riyadlul Jannah, Mambaus Sholihin, Manbaul Hikam, Darut Taqwa, "
    "Al-Munawwaroh, Roudlotul Qur'an, Tahfidzul Qur'an, Al-Fattah, Baitul Hikmah, Al-Mubarok, "
    "Ihyaul Ulum, Nurul Iman, Darul Hikmah, Al-Hidayah, Assalafiyah, Al-Mashduqiah, Sirojul "
    "Ulum, Fathul Ulum, Hidayatullah, Ar-Rahmah, Al-Muttaqin, Nurul Qur'an, Miftahul Huda, "
    "Darul Arqam, Al-Khoirot, Raudhatul Muta'allimin, Zainul Hasan, Al-Badri, Darul "
    "Istiqomah, Nurul Falah, Al-Karimiyyah, Sunniyah Salafiyah"
)
PESANTREN_CORES_KALSEL = word_list(
    "Darussalam, Al-Falah, Ibnul Amin, Al-Mursyidul Amin, Nurul Muhajirin, Darul Hijrah, "
    "Al-Hasaniyah, Raudhatul Jannah, Darul Ilmi, Al-Ihsan, Nurul Hidayah, Darul Muttaqin, "
    "Al-Mubarak, Rakha, Manba'ul Ulum, Al-Istiqamah, Mathla'ul Anwar, Tahfizh Al-Qur'an, "
    "Darul Azhar, Al-Amin"
)
PESANTREN_PREFIXES = word_list(
    "Pondok Pesantren, Pondok Pesantren, Pondok Pesantren, PP, PP, Ponpes, Pesantren"
)


def pesantren_core(rng: random.Random, *, province: str) -> str:
    cores = PESANTREN_CORES_KALSEL if province == "63" else PESANTREN_CORES
    return rng.choice(cores)


def pesantren_name(rng: random.Random, *, core: str, place: str, female: bool) -> str:
    name = f"{rng.choice(PESANTREN_PREFIXES)} {core}"
    if female:
        name += " Putri"
    if rng.random() < 0.35:
        name += f" {place}"
    return name


def pesantren_core_of(name: str) -> str:
    """`Pondok Pesantren Darul Ulum Putri` -> `Darul Ulum Putri`."""
    for prefix in sorted(set(PESANTREN_PREFIXES), key=len, reverse=True):
        if name.startswith(prefix + " "):
            return name[len(prefix) + 1 :]
    return name


def cooperative_name(rng: random.Random, *, core: str) -> str:
    pattern = rng.choice(
        (
            "Kopontren {core}",
            "Kopontren {core}",
            "Koperasi Pondok Pesantren {core}",
            "Kopontren {core} Sejahtera",
            "KSPPS {core}",
            "Koperasi Syariah {core} Mandiri",
        )
    )
    return pattern.format(core=core)


# --- Enterprises -----------------------------------------------------------------------------

BLESSINGS = word_list(
    "Barokah, Berkah, Amanah, Sejahtera, Mandiri, Santri, Al-Ikhlas, Sakinah, Mubarok, Maju "
    "Jaya, Sumber Rezeki, Lancar, Nusantara, Sholihah, Istiqomah, Makmur, Harapan, Cahaya, "
    "Rahmah, Insan"
)
# Products and business kinds per sector (the keys are `Enterprise.Sector` values).
SECTOR_PRODUCTS = {
    "food": word_list(
        "Keripik Singkong, Keripik Tempe, Kopi Bubuk, Sambal Pecel, Kerupuk Ikan, Roti dan "
        "Kue, Madu Murni, Air Minum Kemasan, Abon Lele, Jamu Tradisional, Dodol, Wingko, Kue "
        "Bingka, Amplang, Teh Herbal, Gula Aren"
    ),
    "fashion": word_list(
        "Batik Tulis, Konveksi, Sarung Tenun, Busana Muslim, Kopiah, Jilbab, Sablon Kaos, "
        "Sasirangan"
    ),
    "craft": word_list(
        "Anyaman Bambu, Kerajinan Kayu, Kaligrafi, Tasbih Kayu, Anyaman Purun, Gerabah, "
        "Kerajinan Kerang"
    ),
    "agri": word_list(
        "Ternak Kambing, Budidaya Lele, Jamur Tiram, Hidroponik, Ternak Ayam Kampung, "
        "Budidaya Nila, Pupuk Organik, Kebun Jeruk, Ternak Sapi, Budidaya Maggot"
    ),
    "services": word_list(
        "Laundry, Percetakan, Bengkel Motor, Katering, Jasa Servis Elektronik, Salon "
        "Muslimah, Tata Boga"
    ),
    "trade": word_list(
        "Toko Kelontong, Minimarket, Toko Kitab, Agen Sembako, Toko Bangunan, Grosir Pakaian"
    ),
    "digital": word_list(
        "Desain Grafis, Jasa Foto dan Video, Toko Online, Aplikasi Santri, Konten Kreatif"
    ),
    "other": word_list("Bank Sampah, Pengolahan Sampah Plastik, Energi Surya"),
}
SECTOR_WEIGHTS = {
    "food": 35,
    "fashion": 12,
    "craft": 10,
    "agri": 15,
    "services": 10,
    "trade": 10,
    "digital": 5,
    "other": 3,
}
SECTOR_DESCRIPTIONS = {
    "food": "Produksi {product} untuk pasar lokal dan oleh-oleh.",
    "fashion": "Usaha {product} dengan penjahit dari santri dan warga sekitar.",
    "craft": "Usaha {product} berbahan baku lokal.",
    "agri": "Usaha {product} di lahan pesantren dan warga.",
    "services": "Usaha {product} untuk santri dan masyarakat.",
    "trade": "Usaha {product} melayani santri, wali santri dan warga.",
    "digital": "Usaha {product} untuk UMKM pesantren.",
    "other": "Usaha {product} bersama masyarakat sekitar pesantren.",
}


def enterprise(rng: random.Random, *, sector: str, label: str) -> tuple[str, str]:
    """A name and a one-line description. `label` is an owner's first name or a pesantren core."""
    product = rng.choice(SECTOR_PRODUCTS[sector])
    name = f"{product} {label}" if rng.random() < 0.5 else f"{product} {rng.choice(BLESSINGS)}"
    return name, SECTOR_DESCRIPTIONS[sector].format(product=product.lower())


def email_local(full_name: str) -> str:
    """`Muhammad Syafi'i` -> `muhammad.syafii` (ASCII, dots between words)."""
    words = []
    for word in full_name.lower().split():
        cleaned = "".join(ch for ch in word if ch.isalnum())
        if cleaned:
            words.append(cleaned)
    return ".".join(words[:2]) or "warga"
