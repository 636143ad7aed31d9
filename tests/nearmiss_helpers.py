"""A generated test set for near-miss detection: sentences per language with planted slips.

For each of en, ru, kk and zh-Hans the set (seeded, so every run is the same) has at least 300
sentences over a glossary made of glossaries/composer.toml plus generated names (several hundred
entries, names in all four languages, far enough apart that a one- or two-edit slip belongs to
one name only). Each sentence is one of

- ``correct``: a name as approved/accepted, maybe as a multi-word name;
- ``inflected``: a declined name (ru/kk endings from the rules, an English possessive);
- ``slip1`` / ``slip2``: a planted one-edit / two-edit slip (substitution, deletion, insertion or
  swap of neighbours; two edits only in words of 10+ letters; Chinese: one character replaced);
- ``distractor``: an ordinary word close to a name: a common word one edit from a generated term
  (Almaty-like next to Almasty-like), a word on the glossary's ``ignore`` list one edit from a
  term, Байкал next to Байкадамов, a common Chinese word one character from a term.

Ground truth is computed here, independently of ``dubdesk.glossary.nearmiss``: the expected
finding of a slip is the whole name as written, with the correct spelling (ending and case kept)
as suggestion. ``evaluate`` scores the detector: recall on planted slips, precision over all
near-miss findings, per language.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMPOSER = ROOT / "glossaries" / "composer.toml"
LANGS = ("en", "ru", "kk", "zh-Hans")
ENTRIES = 400  #: generated entries on top of composer.toml

LATIN = "abcdefghijklmnopqrstuvwxyz"
CYR = "абвгдежзиклмнопрстуфхцчшыэюя"
KK = CYR + "әғқңөұүһі"
LAT_SYL = ["ka", "ra", "men", "dy", "tol", "ge", "nov", "bek", "sul", "tan", "mar", "zha", "nur", "lan", "to",
           "ke", "si", "bai", "dau", "let", "mu", "sa", "gul", "er", "zhan", "ay", "dar", "tur", "kul", "mir"]
CYR_SYL = ["ка", "ра", "мен", "ды", "тол", "ге", "нур", "бек", "сул", "тан", "мар", "жа", "лан", "то", "ке", "си",
           "бай", "дау", "лет", "му", "са", "гул", "ер", "жан", "ай", "дар", "тур", "кул", "мир", "за", "бо"]
KK_SYL = ["қа", "ра", "мен", "ды", "тол", "ге", "нұр", "бек", "сұл", "тан", "мар", "жа", "лән", "то", "ке",
          "сі", "бай", "дәу", "лет", "мұ", "са", "гүл", "ер", "жан", "ай", "дар", "тұр", "құл", "мір", "ғa"]
HAN = list("阿巴卡达尔拉克斯坦木图莫夫诺维奇耶伊万托列别格萨吉穆哈努尼科提塔纳玛丽娜特林罗佐泽波普德戈基库沙舍赫亚贝蒂索")
#: characters a slip may put into a Chinese name (homophones and look-alikes of name characters)
HAN_SLIP = list("啊吧咖答儿啦刻思滩目途漠府挪唯琪椰依湾拖烈鳖阁撒及幕蛤怒泥棵题塌呐嘛骊哪忒琳萝做则坡浦得哥鸡裤砂射贺娅倍缔锁")

_CJK_COMMON = set("".join(HAN) + "的是在了我和有不人也你为他这中与年对就都上说吗会到要来月被还而个后等但于日将并能一很让从以好大她着多时给把去看又或下之过新里做及地由没用更得所想最它那三可吧其该只向前出已再小当们内却才爱第谁号事快比跟请长高则至钱万使像点听此起两自国如带走吃岁无话较么区太家约者开问站元写因成打分死见买叫图曾即道天总另应正便党间发名干本达找称您玩县受真进处民网币作曲学生工室经济社会政治文化电影音乐公司城市")
FRAMES = {
    "en": ["{X} arrived in the city yesterday.", "We talked to {X} about the concert.", "Nobody expected {X} to win.",
           "The letter from {X} was read aloud.", "{X} played the violin all night.",
           "Everyone remembers {X} and the music.", "They say {X} wrote it in one week.", "Later {X} left for the mountains."],
    "ru": ["{X} приехал в город вчера.", "Мы говорили о концерте с {X}.", "Никто не ждал, что {X} победит.",
           "Письмо от {X} прочитали вслух.", "Вечером {X} играл на скрипке.", "Все помнят, как {X} пел.",
           "Говорят, {X} написал это за неделю.", "Потом {X} уехал в горы."],
    "kk": ["{X} кеше қалаға келді.", "Біз концерт туралы {X} айттық.", "Ешкім {X} жеңеді деп ойламады.",
           "Хатты {X} оқыды.", "Кешке {X} скрипка ойнады.", "Бәрі {X} есіне алады.", "Кейін {X} тауға кетті.",
           "Олар {X} туралы сөйлесті."],
    "zh-Hans": ["昨天{X}来到了这座城市。", "我们和{X}谈了音乐会。", "没有人想到{X}会赢。", "大家读了{X}的信。",
                "晚上{X}拉了一整夜小提琴。", "人们都记得{X}的音乐。", "听说{X}一周就写完了。", "后来{X}去了山里。"],
}


#: the issue's own examples of ordinary words close to names ("" : the near term is in composer.toml)
EXTRA_DISTRACTORS = {
    "en": [("Almaty", "Almasty")],  # a glossary word next to a new term one edit away
    "ru": [("Байкал", ""), ("Байкала", "")],  # the lake next to Байкадамов
    "kk": [("Байқал", "")],
    "zh-Hans": [("人民币", ""), ("人民日报", "")],  # money and a newspaper next to 人民网
}


@dataclass
class Case:
    lang: str
    kind: str  #: correct, inflected, slip1, slip2, distractor
    text: str
    expected: list[tuple[str, str]] = field(default_factory=list)  #: (found, suggestion)


@dataclass
class TestSet:
    toml: str  #: the glossary (composer.toml + generated entries + ignore list)
    cases: list[Case]


def damerau(a: str, b: str) -> int:
    """Optimal string alignment distance (written here again so the ground truth is independent)."""
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[-1][-1]


def _deletes(w: str, depth: int) -> set[str]:
    out, frontier = {w}, {w}
    for _ in range(depth):
        frontier = {x[:i] + x[i + 1 :] for x in frontier for i in range(len(x))}
        out |= frontier
    return out


class _Names:
    """Names of one language kept at least 3 edits apart (checked by shared deletion neighbourhoods)."""

    def __init__(self, taken: list[str]) -> None:
        self.near: dict[str, list[str]] = {}
        for w in taken:
            self.add(w)

    def clashes(self, w: str) -> bool:
        return any(d in self.near for d in _deletes(w.lower(), 2))

    def add(self, w: str) -> None:
        for d in _deletes(w.lower(), 2):
            self.near.setdefault(d, []).append(w.lower())

    def within(self, w: str, dist: int) -> set[str]:
        """Every kept word within ``dist`` edits of ``w``."""
        cands = {x for d in _deletes(w.lower(), 2) for x in self.near.get(d, ())}
        return {x for x in cands if damerau(w.lower(), x) <= dist}


def _word(rng: random.Random, syl: list[str], lo: int, hi: int, suffix: str = "") -> str:
    w = "".join(rng.choice(syl) for _ in range(rng.randint(lo, hi))) + suffix
    return w[:1].upper() + w[1:]


def _common(lang: str) -> list[str]:
    from dubdesk.glossary.spelling import common_words

    return sorted(common_words(lang))


def _composer_words(lang: str) -> list[str]:
    from dubdesk.glossary import load_glossary
    from dubdesk.glossary.matcher import WORD_RE
    from dubdesk.glossary.model import norm

    g = load_glossary(COMPOSER)
    out: list[str] = []
    for e in g.entries:
        for lf in e.langs.values():
            for form, _s in lf.all_forms():
                out += WORD_RE.findall(norm(form)) if lang != "zh-Hans" else [form]
    return out


def build_test_set(seed: int = 15) -> TestSet:
    rng = random.Random(seed)
    composer = {lang: _composer_words(lang) for lang in LANGS}
    common = {lang: _common(lang) for lang in LANGS}
    # every name kept 3+ edits from every other name, from composer.toml's words and from common words
    kept = {lang: _Names(composer[lang] + [w for w in common[lang] if len(w) >= 5]) for lang in ("en", "ru", "kk")}
    gen = {
        "en": lambda: _word(rng, LAT_SYL, 3, 5),
        "ru": lambda: _word(rng, CYR_SYL, 2, 4, rng.choice(["ов", "ев", "ин", "", "а", "ай"])),
        "kk": lambda: _word(rng, KK_SYL, 2, 4, rng.choice(["ов", "ев", "бек", "", "ай", "тау"])),
    }
    # distractor terms first: one edit from a common word (the text then has the common word)
    distract: dict[str, list[tuple[str, str]]] = {lang: [] for lang in LANGS}  # (text word, term)
    ignore: list[str] = []
    for lang in ("en", "ru", "kk"):
        alphabet = LATIN if lang == "en" else (KK if lang == "kk" else CYR)
        own = _Names(composer[lang])
        pool = [w for w in common[lang] if 6 <= len(w) <= 9 and all(c in alphabet for c in w)]
        rng.shuffle(pool)
        for w in pool:
            term = _edit(rng, w, alphabet)
            if term is None or damerau(term, w) != 1 or own.clashes(term) or term in common[lang]:
                continue
            own.add(term)
            kept[lang].add(term)
            distract[lang].append((w.capitalize(), term.capitalize()))
            if len(distract[lang]) == 25:
                break
        while len(distract[lang]) < 35:  # an ignored word one edit from a term (Baikal next to a Baikan)
            base = gen[lang]()
            if len(base) < 7 or kept[lang].clashes(base):
                continue
            ign = _edit(rng, base.lower(), alphabet)
            if ign is None or damerau(ign, base.lower()) != 1:
                continue
            kept[lang].add(base)
            ignore.append(ign.capitalize())
            distract[lang].append((ign.capitalize(), base))
    for lang, pairs in EXTRA_DISTRACTORS.items():
        distract[lang] += pairs
    # Chinese: common 3–4 character words, a term one character away
    zh_seen: set[str] = set(composer["zh-Hans"])
    zh_wild = {w[:j] + "*" + w[j + 1 :] for w in zh_seen for j in range(len(w))}

    def zh_ok(w: str) -> bool:
        return w not in zh_seen and not any(w[:j] + "*" + w[j + 1 :] in zh_wild for j in range(len(w)))

    def zh_add(w: str) -> None:
        zh_seen.add(w)
        zh_wild.update(w[:j] + "*" + w[j + 1 :] for j in range(len(w)))

    zh_pool = [w for w in common["zh-Hans"] if 3 <= len(w) <= 4 and all(c in _CJK_COMMON for c in w)]
    rng.shuffle(zh_pool)
    for w in zh_pool:
        j = rng.randrange(len(w))
        term = w[:j] + rng.choice(HAN) + w[j + 1 :]
        if term == w or not zh_ok(term) or term in common["zh-Hans"]:
            continue
        zh_add(term)
        distract["zh-Hans"].append((w, term))
        if len(distract["zh-Hans"]) == 35:
            break
    # the names: 30% two words (the last word alone is an accepted form)
    entries: list[dict[str, list[str]]] = []
    for _ in range(ENTRIES):
        two = rng.random() < 0.3
        entry: dict[str, list[str]] = {}
        for lang in ("en", "ru", "kk"):
            words: list[str] = []
            while len(words) < (2 if two else 1):
                w = gen[lang]()
                if len(w) >= 5 and not kept[lang].clashes(w):
                    kept[lang].add(w)
                    words.append(w)
            entry[lang] = words
        while True:
            w = "".join(rng.choice(HAN) for _ in range(rng.randint(3, 5)))
            if zh_ok(w):
                zh_add(w)
                entry["zh-Hans"] = [w]
                break
        entries.append(entry)
    toml = _toml(entries, distract, ignore)
    cases: list[Case] = []
    for lang in LANGS:
        cases += _cases(rng, lang, entries, distract[lang], kept.get(lang))
    return TestSet(toml, cases)


def _edit(rng: random.Random, w: str, alphabet: str, lo: int = 1, hi: int | None = None) -> str | None:
    """One random edit of ``w`` between positions lo and hi (the first letter stays)."""
    hi = len(w) if hi is None else hi
    if hi - lo < 2:
        return None
    for _ in range(20):
        op = rng.choice(("sub", "del", "ins", "swap"))
        i = rng.randrange(lo, hi)
        if op == "sub":
            out = w[:i] + rng.choice(alphabet) + w[i + 1 :]
        elif op == "del":
            out = w[:i] + w[i + 1 :]
        elif op == "ins":
            out = w[:i] + rng.choice(alphabet) + w[i:]
        else:
            if i + 1 >= hi or w[i] == w[i + 1]:
                continue
            out = w[:i] + w[i + 1] + w[i] + w[i + 2 :]
        if out != w:
            return out
    return None


def _toml(entries: list[dict[str, list[str]]], distract: dict[str, list[tuple[str, str]]], ignore: list[str]) -> str:
    text = COMPOSER.read_text("utf-8")
    head = 'name = "The Composer — people, titles, places, organisations"'
    text = text.replace(head, head + "\nignore = [" + ", ".join(f'"{w}"' for w in ignore) + "]", 1)
    out = [text, ""]
    for i, e in enumerate(entries):
        out += ["[[term]]", f'id = "gen{i}"', 'kind = "person"']
        for lang in LANGS:
            out += [f"[term.{lang}]", f'approved = "{" ".join(e[lang])}"']
            if len(e[lang]) > 1:
                out.append(f'accepted = ["{e[lang][-1]}"]')
        out.append("")
    for lang, pairs in distract.items():
        for k, (_w, term) in enumerate(pairs):
            if not term:
                continue
            out += ["[[term]]", f'id = "near-{lang}-{k}"', 'kind = "place"', f"[term.{lang}]", f'approved = "{term}"', ""]
    return "\n".join(out)


def _inflect(rng: random.Random, lang: str, word: str) -> tuple[str, str]:
    """A declined form of a name's last word: (stem part as written, ending)."""
    from dubdesk.glossary.inflect import INFLECTIONS

    if lang == "en":
        return word, rng.choice(["", "'s"])
    stem_l, endings = INFLECTIONS[lang](word.lower())
    return word[: len(stem_l)], rng.choice([e for e in endings if e] or [""])


def _cases(
    rng: random.Random, lang: str, entries: list[dict[str, list[str]]], distract: list[tuple[str, str]], kept: _Names | None
) -> list[Case]:
    cases: list[Case] = []
    frames = FRAMES[lang]
    alphabet = {"en": LATIN, "ru": CYR, "kk": KK}.get(lang, "")

    def put(name: str) -> str:
        return rng.choice(frames).replace("{X}", name)

    plan = ["correct"] * 70 + ["inflected"] * 60 + ["slip1"] * 110 + ["slip2"] * 50 + ["distractor"] * 60
    if lang == "zh-Hans":
        plan = ["correct"] * 100 + ["slip1"] * 160 + ["distractor"] * 70
    long_names = [e for e in entries if any(len(w) >= 10 for w in e[lang])]
    for kind in plan:
        if kind == "distractor":
            word, _term = rng.choice(distract)
            cases.append(Case(lang, kind, put(word)))
            continue
        e = rng.choice(long_names if kind == "slip2" else entries)
        if lang == "zh-Hans":
            name = e[lang][0]
            if kind == "correct":
                cases.append(Case(lang, kind, put(name)))
            else:
                j = rng.randrange(len(name))
                slip = name[:j] + rng.choice(HAN_SLIP) + name[j + 1 :]
                cases.append(Case(lang, kind, put(slip), [(slip, name)]))
            continue
        words = list(e[lang]) if len(e[lang]) == 1 or rng.random() < 0.7 else [e[lang][-1]]
        inflected = kind == "inflected" or (kind != "correct" and rng.random() < 0.5)
        stem, ending = _inflect(rng, lang, words[-1]) if inflected else (words[-1], "")
        possessive = ending == "'s"
        if possessive:
            ending = ""
        correct = " ".join([*words[:-1], stem + ending])
        if kind in ("correct", "inflected"):
            cases.append(Case(lang, kind, put(correct + ("'s" if possessive else ""))))
            continue
        # a slip inside the stem of one word of 6+ (two edits: 10+) letters
        ks = [i for i, w in enumerate(words) if len(w) >= (10 if kind == "slip2" else 6)]
        if not ks:
            continue
        k = rng.choice(ks)
        target = words[k] if k < len(words) - 1 else stem
        slipped = _edit(rng, target, alphabet)
        if kind == "slip2" and slipped is not None:
            slipped = _edit(rng, slipped, alphabet)
        dist = 2 if kind == "slip2" else 1
        if slipped is None or damerau(slipped.lower(), target.lower()) != dist:
            continue
        # ground truth must be unambiguous: no other name or common word as close
        assert kept is not None
        if kept.within(slipped, dist) - {words[k].lower()}:
            continue
        parts = [*words[:-1], stem]
        parts[k] = slipped
        written = " ".join(parts) + ending
        cases.append(Case(lang, kind, put(written + ("'s" if possessive else "")), [(written, correct)]))
    return cases


@dataclass
class Score:
    lang: str
    sentences: int
    planted: int
    found: int  #: planted slips found with the right suggestion
    false: int  #: findings that are no planted slip (or the wrong suggestion)

    @property
    def recall(self) -> float:
        return self.found / self.planted if self.planted else 1.0

    @property
    def precision(self) -> float:
        reported = self.found + self.false
        return self.found / reported if reported else 1.0


def evaluate(ts: TestSet) -> tuple[dict[str, Score], list[str]]:
    """Score near-miss detection per language; also returns readable lines for every error."""
    from dubdesk.glossary import loads_toml
    from dubdesk.glossary.nearmiss import find_near_misses

    g = loads_toml(ts.toml)
    scores: dict[str, Score] = {}
    errors: list[str] = []
    for lang in LANGS:
        cases = [c for c in ts.cases if c.lang == lang]
        texts = [c.text for c in cases]
        near = find_near_misses(g, lang, texts, g.matcher(lang).find_sparse(texts))
        s = Score(lang, len(cases), sum(len(c.expected) for c in cases), 0, 0)
        for i, c in enumerate(cases):
            got = [(nm.found, nm.suggestion) for nm in near.get(i, [])]
            want = list(c.expected)
            for item in got:
                if item in want:
                    want.remove(item)
                    s.found += 1
                else:
                    s.false += 1
                    errors.append(f"{lang} false {item} in {c.text!r} ({c.kind})")
            errors += [f"{lang} missed {item} in {c.text!r} ({c.kind})" for item in want]
        scores[lang] = s
    return scores, errors


def table(scores: dict[str, Score]) -> str:
    lines = ["| language | sentences | planted slips | found | false alarms | recall | precision |", "|---|---|---|---|---|---|---|"]
    for s in scores.values():
        lines.append(f"| {s.lang} | {s.sentences} | {s.planted} | {s.found} | {s.false} | {s.recall:.1%} | {s.precision:.1%} |")
    return "\n".join(lines)
