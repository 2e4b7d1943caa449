"""Chinese names of people, places, agencies and enterprises, drawn from fixed lists.

Every character is in GBK, because the one-card files are written in GBK.
"""

from __future__ import annotations

import random

# The commonest surnames, most frequent first (weights are rough shares in per mille).
SURNAMES = (
    ("王", 72),
    ("李", 70),
    ("张", 66),
    ("刘", 53),
    ("陈", 45),
    ("杨", 31),
    ("黄", 22),
    ("赵", 20),
    ("吴", 20),
    ("周", 19),
    ("徐", 18),
    ("孙", 15),
    ("马", 14),
    ("朱", 13),
    ("胡", 12),
    ("郭", 11),
    ("何", 11),
    ("高", 10),
    ("林", 10),
    ("罗", 9),
    ("郑", 9),
    ("梁", 8),
    ("谢", 8),
    ("宋", 7),
    ("唐", 7),
    ("许", 7),
    ("韩", 6),
    ("冯", 6),
    ("邓", 6),
    ("曹", 5),
    ("彭", 5),
    ("曾", 5),
    ("肖", 5),
    ("田", 5),
    ("董", 5),
    ("袁", 4),
    ("潘", 4),
    ("于", 4),
    ("蒋", 4),
    ("蔡", 4),
    ("余", 4),
    ("杜", 4),
    ("叶", 4),
    ("程", 4),
    ("苏", 3),
    ("魏", 3),
    ("吕", 3),
    ("丁", 3),
    ("任", 3),
    ("沈", 3),
    ("姚", 3),
    ("卢", 3),
    ("姜", 3),
    ("崔", 3),
    ("钟", 3),
    ("谭", 2),
    ("陆", 2),
    ("汪", 2),
    ("范", 2),
    ("金", 2),
    ("石", 2),
    ("廖", 2),
    ("贾", 2),
    ("夏", 2),
    ("韦", 2),
    ("付", 2),
    ("方", 2),
    ("白", 2),
    ("邹", 2),
    ("孟", 2),
    ("熊", 2),
    ("秦", 2),
    ("邱", 2),
    ("江", 2),
    ("尹", 2),
    ("薛", 2),
    ("闫", 2),
    ("段", 2),
    ("雷", 2),
    ("侯", 2),
    ("龙", 2),
    ("史", 2),
    ("陶", 1),
    ("黎", 1),
    ("贺", 1),
    ("顾", 1),
    ("毛", 1),
    ("郝", 1),
    ("龚", 1),
    ("邵", 1),
    ("万", 1),
    ("钱", 1),
    ("严", 1),
    ("覃", 1),
    ("武", 1),
    ("戴", 1),
    ("莫", 1),
    ("孔", 1),
    ("欧阳", 1),
    ("司马", 1),
    ("诸葛", 1),
)
_SURNAME_CHOICES = tuple(s for s, _ in SURNAMES)
_SURNAME_WEIGHTS = tuple(w for _, w in SURNAMES)

MALE_CHARS = (
    "伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发"
    "武新利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪"
    "心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启"
    "克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘"
)
FEMALE_CHARS = (
    "秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹"
    "霞香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶"
    "怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希"
    "宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝思丽"
)

# Minority names as household registers write them, parts joined by a middle dot.
MINORITY_GIVEN = (
    "买买提",
    "阿不都",
    "艾力",
    "热合曼",
    "吐尔逊",
    "阿依古丽",
    "古丽娜尔",
    "热依拉",
    "帕提古丽",
    "扎西",
    "次仁",
    "卓玛",
    "巴特尔",
    "其其格",
    "努尔兰",
)
MINORITY_FAMILY = (
    "艾买提",
    "吐尔逊",
    "阿不都拉",
    "热合曼",
    "司马义",
    "顿珠",
    "多吉",
    "斯琴",
    "乌兰",
    "买合木提",
)

PLACE_FIRST = "东西南北中新青石桃李柳桥湖山河岗龙凤金银玉花草竹梅松杨高古长永安福兴和平宁双三五"
PLACE_SECOND = "塘湾桥庄店圩岗港山林园坊营集墩埠洼岭溪沟浜圩泉坝湖岱坪亭"

SCHOOL_KINDS = (
    ("高中", "中学"),
    ("中职", "职业技术学校"),
    ("高职", "职业技术学院"),
)

AGENCY_KINDS = (
    ("agency", "人民政府办公室", "科员"),
    ("agency", "民政局", "科员"),
    ("agency", "财政局", "科员"),
    ("agency", "农业农村局", "科员"),
    ("agency", "人力资源和社会保障局", "科员"),
    ("agency", "市场监督管理局", "科员"),
    ("institution", "人民医院", "医生"),
    ("institution", "中心小学", "教师"),
    ("institution", "初级中学", "教师"),
    ("institution", "社区卫生服务中心", "护士"),
    ("institution", "农业技术推广站", "农艺师"),
    ("state_enterprise", "供电公司", "工程师"),
    ("state_enterprise", "自来水有限公司", "技术员"),
    ("state_enterprise", "城市建设投资集团有限公司", "会计"),
)

ENTERPRISE_WORDS = (
    "农业科技",
    "建筑工程",
    "商贸",
    "劳务服务",
    "机械设备",
    "食品",
    "物流",
    "电子",
    "园林绿化",
    "水产养殖",
    "家庭农场",
    "装饰工程",
    "汽车维修",
)


def surname(rng: random.Random) -> str:
    return rng.choices(_SURNAME_CHOICES, _SURNAME_WEIGHTS)[0]


def given_name(rng: random.Random, male: bool) -> str:
    chars = MALE_CHARS if male else FEMALE_CHARS
    if rng.random() < 0.25:
        return rng.choice(chars)
    return rng.choice(chars) + rng.choice(chars)


def person_name(rng: random.Random, male: bool, family: str | None = None) -> str:
    """A Han name (surname + one or two characters); a few minority names use '·'."""
    if family is None and rng.random() < 0.004:
        return f"{rng.choice(MINORITY_GIVEN)}·{rng.choice(MINORITY_FAMILY)}"
    return (family or surname(rng)) + given_name(rng, male)


def family_name(name: str) -> str:
    """The surname of a Han name (double surnames included); '' for a minority name."""
    if "·" in name:
        return ""
    for double in ("欧阳", "司马", "诸葛"):
        if name.startswith(double):
            return double
    return name[:1]


def place_name(rng: random.Random, taken: set[str]) -> str:
    for _ in range(1000):
        name = rng.choice(PLACE_FIRST) + rng.choice(PLACE_SECOND)
        if name not in taken:
            taken.add(name)
            return name
    raise RuntimeError("ran out of place names")


def enterprise_name(rng: random.Random, place: str, word: str | None = None) -> str:
    word = word or rng.choice(ENTERPRISE_WORDS)
    return f"南京{place}{word}有限公司"
