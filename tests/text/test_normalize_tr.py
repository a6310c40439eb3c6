"""Turkish, read as a native narrator would (TDK Yazım Kılavuzu; news, recipes, TCDD timetables,
invoices)."""

from __future__ import annotations

from tests.text.language_cases import Case, native_speaker_tests

LANGUAGE = "tr"

CASES: list[Case] = [
    # cardinals: a point groups thousands; words apart
    ("cardinal", "Maça 2.500 seyirci geldi.", "maça iki bin beş yüz seyirci geldi"),
    (
        "cardinal",
        "Şehrin nüfusu 1.234.567 kişi.",
        "şehrin nüfusu bir milyon iki yüz otuz dört bin beş yüz altmış yedi kişi",
    ),
    ("cardinal", "Hatta 21 istasyon var.", "hatta yirmi bir istasyon var"),
    ("cardinal", "Kitap 101 sayfa.", "kitap yüz bir sayfa"),
    ("cardinal", "1999'da kar yağdı.", "bin dokuz yüz doksan dokuzda kar yağdı"),
    ("cardinal", "Toplantı 15'te başlar.", "toplantı on beşte başlar"),
    # decimals: "virgül"
    ("decimal", "Pi sayısı 3,14.", "pi sayısı üç virgül on dört"),
    ("decimal", "Faiz 0,5 oldu.", "faiz sıfır virgül beş oldu"),
    # ordinals: "3." and "3'üncü"
    ("ordinal", "Yarışı 3. bitirdi.", "yarışı üçüncü bitirdi"),
    ("ordinal", "Bu 2. kitabı.", "bu ikinci kitabı"),
    ("ordinal", "Takım 4'üncü oldu.", "takım dördüncü oldu"),
    ("ordinal", "Binanın 10. katı.", "binanın onuncu katı"),
    ("ordinal", "Şirketin 21. yılı.", "şirketin yirmi birinci yılı"),
    # dates: day, month name, year
    ("date", "3 Mayıs 2024 tarihinde yağmur yağdı.", "üç mayıs iki bin yirmi dört tarihinde yağmur yağdı"),
    ("date", "Tarih: 15.06.2024", "tarih on beş haziran iki bin yirmi dört"),
    ("date", "Toplantı 2024-01-15 günü.", "toplantı on beş ocak iki bin yirmi dört günü"),
    ("date", "29 Ekim 1923 önemli bir gün.", "yirmi dokuz ekim bin dokuz yüz yirmi üç önemli bir gün"),
    ("date", "Mayıs 2024 raporu.", "mayıs iki bin yirmi dört raporu"),
    # times
    ("time", "Tren saat 14.30'da kalkar.", "tren saat on dört otuzda kalkar"),
    ("time", "Toplantı 08:15 başlar.", "toplantı sekiz on beş başlar"),
    ("time", "Otobüs 9.05 kalkar.", "otobüs dokuz sıfır beş kalkar"),
    # money: "lira", "kuruş"
    ("money", "Bilet 12,50 TL.", "bilet on iki lira elli kuruş"),
    ("money", "Sadece 1 TL.", "sadece bir lira"),
    ("money", "Fiyatı 1.500 ₺.", "fiyatı bin beş yüz lira"),
    ("money", "Bedeli 30 €.", "bedeli otuz euro | bedeli otuz avro"),
    ("money", "Açık 2,3 milyar TL.", "açık iki virgül üç milyar lira"),
    ("money", "Ücret 20 $.", "ücret yirmi dolar"),
    # measures: nouns stay singular
    (
        "measure",
        "42,195 km koştu.",
        "kırk iki virgül yüz doksan beş kilometre koştu | kırk iki virgül bir dokuz beş kilometre koştu",
    ),
    ("measure", "500 g un ekleyin.", "beş yüz gram un ekleyin"),
    ("measure", "Hava 25 °C.", "hava yirmi beş derece | hava yirmi beş santigrat derece"),
    ("measure", "Daire 120 m².", "daire yüz yirmi metrekare"),
    ("measure", "Fırında 40 dk pişirin.", "fırında kırk dakika pişirin"),
    ("measure", "2 lt su ekleyin.", "iki litre su ekleyin"),
    # percentages: the sign first
    ("percent", "Enflasyon %2,5 arttı.", "enflasyon yüzde iki virgül beş arttı"),
    ("percent", "Şimdi %15 indirim.", "şimdi yüzde on beş indirim"),
    ("percent", "Oran % 40 oldu.", "oran yüzde kırk oldu"),
    # ranges
    ("range", "Yol 10-20 km.", "yol on ila yirmi kilometre | yol on yirmi kilometre"),
    ("range", "3-6 yaş arası çocuklar.", "üç ila altı yaş arası çocuklar | üç altı yaş arası çocuklar"),
    # fractions
    ("fraction", "Halkın 3/4 katıldı.", "halkın dörtte üçü katıldı"),
    ("fraction", "1/2 bardak süt.", "yarım bardak süt"),
    ("fraction", "2½ saat sürdü.", "iki buçuk saat sürdü"),
    ("fraction", "Sadece 1/3 oranında.", "sadece üçte bir oranında"),
    # telephone numbers: groups read as numbers
    (
        "telephone",
        "Tel: 0532 123 45 67",
        "telefon sıfır beş yüz otuz iki yüz yirmi üç kırk beş altmış yedi",
    ),
    (
        "telephone",
        "Arayın: +90 212 555 12 34",
        "arayın artı doksan iki yüz on iki beş yüz elli beş on iki otuz dört",
    ),
    # abbreviations
    ("abbreviation", "Meyveler, örn. elma.", "meyveler örneğin elma"),
    ("abbreviation", "Elma, armut vb. meyveler.", "elma armut ve benzeri meyveler"),
    ("abbreviation", "Kalem, defter vs. aldı.", "kalem defter vesaire aldı"),
    ("abbreviation", "Dr. Ayşe geldi.", "doktor ayşe geldi"),
    ("abbreviation", "Bkz. s. 12.", "bakınız sayfa on iki"),
    ("abbreviation", "Atatürk Cad. No: 5", "atatürk caddesi numara beş"),
    ("abbreviation", "MÖ 50 yılında.", "milattan önce elli yılında"),
    # Roman numerals written before the name
    ("roman", "III. Selim ıslahat yaptı.", "üçüncü selim ıslahat yaptı"),
    ("roman", "II. Mehmet şehri aldı.", "ikinci mehmet şehri aldı"),
    ("roman", "XIX. yüzyıl sonunda.", "on dokuzuncu yüzyıl sonunda"),
    # Held out: written after the rules, from real text, and not adjusted to what the rules say.
    ("money", "Kira aylık 15.000 TL.", "kira aylık on beş bin lira"),
    ("measure", "180 °C fırında 25 dk pişirin.", "yüz seksen derece fırında yirmi beş dakika pişirin"),
    ("time", "Tren 7.42'de 5. perondan kalkar.", "tren yedi kırk ikide beşinci perondan kalkar"),
    ("percent", "Parti oyların %33,1'ini aldı.", "parti oyların yüzde otuz üç virgül birini aldı"),
    ("ordinal", "Bu 5. deneme.", "bu beşinci deneme"),
    ("date", "1 Ocak 2025'ten itibaren geçerli.", "bir ocak iki bin yirmi beşten itibaren geçerli"),
]

KNOWN_MISSES: set[str] = {
    "Halkın 3/4 katıldı.",  # the possessive a fraction takes after a genitive ("dörtte üçü")
}
"""Cases we read wrongly today (kept in the table so the score stays honest)."""


(
    test_reads_as_a_native_speaker_would,
    test_at_least_ninety_percent_of_the_cases_read_right,
    test_every_category_has_cases,
) = native_speaker_tests(LANGUAGE, CASES, KNOWN_MISSES)
