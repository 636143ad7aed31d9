"""Letters, common characters and codepages of languages: the facts the encoding detector
(:mod:`dubdesk.encodings`) and the dub-length rule score text with.

Facts about languages live in this package (one home); the detector's thresholds stay with it.
"""

from __future__ import annotations

from .scripts import KAZAKH_LETTERS

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
    # Kazakh: the Russian alphabet plus the letters scripts.py knows as Kazakh's own
    "kk": "абвгдеёжзийклмнопрстуфхцчшщъыьэюя" + "".join(dict.fromkeys(KAZAKH_LETTERS.lower())),
    "el": "αβγδεζηθικλμνξοπρσςτυφχψωάέήίόύώϊϋΐΰ",
}
#: the ten most frequent letters of languages written only in non-ASCII letters: a codepage that
#: permutes the alphabet (KOI8-R read as CP1251) gives text whose common letters are rare ones
FREQUENT: dict[str, str] = {
    "ru": "оеаинтсрвл", "uk": "оанівретсл", "be": "аонеырсітл", "bg": "оаеинтрсвл", "sr": "аиоенрстјв",
    "mk": "аоеинтрсвл", "kk": "аеынірлтқс", "el": "αοετινσςηρ",
}

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

#: vowel letters (syllable counts for the dub-length estimate)
VOWELS: dict[str, frozenset[str]] = {
    "ru": frozenset("аеёиоуыэюяАЕЁИОУЫЭЮЯ"),
    "kk": frozenset("аәеёиоөуұүыіэюяАӘЕЁИОӨУҰҮЫІЭЮЯ"),
}

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
