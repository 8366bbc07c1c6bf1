"""Write annual reports of our own in each text layout real reports come in, from one set of numbers.

Tests use these to show that every layout reads into the same cells; the numbers are consistent (every
relation of the national format holds) unless a test changes them on purpose.
"""

from __future__ import annotations

from disclosure_lint import formats

T3_DATA: dict[str, list[int]] = {
    "new": [20, 3, 0, 1, 0, 1, 25],
    "carried_over": [2, 0, 0, 0, 0, 0, 2],
    "granted": [10, 2, 0, 1, 0, 0, 13],
    "partial": [3, 0, 0, 0, 0, 0, 3],
    "denied.state_secret": [0, 0, 0, 0, 0, 0, 0],
    "denied.prohibited": [1, 0, 0, 0, 0, 0, 1],
    "denied.security": [0, 0, 0, 0, 0, 0, 0],
    "denied.third_party": [1, 0, 0, 0, 0, 0, 1],
    "denied.internal": [0, 0, 0, 0, 0, 0, 0],
    "denied.process": [1, 0, 0, 0, 0, 0, 1],
    "denied.enforcement": [0, 0, 0, 0, 0, 0, 0],
    "denied.inquiry": [0, 0, 0, 0, 0, 0, 0],
    "unavailable.not_held": [3, 1, 0, 0, 0, 0, 4],
    "unavailable.needs_creation": [0, 0, 0, 0, 0, 0, 0],
    "unavailable.unclear": [0, 0, 0, 0, 0, 0, 0],
    "not_processed.petition": [1, 0, 0, 0, 0, 0, 1],
    "not_processed.duplicate": [0, 0, 0, 0, 0, 0, 0],
    "not_processed.publication": [0, 0, 0, 0, 0, 0, 0],
    "not_processed.excessive": [0, 0, 0, 0, 0, 0, 0],
    "not_processed.confirmation": [0, 0, 0, 0, 0, 0, 0],
    "other.no_correction": [0, 0, 0, 0, 0, 0, 0],
    "other.no_fee": [0, 0, 0, 0, 0, 0, 0],
    "other.other": [1, 0, 0, 0, 0, 1, 2],
    "total": [21, 3, 0, 1, 0, 1, 26],
    "carried_forward": [1, 0, 0, 0, 0, 0, 1],
}
T2_DATA: dict[str, list[str]] = {
    "regulations": ["0", "0", "0"],
    "normative_docs": ["5", "2", "38"],
    "licensing": ["1523"],
    "penalty": ["87"],
    "coercion": ["4"],
    "fees": ["12.35"],
}
T4_DATA = [1, 0, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0]

PREAMBLE = """青松县人民政府2024年政府信息公开工作年度报告

本报告根据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）编制。本报告所列数据的统计期限自2024年1月1日起至2024年12月31日止。

一、总体情况

2024年，青松县围绕主动公开、依申请公开、政府信息管理、平台建设和监督保障五个方面推进政务公开工作，工作考核、社会评议和责任追究结果均已公开。全年共收到政府信息公开申请25件（不含上年结转2件），已办结26件，结转下年度继续办理1件。因政府信息公开工作被申请行政复议1件，被提起行政诉讼1件。本年制发行政规范性文件5件，废止2件，现行有效行政规范性文件38件。

二、主动公开政府信息情况
"""

SECTIONS_5_6 = """
五、存在的主要问题及改进情况

一是政策解读形式较为单一，图解、视频解读偏少；二是基层政务公开专区建设不够均衡。上年度报告指出的依申请公开答复不规范问题，已通过制定答复文书模板完成整改。下一步，我县将丰富解读形式，推动基层专区标准化建设。

六、其他需要报告的事项

本年度发出收费通知0件，未收取信息处理费。
"""


def render(
    layout: str,
    *,
    t3: dict[str, list[int]] | None = None,
    t2: dict[str, list[str]] | None = None,
    t4: list[int] | None = None,
) -> str:
    """The whole report in one layout: tab, cell-per-line, pipe, markdown, pdf (space-separated)."""
    t3 = T3_DATA if t3 is None else t3
    t2 = T2_DATA if t2 is None else t2
    t4 = T4_DATA if t4 is None else t4
    rows: list[list[str]] = []
    headers = {
        "第二十条第（一）项": ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        "第二十条第（五）项": ["信息内容", "本年处理决定数量"],
        "第二十条第（六）项": ["信息内容", "本年处理决定数量"],
        "第二十条第（八）项": ["信息内容", "本年收费金额（单位：万元）"],
    }
    blocks = {
        "第二十条第（一）项": ["regulations", "normative_docs"],
        "第二十条第（五）项": ["licensing"],
        "第二十条第（六）项": ["penalty", "coercion"],
        "第二十条第（八）项": ["fees"],
    }
    t2_out: list[list[str]] = []
    for caption, keys in blocks.items():
        t2_out.append([caption])
        t2_out.append(headers[caption])
        for key in keys:
            if key in t2:
                t2_out.append([formats.TABLE2.row(key).label, *t2[key]])
    t3_out: list[list[str]] = [
        ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"],
        ["自然人", "法人或其他组织", "总计"],
        ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"],
    ]
    group_of = {
        "denied": "（三）不予公开",
        "unavailable": "（四）无法提供",
        "not_processed": "（五）不予处理",
        "other": "（六）其他处理",
    }
    seen_groups: set[str] = set()
    for spec in formats.TABLE3.rows:
        if spec.key not in t3:
            continue
        prefix: list[str] = []
        if spec.key == "granted":
            prefix = ["三、本年度办理结果"]
        if spec.group and spec.group not in seen_groups:
            seen_groups.add(spec.group)
            prefix.append(group_of[spec.group])
        t3_out.append([*prefix, spec.label, *map(str, t3[spec.key])])
    t4_out = [
        ["行政复议", "行政诉讼"],
        ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"],
        ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2,
        [str(v) for v in t4],
    ]
    del rows

    def table(lines: list[list[str]]) -> str:
        if layout == "tab":
            return "\n".join("\t".join(r) for r in lines)
        if layout == "cell-per-line":
            return "\n\n".join(c for r in lines for c in r)
        if layout == "pipe":
            return "\n".join(c + " |" for r in lines for c in r)
        if layout == "markdown":
            out = []
            for i, r in enumerate(lines):
                out.append("| " + " | ".join(r) + " |")
                if i == 0:
                    out.append("|" + "---|" * len(r))
            return "\n".join(out)
        if layout == "pdf":
            return "\n".join(" ".join(r) for r in lines)
        raise ValueError(layout)

    heading = "## " if layout == "markdown" else ""
    text = PREAMBLE.replace("\n一、", f"\n{heading}一、").replace("\n二、", f"\n{heading}二、")
    return (
        text
        + table(t2_out)
        + f"\n\n{heading}三、收到和处理政府信息公开申请情况\n\n"
        + table(t3_out)
        + f"\n\n{heading}四、政府信息公开行政复议、行政诉讼情况\n\n"
        + table(t4_out)
        + "\n"
        + SECTIONS_5_6.replace("\n五、", f"\n{heading}五、").replace("\n六、", f"\n{heading}六、")
    )


LAYOUTS = ("tab", "cell-per-line", "pipe", "markdown", "pdf")
