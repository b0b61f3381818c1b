"""The demo district: Longgang (龙岗区), Shenzhen, as the 2017 article found it.

Material lists are modelled on Guangdong's published service guides; they are realistic but not
authoritative.
"""

DISTRICT = ("longgang", "龙岗区")

DISTRICT_HALL = ("longgang-district", "龙岗区行政服务大厅", "深圳市龙岗区龙城街道龙福路1号", "0755-28949000")

# code, name, address
SUBDISTRICT_HALLS = [
    ("pinghu", "平湖街道行政服务大厅", "平湖街道平新北路161号"),
    ("bantian", "坂田街道行政服务大厅", "坂田街道坂雪岗大道4012号"),
    ("buji", "布吉街道行政服务大厅", "布吉街道布吉路1号"),
    ("nanwan", "南湾街道行政服务大厅", "南湾街道丹竹头路8号"),
    ("henggang", "横岗街道行政服务大厅", "横岗街道松柏路1号"),
    ("longcheng", "龙城街道行政服务大厅", "龙城街道龙翔大道8033号"),
    ("longgang", "龙岗街道行政服务大厅", "龙岗街道龙岗大道6062号"),
    ("pingdi", "坪地街道行政服务大厅", "坪地街道教育北路1号"),
    ("jihua", "吉华街道行政服务大厅", "吉华街道吉华路298号"),
    ("yuanshan", "园山街道行政服务大厅", "园山街道保安社区园山大道1号"),
    ("baolong", "宝龙街道行政服务大厅", "宝龙街道宝龙大道3号"),
]

# code, name
DEPARTMENTS = [
    ("amr", "区市场监督管理局"),
    ("fire", "区公安消防大队"),
    ("hrss", "区人力资源局（社保分局）"),
    ("psb", "区公安分局户政科"),
    ("realestate", "区不动产登记中心"),
    ("hpf", "住房公积金龙岗管理部"),
    ("tax", "区税务局"),
]

# code, name, ticket prefix, department code, offered at subdistrict halls
CATEGORIES = [
    ("business", "商事登记", "A", "amr", True),
    ("fire", "消防审批", "B", "fire", False),
    ("social-security", "社会保障", "C", "hrss", True),
    ("household", "户籍业务", "D", "psb", True),
    ("real-estate", "不动产登记", "E", "realestate", False),
    ("housing-fund", "住房公积金", "F", "hpf", True),
    ("tax", "税务办理", "G", "tax", True),
]

ID_CARD = ("申请人身份证原件及复印件", "核验原件，复印件留存", True, False, 1)
AGENT = ("委托书及受托人身份证", "由他人代办时提交", False, False, 1)
LICENSE = ("营业执照副本原件及复印件", "复印件加盖公章", True, False, 1)
SEAL_FORM = ("加盖公章的申请表", "在大厅或网站下载填写", True, False, 1)

# code, category, name, handling minutes, promised days, statutory days, appointment allowed,
# materials: (name, description, required, 容缺-eligible, copies)
ITEMS = [
    ("biz-company-setup", "business", "有限责任公司设立登记", 25, 3, 15, True, [
        ("公司登记（备案）申请书", "法定代表人签署", True, False, 1),
        ("公司章程", "全体股东签署", True, False, 1),
        ("股东主体资格证明", "自然人股东提交身份证复印件", True, False, 1),
        ("法定代表人、董事、监事和经理的任职文件", "", True, False, 1),
        ("住所使用证明", "租赁合同及房产证明复印件", True, True, 1),
        ("名称预先核准通知书", "", True, False, 1),
        AGENT,
    ]),
    ("biz-company-change", "business", "公司变更登记", 20, 3, 15, True, [
        ("公司变更登记申请书", "", True, False, 1),
        ("股东会决议", "", True, False, 1),
        ("章程修正案", "", True, True, 1),
        LICENSE,
        AGENT,
    ]),
    ("biz-company-deregister", "business", "公司注销登记", 20, 5, 20, True, [
        ("注销登记申请书", "", True, False, 1),
        ("清算报告", "股东会确认", True, False, 1),
        ("清税证明", "税务机关出具", True, True, 1),
        LICENSE,
    ]),
    ("biz-sole-proprietor", "business", "个体工商户设立登记", 15, 1, 15, True, [
        ("个体工商户开业登记申请书", "", True, False, 1),
        ID_CARD,
        ("经营场所使用证明", "租赁合同或房产证明", True, True, 1),
        ("一寸近期免冠照片", "", False, False, 2),
    ]),
    ("biz-sole-change", "business", "个体工商户变更登记", 10, 1, 15, True, [
        ("个体工商户变更登记申请书", "", True, False, 1),
        ID_CARD,
        ("营业执照正副本", "", True, False, 1),
    ]),
    ("biz-food-license", "business", "食品经营许可证核发", 20, 10, 20, True, [
        ("食品经营许可申请书", "", True, False, 1),
        LICENSE,
        ("法定代表人身份证明", "", True, False, 1),
        ("食品安全管理制度文本", "", True, True, 1),
        ("经营场所平面图和设备布局图", "", True, True, 1),
        ("食品安全管理人员培训合格证明", "", True, True, 1),
    ]),
    ("biz-annual-report-fix", "business", "企业经营异常名录移出", 10, 5, 20, False, [
        ("移出经营异常名录申请书", "", True, False, 1),
        LICENSE,
        ("补报年报或住所核实证明", "", True, False, 1),
    ]),
    ("fire-design-review", "fire", "建设工程消防设计审核", 30, 15, 20, True, [
        ("建设工程消防设计审核申报表", "", True, False, 1),
        ("建设单位营业执照复印件", "", True, False, 1),
        ("消防设计文件", "含设计说明和图纸", True, False, 1),
        ("设计单位资质证明文件", "", True, True, 1),
        ("规划许可证明文件", "", True, False, 1),
    ]),
    ("fire-acceptance", "fire", "建设工程消防验收", 30, 15, 20, True, [
        ("建设工程消防验收申报表", "", True, False, 1),
        ("工程竣工验收报告", "", True, False, 1),
        ("消防产品质量合格证明文件", "", True, True, 1),
        ("施工、工程监理、检测单位资质证明", "", True, True, 1),
        ("消防设施检测报告", "", True, False, 1),
    ]),
    ("fire-opening-inspection", "fire", "公众聚集场所投入使用、营业前消防安全检查", 25, 10, 10, True, [
        ("消防安全检查申报表", "", True, False, 1),
        LICENSE,
        ("场所平面布置图", "", True, False, 1),
        ("消防安全制度、灭火和应急疏散预案", "", True, True, 1),
        ("员工岗前消防安全教育培训记录", "", True, True, 1),
        ("室内装修消防验收或备案证明", "", True, False, 1),
    ]),
    ("fire-filing", "fire", "建设工程竣工验收消防备案", 20, 5, 20, True, [
        ("消防备案表", "", True, False, 1),
        ("工程竣工验收报告", "", True, False, 1),
        ("消防设计文件", "", True, False, 1),
    ]),
    ("fire-certificate-pickup", "fire", "消防许可证领取", 5, 0, 0, False, [
        ("受理通知书", "", True, False, 1),
        ID_CARD,
    ]),
    ("ss-enrolment", "social-security", "职工社会保险参保登记", 10, 1, 5, True, [
        ("社会保险登记表", "", True, False, 1),
        LICENSE,
        ("职工花名册", "", True, False, 1),
    ]),
    ("ss-transfer", "social-security", "养老保险关系转移接续", 15, 15, 45, True, [
        ("基本养老保险关系转移接续申请表", "", True, False, 1),
        ID_CARD,
        ("参保缴费凭证", "原参保地出具", True, True, 1),
    ]),
    ("ss-card", "social-security", "社会保障卡申领", 10, 10, 20, True, [
        ID_CARD,
        ("近期正面免冠彩色照片", "白底", True, False, 1),
        ("社会保障卡申领表", "", True, False, 1),
    ]),
    ("ss-unemployment", "social-security", "失业保险金申领", 15, 5, 10, True, [
        ID_CARD,
        ("解除或终止劳动关系证明", "", True, False, 1),
        ("失业登记证明", "", True, True, 1),
        ("本人银行账户信息", "", True, False, 1),
    ]),
    ("ss-maternity", "social-security", "生育医疗费用报销", 15, 10, 20, True, [
        ID_CARD,
        ("医疗费用发票原件", "", True, False, 1),
        ("出院小结或诊断证明", "", True, False, 1),
        ("生育服务单", "", True, True, 1),
    ]),
    ("ss-pension-cert", "social-security", "参保缴费证明打印", 5, 0, 0, False, [ID_CARD]),
    ("hh-birth", "household", "出生登记", 15, 0, 15, True, [
        ("出生医学证明", "", True, False, 1),
        ("父母双方居民户口簿、身份证", "", True, False, 1),
        ("父母结婚证", "", True, True, 1),
    ]),
    ("hh-move-in", "household", "人才引进迁入", 20, 10, 20, True, [
        ("人才引进调令或迁入审批表", "", True, False, 1),
        ("学历证书原件及复印件", "", True, False, 1),
        ID_CARD,
        ("居民户口簿", "", True, False, 1),
        ("近期免冠照片", "", True, False, 2),
    ]),
    ("hh-residence-permit", "household", "居住证办理", 10, 10, 15, True, [
        ID_CARD,
        ("居住登记凭证", "满6个月", True, False, 1),
        ("房屋租赁凭证或房产证明", "", True, True, 1),
        ("就业或就读证明", "", True, True, 1),
    ]),
    ("hh-id-card", "household", "居民身份证换领", 10, 20, 60, True, [
        ("原居民身份证", "", True, False, 1),
        ("居民户口簿", "", True, False, 1),
    ]),
    ("hh-certificate", "household", "户籍证明开具", 5, 0, 0, False, [ID_CARD, ("居民户口簿", "", True, False, 1)]),
    ("re-transfer", "real-estate", "二手房转移登记", 30, 5, 30, True, [
        ("不动产登记申请书", "", True, False, 1),
        ("买卖双方身份证明", "", True, False, 1),
        ("不动产权证书", "", True, False, 1),
        ("房屋买卖合同", "", True, False, 1),
        ("完税凭证", "", True, True, 1),
        ("婚姻状况证明", "", True, True, 1),
    ]),
    ("re-mortgage", "real-estate", "抵押权首次登记", 20, 3, 30, True, [
        ("不动产登记申请书", "", True, False, 1),
        ("抵押合同及主债权合同", "", True, False, 1),
        ("不动产权证书", "", True, False, 1),
        ("双方身份证明", "", True, False, 1),
    ]),
    ("re-mortgage-release", "real-estate", "抵押权注销登记", 15, 1, 30, True, [
        ("不动产登记申请书", "", True, False, 1),
        ("不动产登记证明", "", True, False, 1),
        ("抵押权人同意注销的证明", "", True, False, 1),
    ]),
    ("re-first-registration", "real-estate", "商品房首次登记", 30, 15, 30, True, [
        ("不动产登记申请书", "", True, False, 1),
        ("建设工程规划验收证明", "", True, False, 1),
        ("竣工验收备案证明", "", True, False, 1),
        ("房屋测绘报告", "", True, True, 1),
    ]),
    ("re-inquiry", "real-estate", "不动产登记资料查询", 10, 0, 0, False, [ID_CARD]),
    ("hpf-withdraw-rent", "housing-fund", "租房提取住房公积金", 10, 3, 5, True, [
        ID_CARD,
        ("房屋租赁合同", "", True, True, 1),
        ("本人银行卡", "", True, False, 1),
    ]),
    ("hpf-withdraw-purchase", "housing-fund", "购房提取住房公积金", 15, 3, 5, True, [
        ID_CARD,
        ("购房合同或不动产权证书", "", True, False, 1),
        ("购房发票", "", True, True, 1),
        ("本人银行卡", "", True, False, 1),
    ]),
    ("hpf-loan", "housing-fund", "住房公积金贷款申请", 30, 10, 15, True, [
        ("借款申请表", "", True, False, 1),
        ("借款人及配偶身份证、户口簿", "", True, False, 1),
        ("婚姻状况证明", "", True, False, 1),
        ("购房合同", "", True, False, 1),
        ("收入证明", "", True, True, 1),
        ("首付款发票", "", True, True, 1),
    ]),
    ("hpf-account-open", "housing-fund", "住房公积金单位开户", 10, 1, 5, True, [
        ("单位登记表", "", True, False, 1),
        LICENSE,
        ("经办人身份证", "", True, False, 1),
    ]),
    ("hpf-retire-withdraw", "housing-fund", "离退休提取住房公积金", 10, 1, 5, True, [
        ID_CARD,
        ("退休证或退休审批表", "", True, False, 1),
        ("本人银行卡", "", True, False, 1),
    ]),
    ("tax-register", "tax", "新办纳税人涉税事项办理", 20, 1, 5, True, [
        LICENSE,
        ("法定代表人身份证", "", True, False, 1),
        ("办税人员身份证", "", True, False, 1),
        ("财务会计制度", "", True, True, 1),
    ]),
    ("tax-invoice", "tax", "发票领用", 10, 0, 1, True, [
        ("发票领用簿", "", True, False, 1),
        ("税控设备", "", True, False, 1),
        ("经办人身份证", "", True, False, 1),
    ]),
    ("tax-property-deed", "tax", "二手房交易税费申报", 20, 0, 5, True, [
        ("房屋买卖合同", "", True, False, 1),
        ("买卖双方身份证明", "", True, False, 1),
        ("不动产权证书", "", True, False, 1),
        ("家庭住房情况查询结果", "", True, True, 1),
    ]),
    ("tax-clearance", "tax", "清税证明开具", 15, 3, 20, True, [
        ("清税申报表", "", True, False, 1),
        LICENSE,
        ("发票缴销证明", "", True, True, 1),
    ]),
    ("tax-individual-cert", "tax", "个人所得税纳税记录开具", 5, 0, 0, False, [ID_CARD]),
    ("tax-refund", "tax", "个人所得税退税申请", 15, 10, 20, True, [
        ID_CARD,
        ("退税申请表", "", True, False, 1),
        ("本人银行账户信息", "", True, False, 1),
        ("专项附加扣除证明资料", "", True, True, 1),
    ]),
    ("biz-seal-filing", "business", "公章刻制备案", 10, 1, 5, True, [
        LICENSE,
        SEAL_FORM,
        ("法定代表人身份证复印件", "", True, False, 1),
    ]),
]

# Items the subdistrict halls do not handle (district-only work inside a shared category).
DISTRICT_ONLY_ITEMS = {"biz-company-setup", "biz-company-change", "biz-company-deregister", "biz-food-license",
                       "hpf-loan", "hh-move-in", "tax-property-deed"}

# Windows per category at the district hall; the last window is 综合出件 (results pick-up).
DISTRICT_WINDOWS = {"business": 7, "fire": 4, "social-security": 5, "household": 3, "real-estate": 5,
                    "housing-fund": 2, "tax": 3}
PICKUP_LABEL = "综合出件"
DISTRICT_STAFF = 35
# Windows and staff at each subdistrict hall, in SUBDISTRICT_HALLS order (8–12 windows, 8–14 staff).
SUBDISTRICT_SIZES = [(12, 14), (11, 13), (12, 14), (9, 10), (10, 12), (10, 12), (9, 11), (8, 9), (8, 9), (8, 8),
                     (9, 10)]

# The article's dates: extended service (weekdays to 19:30, Saturdays 09:00–13:00) from 2017-10-23.
EXTENSION_STARTS = "2017-10-23"
SCHEDULE_BEFORE = {"name": "常规服务时间", "valid_from": "2010-01-01", "weekday_sessions": [("09:00", "12:00"), ("14:00", "18:00")],
                   "saturday_sessions": []}
SCHEDULE_EXTENDED = {"name": "延时服务（工作日至19:30，周六上午）", "valid_from": EXTENSION_STARTS,
                     "weekday_sessions": [("09:00", "12:00"), ("14:00", "19:30")],
                     "saturday_sessions": [("09:00", "13:00")]}

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬斌鹏辉晓宇婷雪琳佳俊帆浩然梓涵欣怡"

DEMO_PASSWORD = "weimin-demo-2017"
# username, display name, role, hall codes (None: every hall), superuser
DEMO_ACCOUNTS = [
    ("admin", "系统管理员", None, None, True),
    ("office", "区政务办 欧阳", "district_office", None, False),
    ("manager", "区大厅负责人", "hall_manager", ["longgang-district"], False),
    ("pinghu-manager", "平湖大厅负责人", "hall_manager", ["pinghu"], False),
    ("clerk", "窗口 黄小燕", "window_staff", ["longgang-district"], False),
    ("campaign", "木古河拆迁二组 刘庆良", "campaign_team", [], False),
    ("river", "平湖街道治水办", "river_office", [], False),
]
