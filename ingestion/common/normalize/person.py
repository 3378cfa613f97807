"""Person-name keys for matching one Chinese person written in different forms.

A person's name reaches the sources as 张志华 (sometimes spaced: 张 志华), as pinyin in
either order (Zhang Zhihua, Zhihua Zhang, ZHANG Zhi-hua), as an English given name and
the pinyin surname (Tony Zhang), as the surname and a title (张总, 张经理, Mr. Zhang: how
reps write people whose given name they never asked), or as a WeChat nickname (阳光).
``person_name_keys`` parses a name into the keys the identity rules compare:

``form``
    ``han``: a known surname (one character, or a compound such as 欧阳) and one or two
    more characters; ``title``: a surname and a title; ``pinyin``: two or three
    romanised words, all pinyin syllables, one of the outer two a known surname (a
    Chinese full name); ``latin_surname``: a common English given name and a pinyin
    surname (Tony Zhang, Tina Zheng);
    None: anything else (nicknames, company names typed into a name field).
``pinyin_names``
    The full name in toneless pinyin, surname first, no spaces (``zhangzhihua``), for
    ``han`` and ``pinyin`` names. A romanised name does not say which word is the
    surname, so it gets every reading whose surname is a known one: ``Wei Zhang``
    gives ``weizhang`` and ``zhangwei``, ``Zhihua Zhang`` only ``zhangzhihua``. Only
    compare a romanised name with a Chinese one this way: two Chinese names with one
    pinyin (张伟, 章伟) are different people.
``surnames``
    The surname in toneless pinyin, one per reading.
``han_surname``
    The surname in characters, for ``han`` and ``title`` names.

Surnames are read as surnames (曾 zeng, 单 shan, 解 xie), given names with pypinyin's
most common reading; ü is written u on both sides (吕: lu, Lü, Lv and Lyu all give lu).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ingestion.common.normalize.text import to_halfwidth, to_pinyin

# The most common single-character surnames (about 98% of people in mainland China).
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶"
    "黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹"
    "申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管"
    "柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏"
    "席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑"
    "迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权"
    "强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸"
    "雍辜羊乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉"
    "冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由"
)
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 钟离 "  # noqa: SIM905
    "端木 独孤 南宫 西门 申屠 公冶 太史 澹台 闻人 万俟 呼延 赫连 百里 东郭 第五".split()
)
# Surnames whose surname reading is not the character's most common one.
_SURNAME_READINGS = {
    "曾": "zeng", "单": "shan", "解": "xie", "仇": "qiu", "区": "ou", "朴": "piao",
    "覃": "qin", "查": "zha", "盖": "ge", "乐": "yue", "缪": "miao", "翟": "zhai",
    "尉": "yu", "繁": "po", "种": "chong", "秘": "bi", "员": "yun", "能": "nai",
    "召": "shao", "长孙": "zhangsun", "尉迟": "yuchi", "万俟": "moqi", "单于": "chanyu",
}  # fmt: skip
_TITLES = (
    "总经理", "董事长", "总监", "经理", "主任", "主管", "部长", "科长", "厂长", "老师",
    "先生", "女士", "小姐", "老板", "博士", "教授", "总", "工", "董", "姐", "哥",
)  # fmt: skip
_LATIN_TITLES = frozenset({"mr", "mrs", "ms", "miss", "dr", "madam"})
# English given names Chinese professionals use (Tony Zhang); several also read as
# pinyin (Tina, Linda, Leo), so a name starting with one is an English name.
ENGLISH_GIVEN_NAMES = frozenset(
    "tony kevin jason eric david frank leo jack tom peter michael john james robert william "  # noqa: SIM905
    "richard steven steve alex andy allen alan ben bill bob brian bruce charles chris daniel "
    "dan dennis edward eddie gary george henry harry ivan jacky jeff jerry jim jimmy joe "
    "johnny ken kelvin larry leon louis mark martin max mike nick oscar patrick paul ray "
    "roger ryan sam sean simon terry vincent victor wayne will owen hugo kai lucas ethan "
    "ada alice amanda amy angela angel anna anne annie bella carol catherine cathy cherry "
    "cindy coco crystal daisy diana dana doris echo eileen elaine ella emily emma eva fanny "
    "fiona gina grace hana hannah helen iris irene ivy jane janet jenny jessica jessie "
    "joanna joyce judy julia julie karen kate kelly kitty lena lily linda lina lisa lucy "
    "luna mandy maria mary may mia michelle mina monica nancy nina olivia penny rachel rose "
    "ruby sally sandy sarah shirley sophia stella sunny susan tina tracy vicky vivian wendy "
    "yoyo zoe nana gene dora".split()
)
_PINYIN_SYLLABLES = frozenset(
    "a ai an ang ao ba bai ban bang bao bei ben beng bi bian biao bie bin bing bo bu ca cai "  # noqa: SIM905
    "can cang cao ce cen ceng cha chai chan chang chao che chen cheng chi chong chou chu chua "
    "chuai chuan chuang chui chun chuo ci cong cou cu cuan cui cun cuo da dai dan dang dao de "
    "den deng di dian diao die ding diu dong dou du duan dui dun duo e ei en eng er fa fan "
    "fang fei fen feng fo fou fu ga gai gan gang gao ge gei gen geng gong gou gu gua guai "
    "guan guang gui gun guo ha hai han hang hao he hei hen heng hong hou hu hua huai huan "
    "huang hui hun huo ji jia jian jiang jiao jie jin jing jiong jiu ju juan jue jun ka kai "
    "kan kang kao ke ken keng kong kou ku kua kuai kuan kuang kui kun kuo la lai lan lang lao "
    "le lei leng li lia lian liang liao lie lin ling liu long lou lu luan lue lun luo ma mai "
    "man mang mao me mei men meng mi mian miao mie min ming miu mo mou mu na nai nan nang nao "
    "ne nei nen neng ni nian niang niao nie nin ning niu nong nou nu nuan nue nuo o ou pa pai "
    "pan pang pao pei pen peng pi pian piao pie pin ping po pou pu qi qia qian qiang qiao qie "
    "qin qing qiong qiu qu quan que qun ran rang rao re ren reng ri rong rou ru rua ruan rui "
    "run ruo sa sai san sang sao se sen seng sha shai shan shang shao she shen sheng shi shou "
    "shu shua shuai shuan shuang shui shun shuo si song sou su suan sui sun suo ta tai tan "
    "tang tao te teng ti tian tiao tie ting tong tou tu tuan tui tun tuo wa wai wan wang wei "
    "wen weng wo wu xi xia xian xiang xiao xie xin xing xiong xiu xu xuan xue xun ya yan yang "
    "yao ye yi yin ying yo yong you yu yuan yue yun za zai zan zang zao ze zei zen zeng zha "
    "zhai zhan zhang zhao zhe zhen zheng zhi zhong zhou zhu zhua zhuai zhuan zhuang zhui zhun "
    "zhuo zi zong zou zu zuan zui zun zuo".split()
)
_HAN = re.compile(r"^[\u4e00-\u9fff]+$")
_LATIN_WORDS = re.compile(r"[a-z]+")
_NOT_LATIN_NAME = re.compile(r"[^a-z\s.,'\-]")


@dataclass(frozen=True)
class PersonNameKeys:
    """The matching keys of one person name (see the module docstring)."""

    form: str | None
    pinyin_names: tuple[str, ...] = ()
    surnames: tuple[str, ...] = ()
    han_surname: str | None = None


def _plain_pinyin(text: str) -> str:
    return to_pinyin(text)


def _surname_pinyin(surname: str) -> str:
    return _SURNAME_READINGS.get(surname) or _plain_pinyin(surname)


@cache
def _surname_readings() -> frozenset[str]:
    return frozenset(_surname_pinyin(surname) for surname in SURNAMES | COMPOUND_SURNAMES)


@cache
def is_pinyin_word(word: str) -> bool:
    """Whether a lower-case word splits into toneless pinyin syllables (``zhihua``)."""
    if not word:
        return True
    return any(
        word[:size] in _PINYIN_SYLLABLES and is_pinyin_word(word[size:])
        for size in range(min(6, len(word)), 0, -1)
    )


def _han_keys(name: str) -> PersonNameKeys:
    surname = name[:2] if name[:2] in COMPOUND_SURNAMES else name[:1]
    rest = name[len(surname) :]
    if surname not in SURNAMES and surname not in COMPOUND_SURNAMES:
        return PersonNameKeys(form=None)
    if rest in _TITLES:
        return PersonNameKeys(
            form="title", surnames=(_surname_pinyin(surname),), han_surname=surname
        )
    if not 1 <= len(rest) <= 2:
        return PersonNameKeys(form=None)
    surname_key = _surname_pinyin(surname)
    return PersonNameKeys(
        form="han",
        pinyin_names=(surname_key + _plain_pinyin(rest),),
        surnames=(surname_key,),
        han_surname=surname,
    )


def _latin_keys(name: str) -> PersonNameKeys:
    text = name.replace("ü", "u").replace("'", "").replace("-", "")
    if _NOT_LATIN_NAME.search(text):
        return PersonNameKeys(form=None)
    words = [re.sub(r"^(l|n)yu", r"\1u", word) for word in _LATIN_WORDS.findall(text)]
    if len(words) == 2 and words[0] in _LATIN_TITLES and is_pinyin_word(words[1]):
        return PersonNameKeys(form="title", surnames=(words[1],))
    if len(words) not in (2, 3):
        return PersonNameKeys(form=None)
    if len(words) == 2 and words[0] in ENGLISH_GIVEN_NAMES:
        if words[1] in _surname_readings():
            return PersonNameKeys(form="latin_surname", surnames=(words[1],))
        return PersonNameKeys(form=None)
    if not all(is_pinyin_word(word) for word in words):
        return PersonNameKeys(form=None)
    # the surname first (Zhang Zhi Hua) or last (Zhihua Zhang): every reading whose
    # surname is a known one
    readings = {
        words[0]: words[0] + "".join(words[1:]),
        words[-1]: words[-1] + "".join(words[:-1]),
    }
    readings = {
        surname: full for surname, full in readings.items() if surname in _surname_readings()
    }
    if not readings:
        return PersonNameKeys(form=None)
    return PersonNameKeys(
        form="pinyin", pinyin_names=tuple(readings.values()), surnames=tuple(readings)
    )


def person_name_keys(name: object) -> PersonNameKeys:
    """The matching keys of a person's name as a source holds it.

    Args:
        name: The name (any source, any form).

    Returns:
        Its keys; ``form`` is None for a name that is not a Chinese person's name in a
        form above (a nickname, an empty cell).

    Examples:
        >>> person_name_keys("张 志华").pinyin_names
        ('zhangzhihua',)
        >>> person_name_keys("Zhihua Zhang").pinyin_names
        ('zhangzhihua',)
        >>> person_name_keys("Wei Zhang").pinyin_names
        ('weizhang', 'zhangwei')
        >>> person_name_keys("曾总")
        PersonNameKeys(form='title', pinyin_names=(), surnames=('zeng',), han_surname='曾')
        >>> person_name_keys("Tony Li").surnames
        ('li',)
        >>> person_name_keys("静待花开").form is None
        True
    """
    if not isinstance(name, str):
        return PersonNameKeys(form=None)
    text = to_halfwidth(name).strip().lower()  # type: ignore[union-attr]
    compact = re.sub(r"[\s·•.]+", "", text)
    if not compact:
        return PersonNameKeys(form=None)
    if _HAN.match(compact):
        return _han_keys(compact)
    return _latin_keys(text)
