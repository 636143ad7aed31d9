"""Decoding subtitle bytes: BOM, UTF-16/32 without BOM, strict UTF-8, then a plausibility detector.

pysubs2 assumes UTF-8 (its detection request, #43, is open since 2021). Real
files come as UTF-8 with or without BOM, UTF-16/32 with or without BOM, and in
the legacy codepages of :data:`LEGACY`. The order here:

1. a byte-order mark (UTF-32, UTF-8, UTF-16);
2. UTF-32 or UTF-16 without BOM: NUL bytes at one parity (or three of four) and
   a strict decode to printable text (Cyrillic in UTF-16 has no NUL in its
   letters, but the timestamps and newlines of a subtitle file do);
3. strict UTF-8;
4. a file whose non-ASCII lines are partly UTF-8 and partly not is refused
   (:class:`MixedEncodingError`, the cue numbers are added by the loader):
   no single decoding of it is right;
5. every candidate codepage (narrowed by the track's language when known) that
   decodes the bytes strictly is scored for plausibility (:func:`plausibility`):
   letters of one language's alphabet, no control characters, few rare symbols,
   words of one script with sane case. The best is accepted when it is
   plausible and clearly ahead of the best candidate that reads the bytes as
   *different* text (candidates that read them the same cannot be wrong);
   otherwise the error names ``--encoding`` and the two closest candidates.

The alphabets in :data:`ALPHABETS` are facts about languages; they live here
until the languages package takes script data (see the README).
"""

from __future__ import annotations

import codecs
import functools
import itertools
import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from importlib.resources import files

from . import languages
from .errors import EncodingDetectionError
from .languages.scripts import KAZAKH_LETTERS, is_cjk_char, is_hangul_syllable, is_kana

#: accept a guess at least this plausible (0..1) …
MIN_PLAUSIBILITY = 0.6
#: … below this, only with a wide margin
SURE_PLAUSIBILITY = 0.9
WIDE_MARGIN = 0.3
#: … and at least this far ahead of the best candidate that reads the bytes differently
MIN_MARGIN = 0.12
#: kept for callers that compare confidences
MIN_CONFIDENCE = 0.6

#: the legacy codepages tried without a hint, in the order ties (identical text) are reported
LEGACY = (
    "cp1252", "cp1251", "gb18030", "big5", "shift_jis", "euc_kr", "cp1250", "cp1253", "cp1254", "cp1257",
    "koi8_r", "iso8859_15", "iso8859_2", "iso8859_5", "iso8859_7", "iso8859_9", "koi8_u", "kz1048",
)

#: non-ASCII letters of each language's alphabet (lower case; upper case is derived)
ALPHABETS: dict[str, str] = {
    "en": "éï", "fr": "àâæçéèêëîïôœùûüÿ", "de": "äöüß", "es": "áéíñóúü", "it": "àèéìíîòóùú",
    "pt": "áâãàçéêíóôõú", "nl": "éèëïóöüáà", "sv": "åäöé", "da": "æøåé", "nb": "æøåéèêóòô", "fi": "äöåšž",
    "ca": "àçèéíïòóúü", "is": "áðéíóúýþæö", "ga": "áéíóú",
    "pl": "ąćęłńóśźż", "cs": "áčďéěíňóřšťúůýž", "sk": "áäčďéíĺľňóôŕšťúýž", "hu": "áéíóöőúüű",
    "hr": "čćđšž", "sl": "čšžćđ", "ro": "ăâîșşțţ", "sq": "çë",
    "tr": "çğıöşüâîû", "lt": "ąčęėįšųūž", "lv": "āčēģīķļņšūž", "et": "äöõüšž",
    "ru": "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    "uk": "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя’",
    "be": "абвгдеёжзійклмнопрстуўфхцчшыьэюя’",
    "bg": "абвгдежзийклмнопрстуфхцчшщъьюяѝ",
    "sr": "абвгдђежзијклљмнњопрстћуфхцчџш",
    "mk": "абвгдѓежзѕијклљмнњопрстќуфхцчџш",
    # Kazakh: the Russian alphabet plus the letters languages.py knows as Kazakh's own
    "kk": "абвгдеёжзийклмнопрстуфхцчшщъыьэюя" + "".join(dict.fromkeys(languages.get("kk").distinctive.lower())),
    "el": "αβγδεζηθικλμνξοπρσςτυφχψωάέήίόύώϊϋΐΰ",
}
#: the ten most frequent letters of languages written only in non-ASCII letters: a codepage that
#: permutes the alphabet (KOI8-R read as CP1251) gives text whose common letters are rare ones
FREQUENT: dict[str, str] = {
    "ru": "оеаинтсрвл", "uk": "оанівретсл", "be": "аонеырсітл", "bg": "оаеинтрсвл", "sr": "аиоенрстјв",
    "mk": "аоеинтрсвл", "kk": "аеынірлтқс", "el": "αοετινσςηρ",
}
#: the share of letters the ten frequent ones cover in real text is about 0.5-0.6; below this it is suspect
FREQUENT_SHARE = 0.48
#: statistics (letter frequency, case, trigrams, common hanzi) count only from this many characters on
MIN_EVIDENCE = 15
#: real text has at least this share of its non-ASCII trigrams among the trained ones
TRIGRAM_SHARE = 0.75
#: the most frequent hanzi (simplified; those also written so in traditional Chinese count for Big5 too)
COMMON_HANZI = (
    "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作里用道行"
    "所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从想实日军者意无力它"
    "与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很最重并物手应战向头文体政美相见被利什二等产或新"
    "己制身果加西斯月话合回特代内信表化老给世位次度门任常先海通教儿原东声提立及比员解水名真论处走义各入几口认条平"
    "系气题活尔更别打女变四神总何电数安少报才结反受目太量再感建务做接必场件计管期市直德资命山金指克许统区保至队形"
    "社便空决治展马科司五基眼书非则听白却界达光放强即像难且权思王象完设式色路记南品住告类求据程北边死张该交规万取"
    "拉格望觉术领共确传师观清今切院让识候带导争运笑飞风步改收根干造言联持组每济车亲极林服快办议往元英士证近失转夫"
    "令准布始怎呢存未远叫台单影具罗字爱击流备兵连调深商算质团集百需价花党华城石级整府离况亚请技际约示复病息究线似"
    "官火断精满支视消越器容照须九增研写称企八功吗包片史委乎查轻易早曾除农找装广显吧阿李标谈吃图念六引历首医局突专"
    "费号尽另周较注语仅考落青随选列武红响虽推势参希古众构房半节土投某案黑维革划敌致陈律足态护七兴派孩验责营星够章"
    "音跟志底站严巴例防族供效续施留讲型料终答紧黄绝奇察母京段依批群项故按河米围江织害斗双境客纪采举杀攻父苏密低朝"
    "友诉止细愿千值仍男钱破网热助倒育属坐帝限船脸职速刻乐否刚威毛状率甚独球般普怕弹校苦创假久错承印晚兰试股拿脑预"
    "谁益阳若哪微尼继送急血惊伤素药适波夜省初喜卫源食险待述陆习置居劳财环排福纳欢雷警获模充负云停木游龙树疑层冷洲"
    "冲射略范竟句室异激汉村哈策演简卡罪判担州静退既衣您宗积余痛检差富灵协角占配征修皮挥胜降阶审沉坚善妈刘读啊超免"
    "压银买皇养伊怀执副乱抗犯追帮宣佛岁航优怪香著田铁控税左右份穿艺背阵草脚概恶块顿敢守酒岛托央户烈洋哥索胡款靠评"
    "版宝座释景顾弟登货互付伯慢欧换闻危忙核暗姐介坏讨丽良序升监临亮露永呼味野架域沙掉括舰鱼杂误湾吉减编楚肯测败屋"
    "跑梦散温困剑渐封救贵枪缺楼县尚毫移娘朋画班智亦耳恩短掌恐遗固席松秘谢鲁遇康虑幸均销钟诗藏赶剧票损忽巨炮旧端探"
    "湖录叶春乡附吸予礼港雨呀板庭妇归睛饭额含顺输摇招婚脱补谓督毒油疗旅泽材灭逐莫笔亡鲜词圣择寻厂睡博勒烟授诺伦岸"
    "奥唐卖俄炸载洛健堂旁宫喝借君禁阴园谋宋避抓荣姑孙逃牙束跳顶玉镇雪午练迫爷篇肉嘴馆遍凡础洞卷坦牛宁纸诸训私庄祖"
    "丝翻暴森塔默握戏隐熟骨访弱蒙歌店鬼软典欲萨伙遭盘爸扩盖弄雄稳忘亿刺拥徒姆杨齐赛趣曲刀床迎冰虚玩析窗醒妻透购替"
    "塞努休虎扬途侵刑绿兄迅套贸毕唯谷轮库迹尤竞街促延震弃甲伟麻川申缓潜闪售灯针哲络抵朱埃抱鼓植纯夏忍页杰筑折郑贝"
    "尊吴秀混臣雅振染盛怒舞圆搞狂措姓残秋培迷诚宽宇猛摆梅毁伸摩盟末乃悲拍丁赵件文档数据库错误无效输入输出选项命令"
    "显示窗口设置文件夹名称格式字符类型参数函数列表用户密码服务器连接版本支持当前默认"
)
#: the most frequent Hangul syllables
COMMON_HANGUL = (
    "이다는의에가을고하지서기한로도리요어나게사으를수있인해자니시아대라습정구보일그우제안만내상주것들와면전과부오여경"
    "분장원동국소성무없음조저세개때신모러되비화문까히행야미위스트했데중실마계방던합할관영통물같발생선결당치연말재"
    "요새용점공집유은적업단알해진반들람생각좀네왜뭐거래님잘번더못볼봐줘죠했어요습니까됩니다파일설정잘못없습니다"
)
#: a CJK decoding needs this share of its characters among the common ones above
COMMON_SHARE = {"gb18030": 0.5, "big5": 0.4, "euc_kr": 0.35, "cp949": 0.35}
_COMMON_HANZI = frozenset(COMMON_HANZI)
_COMMON_HANGUL = frozenset(COMMON_HANGUL)

#: which languages each codepage is made for (the detector asks "plausible in which of these?")
CODEPAGE_LANGUAGES: dict[str, tuple[str, ...]] = {
    "cp1252": ("en", "fr", "de", "es", "it", "pt", "nl", "sv", "da", "nb", "fi", "ca", "is", "ga", "sq", "et"),
    "iso8859_15": ("en", "fr", "de", "es", "it", "pt", "nl", "sv", "da", "nb", "fi", "ca", "is", "et", "sq"),
    "cp1250": ("pl", "cs", "sk", "hu", "hr", "sl", "ro", "sq", "de"),
    "iso8859_2": ("pl", "cs", "sk", "hu", "hr", "sl", "ro", "sq", "de"),
    "cp1254": ("tr",), "iso8859_9": ("tr",),
    "cp1257": ("lt", "lv", "et"),
    "cp1251": ("ru", "uk", "be", "bg", "sr", "mk"), "iso8859_5": ("ru", "bg", "sr", "mk", "be", "uk"),
    "koi8_r": ("ru", "bg"), "koi8_u": ("uk", "ru", "be"), "kz1048": ("kk", "ru"),
    "cp1253": ("el",), "iso8859_7": ("el",),
    "gb18030": ("zh-Hans",), "big5": ("zh-Hant",), "shift_jis": ("ja",), "euc_kr": ("ko",),
}
#: a language hint narrows the candidates to these codepages
LANGUAGE_CODEPAGES: dict[str, tuple[str, ...]] = {}
for _cp, _langs in CODEPAGE_LANGUAGES.items():
    for _lang in _langs:
        LANGUAGE_CODEPAGES.setdefault(_lang, ())
        LANGUAGE_CODEPAGES[_lang] += (_cp,)
LANGUAGE_CODEPAGES["zh-Hans"] = ("gb18030", "big5")
LANGUAGE_CODEPAGES["zh-Hant"] = ("big5", "gb18030")
LANGUAGE_CODEPAGES["ja"] = ("shift_jis", "euc_jp", "cp932")
LANGUAGE_CODEPAGES["ko"] = ("euc_kr", "cp949")
LANGUAGE_CODEPAGES["kk"] = ("kz1048", "cp1251", "koi8_r")
#: punctuation and spaces real subtitles use: neither evidence for nor against a codepage
_NEUTRAL = set("\u00a0«»„“”‘’‚‹›–—…•·¡¿°€№©®™†\u200b\u200e\u200f\u2009\u202f′″") | set(
    chr(c) for c in range(0x3000, 0x3040)) | set(chr(c) for c in range(0xFF01, 0xFF5F))
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_KAZAKH = set(KAZAKH_LETTERS)
_OPENING_QUOTE_RE = re.compile(r"(?<![^\W\d_])’(?=[^\W\d_])")
_WORD_RE = re.compile(r"[^\W\d_]*[^\x00-\x7f][^\W\d_]*")


@dataclass
class Decoded:
    text: str
    encoding: str
    confidence: float
    method: str  #: "bom", "utf-8", "utf-16-nul", "utf-32-nul", "detected", "given"
    bom: bool
    truncated: bool = False  #: the bytes end inside a UTF-8 character (a cut-short download); the rest is read


class MixedEncodingError(EncodingDetectionError):
    """Some lines are UTF-8 and others are not: no single decoding is right."""

    def __init__(self, message: str, *, lines: list[int], path: str | None = None, hint: str | None = None) -> None:
        super().__init__(message, path=path, line=lines[0] if lines else None, hint=hint)
        self.lines = lines


def _python_name(enc: str) -> str:
    try:
        return codecs.lookup(enc).name
    except LookupError as exc:
        raise EncodingDetectionError(f"unknown encoding {enc!r}", hint="use a Python codec name such as utf-8, gb18030, cp1251") from exc


def _where(data: bytes, pos: int) -> int:
    return data.count(b"\n", 0, pos) + 1


def decode(
    data: bytes, *, encoding: str | None = None, language: str | None = None, path: str | None = None,
    errors: str = "strict",
) -> Decoded:
    """Decode subtitle bytes, reporting how (see module docstring).

    ``errors`` (with an explicit ``encoding`` only) is Python's: ``"surrogateescape"``
    passes undecodable bytes through to be written back unchanged, as pysubs2 allows.
    """
    if encoding is not None:
        return _given(data, encoding, path, errors)
    for mark, enc in _BOMS:
        if data.startswith(mark):
            try:
                return Decoded(data[len(mark) :].decode(enc), enc, 1.0, "bom", True)
            except UnicodeDecodeError as exc:
                raise EncodingDetectionError(
                    f"file starts with a {enc} byte-order mark but is not valid {enc}",
                    path=path,
                    hint="pass --encoding",
                ) from exc
    wide = wide_unicode(data)
    if wide is not None:
        return wide
    try:
        return Decoded(data.decode("utf-8"), "utf-8", 1.0, "utf-8", False)
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.end == len(data):
            try:  # a file cut short inside its last character: everything before it is valid UTF-8
                return Decoded(data[: exc.start].decode("utf-8"), "utf-8", 1.0, "utf-8", False, truncated=True)
            except UnicodeDecodeError:
                pass
    utf8_lines, other_lines = mixed_lines(data)
    if utf8_lines and other_lines:
        raise MixedEncodingError(
            f"mixed encodings: line {other_lines[0]} is not UTF-8 while line {utf8_lines[0]} is",
            lines=other_lines, path=path,
            hint="re-save the file in one encoding; dubdesk lint lists the lines",
        )
    return detect(data, language=language, path=path)


def _given(data: bytes, encoding: str, path: str | None, errors: str) -> Decoded:
    name = _python_name(encoding)
    bom = False
    for mark, enc in _BOMS:
        if data.startswith(mark) and codecs.lookup(enc).name.replace("-le", "").replace("-be", "") in name:
            data, bom = data[len(mark) :], True
            break
    if not name.startswith("utf") and not data.isascii():
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            raise EncodingDetectionError(
                f"the file is valid UTF-8, not {encoding}", path=path,
                hint="leave out --encoding (or pass --encoding utf-8)",
            )
    try:
        return Decoded(data.decode(name, errors), name, 1.0, "given", bom)
    except UnicodeDecodeError as exc:
        raise EncodingDetectionError(
            f"cannot decode as {encoding}: invalid byte 0x{data[exc.start]:02x} at offset {exc.start}",
            path=path,
            line=_where(data, exc.start),
            hint="check --encoding, or leave it out to detect the encoding",
        ) from exc


def wide_unicode(data: bytes) -> Decoded | None:
    """UTF-32 or UTF-16 without a BOM, told by where the NUL bytes fall; None if it is neither.

    Any script: the letters of Cyrillic or Chinese in UTF-16 have no NUL byte, but a
    subtitle file's digits, spaces, arrows and newlines do, always at the same parity.
    """
    sample = data[:8192]
    if len(sample) < 8 or len(data) % 2 or sample.count(0) * 12 < len(sample):
        return None
    cut = len(sample) - len(sample) % 4
    for enc, zero_at in (("utf-32-le", (2, 3)), ("utf-32-be", (0, 1))):
        if len(data) % 4 == 0 and all(not any(sample[k:cut:4]) for k in zero_at):
            text = _printable_decode(data, enc)
            if text is not None:
                return Decoded(text, enc, 1.0, "utf-32-nul", False)
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if max(even, odd) < 9 * min(even, odd) + 4:
        return None  # NULs at both parities: binary data, not UTF-16
    enc = "utf-16-le" if odd > even else "utf-16-be"
    text = _printable_decode(data, enc)
    return None if text is None else Decoded(text, enc, 1.0, "utf-16-nul", False)


def _printable_decode(data: bytes, enc: str) -> str | None:
    try:
        text = data.decode(enc)
    except UnicodeDecodeError:
        return None
    head = text[:4000]
    bad = sum(1 for ch in set(head) if _category(ch) in ("Cc", "Cn", "Co", "Cs") and ch not in "\t\n\r\f")
    return text if bad == 0 and ("\n" in head or "\r" in head) else None


def mixed_lines(data: bytes) -> tuple[list[int], list[int]]:
    """Lines that are UTF-8 with non-ASCII text, and lines that are not UTF-8 at all.

    A legacy line that happens to be valid UTF-8 (CP1251 ``ВСЁ`` is two UTF-8
    sequences) must not make a whole legacy file "mixed": UTF-8 lines count
    only when, together, they hold at least two multi-byte characters.
    """
    utf8: list[int] = []
    other: list[int] = []
    multibyte = 0
    for no, raw in enumerate(data.split(b"\n"), 1):
        if raw.isascii():
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            other.append(no)
            continue
        utf8.append(no)
        multibyte += sum(1 for ch in text if ord(ch) > 0x7F)
    if multibyte < 2:
        utf8 = []
    return utf8, other


# ---------------------------------------------------------------- plausibility


@functools.lru_cache(maxsize=4096)
def _category(ch: str) -> str:
    return unicodedata.category(ch)


@functools.lru_cache(maxsize=4096)
def _script(ch: str) -> str:
    """LATIN, CYRILLIC, GREEK, CJK… from the character's name (first word)."""
    try:
        return unicodedata.name(ch).split(" ", 1)[0]
    except ValueError:
        return "?"


_LETTER_SETS: dict[str, frozenset[str]] = {
    lang: frozenset(letters) | frozenset(ch.upper() for ch in letters if len(ch.upper()) == 1) | ({"İ"} if lang == "tr" else set())
    for lang, letters in ALPHABETS.items()
}


@functools.lru_cache(maxsize=65536)
def _cjk_common(ch: str, enc: str) -> bool:
    """Is ``ch`` in the common tier of a CJK codepage (the level its designers gave frequent characters)?

    GB2312 level 1 (3,755 hanzi) covers about 99.5% of simplified text, Big5 level 1
    (5,401) about 99% of traditional; kana and JIS level 1 for Japanese; the 2,350
    Hangul syllables of KS X 1001 for Korean. Text decoded with the wrong CJK
    codepage falls there far less often.
    """
    if enc == "gb18030":
        try:
            b = ch.encode("gb2312")
        except UnicodeEncodeError:
            return False
        return len(b) == 2 and (0xB0 <= b[0] <= 0xD7 or b[0] in (0xA1, 0xA3))
    if enc in ("big5",):
        b = ch.encode("big5")
        return len(b) == 2 and (0xA4 <= b[0] <= 0xC6 or 0xA1 <= b[0] <= 0xA3)
    if enc in ("shift_jis", "cp932", "euc_jp"):
        if is_kana(ch):
            return True  # hiragana and full-width katakana
        try:
            b = ch.encode("shift_jis")
        except UnicodeEncodeError:
            return False
        return len(b) == 2 and 0x88 <= b[0] <= 0x98
    if enc in ("euc_kr", "cp949"):
        return is_hangul_syllable(ch) and len(ch.encode("euc_kr", "ignore")) == 2
    return False


def plausibility(text: str, enc: str, languages: tuple[str, ...] | None = None) -> float:
    """See :func:`plausibility_of`; the score alone."""
    return plausibility_of(text, enc, languages)[0]


def plausibility_of(text: str, enc: str, languages: tuple[str, ...] | None = None) -> tuple[float, str | None]:
    """How plausible ``text`` is as subtitles written in ``enc`` (0..1).

    The share of non-ASCII characters (punctuation aside) that are letters of
    one of the codepage's languages — or, for CJK codepages, characters of the
    codepage's common tier — times the share of non-ASCII words that are
    well formed (one script, no lower-then-upper case inside). A control,
    private-use or unassigned character makes it 0.
    """
    counts = Counter(ch for ch in text if ord(ch) > 0x7F) if not text.isascii() else Counter[str]()
    for ch in counts:
        if _category(ch) in ("Cc", "Cn", "Co", "Cs") or ch == "\ufffd":
            return 0.0, None
    considered = {ch: n for ch, n in counts.items() if ch not in _NEUTRAL}
    # a closing quote opening a word ("’λλο") is a letter of another codepage
    odd_quotes = len(_OPENING_QUOTE_RE.findall(text)) if "’" in counts else 0
    total = sum(considered.values()) + odd_quotes
    if total == 0:
        return 1.0, None
    langs = languages or CODEPAGE_LANGUAGES.get(enc, ())
    if enc in _CJK_CODEPAGES:
        cjk = {ch: n for ch, n in considered.items() if _is_cjk_char(ch)}
        cjk_total = sum(cjk.values())
        score = sum(n for ch, n in cjk.items() if _cjk_common(ch, enc)) / cjk_total if cjk_total else 1.0
        share = COMMON_SHARE.get(enc)
        if share is not None and cjk_total >= MIN_EVIDENCE:
            common_set = _COMMON_HANGUL if enc in ("euc_kr", "cp949") else _COMMON_HANZI
            seen = sum(n for ch, n in cjk.items() if ch in common_set)
            score *= min(1.0, seen / cjk_total / share)
        other_total = total - cjk_total
        if other_total:
            # Cyrillic or Greek the codepage also holds (a bilingual file): judged as such text
            others = "".join(" " if _is_cjk_char(ch) else ch for ch in text)
            other_score, _ = plausibility_of(others, "", tuple(ALPHABETS))
            other_score *= _word_shape(text)
            score = (score * cjk_total + other_score * other_total) / total
        return score, CODEPAGE_LANGUAGES.get(enc, (None,))[0]
    best, best_lang = 0.0, None
    trigrams: Counter[str] | None = None
    for lang in langs:
        letters = _LETTER_SETS.get(lang)
        if letters is None:
            continue
        fit = sum(n for ch, n in considered.items() if ch in letters) / total
        trained = _trigrams().get(lang)
        if trained and fit > best:
            if trigrams is None:
                trigrams = _text_trigrams(text)
            seen = sum(trigrams.values())
            if seen >= MIN_EVIDENCE:
                share = sum(n for t, n in trigrams.items() if t in trained) / seen
                fit *= min(1.0, share / TRIGRAM_SHARE) ** 2
        frequent_letters = FREQUENT.get(lang)
        if frequent_letters is not None and fit > best and total >= MIN_EVIDENCE:
            lower = Counter[str]()
            upper = 0
            for ch, n in considered.items():
                lower[ch.lower()] += n
                upper += n if ch.isupper() else 0
            letters_n = max(1, sum(lower.values()))
            share = sum(lower[ch] for ch in frequent_letters) / letters_n
            fit *= min(1.0, share / FREQUENT_SHARE) ** 2
            # subtitles are mostly lower case; a codepage that swaps case (KOI8-R read as CP1251) is not
            fit *= min(1.0, 2.0 * (1.0 - upper / letters_n))
        if fit > best:
            best, best_lang = fit, lang
    return best * _word_shape(text), best_lang


@functools.lru_cache(maxsize=1)
def _trigrams() -> dict[str, frozenset[str]]:
    """Letter trigrams real text of each language has (benchmarks/train_codepage_trigrams.py)."""
    raw = json.loads(files("dubdesk").joinpath("data/codepage_trigrams.json").read_text(encoding="utf-8"))
    return {lang: frozenset(packed[i : i + 3] for i in range(0, len(packed), 3)) for lang, packed in raw.items()}


def _text_trigrams(text: str) -> Counter[str]:
    """Trigrams centred on a non-ASCII letter, word edges as spaces (as the trained data)."""
    out: Counter[str] = Counter()
    for word, n in Counter(_WORD_RE.findall(text.lower())).items():
        padded = f" {word} "
        for i in range(1, len(padded) - 1):
            if ord(padded[i]) > 127:
                out[padded[i - 1 : i + 2]] += n
    return out


_CJK_CODEPAGES = frozenset({"gb18030", "big5", "shift_jis", "euc_kr", "cp932", "euc_jp", "cp949"})


def _is_cjk_char(ch: str) -> bool:
    """Wide CJK text, Hangul syllables included (a CJK codepage's own letters)."""
    return is_cjk_char(ch) or is_hangul_syllable(ch)


def _word_shape(text: str) -> float:
    """Share of words with non-ASCII letters that are of one script and sane case."""
    words = _WORD_RE.findall(text)
    if not words:
        return 1.0
    bad = 0
    seen: dict[str, bool] = {}
    for word in words:
        verdict = seen.get(word)
        if verdict is None:
            verdict = _bad_word(word)
            seen[word] = verdict
        bad += verdict
    return 1.0 - bad / len(words)


def _bad_word(word: str) -> bool:
    scripts = {_script(ch) for ch in word if ch.isalpha()}
    if len(scripts) > 1:
        return True
    # lower case then upper case inside a word: "оПХБЕР" is KOI8-R read as CP1251
    return any(a.islower() and b.isupper() for a, b in itertools.pairwise(word))


@dataclass(frozen=True)
class Candidate:
    encoding: str
    score: float
    text: str  #: the lines with non-ASCII bytes, decoded (what the score is about)
    language: str | None = None  #: the language the text fits best


def candidates(data: bytes, language: str | None = None) -> list[Candidate]:
    """Every candidate codepage that decodes ``data`` strictly, best first (ties: :data:`LEGACY` order)."""
    names = LANGUAGE_CODEPAGES.get(language or "", LEGACY)
    langs = (language,) if language in ALPHABETS else None
    # ASCII reads the same in every candidate: only lines with other bytes are evidence
    # (and the first 3,000 of them are plenty)
    evidence = b"\n".join([line for line in data.split(b"\n") if not line.isascii()][:3000])
    out = []
    for rank, enc in enumerate(names):
        try:
            data.decode(enc)
            text = evidence.decode(enc)
        except UnicodeDecodeError:
            continue
        score, lang = plausibility_of(text, enc, langs if enc in LANGUAGE_CODEPAGES.get(language or "", ()) else None)
        out.append((score, -rank, enc, text, lang))
    out.sort(key=lambda c: (c[0], c[1]), reverse=True)
    return [Candidate(enc, round(score, 4), text, lang) for score, _, enc, text, lang in out]


def _diff_fit(mine: Candidate, other: Candidate) -> tuple[float, int]:
    """Where two single-byte readings of the same bytes differ: the share of ``mine``'s characters
    there that are letters of its language (or punctuation between words), and how many differ."""
    letters = _LETTER_SETS.get(mine.language or "", frozenset())
    text = mine.text
    good = n = 0
    for i, (a, b) in enumerate(zip(text, other.text, strict=True)):
        if a == b:
            continue
        n += 1
        if a in letters:
            good += 1
        elif a in _NEUTRAL and a not in "’‘":
            # punctuation glued inside a word ("»a" for "ťa") is a letter of another codepage
            inside = 0 < i < len(text) - 1 and text[i - 1].isalpha() and text[i + 1].isalpha()
            good += not inside
    return (good / n if n else 1.0), n


def _beats(best: Candidate, rival: Candidate) -> bool:
    """Is ``best`` clearly the right reading rather than ``rival``?"""
    if best.score < SURE_PLAUSIBILITY:
        return best.score - rival.score >= WIDE_MARGIN
    if best.score - rival.score >= MIN_MARGIN:
        return True
    if len(best.text) != len(rival.text) or best.language is None:
        return False  # multi-byte codepages: only the overall margin tells
    fit, n = _diff_fit(best, rival)
    rival_fit, _ = _diff_fit(rival, best) if rival.language else (0.0, n)
    # one differing character decides only when it is a letter in one reading and none in the other
    return (n >= 2 and fit >= 0.9 and fit - rival_fit >= 0.5) or (n >= 1 and fit == 1.0 and rival_fit == 0.0)


def detect(data: bytes, *, language: str | None = None, path: str | None = None) -> Decoded:
    """Pick the legacy codepage of ``data``, or refuse naming ``--encoding`` and the closest two."""
    found = candidates(data, language)
    if not found:
        raise EncodingDetectionError(
            "not valid UTF-8 and no known encoding fits", path=path,
            hint="pass --encoding (e.g. gb18030, big5, cp1251, kz1048)",
        )
    # the best candidate must beat every plausible one that reads the bytes differently;
    # the top few take turns, since the diff can favour the second on overall score
    rival: Candidate | None = None
    best = found[0]
    for best in found[:3]:
        if best.score < MIN_PLAUSIBILITY:
            break
        rivals = [c for c in found if c.text != best.text and c.score >= best.score - WIDE_MARGIN]
        rival = rivals[0] if rivals else None
        if all(_beats(best, r) for r in rivals):
            margin = best.score - (rival.score if rival else 0.0)
            confidence = round(min(best.score, 0.5 + margin) if rival else best.score, 3)
            return Decoded(data.decode(best.encoding), best.encoding, max(confidence, 0.6), "detected", False)
    best = found[0]
    rival = next((c for c in found[1:] if c.text != best.text), None)
    names = f"{best.encoding} ({best.score:.2f})" + (f" or {rival.encoding} ({rival.score:.2f})" if rival else "")
    raise EncodingDetectionError(
        f"cannot tell the encoding for sure: closest are {names}",
        path=path,
        hint=f"pass --encoding {best.encoding}" + (f" or --encoding {rival.encoding}" if rival else "")
        + ("" if language else ", or --lang to narrow the guess"),
    )


def line_endings(text: str) -> str:
    """LF, CRLF, CR, mixed or none — of the decoded text."""
    crlf = text.count("\r\n")
    cr = text.count("\r") - crlf
    lf = text.count("\n") - crlf
    kinds = [k for k, n in (("CRLF", crlf), ("CR", cr), ("LF", lf)) if n]
    if not kinds:
        return "none"
    return kinds[0] if len(kinds) == 1 else "mixed"


def normalize_newlines(text: str) -> str:
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")
