"""The demo district: Longgang (龙岗区), Shenzhen, as the 2017 article found it.

Material lists are modelled on Guangdong's published service guides; they are realistic but not
authoritative. Every entry is a named record (below), read by field name in ``seed.py``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DistrictSpec:
    code: str
    name: str


@dataclass(frozen=True)
class HallSpec:
    code: str
    name: str
    address: str
    phone: str = ""


@dataclass(frozen=True)
class DepartmentSpec:
    code: str
    name: str


@dataclass(frozen=True)
class CategorySpec:
    code: str
    name: str
    ticket_prefix: str
    department: str  # DepartmentSpec.code
    at_subdistricts: bool  # offered at the subdistrict halls too


@dataclass(frozen=True)
class MaterialSpec:
    name: str
    description: str = ""
    required: bool = True
    tolerance_eligible: bool = False  # 容缺: may be supplied after acceptance on a signed promise
    copies: int = 1


@dataclass(frozen=True)
class ItemSpec:
    code: str
    category: str  # CategorySpec.code
    name: str
    handling_minutes: int
    promised_days: int
    statutory_days: int
    appointment_allowed: bool
    materials: tuple[MaterialSpec, ...]


@dataclass(frozen=True)
class HallSize:
    """A subdistrict hall's windows (the last is the pick-up window) and window staff."""

    windows: int
    staff: int


@dataclass(frozen=True)
class ScheduleSpec:
    name: str
    valid_from: str  # ISO date
    weekday_sessions: tuple[tuple[str, str], ...]  # (start, end), "HH:MM", Monday to Friday
    saturday_sessions: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class AccountSpec:
    username: str
    display_name: str
    role: str | None  # accounts.choices.Role value; None for the superuser
    halls: tuple[str, ...] | None  # hall codes; None: every hall
    superuser: bool = False


DISTRICT = DistrictSpec("longgang", "龙岗区")

DISTRICT_HALL = HallSpec("longgang-district", "龙岗区行政服务大厅", "深圳市龙岗区龙城街道龙福路1号", "0755-28949000")

SUBDISTRICT_HALLS = [
    HallSpec("pinghu", "平湖街道行政服务大厅", "平湖街道平新北路161号"),
    HallSpec("bantian", "坂田街道行政服务大厅", "坂田街道坂雪岗大道4012号"),
    HallSpec("buji", "布吉街道行政服务大厅", "布吉街道布吉路1号"),
    HallSpec("nanwan", "南湾街道行政服务大厅", "南湾街道丹竹头路8号"),
    HallSpec("henggang", "横岗街道行政服务大厅", "横岗街道松柏路1号"),
    HallSpec("longcheng", "龙城街道行政服务大厅", "龙城街道龙翔大道8033号"),
    HallSpec("longgang", "龙岗街道行政服务大厅", "龙岗街道龙岗大道6062号"),
    HallSpec("pingdi", "坪地街道行政服务大厅", "坪地街道教育北路1号"),
    HallSpec("jihua", "吉华街道行政服务大厅", "吉华街道吉华路298号"),
    HallSpec("yuanshan", "园山街道行政服务大厅", "园山街道保安社区园山大道1号"),
    HallSpec("baolong", "宝龙街道行政服务大厅", "宝龙街道宝龙大道3号"),
]

DEPARTMENTS = [
    DepartmentSpec("amr", "区市场监督管理局"),
    DepartmentSpec("fire", "区公安消防大队"),
    DepartmentSpec("hrss", "区人力资源局（社保分局）"),
    DepartmentSpec("psb", "区公安分局户政科"),
    DepartmentSpec("realestate", "区不动产登记中心"),
    DepartmentSpec("hpf", "住房公积金龙岗管理部"),
    DepartmentSpec("tax", "区税务局"),
]

CATEGORIES = [
    CategorySpec("business", "商事登记", "A", "amr", at_subdistricts=True),
    CategorySpec("fire", "消防审批", "B", "fire", at_subdistricts=False),
    CategorySpec("social-security", "社会保障", "C", "hrss", at_subdistricts=True),
    CategorySpec("household", "户籍业务", "D", "psb", at_subdistricts=True),
    CategorySpec("real-estate", "不动产登记", "E", "realestate", at_subdistricts=False),
    CategorySpec("housing-fund", "住房公积金", "F", "hpf", at_subdistricts=True),
    CategorySpec("tax", "税务办理", "G", "tax", at_subdistricts=True),
]

ID_CARD = MaterialSpec("申请人身份证原件及复印件", "核验原件，复印件留存")
AGENT = MaterialSpec("委托书及受托人身份证", "由他人代办时提交", required=False)
LICENSE = MaterialSpec("营业执照副本原件及复印件", "复印件加盖公章")
SEAL_FORM = MaterialSpec("加盖公章的申请表", "在大厅或网站下载填写")

ITEMS = [
    ItemSpec(
        code="biz-company-setup",
        category="business",
        name="有限责任公司设立登记",
        handling_minutes=25,
        promised_days=3,
        statutory_days=15,
        appointment_allowed=True,
        materials=(
            MaterialSpec("公司登记（备案）申请书", "法定代表人签署"),
            MaterialSpec("公司章程", "全体股东签署"),
            MaterialSpec("股东主体资格证明", "自然人股东提交身份证复印件"),
            MaterialSpec("法定代表人、董事、监事和经理的任职文件"),
            MaterialSpec("住所使用证明", "租赁合同及房产证明复印件", tolerance_eligible=True),
            MaterialSpec("名称预先核准通知书"),
            AGENT,
        ),
    ),
    ItemSpec(
        code="biz-company-change",
        category="business",
        name="公司变更登记",
        handling_minutes=20,
        promised_days=3,
        statutory_days=15,
        appointment_allowed=True,
        materials=(
            MaterialSpec("公司变更登记申请书"),
            MaterialSpec("股东会决议"),
            MaterialSpec("章程修正案", "", tolerance_eligible=True),
            LICENSE,
            AGENT,
        ),
    ),
    ItemSpec(
        code="biz-company-deregister",
        category="business",
        name="公司注销登记",
        handling_minutes=20,
        promised_days=5,
        statutory_days=20,
        appointment_allowed=True,
        materials=(
            MaterialSpec("注销登记申请书"),
            MaterialSpec("清算报告", "股东会确认"),
            MaterialSpec("清税证明", "税务机关出具", tolerance_eligible=True),
            LICENSE,
        ),
    ),
    ItemSpec(
        code="biz-sole-proprietor",
        category="business",
        name="个体工商户设立登记",
        handling_minutes=15,
        promised_days=1,
        statutory_days=15,
        appointment_allowed=True,
        materials=(
            MaterialSpec("个体工商户开业登记申请书"),
            ID_CARD,
            MaterialSpec("经营场所使用证明", "租赁合同或房产证明", tolerance_eligible=True),
            MaterialSpec("一寸近期免冠照片", "", required=False, copies=2),
        ),
    ),
    ItemSpec(
        code="biz-sole-change",
        category="business",
        name="个体工商户变更登记",
        handling_minutes=10,
        promised_days=1,
        statutory_days=15,
        appointment_allowed=True,
        materials=(
            MaterialSpec("个体工商户变更登记申请书"),
            ID_CARD,
            MaterialSpec("营业执照正副本"),
        ),
    ),
    ItemSpec(
        code="biz-food-license",
        category="business",
        name="食品经营许可证核发",
        handling_minutes=20,
        promised_days=10,
        statutory_days=20,
        appointment_allowed=True,
        materials=(
            MaterialSpec("食品经营许可申请书"),
            LICENSE,
            MaterialSpec("法定代表人身份证明"),
            MaterialSpec("食品安全管理制度文本", "", tolerance_eligible=True),
            MaterialSpec("经营场所平面图和设备布局图", "", tolerance_eligible=True),
            MaterialSpec("食品安全管理人员培训合格证明", "", tolerance_eligible=True),
        ),
    ),
    ItemSpec(
        code="biz-annual-report-fix",
        category="business",
        name="企业经营异常名录移出",
        handling_minutes=10,
        promised_days=5,
        statutory_days=20,
        appointment_allowed=False,
        materials=(
            MaterialSpec("移出经营异常名录申请书"),
            LICENSE,
            MaterialSpec("补报年报或住所核实证明"),
        ),
    ),
    ItemSpec(
        code="fire-design-review",
        category="fire",
        name="建设工程消防设计审核",
        handling_minutes=30,
        promised_days=15,
        statutory_days=20,
        appointment_allowed=True,
        materials=(
            MaterialSpec("建设工程消防设计审核申报表"),
            MaterialSpec("建设单位营业执照复印件"),
            MaterialSpec("消防设计文件", "含设计说明和图纸"),
            MaterialSpec("设计单位资质证明文件", "", tolerance_eligible=True),
            MaterialSpec("规划许可证明文件"),
        ),
    ),
    ItemSpec(
        code="fire-acceptance",
        category="fire",
        name="建设工程消防验收",
        handling_minutes=30,
        promised_days=15,
        statutory_days=20,
        appointment_allowed=True,
        materials=(
            MaterialSpec("建设工程消防验收申报表"),
            MaterialSpec("工程竣工验收报告"),
            MaterialSpec("消防产品质量合格证明文件", "", tolerance_eligible=True),
            MaterialSpec("施工、工程监理、检测单位资质证明", "", tolerance_eligible=True),
            MaterialSpec("消防设施检测报告"),
        ),
    ),
    ItemSpec(
        code="fire-opening-inspection",
        category="fire",
        name="公众聚集场所投入使用、营业前消防安全检查",
        handling_minutes=25,
        promised_days=10,
        statutory_days=10,
        appointment_allowed=True,
        materials=(
            MaterialSpec("消防安全检查申报表"),
            LICENSE,
            MaterialSpec("场所平面布置图"),
            MaterialSpec("消防安全制度、灭火和应急疏散预案", "", tolerance_eligible=True),
            MaterialSpec("员工岗前消防安全教育培训记录", "", tolerance_eligible=True),
            MaterialSpec("室内装修消防验收或备案证明"),
        ),
    ),
    ItemSpec(
        code="fire-filing",
        category="fire",
        name="建设工程竣工验收消防备案",
        handling_minutes=20,
        promised_days=5,
        statutory_days=20,
        appointment_allowed=True,
        materials=(
            MaterialSpec("消防备案表"),
            MaterialSpec("工程竣工验收报告"),
            MaterialSpec("消防设计文件"),
        ),
    ),
    ItemSpec(
        code="fire-certificate-pickup",
        category="fire",
        name="消防许可证领取",
        handling_minutes=5,
        promised_days=0,
        statutory_days=0,
        appointment_allowed=False,
        materials=(
            MaterialSpec("受理通知书"),
            ID_CARD,
        ),
    ),
    ItemSpec(
        code="ss-enrolment",
        category="social-security",
        name="职工社会保险参保登记",
        handling_minutes=10,
        promised_days=1,
        statutory_days=5,
        appointment_allowed=True,
        materials=(
            MaterialSpec("社会保险登记表"),
            LICENSE,
            MaterialSpec("职工花名册"),
        ),
    ),
    ItemSpec(
        code="ss-transfer",
        category="social-security",
        name="养老保险关系转移接续",
        handling_minutes=15,
        promised_days=15,
        statutory_days=45,
        appointment_allowed=True,
        materials=(
            MaterialSpec("基本养老保险关系转移接续申请表"),
            ID_CARD,
            MaterialSpec("参保缴费凭证", "原参保地出具", tolerance_eligible=True),
        ),
    ),
    ItemSpec(
        code="ss-card",
        category="social-security",
        name="社会保障卡申领",
        handling_minutes=10,
        promised_days=10,
        statutory_days=20,
        appointment_allowed=True,
        materials=(
            ID_CARD,
            MaterialSpec("近期正面免冠彩色照片", "白底"),
            MaterialSpec("社会保障卡申领表"),
        ),
    ),
    ItemSpec(
        code="ss-unemployment",
        category="social-security",
        name="失业保险金申领",
        handling_minutes=15,
        promised_days=5,
        statutory_days=10,
        appointment_allowed=True,
        materials=(
            ID_CARD,
            MaterialSpec("解除或终止劳动关系证明"),
            MaterialSpec("失业登记证明", "", tolerance_eligible=True),
            MaterialSpec("本人银行账户信息"),
        ),
    ),
    ItemSpec(
        code="ss-maternity",
        category="social-security",
        name="生育医疗费用报销",
        handling_minutes=15,
        promised_days=10,
        statutory_days=20,
        appointment_allowed=True,
        materials=(
            ID_CARD,
            MaterialSpec("医疗费用发票原件"),
            MaterialSpec("出院小结或诊断证明"),
            MaterialSpec("生育服务单", "", tolerance_eligible=True),
        ),
    ),
    ItemSpec(
        code="ss-pension-cert",
        category="social-security",
        name="参保缴费证明打印",
        handling_minutes=5,
        promised_days=0,
        statutory_days=0,
        appointment_allowed=False,
        materials=(ID_CARD,),
    ),
    ItemSpec(
        code="hh-birth",
        category="household",
        name="出生登记",
        handling_minutes=15,
        promised_days=0,
        statutory_days=15,
        appointment_allowed=True,
        materials=(
            MaterialSpec("出生医学证明"),
            MaterialSpec("父母双方居民户口簿、身份证"),
            MaterialSpec("父母结婚证", "", tolerance_eligible=True),
        ),
    ),
    ItemSpec(
        code="hh-move-in",
        category="household",
        name="人才引进迁入",
        handling_minutes=20,
        promised_days=10,
        statutory_days=20,
        appointment_allowed=True,
        materials=(
            MaterialSpec("人才引进调令或迁入审批表"),
            MaterialSpec("学历证书原件及复印件"),
            ID_CARD,
            MaterialSpec("居民户口簿"),
            MaterialSpec("近期免冠照片", "", copies=2),
        ),
    ),
    ItemSpec(
        code="hh-residence-permit",
        category="household",
        name="居住证办理",
        handling_minutes=10,
        promised_days=10,
        statutory_days=15,
        appointment_allowed=True,
        materials=(
            ID_CARD,
            MaterialSpec("居住登记凭证", "满6个月"),
            MaterialSpec("房屋租赁凭证或房产证明", "", tolerance_eligible=True),
            MaterialSpec("就业或就读证明", "", tolerance_eligible=True),
        ),
    ),
    ItemSpec(
        code="hh-id-card",
        category="household",
        name="居民身份证换领",
        handling_minutes=10,
        promised_days=20,
        statutory_days=60,
        appointment_allowed=True,
        materials=(
            MaterialSpec("原居民身份证"),
            MaterialSpec("居民户口簿"),
        ),
    ),
    ItemSpec(
        code="hh-certificate",
        category="household",
        name="户籍证明开具",
        handling_minutes=5,
        promised_days=0,
        statutory_days=0,
        appointment_allowed=False,
        materials=(
            ID_CARD,
            MaterialSpec("居民户口簿"),
        ),
    ),
    ItemSpec(
        code="re-transfer",
        category="real-estate",
        name="二手房转移登记",
        handling_minutes=30,
        promised_days=5,
        statutory_days=30,
        appointment_allowed=True,
        materials=(
            MaterialSpec("不动产登记申请书"),
            MaterialSpec("买卖双方身份证明"),
            MaterialSpec("不动产权证书"),
            MaterialSpec("房屋买卖合同"),
            MaterialSpec("完税凭证", "", tolerance_eligible=True),
            MaterialSpec("婚姻状况证明", "", tolerance_eligible=True),
        ),
    ),
    ItemSpec(
        code="re-mortgage",
        category="real-estate",
        name="抵押权首次登记",
        handling_minutes=20,
        promised_days=3,
        statutory_days=30,
        appointment_allowed=True,
        materials=(
            MaterialSpec("不动产登记申请书"),
            MaterialSpec("抵押合同及主债权合同"),
            MaterialSpec("不动产权证书"),
            MaterialSpec("双方身份证明"),
        ),
    ),
    ItemSpec(
        code="re-mortgage-release",
        category="real-estate",
        name="抵押权注销登记",
        handling_minutes=15,
        promised_days=1,
        statutory_days=30,
        appointment_allowed=True,
        materials=(
            MaterialSpec("不动产登记申请书"),
            MaterialSpec("不动产登记证明"),
            MaterialSpec("抵押权人同意注销的证明"),
        ),
    ),
    ItemSpec(
        code="re-first-registration",
        category="real-estate",
        name="商品房首次登记",
        handling_minutes=30,
        promised_days=15,
        statutory_days=30,
        appointment_allowed=True,
        materials=(
            MaterialSpec("不动产登记申请书"),
            MaterialSpec("建设工程规划验收证明"),
            MaterialSpec("竣工验收备案证明"),
            MaterialSpec("房屋测绘报告", "", tolerance_eligible=True),
        ),
    ),
    ItemSpec(
        code="re-inquiry",
        category="real-estate",
        name="不动产登记资料查询",
        handling_minutes=10,
        promised_days=0,
        statutory_days=0,
        appointment_allowed=False,
        materials=(ID_CARD,),
    ),
    ItemSpec(
        code="hpf-withdraw-rent",
        category="housing-fund",
        name="租房提取住房公积金",
        handling_minutes=10,
        promised_days=3,
        statutory_days=5,
        appointment_allowed=True,
        materials=(
            ID_CARD,
            MaterialSpec("房屋租赁合同", "", tolerance_eligible=True),
            MaterialSpec("本人银行卡"),
        ),
    ),
    ItemSpec(
        code="hpf-withdraw-purchase",
        category="housing-fund",
        name="购房提取住房公积金",
        handling_minutes=15,
        promised_days=3,
        statutory_days=5,
        appointment_allowed=True,
        materials=(
            ID_CARD,
            MaterialSpec("购房合同或不动产权证书"),
            MaterialSpec("购房发票", "", tolerance_eligible=True),
            MaterialSpec("本人银行卡"),
        ),
    ),
    ItemSpec(
        code="hpf-loan",
        category="housing-fund",
        name="住房公积金贷款申请",
        handling_minutes=30,
        promised_days=10,
        statutory_days=15,
        appointment_allowed=True,
        materials=(
            MaterialSpec("借款申请表"),
            MaterialSpec("借款人及配偶身份证、户口簿"),
            MaterialSpec("婚姻状况证明"),
            MaterialSpec("购房合同"),
            MaterialSpec("收入证明", "", tolerance_eligible=True),
            MaterialSpec("首付款发票", "", tolerance_eligible=True),
        ),
    ),
    ItemSpec(
        code="hpf-account-open",
        category="housing-fund",
        name="住房公积金单位开户",
        handling_minutes=10,
        promised_days=1,
        statutory_days=5,
        appointment_allowed=True,
        materials=(
            MaterialSpec("单位登记表"),
            LICENSE,
            MaterialSpec("经办人身份证"),
        ),
    ),
    ItemSpec(
        code="hpf-retire-withdraw",
        category="housing-fund",
        name="离退休提取住房公积金",
        handling_minutes=10,
        promised_days=1,
        statutory_days=5,
        appointment_allowed=True,
        materials=(
            ID_CARD,
            MaterialSpec("退休证或退休审批表"),
            MaterialSpec("本人银行卡"),
        ),
    ),
    ItemSpec(
        code="tax-register",
        category="tax",
        name="新办纳税人涉税事项办理",
        handling_minutes=20,
        promised_days=1,
        statutory_days=5,
        appointment_allowed=True,
        materials=(
            LICENSE,
            MaterialSpec("法定代表人身份证"),
            MaterialSpec("办税人员身份证"),
            MaterialSpec("财务会计制度", "", tolerance_eligible=True),
        ),
    ),
    ItemSpec(
        code="tax-invoice",
        category="tax",
        name="发票领用",
        handling_minutes=10,
        promised_days=0,
        statutory_days=1,
        appointment_allowed=True,
        materials=(
            MaterialSpec("发票领用簿"),
            MaterialSpec("税控设备"),
            MaterialSpec("经办人身份证"),
        ),
    ),
    ItemSpec(
        code="tax-property-deed",
        category="tax",
        name="二手房交易税费申报",
        handling_minutes=20,
        promised_days=0,
        statutory_days=5,
        appointment_allowed=True,
        materials=(
            MaterialSpec("房屋买卖合同"),
            MaterialSpec("买卖双方身份证明"),
            MaterialSpec("不动产权证书"),
            MaterialSpec("家庭住房情况查询结果", "", tolerance_eligible=True),
        ),
    ),
    ItemSpec(
        code="tax-clearance",
        category="tax",
        name="清税证明开具",
        handling_minutes=15,
        promised_days=3,
        statutory_days=20,
        appointment_allowed=True,
        materials=(
            MaterialSpec("清税申报表"),
            LICENSE,
            MaterialSpec("发票缴销证明", "", tolerance_eligible=True),
        ),
    ),
    ItemSpec(
        code="tax-individual-cert",
        category="tax",
        name="个人所得税纳税记录开具",
        handling_minutes=5,
        promised_days=0,
        statutory_days=0,
        appointment_allowed=False,
        materials=(ID_CARD,),
    ),
    ItemSpec(
        code="tax-refund",
        category="tax",
        name="个人所得税退税申请",
        handling_minutes=15,
        promised_days=10,
        statutory_days=20,
        appointment_allowed=True,
        materials=(
            ID_CARD,
            MaterialSpec("退税申请表"),
            MaterialSpec("本人银行账户信息"),
            MaterialSpec("专项附加扣除证明资料", "", tolerance_eligible=True),
        ),
    ),
    ItemSpec(
        code="biz-seal-filing",
        category="business",
        name="公章刻制备案",
        handling_minutes=10,
        promised_days=1,
        statutory_days=5,
        appointment_allowed=True,
        materials=(
            LICENSE,
            SEAL_FORM,
            MaterialSpec("法定代表人身份证复印件"),
        ),
    ),
]

# Items the subdistrict halls do not handle (district-only work inside a shared category).
DISTRICT_ONLY_ITEMS = {
    "biz-company-setup",
    "biz-company-change",
    "biz-company-deregister",
    "biz-food-license",
    "hpf-loan",
    "hh-move-in",
    "tax-property-deed",
}

# Windows per category at the district hall; the last window is 综合出件 (results pick-up).
DISTRICT_WINDOWS = {
    "business": 7,
    "fire": 4,
    "social-security": 5,
    "household": 3,
    "real-estate": 5,
    "housing-fund": 2,
    "tax": 3,
}
PICKUP_LABEL = "综合出件"
DISTRICT_STAFF = 35
# Windows and staff at each subdistrict hall, in SUBDISTRICT_HALLS order (8–12 windows, 8–14 staff).
SUBDISTRICT_SIZES = [
    HallSize(12, 14),
    HallSize(11, 13),
    HallSize(12, 14),
    HallSize(9, 10),
    HallSize(10, 12),
    HallSize(10, 12),
    HallSize(9, 11),
    HallSize(8, 9),
    HallSize(8, 9),
    HallSize(8, 8),
    HallSize(9, 10),
]

# The demo's history (history.py) starts here: four months before the extension, two after.
HISTORY_STARTS = "2017-07-01"

# The article's dates: extended service (weekdays to 19:30, Saturdays 09:00–13:00) from 2017-10-23.
EXTENSION_STARTS = "2017-10-23"
SCHEDULE_BEFORE = ScheduleSpec(
    name="常规服务时间",
    valid_from="2010-01-01",
    weekday_sessions=(("09:00", "12:00"), ("14:00", "18:00")),
    saturday_sessions=(),
)
SCHEDULE_EXTENDED = ScheduleSpec(
    name="延时服务（工作日至19:30，周六上午）",
    valid_from=EXTENSION_STARTS,
    weekday_sessions=(("09:00", "12:00"), ("14:00", "19:30")),
    saturday_sessions=(("09:00", "13:00"),),
)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬斌鹏辉晓宇婷雪琳佳俊帆浩然梓涵欣怡"

# 后勤保障: what every extended session needs (the article: "logistics … must be planned rigorously").
LOGISTICS_TASKS = [
    "安保人员到岗（18:00–20:00）",
    "照明与空调延时至20:00",
    "窗口人员工作餐送达",
    "大厅保洁（17:30）",
    "门禁与停车场延时开放",
    "综合出件窗口证照备妥",
]

DEMO_PASSWORD = "weimin-demo-2017"
DEMO_ACCOUNTS = [
    AccountSpec("admin", "系统管理员", role=None, halls=None, superuser=True),
    AccountSpec("office", "区政务办 欧阳", role="district_office", halls=None),
    AccountSpec("manager", "区大厅负责人", role="hall_manager", halls=("longgang-district",)),
    AccountSpec("pinghu-manager", "平湖大厅负责人", role="hall_manager", halls=("pinghu",)),
    AccountSpec("clerk", "黄小燕", role="window_staff", halls=("longgang-district",)),
    AccountSpec("approver", "后台审批 陈志明", role="approver", halls=("longgang-district",)),
    AccountSpec("campaign", "木古河拆迁二组 刘庆良", role="campaign_team", halls=()),
    AccountSpec("river", "平湖街道治水办", role="river_office", halls=()),
]

# The expropriation campaign (issue 13, 征拆): Pinghu's project on the 木古河 — four temporary party branches
# formed on 2017-11-06, 110,000 m² of riverside buildings to clear by 2017-12-31. Each team: its leader's
# account and name, then its cadres'. The demo account ``campaign`` (刘庆良) leads the second team.
CAMPAIGN_PROJECT = {
    "code": "mugu-river",
    "name": "木古河综合整治房屋征拆",
    "river": "木古河",
    "target_area_m2": 110_000,
    "started_on": "2017-11-06",
    "deadline": "2017-12-31",
}
CAMPAIGN_TEAMS = [
    ("第一临时党支部", ("campaign-chen", "陈建华"), [("campaign-lin", "林晓东"), ("campaign-guo", "郭志强")]),
    (
        "第二临时党支部",
        ("campaign", "刘庆良"),
        [("campaign-wang", "王海燕"), ("campaign-zhao", "赵国平"), ("campaign-sun", "孙文斌")],
    ),  # fmt: skip
    ("第三临时党支部", ("campaign-he", "何振华"), [("campaign-luo", "罗永明"), ("campaign-xie", "谢秀兰")]),
    ("第四临时党支部", ("campaign-deng", "邓立新"), [("campaign-cao", "曹俊杰"), ("campaign-peng", "彭丽娟")]),
]
CAMPAIGN_HOUSEHOLDS = 320
CAMPAIGN_STREETS = ["木古河东岸", "木古河西岸", "木古村", "上木古新村", "平湖大街木古段"]
