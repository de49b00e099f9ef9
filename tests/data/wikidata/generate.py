#!/usr/bin/env python3
"""Writes the fake Wikidata's fixtures (search/*.json, entities/*.json) from the
tables below, in the exact shape of the real API's answers (formatversion 1).

The JSON files are what the tests read; this script only keeps the facts in one
readable place. Run it from anywhere: python3 tests/data/wikidata/generate.py
See README.md beside it for which ids are real and which are invented.
"""

import hashlib
import json
import os
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
GREGORIAN = "http://www.wikidata.org/entity/Q1985727"
JULIAN = "http://www.wikidata.org/entity/Q1985786"
ENWIKI = "Q328"  # English Wikipedia, for "imported from" references

# ---------------------------------------------------------------------------
# Entities. Keys: labels/descriptions {lang: text}, aliases {lang: [..]}, and
# claims as a list of (property, kind, value, options) with kind one of
# item, time, coord, string, mono, quantity, somevalue. options: rank,
# calendar, qualifiers [(property, kind, value)], ref (bool).
# ---------------------------------------------------------------------------

def person(labels, descriptions, aliases, claims, sitelinks=None):
    return dict(labels=labels, descriptions=descriptions, aliases=aliases,
                claims=[("P31", "item", "Q5", {})] + claims, sitelinks=sitelinks or {})


def thing(labels, descriptions, claims, aliases=None, sitelinks=None):
    return dict(labels=labels, descriptions=descriptions, aliases=aliases or {},
                claims=claims, sitelinks=sitelinks or {})


def held(position, start, end):
    q = []
    if start:
        q.append(("P580", "time", start))
    if end:
        q.append(("P582", "time", end))
    return ("P39", "item", position, {"qualifiers": q})


def y(year):
    return ("%+05d-00-00T00:00:00Z" % year, 9)


def d(date):
    sign = "-" if date.startswith("-") else "+"
    return ("%s%sT00:00:00Z" % (sign, date.lstrip("-+")), 11)


E = {}

# --- Kim Il Sung and his traps ---------------------------------------------
E["Q39364"] = person(
    {"en": "Kim Il Sung", "ko": "김일성", "ru": "Ким Ир Сен", "zh": "金日成",
     "de": "Kim Il-sung", "fr": "Kim Il-sung"},
    {"en": "founder and first leader of North Korea (1912–1994)",
     "ru": "основатель и первый руководитель КНДР", "de": "nordkoreanischer Politiker"},
    {"en": ["Kim Il-sung", "Kim Il-song", "Kim Song-ju", "Eternal President"],
     "ru": ["Ким Ир Сён"]},
    [("P21", "item", "Q6581097", {}),
     ("P569", "time", d("1912-04-15"), {"ref": True}),
     ("P569", "time", d("1912-04-16"), {"rank": "deprecated"}),
     ("P570", "time", d("1994-07-08"), {"ref": True}),
     ("P27", "item", "Q423", {}),
     ("P106", "item", "Q82955", {}),
     ("P106", "item", "Q47064", {}),
     held("Q900000901", d("1948-09-09"), d("1972-12-28")),
     held("Q900000902", d("1972-12-28"), d("1994-07-08")),
     held("Q900000903", y(1949), d("1994-07-08")),
     ("P1559", "mono", ("김일성", "ko"), {})],
    {"enwiki": "Kim Il Sung", "kowiki": "김일성", "ruwiki": "Ким Ир Сен"})
E["Q900000011"] = person(
    {"en": "Kim Il-sung", "ko": "김일성"},
    {"en": "Joseon Confucian scholar-official (1810–1872)"},
    {},
    [("P21", "item", "Q6581097", {}),
     ("P569", "time", y(1810), {}),
     ("P570", "time", y(1872), {}),
     ("P27", "item", "Q900000950", {}),
     ("P106", "item", "Q900000961", {})])
E["Q900000012"] = thing(
    {"en": "Kim Il Sung", "ko": "김일성호"},
    {"en": "North Korean cargo ship launched in 1968"},
    [("P31", "item", "Q11446", {}), ("P17", "item", "Q423", {}),
     ("P138", "item", "Q39364", {})])
E["Q900000013"] = thing(
    {"en": "Kim Il-sung University", "ko": "김일성종합대학"},
    {"en": "university in Pyongyang, North Korea"},
    [("P31", "item", "Q3918", {}), ("P17", "item", "Q423", {}),
     ("P138", "item", "Q39364", {}),
     ("P625", "coord", (39.0400, 125.7600), {}),
     ("P571", "time", d("1946-10-01"), {})],
    aliases={"en": ["Kim Il Sung University", "KISU"]})
E["Q900000014"] = thing(
    {"en": "Kim Il-sung", "ko": "김일성"},
    {"en": "Wikimedia disambiguation page"},
    [("P31", "item", "Q4167410", {})],
    sitelinks={"enwiki": "Kim Il-sung (disambiguation)"})
E["Q900000015"] = thing(
    {"en": "Kim", "ko": "김"}, {"en": "Korean family name"},
    [("P31", "item", "Q101352", {})])
E["Q900000016"] = thing(
    {"en": "Kim"}, {"en": "Wikimedia disambiguation page"},
    [("P31", "item", "Q4167410", {})])

# --- Mao Zedong ---------------------------------------------------------------
E["Q5816"] = person(
    {"en": "Mao Zedong", "zh": "毛泽东", "ru": "Мао Цзэдун", "ko": "마오쩌둥",
     "de": "Mao Zedong", "fr": "Mao Zedong"},
    {"en": "Chinese communist revolutionary and founder of the People's Republic of China (1893–1976)",
     "zh": "中华人民共和国开国领袖"},
    {"en": ["Mao Tse-tung", "Chairman Mao", "Mao Tse Tung", "Mao Tsetung"],
     "zh": ["毛主席", "毛润之"]},
    [("P21", "item", "Q6581097", {}),
     ("P569", "time", d("1893-12-26"), {"ref": True}),
     ("P570", "time", d("1976-09-09"), {"ref": True}),
     ("P27", "item", "Q148", {}),
     ("P106", "item", "Q82955", {}),
     ("P106", "item", "Q49757", {}),
     held("Q900000904", d("1943-03-20"), d("1976-09-09"))],
    {"enwiki": "Mao Zedong", "zhwiki": "毛泽东"})
E["Q900000017"] = thing(
    {"en": "Mao Zedong Thought", "zh": "毛泽东思想"},
    {"en": "political ideology of Mao Zedong"},
    [("P31", "item", "Q7257", {}), ("P138", "item", "Q5816", {})],
    aliases={"en": ["Maoism"]})
E["Q900000018"] = thing(
    {"en": "Mao", "zh": "毛"}, {"en": "Chinese family name (毛)"},
    [("P31", "item", "Q101352", {})])

# --- Nikita Khrushchev ------------------------------------------------------
E["Q35314"] = person(
    {"en": "Nikita Khrushchev", "ru": "Никита Сергеевич Хрущёв", "zh": "尼基塔·赫鲁晓夫",
     "ko": "니키타 흐루쇼프", "de": "Nikita Chruschtschow", "fr": "Nikita Khrouchtchev"},
    {"en": "First Secretary of the Communist Party of the Soviet Union (1953–1964)",
     "ru": "советский государственный и партийный деятель"},
    {"en": ["Nikita Sergeyevich Khrushchev", "Khrushchev", "Nikita Khrushchov", "N. S. Khrushchev"],
     "ru": ["Хрущёв", "Хрущев"]},
    [("P21", "item", "Q6581097", {}),
     # Gregorian date preferred; the Julian date as published in Russia is normal rank.
     ("P569", "time", d("1894-04-15"), {"rank": "preferred", "ref": True}),
     ("P569", "time", d("1894-04-03"), {"calendar": JULIAN}),
     ("P570", "time", d("1971-09-11"), {"ref": True}),
     ("P27", "item", "Q15180", {"rank": "preferred"}),
     ("P27", "item", "Q34266", {}),
     ("P106", "item", "Q82955", {}),
     held("Q900000905", d("1953-09-14"), d("1964-10-14")),
     held("Q900000906", d("1958-03-27"), d("1964-10-14")),
     ("P1559", "mono", ("Никита Сергеевич Хрущёв", "ru"), {})],
    {"enwiki": "Nikita Khrushchev", "ruwiki": "Хрущёв, Никита Сергеевич"})
E["Q900000019"] = person(
    {"en": "Nikita Khrushchev", "ru": "Никита Сергеевич Хрущёв"},
    {"en": "Russian journalist, grandson of the Soviet leader (1959–2007)"},
    {"en": ["Nikita Sergeyevich Khrushchev"]},
    [("P21", "item", "Q6581097", {}),
     ("P569", "time", y(1959), {}),
     ("P570", "time", d("2007-10-22"), {}),
     ("P27", "item", "Q15180", {}),
     ("P27", "item", "Q159", {}),
     ("P106", "item", "Q1930187", {})])
E["Q900000022"] = thing(
    {"en": "Khrushchev", "ru": "Хрущёв"}, {"en": "Russian family name"},
    [("P31", "item", "Q101352", {})])

# --- Leonid Brezhnev --------------------------------------------------------
E["Q765165"] = person(
    {"en": "Leonid Brezhnev", "ru": "Леонид Ильич Брежнев", "zh": "列昂尼德·勃列日涅夫",
     "ko": "레오니트 브레즈네프", "de": "Leonid Breschnew", "fr": "Léonid Brejnev"},
    {"en": "General Secretary of the Communist Party of the Soviet Union (1964–1982)"},
    {"en": ["Leonid Ilyich Brezhnev", "Brezhnev", "L. I. Brezhnev"], "ru": ["Брежнев"]},
    [("P21", "item", "Q6581097", {}),
     ("P569", "time", d("1906-12-19"), {"ref": True}),
     ("P570", "time", d("1982-11-10"), {"ref": True}),
     ("P27", "item", "Q15180", {}),
     ("P27", "item", "Q34266", {}),
     ("P106", "item", "Q82955", {}),
     held("Q900000905", d("1964-10-14"), d("1966-04-08")),
     held("Q900000907", d("1966-04-08"), d("1982-11-10"))],
    {"enwiki": "Leonid Brezhnev", "ruwiki": "Брежнев, Леонид Ильич"})
E["Q900000023"] = thing(
    {"en": "Arktika", "ru": "Арктика"},
    {"en": "Soviet nuclear-powered icebreaker, named Leonid Brezhnev 1982–1986"},
    [("P31", "item", "Q900000970", {}), ("P17", "item", "Q15180", {})],
    aliases={"en": ["Leonid Brezhnev"], "ru": ["Леонид Брежнев"]})
E["Q900000024"] = thing(
    {"en": "Brezhnev", "ru": "Брежнев"}, {"en": "Russian family name"},
    [("P31", "item", "Q101352", {})])

# --- Alexei Kosygin ---------------------------------------------------------
E["Q186123"] = person(
    {"en": "Alexei Kosygin", "ru": "Алексей Николаевич Косыгин", "zh": "阿列克谢·柯西金",
     "ko": "알렉세이 코시긴", "de": "Alexei Kossygin"},
    {"en": "Premier of the Soviet Union (1964–1980)"},
    {"en": ["Alexei Nikolayevich Kosygin", "Aleksei Kosygin", "Kosygin", "A. N. Kosygin"]},
    [("P21", "item", "Q6581097", {}),
     ("P569", "time", d("1904-02-21"), {}),
     ("P570", "time", d("1980-12-18"), {}),
     ("P27", "item", "Q15180", {}),
     ("P27", "item", "Q34266", {}),
     ("P106", "item", "Q82955", {}),
     held("Q900000906", d("1964-10-15"), d("1980-10-23"))],
    {"enwiki": "Alexei Kosygin"})
E["Q900000025"] = thing(
    {"en": "Kosygin reform", "ru": "Косыгинская реформа"},
    {"en": "economic reform in the Soviet Union begun in 1965"},
    [("P31", "item", "Q900000971", {}), ("P17", "item", "Q15180", {}),
     ("P580", "time", y(1965), {})],
    aliases={"en": ["Kosygin"]})
E["Q900000026"] = thing(
    {"en": "Kosygin", "ru": "Косыгин"}, {"en": "Russian family name"},
    [("P31", "item", "Q101352", {})])

# --- Zhou Enlai ------------------------------------------------------------
E["Q16977"] = person(
    {"en": "Zhou Enlai", "zh": "周恩来", "ru": "Чжоу Эньлай", "ko": "저우언라이",
     "de": "Zhou Enlai", "fr": "Zhou Enlai"},
    {"en": "first Premier of the People's Republic of China (1898–1976)"},
    {"en": ["Chou En-lai", "Chou Enlai", "Premier Zhou"]},
    [("P21", "item", "Q6581097", {}),
     ("P569", "time", d("1898-03-05"), {"ref": True}),
     ("P570", "time", d("1976-01-08"), {"ref": True}),
     ("P27", "item", "Q148", {}),
     ("P106", "item", "Q82955", {}),
     ("P106", "item", "Q193391", {}),
     held("Q900000908", d("1949-10-01"), d("1976-01-08")),
     held("Q900000909", d("1949-10-01"), d("1958-02-11"))],
    {"enwiki": "Zhou Enlai", "zhwiki": "周恩来"})
E["Q900000027"] = thing(
    {"en": "Zhou dynasty", "zh": "周朝"},
    {"en": "Chinese dynasty (c. 1046–256 BC)"},
    [("P31", "item", "Q900000972", {}),
     ("P571", "time", y(-1046), {}),
     ("P576", "time", y(-256), {})],
    aliases={"en": ["Zhou"]})
E["Q900000028"] = thing(
    {"en": "Zhou", "zh": "周"}, {"en": "Chinese family name (周)"},
    [("P31", "item", "Q101352", {})])

# --- Peng Dehuai -----------------------------------------------------------
E["Q312556"] = person(
    {"en": "Peng Dehuai", "zh": "彭德怀", "ru": "Пэн Дэхуай", "ko": "펑더화이", "de": "Peng Dehuai"},
    {"en": "Chinese Communist military leader and Minister of National Defense (1898–1974)"},
    {"en": ["Peng Te-huai"]},
    [("P21", "item", "Q6581097", {}),
     ("P569", "time", d("1898-10-24"), {}),
     ("P570", "time", d("1974-11-29"), {}),
     ("P27", "item", "Q148", {}),
     ("P106", "item", "Q189290", {}),
     ("P106", "item", "Q82955", {}),
     held("Q900000911", d("1950-10-08"), y(1954)),
     held("Q900000910", d("1954-09-28"), d("1959-09-17"))],
    {"enwiki": "Peng Dehuai", "zhwiki": "彭德怀"})
E["Q900000021"] = person(
    {"en": "Peng Dehuai", "zh": "彭德怀"},
    {"en": "Chinese table tennis coach"},
    {},
    [("P21", "item", "Q6581097", {}),
     ("P569", "time", ("+1950-03-00T00:00:00Z", 10), {}),
     ("P27", "item", "Q148", {}),
     ("P106", "item", "Q900000962", {})])

# --- Anastas Mikoyan --------------------------------------------------------
E["Q157043"] = person(
    {"en": "Anastas Mikoyan", "ru": "Анастас Иванович Микоян", "hy": "Անաստաս Միկոյան",
     "de": "Anastas Mikojan", "zh": "阿纳斯塔斯·米高扬"},
    {"en": "Soviet statesman (1895–1978)"},
    {"en": ["Anastas Ivanovich Mikoyan", "Mikoyan", "A. I. Mikoyan"]},
    [("P21", "item", "Q6581097", {}),
     ("P569", "time", d("1895-11-25"), {}),
     ("P570", "time", d("1978-10-21"), {}),
     ("P27", "item", "Q15180", {}),
     ("P27", "item", "Q34266", {}),
     ("P106", "item", "Q82955", {}),
     held("Q900000912", d("1955-02-28"), d("1964-07-15")),
     held("Q900000913", d("1964-07-15"), d("1965-12-09"))],
    {"enwiki": "Anastas Mikoyan"})
E["Q900000029"] = thing(
    {"en": "Anastas Mikoyan", "ru": "Анастас Микоян"},
    {"en": "Soviet icebreaker launched in 1941"},
    [("P31", "item", "Q900000973", {}), ("P17", "item", "Q15180", {}),
     ("P138", "item", "Q157043", {})])
E["Q900000030"] = person(
    {"en": "Artem Mikoyan", "ru": "Артём Иванович Микоян"},
    {"en": "Soviet aircraft designer (1905–1970)"},
    {"en": ["Artyom Mikoyan", "Mikoyan"]},
    [("P21", "item", "Q6581097", {}),
     ("P569", "time", d("1905-08-05"), {}),
     ("P570", "time", d("1970-12-09"), {}),
     ("P27", "item", "Q15180", {}),
     ("P27", "item", "Q34266", {}),
     ("P106", "item", "Q81096", {}),
     ("P106", "item", "Q900000963", {})])
E["Q900000032"] = thing(
    {"en": "Mikoyan", "ru": "Микоян"},
    {"en": "Russian aircraft manufacturer"},
    [("P31", "item", "Q4830453", {}), ("P17", "item", "Q159", {})],
    aliases={"en": ["MiG", "Mikoyan-Gurevich"]})

# --- Alexander Puzanov ------------------------------------------------------
E["Q900000031"] = person(
    {"en": "Alexander Puzanov", "ru": "Александр Михайлович Пузанов"},
    {"en": "Soviet politician and diplomat (1906–1998)"},
    {"en": ["Alexander Mikhailovich Puzanov", "Aleksandr Puzanov", "A. M. Puzanov"]},
    [("P21", "item", "Q6581097", {}),
     ("P569", "time", d("1906-11-08"), {}),
     ("P570", "time", d("1998-04-13"), {}),
     ("P27", "item", "Q15180", {}),
     ("P27", "item", "Q34266", {}),
     ("P106", "item", "Q193391", {}),
     ("P106", "item", "Q82955", {}),
     held("Q900000914", y(1957), y(1962)),
     held("Q900000915", d("1952-10-22"), d("1956-01-24"))],
    {"ruwiki": "Пузанов, Александр Михайлович"})
E["Q900000033"] = thing(
    {"en": "Puzanov", "ru": "Пузанов"}, {"en": "Russian family name"},
    [("P31", "item", "Q101352", {})])

# --- Choe Yong-gon ----------------------------------------------------------
E["Q900000041"] = person(
    {"en": "Choe Yong-gon", "ko": "최용건", "ru": "Цой Ен Гон"},
    {"en": "North Korean politician and general (1900–1976)"},
    {"en": ["Choi Yong-kun", "Ch'oe Yong-gŏn", "Choe Yong Gon"]},
    [("P21", "item", "Q6581097", {}),
     ("P569", "time", d("1900-06-21"), {}),
     ("P570", "time", d("1976-09-19"), {}),
     ("P27", "item", "Q423", {}),
     ("P106", "item", "Q82955", {}),
     ("P106", "item", "Q189290", {}),
     held("Q900000916", d("1948-09-09"), y(1957)),
     held("Q900000917", y(1957), y(1972))])
E["Q900000042"] = person(
    {"en": "Choi Yong-kun", "ko": "최용근"},
    {"en": "South Korean footballer"},
    {},
    [("P21", "item", "Q6581097", {}),
     ("P569", "time", d("1983-07-01"), {}),
     ("P27", "item", "Q884", {}),
     ("P106", "item", "Q937857", {})])

# --- Pak Chang-ok: the ambiguous pair (no dates on either side) --------------
E["Q900000051"] = person(
    {"en": "Pak Chang-ok", "ko": "박창옥"},
    {"en": "North Korean politician (Soviet Korean faction)"},
    {"en": ["Pak Ch'ang-ok"]},
    [("P21", "item", "Q6581097", {}),
     ("P569", "somevalue", None, {}),
     ("P27", "item", "Q423", {}),
     ("P106", "item", "Q82955", {})])
E["Q900000052"] = person(
    {"en": "Pak Chang-ok", "ko": "박창옥"},
    {"en": "North Korean politician (Yan'an faction)"},
    {},
    [("P21", "item", "Q6581097", {}),
     ("P27", "item", "Q423", {}),
     ("P106", "item", "Q82955", {})])

# --- Places -----------------------------------------------------------------
def place(labels, descriptions, aliases, classes, country, coord, extra=None, sitelinks=None):
    claims = [("P31", "item", c, {}) for c in classes] + [("P17", "item", country, {}),
                                                          ("P625", "coord", coord, {})]
    return thing(labels, descriptions, claims + (extra or []), aliases=aliases, sitelinks=sitelinks)


E["Q18808"] = place(
    {"en": "Pyongyang", "ko": "평양", "ru": "Пхеньян", "zh": "平壤", "de": "Pjöngjang"},
    {"en": "capital and largest city of North Korea"},
    {"en": ["P'yŏngyang", "P'yongyang", "Pyeongyang"]},
    ["Q5119", "Q515"], "Q423", (39.019444, 125.738056),
    [("P1082", "quantity", "+3255288", {})], {"enwiki": "Pyongyang"})
E["Q956"] = place(
    {"en": "Beijing", "zh": "北京", "ru": "Пекин", "ko": "베이징", "de": "Peking"},
    {"en": "capital of the People's Republic of China"},
    {"en": ["Peking", "Peiping", "Pei-p'ing"]},
    ["Q5119", "Q515"], "Q148", (39.906667, 116.3975), None, {"enwiki": "Beijing"})
E["Q649"] = place(
    {"en": "Moscow", "ru": "Москва", "zh": "莫斯科", "ko": "모스크바", "de": "Moskau"},
    {"en": "capital and largest city of Russia"},
    {"en": ["Moskva"]},
    ["Q5119", "Q515"], "Q159", (55.755833, 37.617222), None, {"enwiki": "Moscow"})
E["Q1858"] = place(
    {"en": "Hanoi", "ru": "Ханой", "zh": "河内", "ko": "하노이", "de": "Hanoi"},
    {"en": "capital of Vietnam"},
    {"en": ["Ha Noi"]},
    ["Q5119", "Q515"], "Q881", (21.028333, 105.854167), None, {"enwiki": "Hanoi"})
E["Q900000061"] = place(
    {"en": "Moscow"}, {"en": "city in Latah County, Idaho, United States"},
    {"en": ["Moscow, Idaho"]}, ["Q515"], "Q30", (46.730833, -116.999722))
E["Q900000062"] = place(
    {"en": "Peking University", "zh": "北京大学"}, {"en": "public university in Beijing, China"},
    {"en": ["PKU", "Beida"]}, ["Q3918"], "Q148", (39.9925, 116.305))

# --- Referenced items (labels and class only) ---------------------------------
AUX = {
    # real, well-known ids
    "Q5": ("human", "common name of Homo sapiens", None),
    "Q6581097": ("male", "to be used in \"sex or gender\" (P21) to indicate that the human subject is a male", None),
    "Q11446": ("ship", "large buoyant watercraft", None),
    "Q4167410": ("Wikimedia disambiguation page", "navigation page on a Wikimedia site", None),
    "Q101352": ("family name", "part of a naming scheme for individuals", None),
    "Q3918": ("university", "academic institution for further education", None),
    "Q5119": ("capital city", "seat of government of a country or subdivision", None),
    "Q515": ("city", "large human settlement", None),
    "Q7257": ("ideology", "set of ideas that constitute one's goals, expectations and actions", None),
    "Q4830453": ("business", "organization undertaking commercial, industrial, or professional activity", None),
    "Q82955": ("politician", "person involved in politics", None),
    "Q193391": ("diplomat", "person appointed by a state to conduct diplomacy", None),
    "Q189290": ("military officer", "member of an armed force holding a position of authority", None),
    "Q47064": ("military personnel", "member of an armed force", None),
    "Q1930187": ("journalist", "person who collects, writes and distributes news", None),
    "Q81096": ("engineer", "practitioner of engineering", None),
    "Q937857": ("association football player", "person who plays association football", None),
    "Q49757": ("poet", "person who writes poetry", None),
    "Q3624078": ("sovereign state", "state that has the highest authority over a territory", None),
    "Q3024240": ("historical country", "state or country that no longer exists", None),
    "Q423": ("North Korea", "country in East Asia", "Q3624078"),
    "Q884": ("South Korea", "country in East Asia", "Q3624078"),
    "Q148": ("People's Republic of China", "country in East Asia", "Q3624078"),
    "Q15180": ("Soviet Union", "country in Eurasia (1922–1991)", "Q3024240"),
    "Q34266": ("Russian Empire", "empire in Eurasia (1721–1917)", "Q3024240"),
    "Q159": ("Russia", "country in Eastern Europe and Northern Asia", "Q3624078"),
    "Q881": ("Vietnam", "country in Southeast Asia", "Q3624078"),
    "Q30": ("United States", "country in North America", "Q3624078"),
    # invented ids (see README.md)
    "Q900000901": ("Premier of North Korea", "head of government of North Korea", None),
    "Q900000902": ("President of North Korea", "head of state of North Korea (1972–1998)", None),
    "Q900000903": ("Chairman of the Workers' Party of Korea", "leader of the Workers' Party of Korea", None),
    "Q900000904": ("Chairman of the Chinese Communist Party", "leader of the Chinese Communist Party (1945–1982)", None),
    "Q900000905": ("First Secretary of the Communist Party of the Soviet Union", "leader of the CPSU (1953–1966)", None),
    "Q900000906": ("Premier of the Soviet Union", "Chairman of the Council of Ministers of the USSR", None),
    "Q900000907": ("General Secretary of the Communist Party of the Soviet Union", "leader of the CPSU (1966–1991)", None),
    "Q900000908": ("Premier of the People's Republic of China", "head of government of the PRC", None),
    "Q900000909": ("Minister of Foreign Affairs of the People's Republic of China", "foreign minister of the PRC", None),
    "Q900000910": ("Minister of National Defense of the People's Republic of China", "defence minister of the PRC", None),
    "Q900000911": ("Commander of the Chinese People's Volunteers", "commander of the Chinese forces in the Korean War", None),
    "Q900000912": ("First Deputy Premier of the Soviet Union", "deputy head of the Soviet government", None),
    "Q900000913": ("Chairman of the Presidium of the Supreme Soviet", "head of state of the Soviet Union", None),
    "Q900000914": ("Ambassador of the Soviet Union to North Korea", "Soviet ambassador in Pyongyang", None),
    "Q900000915": ("Chairman of the Council of Ministers of the RSFSR", "head of government of the Russian SFSR", None),
    "Q900000916": ("Minister of National Defence of North Korea", "defence minister of the DPRK", None),
    "Q900000917": ("Chairman of the Standing Committee of the Supreme People's Assembly", "head of state of North Korea (1957–1972)", None),
    "Q900000950": ("Joseon", "Korean kingdom (1392–1897)", "Q3024240"),
    "Q900000961": ("Confucian scholar-official", "scholar serving in government in East Asia", None),
    "Q900000962": ("table tennis coach", "coach of table tennis players", None),
    "Q900000963": ("aircraft designer", "engineer who designs aircraft", None),
    "Q900000970": ("nuclear-powered icebreaker", "icebreaker ship with a nuclear reactor", None),
    "Q900000971": ("economic reform", "change in economic policy", None),
    "Q900000972": ("dynasty", "sequence of rulers from the same family", None),
    "Q900000973": ("icebreaker", "ship designed to break through ice", None),
}
for qid, (label, description, cls) in AUX.items():
    E[qid] = thing({"en": label}, {"en": description},
                   [("P31", "item", cls, {})] if cls else [])

# ---------------------------------------------------------------------------
# Searches: file stem -> (search text, [(id, match type, matched text)]).
# The fake answers a name with the file of its normalised form (lowercase,
# non-alphanumerics collapsed to '-'); names with no file get no hits.
# ---------------------------------------------------------------------------
S = {
    "kim-il-sung": ("Kim Il Sung", [("Q39364", "label", None), ("Q900000014", "label", None),
                                    ("Q900000011", "label", None), ("Q900000012", "label", None),
                                    ("Q900000013", "alias", "Kim Il Sung University")]),
    "kim": ("Kim", [("Q900000015", "label", None), ("Q900000016", "label", None)]),
    "mao-zedong": ("Mao Zedong", [("Q5816", "label", None), ("Q900000017", "label", None)]),
    "mao-tse-tung": ("Mao Tse-tung", [("Q5816", "alias", "Mao Tse-tung")]),
    "chairman-mao": ("Chairman Mao", [("Q5816", "alias", "Chairman Mao")]),
    "mao": ("Mao", [("Q900000018", "label", None)]),
    "nikita-khrushchev": ("Nikita Khrushchev", [("Q35314", "label", None), ("Q900000019", "label", None)]),
    "nikita-sergeyevich-khrushchev": ("Nikita Sergeyevich Khrushchev",
                                      [("Q35314", "alias", "Nikita Sergeyevich Khrushchev"),
                                       ("Q900000019", "alias", "Nikita Sergeyevich Khrushchev")]),
    "khrushchev": ("Khrushchev", [("Q900000022", "label", None), ("Q35314", "alias", "Khrushchev")]),
    "leonid-brezhnev": ("Leonid Brezhnev", [("Q765165", "label", None), ("Q900000023", "alias", "Leonid Brezhnev")]),
    "brezhnev": ("Brezhnev", [("Q900000024", "label", None), ("Q765165", "alias", "Brezhnev")]),
    "alexei-kosygin": ("Alexei Kosygin", [("Q186123", "label", None)]),
    "kosygin": ("Kosygin", [("Q900000026", "label", None), ("Q186123", "alias", "Kosygin"),
                            ("Q900000025", "alias", "Kosygin")]),
    "anastas-mikoyan": ("Anastas Mikoyan", [("Q157043", "label", None), ("Q900000029", "label", None)]),
    "mikoyan": ("Mikoyan", [("Q900000032", "label", None), ("Q157043", "alias", "Mikoyan"),
                            ("Q900000030", "alias", "Mikoyan")]),
    "alexander-puzanov": ("Alexander Puzanov", [("Q900000031", "label", None)]),
    "puzanov": ("Puzanov", [("Q900000033", "label", None)]),
    "karoly-prath": ("Karoly Prath", []),
    "zhou-enlai": ("Zhou Enlai", [("Q16977", "label", None)]),
    "chou-en-lai": ("Chou En-lai", [("Q16977", "alias", "Chou En-lai")]),
    "zhou": ("Zhou", [("Q900000028", "label", None), ("Q900000027", "alias", "Zhou")]),
    "peng-dehuai": ("Peng Dehuai", [("Q312556", "label", None), ("Q900000021", "label", None)]),
    "peng-te-huai": ("Peng Te-huai", [("Q312556", "alias", "Peng Te-huai")]),
    "choe-yong-gon": ("Choe Yong-gon", [("Q900000041", "label", None)]),
    "choi-yong-kun": ("Choi Yong-kun", [("Q900000042", "label", None), ("Q900000041", "alias", "Choi Yong-kun")]),
    "pak-chang-ok": ("Pak Chang-ok", [("Q900000051", "label", None), ("Q900000052", "label", None)]),
    "pyongyang": ("Pyongyang", [("Q18808", "label", None)]),
    "p-yongyang": ("P'yongyang", [("Q18808", "alias", "P'yongyang")]),
    "beijing": ("Beijing", [("Q956", "label", None)]),
    "peking": ("Peking", [("Q956", "alias", "Peking"), ("Q900000062", "label", None)]),
    "peiping": ("Peiping", [("Q956", "alias", "Peiping")]),
    "moscow": ("Moscow", [("Q649", "label", None), ("Q900000061", "label", None)]),
    "hanoi": ("Hanoi", [("Q1858", "label", None)]),
}

# ---------------------------------------------------------------------------
# Serialisation in the API's shapes
# ---------------------------------------------------------------------------

def num(qid):
    return int(qid[1:])


def pageid(qid):
    return 10_000 + int(hashlib.sha1(qid.encode()).hexdigest()[:7], 16) % 130_000_000


def snak_hash(*parts):
    return hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest()


DATATYPES = {"item": "wikibase-item", "time": "time", "coord": "globe-coordinate",
             "string": "string", "mono": "monolingualtext", "quantity": "quantity"}


def datavalue(kind, value, calendar=GREGORIAN):
    if kind == "item":
        return {"value": {"entity-type": "item", "numeric-id": num(value), "id": value},
                "type": "wikibase-entityid"}
    if kind == "time":
        t, precision = value
        return {"value": {"time": t, "timezone": 0, "before": 0, "after": 0,
                          "precision": precision, "calendarmodel": calendar}, "type": "time"}
    if kind == "coord":
        lat, lon = value
        return {"value": {"latitude": lat, "longitude": lon, "altitude": None,
                          "precision": 0.00027777777777778,
                          "globe": "http://www.wikidata.org/entity/Q2"}, "type": "globecoordinate"}
    if kind == "string":
        return {"value": value, "type": "string"}
    if kind == "mono":
        text, lang = value
        return {"value": {"text": text, "language": lang}, "type": "monolingualtext"}
    if kind == "quantity":
        return {"value": {"amount": value, "unit": "1"}, "type": "quantity"}
    raise ValueError(kind)


def snak(prop, kind, value, calendar=GREGORIAN, datatype=None):
    if kind == "somevalue":
        return {"snaktype": "somevalue", "property": prop,
                "hash": snak_hash(prop, "somevalue"), "datatype": datatype or "time"}
    dv = datavalue(kind, value, calendar)
    return {"snaktype": "value", "property": prop, "hash": snak_hash(prop, json.dumps(dv, sort_keys=True)),
            "datavalue": dv, "datatype": DATATYPES[kind]}


def statement(qid, prop, kind, value, opts):
    s = {"mainsnak": snak(prop, kind, value, opts.get("calendar", GREGORIAN)),
         "type": "statement"}
    qualifiers = opts.get("qualifiers") or []
    if qualifiers:
        s["qualifiers"] = {}
        for qp, qk, qv in qualifiers:
            s["qualifiers"].setdefault(qp, []).append(snak(qp, qk, qv))
        s["qualifiers-order"] = list(s["qualifiers"])
    s["id"] = "%s$%s" % (qid, str(uuid.uuid5(uuid.NAMESPACE_URL, "%s/%s/%s" % (qid, prop, json.dumps(value)))).upper())
    s["rank"] = opts.get("rank", "normal")
    if opts.get("ref"):
        ref = {"P143": [snak("P143", "item", ENWIKI)]}
        s["references"] = [{"hash": snak_hash("ref", qid, prop), "snaks": ref, "snaks-order": ["P143"]}]
    return s


def entity_json(qid, e):
    claims = {}
    for prop, kind, value, opts in e["claims"]:
        claims.setdefault(prop, []).append(statement(qid, prop, kind, value, opts))
    return {
        "pageid": pageid(qid), "ns": 0, "title": qid,
        "lastrevid": 2_300_000_000 + pageid(qid) % 99_999_999,
        "modified": "2025-01-15T08:30:00Z",
        "type": "item", "id": qid,
        "labels": {l: {"language": l, "value": v} for l, v in e["labels"].items()},
        "descriptions": {l: {"language": l, "value": v} for l, v in e["descriptions"].items()},
        "aliases": {l: [{"language": l, "value": a} for a in vs] for l, vs in e["aliases"].items()},
        "claims": claims,
        "sitelinks": {site: {"site": site, "title": title, "badges": []}
                      for site, title in e["sitelinks"].items()},
    }


def search_hit(qid, match_type, text):
    e = E[qid]
    label = e["labels"].get("en")
    description = e["descriptions"].get("en")
    hit = {"id": qid, "title": qid, "pageid": pageid(qid),
           "concepturi": "http://www.wikidata.org/entity/" + qid,
           "repository": "wikidata", "url": "//www.wikidata.org/wiki/" + qid,
           "display": {}}
    if label:
        hit["display"]["label"] = {"value": label, "language": "en"}
    if description:
        hit["display"]["description"] = {"value": description, "language": "en"}
    if label:
        hit["label"] = label
    if description:
        hit["description"] = description
    hit["match"] = {"type": match_type, "language": "en", "text": text or label}
    if match_type == "alias":
        assert text in e["aliases"].get("en", []), (qid, text)
        hit["aliases"] = [text]
    return hit


def write(path, value):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, ensure_ascii=False, indent=1)
        f.write("\n")


def main():
    for sub in ("search", "entities"):
        d = os.path.join(HERE, sub)
        if os.path.isdir(d):
            for name in os.listdir(d):
                if name.endswith(".json"):
                    os.remove(os.path.join(d, name))
    for qid, e in E.items():
        write(os.path.join(HERE, "entities", qid + ".json"),
              {"entities": {qid: entity_json(qid, e)}, "success": 1})
    for key, (text, hits) in S.items():
        write(os.path.join(HERE, "search", key + ".json"),
              {"searchinfo": {"search": text},
               "search": [search_hit(q, t, m) for q, t, m in hits], "success": 1})
    print("wrote %d entities, %d searches" % (len(E), len(S)))


if __name__ == "__main__":
    main()
