"""The curated table of the organisations we follow: one row per organisation with its names in
each language, acronyms and other spellings. Data, like the gazetteer: what makes "BISR", "BISI",
"БИСИ" and "Belarusian Institute of Strategic Research" one organisation in the warehouse.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class KnownOrganization:
    key: str                      # stable identifier, the warehouse's natural key
    name_en: str
    name_ru: str
    acronyms: tuple[str, ...] = ()
    aliases: tuple[str, ...] = field(default=())  # other spellings, any language


KNOWN_ORGANIZATIONS: tuple[KnownOrganization, ...] = (
    KnownOrganization("bisr", "Belarusian Institute of Strategic Research",
                      "Белорусский институт стратегических исследований", ("BISR", "BISI", "БИСИ"),
                      ("Belarusian Institute for Strategic Research", "Belarusian Institute of Strategic Studies")),
    KnownOrganization("kisi", "Kazakhstan Institute for Strategic Studies under the President of the Republic of Kazakhstan",
                      "Казахстанский институт стратегических исследований при Президенте Республики Казахстан",
                      ("KazISS", "KISI", "КИСИ"),
                      ("Kazakhstan Institute for Strategic Studies", "Казахстанский институт стратегических исследований")),
    KnownOrganization("risi", "Russian Institute for Strategic Studies", "Российский институт стратегических исследований",
                      ("RISS", "RISI", "РИСИ")),
    KnownOrganization("isrs", "Institute for Strategic and Regional Studies under the President of the Republic of Uzbekistan",
                      "Институт стратегических и межрегиональных исследований при Президенте Республики Узбекистан",
                      ("ISRS", "ИСМИ"), ("Institute for Strategic and Interregional Studies",)),
    KnownOrganization("valdai", "Valdai Discussion Club", "Международный дискуссионный клуб «Валдай»", (),
                      ("Valdai Club", "Valdai International Discussion Club", "клуб «Валдай»",
                       "Дискуссионный клуб «Валдай»", "клуба «Валдай»")),
    KnownOrganization("riac", "Russian International Affairs Council", "Российский совет по международным делам",
                      ("RIAC", "РСМД")),
    KnownOrganization("carnegie", "Carnegie Endowment for International Peace", "Фонд Карнеги за международный мир",
                      ("CEIP",), ("Carnegie Endowment", "Carnegie")),
    KnownOrganization("carnegie-russia", "Carnegie Russia Eurasia Center", "Центр Карнеги по изучению России и Евразии",
                      (), ("Carnegie Moscow Center", "Московский центр Карнеги", "Carnegie Politika")),
    KnownOrganization("chatham-house", "Chatham House", "Чатем-хаус", (),
                      ("Royal Institute of International Affairs", "Королевский институт международных отношений")),
    KnownOrganization("iiss", "International Institute for Strategic Studies",
                      "Международный институт стратегических исследований", ("IISS",)),
    KnownOrganization("ecfr", "European Council on Foreign Relations", "Европейский совет по международным отношениям",
                      ("ECFR",)),
    KnownOrganization("pir", "PIR Center", "ПИР-Центр", (), ("ПИР Центр", "Center for Policy Studies in Russia")),
    KnownOrganization("imemo", "Primakov National Research Institute of World Economy and International Relations",
                      "Национальный исследовательский институт мировой экономики и международных отношений имени Е. М. Примакова",
                      ("IMEMO", "ИМЭМО"), ("IMEMO RAS", "ИМЭМО РАН")),
    KnownOrganization("mgimo", "Moscow State Institute of International Relations",
                      "Московский государственный институт международных отношений", ("MGIMO", "МГИМО")),
    KnownOrganization("sipri", "Stockholm International Peace Research Institute",
                      "Стокгольмский институт исследования проблем мира", ("SIPRI", "СИПРИ")),
    KnownOrganization("csis", "Center for Strategic and International Studies",
                      "Центр стратегических и международных исследований", ("CSIS",)),
    KnownOrganization("brookings", "Brookings Institution", "Брукингский институт", (), ("Brookings",)),
    KnownOrganization("rand", "RAND Corporation", "Корпорация RAND", ("RAND",)),
    KnownOrganization("swp", "German Institute for International and Security Affairs",
                      "Германский институт международной политики и безопасности", ("SWP",),
                      ("Stiftung Wissenschaft und Politik",)),
    KnownOrganization("cis", "Commonwealth of Independent States", "Содружество Независимых Государств",
                      ("CIS", "СНГ")),
    KnownOrganization("sco", "Shanghai Cooperation Organisation", "Шанхайская организация сотрудничества",
                      ("SCO", "ШОС"), ("Shanghai Cooperation Organization",)),
    KnownOrganization("eaeu", "Eurasian Economic Union", "Евразийский экономический союз", ("EAEU", "ЕАЭС")),
    KnownOrganization("csto", "Collective Security Treaty Organization", "Организация Договора о коллективной безопасности",
                      ("CSTO", "ОДКБ")),
)
