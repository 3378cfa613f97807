"""Real-world identity variants shared by the scalar and the vectorised tests."""

from __future__ import annotations

MOBILE = "+8613800138000"

VALID = [
    # mobiles, every way people write them
    ("13800138000", MOBILE),
    ("+86 138-0013-8000", MOBILE),
    ("+86 13800138000", MOBILE),
    ("+8613800138000", MOBILE),
    ("0086 13800138000", MOBILE),
    ("008613800138000", MOBILE),
    ("86-138 0013 8000", MOBILE),
    ("8613800138000", MOBILE),
    ("(+86)13800138000", MOBILE),
    ("(+86) 138 0013 8000", MOBILE),
    ("（＋８６）１３８－００１３－８０００", MOBILE),
    ("１３８００１３８０００", MOBILE),
    ("138 0013 8000", MOBILE),
    ("138.0013.8000", MOBILE),
    ("138-0013-8000", MOBILE),
    ("  13800138000\u3000", MOBILE),
    ("138—0013—8000", MOBILE),
    ("13800138000 ext 12", MOBILE),
    ("13800138000 ext.12", MOBILE),
    ("13800138000x12", MOBILE),
    ("13800138000转12", MOBILE),
    ("13800138000 分机 8001", MOBILE),
    ("tel:+86-138-0013-8000", MOBILE),
    ("13800138000 / 13900139000", MOBILE),
    ("13800138000、13900139000", MOBILE),
    ("无效/13900139000", "+8613900139000"),
    ("19912345678", "+8619912345678"),
    ("16612345678", "+8616612345678"),
    (13800138000, MOBILE),  # Excel number cell
    (13800138000.0, MOBILE),
    # landlines with area codes
    ("010-12345678", "+861012345678"),
    ("(010) 1234 5678", "+861012345678"),
    ("021 6123 4567", "+862161234567"),
    ("021-61234567转801", "+862161234567"),
    ("010-12345678-801", "+861012345678"),
    ("0755-12345678", "+8675512345678"),
    ("0571-1234567", "+865711234567"),
    ("+86 (0)21 6123 4567", "+862161234567"),
    ("+86 21 6123 4567", "+862161234567"),
    ("86-21-61234567", "+862161234567"),
    ("0086-10-12345678", "+861012345678"),
    # Hong Kong, Macau, Taiwan, foreign: country code kept
    ("+852 9123 4567", "+85291234567"),
    ("(852) 9123-4567", "+85291234567"),
    ("852-9123-4567", "+85291234567"),
    ("+853 6612 3456", "+85366123456"),
    ("+886 912 345 678", "+886912345678"),
    ("+886-0912-345-678", "+886912345678"),
    ("+886 2 2345 6789", "+886223456789"),
    ("+1 (415) 555-2671", "+14155552671"),
    ("001 415 555 2671", "+14155552671"),
    ("+44 (0)20 7946 0958", "+442079460958"),
    ("+49 30 1234567", "+49301234567"),
    ("+81 90-1234-5678", "+819012345678"),
    ("+65 6123 4567", "+6561234567"),
    ("+39 02 1234 5678", "+390212345678"),  # Italy keeps its leading 0
]


INVALID = [
    None,
    "",
    "   ",
    "abc",
    "138abc00138000",
    "手机:13800138000",  # a label is not a number
    "1380013800",  # 10 digits
    "138001380001",  # 12 digits
    "12800138000",  # 12x is not a mobile prefix
    "12345678",  # local number without area code
    "61234567",
    "2161234567",  # landline without its trunk 0
    "00000000000",
    "11111111111",
    "13800000000",
    "13888888888",
    "010-00000000",
    "400-123-4567",  # service numbers identify no person
    "800 820 8820",
    "+86 1380013800",
    "+852 912 3456",  # HK numbers have 8 digits
    "+28 1234 5678",  # no such country code
    "+0 1234 5678",
    "+1 415 555 267",
    "+8613800138000123456",
    "1" * 20,
    "0086",
    "N/A",
    "-",
    True,
    12.5,
    ["13800138000"],
]


EMAILS = [
    ("zhangsan@yunfan.com", "zhangsan@yunfan.com"),
    (" ZhangSan@YunFan.COM ", "zhangsan@yunfan.com"),
    ("zhangsan＠yunfan．com", "zhangsan@yunfan.com"),
    ("ｚｈａｎｇｓａｎ＠ｙｕｎｆａｎ．ｃｏｍ", "zhangsan@yunfan.com"),
    ("zhangsan@yunfan。com", "zhangsan@yunfan.com"),
    ("mailto:zhangsan@yunfan.com", "zhangsan@yunfan.com"),
    ("MAILTO:ZhangSan@yunfan.com?subject=hi", "zhangsan@yunfan.com"),
    ("<zhangsan@yunfan.com>", "zhangsan@yunfan.com"),
    ("张三 <zhangsan@yunfan.com>", "zhangsan@yunfan.com"),
    ('"Zhang San" <Zhang.San@Yunfan.com.cn>', "zhang.san@yunfan.com.cn"),
    ("zhangsan @ yunfan.com", "zhangsan@yunfan.com"),
    ("zhangsan[at]yunfan.com", "zhangsan@yunfan.com"),
    ("zhangsan@yunfan.com; lisi@yunfan.com", "zhangsan@yunfan.com"),
    ("zhangsan@yunfan.com，", "zhangsan@yunfan.com"),
    ("(zhangsan@yunfan.com)", "zhangsan@yunfan.com"),
    ("12345678@qq.com", "12345678@qq.com"),
    ("zhang_san+expo@sub.yunfan-tech.cn", "zhang_san+expo@sub.yunfan-tech.cn"),
]


BAD_EMAILS = [
    None,
    "",
    "  ",
    "zhangsan",
    "zhangsan@qq",
    "zhangsan@@qq.com",
    "zhang..san@qq.com",
    ".zhangsan@qq.com",
    "zhangsan@-qq.com",
    "zhangsan@qq.c",
    "张三@云帆.中国",
    "none@none.com",
    "test@yunfan.com",
    "noemail@qq.com",
    "someone@example.com",
    "13800138000",
    42,
]


COMPANIES = [
    ("上海云帆信息科技有限公司", "上海云帆信息科技", "云帆信息科技"),
    ("云帆信息科技", "云帆信息科技", "云帆信息科技"),
    ("云帆信息科技有限责任公司", "云帆信息科技", "云帆信息科技"),
    ("上海云帆信息科技股份有限公司", "上海云帆信息科技", "云帆信息科技"),
    ("云帆集团有限公司", "云帆", "云帆"),
    ("云帆集团", "云帆", "云帆"),
    ("云帆（上海）信息科技有限公司", "云帆上海信息科技", "云帆信息科技"),
    ("云帆(上海)信息科技有限公司", "云帆上海信息科技", "云帆信息科技"),
    ("西门子（中国）有限公司", "西门子", "西门子"),
    ("西门子(中国)有限公司", "西门子", "西门子"),
    ("上海云帆汽车零部件有限公司(上海)", "上海云帆汽车零部件", "云帆汽车零部件"),
    ("云帆汽车零部件（上海）有限公司", "云帆汽车零部件上海", "云帆汽车零部件"),
    ("上海云帆科技有限公司北京分公司", "上海云帆科技", "云帆科技"),
    ("广东省深圳市华星光电股份有限公司", "广东省深圳市华星光电", "华星光电"),
    ("北京市云帆科技有限公司", "北京市云帆科技", "云帆科技"),
    (" 上海 云帆 信息科技 有限公司 ", "上海云帆信息科技", "云帆信息科技"),
    ("上海云帆信息科技有限公司\u3000", "上海云帆信息科技", "云帆信息科技"),
    (
        "Yunfan Information Technology Co., Ltd.",
        "yunfaninformationtechnology",
        "yunfaninformationtechnology",
    ),
    (
        "YUNFAN INFORMATION TECHNOLOGY CO LTD",
        "yunfaninformationtechnology",
        "yunfaninformationtechnology",
    ),
    ("Shanghai Yunfan Tech Inc.", "shanghaiyunfantech", "yunfantech"),
    ("Acme Corp.", "acme", "acme"),
    ("Acme, LLC", "acme", "acme"),
    ("Müller GmbH", "müller", "müller"),
    ("ＡＢＣ科技有限公司", "abc科技", "abc科技"),
    ("上海", "上海", "上海"),  # never strip a region down to nothing
    ("有限公司", None, None),
    ("Co., Ltd.", None, None),
    ("", None, None),
    (None, None, None),
]
