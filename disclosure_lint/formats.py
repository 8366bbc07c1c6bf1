"""The national report format (国办公开办函〔2021〕30号) as data: sections, tables, rows, columns, cell ids.

Everything the parser and the rules need to know about the *standard* lives here, so that the reading
code never hard-codes a label and the public cell ids are defined in exactly one place.
"""

from __future__ import annotations

from dataclasses import field

from .records import record

CHINESE_NUMERALS = "一二三四五六七八九十"


@record(frozen=True)
class SectionSpec:
    number: int
    title: str  # the standard title without its numbering
    keywords: tuple[str, ...]  # any of these in a numbered heading identifies the section
    variants: tuple[str, ...] = ()  # accepted alternative titles (normalised comparison)


SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec(1, "总体情况", ("总体情况", "基本情况", "总体概述")),
    SectionSpec(
        2,
        "主动公开政府信息情况",
        ("主动公开",),
        ("行政机关主动公开政府信息情况",),
    ),
    SectionSpec(
        3,
        "收到和处理政府信息公开申请情况",
        ("收到和处理", "依申请", "公开申请"),
        ("行政机关收到和处理政府信息公开申请情况",),
    ),
    SectionSpec(
        4,
        "政府信息公开行政复议、行政诉讼情况",
        ("行政复议", "行政诉讼"),
        (
            "因政府信息公开工作被申请行政复议、提起行政诉讼情况",
            "因政府信息公开工作被申请行政复议和提起行政诉讼情况",
            "政府信息公开行政复议及行政诉讼情况",
            "政府信息公开行政复议和行政诉讼情况",
            "因政府信息公开被申请行政复议、提起行政诉讼情况",
        ),
    ),
    SectionSpec(
        5,
        "存在的主要问题及改进情况",
        ("问题", "改进"),
        (
            "政府信息公开工作存在的主要问题及改进情况",
            "存在的主要问题及改进措施",
            "政府信息公开工作存在的主要问题及改进措施",
            "政府信息公开工作存在的主要问题和改进情况",
        ),
    ),
    SectionSpec(
        6,
        "其他需要报告的事项",
        ("其他需要报告", "其他事项", "需要报告的", "需要说明的其他事项"),
        ("其他事项",),
    ),
)

SECTION_BY_NUMBER = {s.number: s for s in SECTIONS}


@record(frozen=True)
class ColumnSpec:
    key: str
    label: str


@record(frozen=True)
class RowSpec:
    key: str  # dotted, e.g. "denied.state_secret"
    label: str  # standard label as printed in the format, numbering included
    keywords: tuple[str, ...]  # distinctive phrases that identify the row in a normalised label
    columns: tuple[ColumnSpec, ...]
    group: str | None = None  # the group label key for rows inside （三）…（六）
    is_total: bool = False


@record(frozen=True)
class TableSpec:
    number: int
    name: str  # 表二 …
    title: str
    rows: tuple[RowSpec, ...]
    # Label keys that structure the table but carry no numbers of their own.
    groups: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)

    def row(self, key: str) -> RowSpec:
        for r in self.rows:
            if r.key == key:
                return r
        raise KeyError(key)


# --- 表二 ---------------------------------------------------------------------------------------
T2_STOCK_COLUMNS = (
    ColumnSpec("issued", "本年制发件数"),
    ColumnSpec("repealed", "本年废止件数"),
    ColumnSpec("in_force", "现行有效件数"),
)
T2_DECISIONS = (ColumnSpec("decisions", "本年处理决定数量"),)
T2_FEES = (ColumnSpec("amount", "本年收费金额（单位：万元）"),)

TABLE2 = TableSpec(
    2,
    "表二",
    "主动公开政府信息情况",
    (
        RowSpec("regulations", "规章", ("规章",), T2_STOCK_COLUMNS),
        RowSpec("normative_docs", "行政规范性文件", ("规范性文件",), T2_STOCK_COLUMNS),
        RowSpec("licensing", "行政许可", ("行政许可",), T2_DECISIONS),
        RowSpec("penalty", "行政处罚", ("行政处罚",), T2_DECISIONS),
        RowSpec("coercion", "行政强制", ("行政强制",), T2_DECISIONS),
        RowSpec("fees", "行政事业性收费", ("事业性收费",), T2_FEES),
    ),
)

# The column header of the row labels in each block of 表二.
T2_CONTENT_HEADER = "信息内容"
# Which rows each block of 表二 holds, in the order of T2_BLOCK_CAPTIONS.
T2_BLOCK_ROWS = (("regulations", "normative_docs"), ("licensing",), ("penalty", "coercion"), ("fees",))
T2_BLOCK_CAPTIONS = ("第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项")
T2_HEADER_WORDS = (
    "信息内容",
    "本年制发件数",
    "本年废止件数",
    "现行有效件数",
    "本年处理决定数量",
    "本年收费金额",
)

# Words that only the superseded 2019 trial format (国办公开办函〔2019〕60号) uses.
TRIAL_FORMAT_MARKERS = (
    "本年新制作数量",
    "本年新公开数量",
    "对外公开总数量",
    "上一年项目数量",
    "本年增/减",
    "本年增减",
    "其他对外管理服务事项",
    "政府集中采购",
    "采购项目数量",
    "采购总金额",
)

# --- 表三 ---------------------------------------------------------------------------------------
T3_COLUMNS = (
    ColumnSpec("natural_person", "自然人"),
    ColumnSpec("commercial", "商业企业"),
    ColumnSpec("research", "科研机构"),
    ColumnSpec("social_org", "社会公益组织"),
    ColumnSpec("legal_service", "法律服务机构"),
    ColumnSpec("other_org", "其他"),
    ColumnSpec("total", "总计"),
)
T3_APPLICANT_COLUMNS = tuple(c.key for c in T3_COLUMNS[:-1])

_C = T3_COLUMNS
TABLE3 = TableSpec(
    3,
    "表三",
    "收到和处理政府信息公开申请情况",
    (
        RowSpec("new", "一、本年新收政府信息公开申请数量", ("本年新收",), _C),
        RowSpec("carried_over", "二、上年结转政府信息公开申请数量", ("上年结转",), _C),
        RowSpec("granted", "（一）予以公开", ("予以公开",), _C),
        RowSpec("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ("部分公开",), _C),
        RowSpec("denied.state_secret", "1.属于国家秘密", ("国家秘密",), _C, "denied"),
        RowSpec(
            "denied.prohibited",
            "2.其他法律行政法规禁止公开",
            ("禁止公开", "其他法律行政"),
            _C,
            "denied",
        ),
        RowSpec("denied.security", "3.危及“三安全一稳定”", ("三安全", "一稳定", "危及"), _C, "denied"),
        RowSpec("denied.third_party", "4.保护第三方合法权益", ("第三方",), _C, "denied"),
        RowSpec("denied.internal", "5.属于三类内部事务信息", ("内部事务", "三类内"), _C, "denied"),
        RowSpec("denied.process", "6.属于四类过程性信息", ("过程性",), _C, "denied"),
        RowSpec("denied.enforcement", "7.属于行政执法案卷", ("执法案卷",), _C, "denied"),
        RowSpec("denied.inquiry", "8.属于行政查询事项", ("查询事项",), _C, "denied"),
        RowSpec("unavailable.not_held", "1.本机关不掌握相关政府信息", ("不掌握",), _C, "unavailable"),
        RowSpec(
            "unavailable.needs_creation",
            "2.没有现成信息需要另行制作",
            ("另行制作", "没有现成"),
            _C,
            "unavailable",
        ),
        RowSpec("unavailable.unclear", "3.补正后申请内容仍不明确", ("仍不明确", "补正后"), _C, "unavailable"),
        RowSpec("not_processed.petition", "1.信访举报投诉类申请", ("信访", "举报投诉"), _C, "not_processed"),
        RowSpec("not_processed.duplicate", "2.重复申请", ("重复申请",), _C, "not_processed"),
        RowSpec("not_processed.publication", "3.要求提供公开出版物", ("出版物",), _C, "not_processed"),
        RowSpec("not_processed.excessive", "4.无正当理由大量反复申请", ("大量反复",), _C, "not_processed"),
        RowSpec(
            "not_processed.confirmation",
            "5.要求行政机关确认或重新出具已获取信息",
            ("重新出具", "确认或"),
            _C,
            "not_processed",
        ),
        RowSpec(
            "other.no_correction",
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            ("不补正", "逾期不补"),
            _C,
            "other",
        ),
        RowSpec(
            "other.no_fee",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            ("收费通知", "缴纳费用"),
            _C,
            "other",
        ),
        RowSpec("other.other", "3.其他", (), _C, "other"),
        RowSpec("total", "（七）总计", (), _C, is_total=True),
        RowSpec("carried_forward", "四、结转下年度继续办理", ("结转下年", "继续办理"), _C),
    ),
    groups={
        "results": ("三、本年度办理结果", ("本年度办理结果", "办理结果")),
        "denied": ("（三）不予公开", ("不予公开",)),
        "unavailable": ("（四）无法提供", ("无法提供",)),
        "not_processed": ("（五）不予处理", ("不予处理",)),
        "other": ("（六）其他处理", ("其他处理",)),
    },
)

# The rows of 三、本年度办理结果 that add up to （七）总计 (21 in the 2021 format).
T3_OUTCOME_ROWS = tuple(r.key for r in TABLE3.rows if r.key not in ("new", "carried_over", "total", "carried_forward"))
# The single （六）其他处理 row of the 2019 trial format, kept under the group key when a report uses it.
T3_SINGLE_OTHER_ROW = "other"

# The merged header cells of 表三, as the national template prints them.
T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T3_APPLICANTS = "申请人情况"
T3_ORGANISATIONS = "法人或其他组织"

T3_HEADER_WORDS = (
    "申请人情况",
    "自然人",
    "法人或其他组织",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
    "总计",
    "商业",
    "企业",
    "科研",
    "机构",
    "社会",
    "公益",
    "组织",
    "法律",
    "服务",
    "社会公益",
    "法律服务",
)

# --- 表四 ---------------------------------------------------------------------------------------
T4_COLUMNS = (
    ColumnSpec("upheld", "结果维持"),
    ColumnSpec("corrected", "结果纠正"),
    ColumnSpec("other", "其他结果"),
    ColumnSpec("pending", "尚未审结"),
    ColumnSpec("total", "总计"),
)
TABLE4 = TableSpec(
    4,
    "表四",
    "政府信息公开行政复议、行政诉讼情况",
    (
        RowSpec("review", "行政复议", ("行政复议",), T4_COLUMNS),
        RowSpec("litigation_direct", "未经复议直接起诉", ("未经复议", "直接起诉"), T4_COLUMNS),
        RowSpec("litigation_after_review", "复议后起诉", ("复议后起诉",), T4_COLUMNS),
    ),
)
# The top header row of 表四: 行政复议 over the first five columns, 行政诉讼 over the other ten.
T4_REVIEW = "行政复议"
T4_LITIGATION = "行政诉讼"

T4_HEADER_WORDS = (
    "行政复议",
    "行政诉讼",
    "结果维持",
    "结果纠正",
    "其他结果",
    "尚未审结",
    "总计",
    "未经复议直接起诉",
    "复议后起诉",
    "结果",
    "维持",
    "纠正",
    "其他",
    "尚未",
    "审结",
)

TABLES: dict[int, TableSpec] = {2: TABLE2, 3: TABLE3, 4: TABLE4}
TABLE_NAMES = {2: "表二", 3: "表三", 4: "表四"}


def cell_id(table: int, row: str, column: str) -> str:
    return f"t{table}.{row}.{column}"


# Every public cell of the 2021 format as (id, table, row, column), in table order (the order of JSON and CSV).
STANDARD_CELLS: tuple[tuple[str, int, str, str], ...] = tuple(
    (cell_id(number, row.key, col.key), number, row.key, col.key)
    for number, spec in TABLES.items()
    for row in spec.rows
    for col in row.columns
)
STANDARD_CELL_IDS: tuple[str, ...] = tuple(cell[0] for cell in STANDARD_CELLS)


def row_label(table: int, row: str) -> str:
    spec = TABLES[table]
    for r in spec.rows:
        if r.key == row:
            return r.label
    if row in spec.groups:
        return spec.groups[row][0]
    return row


def column_label(table: int, row: str, column: str) -> str:
    spec = TABLES[table]
    for r in spec.rows:
        if r.key == row:
            for c in r.columns:
                if c.key == column:
                    return c.label
    for c in T3_COLUMNS if table == 3 else T4_COLUMNS if table == 4 else ():
        if c.key == column:
            return c.label
    return column
