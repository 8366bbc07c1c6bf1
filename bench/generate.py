"""Realistic annual reports for the benchmark, written from scratch with consistent random numbers.

Each report has a title, the statistical period, the six parts of the national format with prose of
varying length, and tables two to four in one of the text layouts real reports come in:

* ``tab``: table rows with tab-separated cells (copied from Word or Excel);
* ``cell-per-line``: one cell per line with blank lines between (copied from a web page);
* ``pipe``: cells separated by ``|`` (converted from PDF by some tools);
* ``markdown``: a Markdown table with a separator row under the header (converter output);
* ``pdf``: cells separated by spaces, as PDF text extraction prints them.

The numbers obey every relation of the format (table three balances, rows and columns add up, table
four's totals are sums, the prose states the same numbers as the tables), so a generated report reads
clean and the benchmark measures the normal path, not error reporting. Sizes follow real reports
(5-20 KB); ``prose_factor`` repeats the prose of part one to make larger files for the scaling test.

Usage: ``python bench/generate.py OUTDIR [COUNT]`` writes COUNT reports (default 20) cycling through the
layouts.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

# Importable when run as a script from anywhere in a source checkout.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from disclosure_lint import formats

LAYOUTS = ("tab", "cell-per-line", "pipe", "markdown", "pdf")

PLACES = ("临江", "青石", "白沙", "云岭", "东湖", "南坪", "北川", "西塘", "长宁", "安平", "清河", "凤鸣")
# A batch names every report's body after a place of its own (first character x second, 1,024 places): two
# reports of one body a year apart would be paired and compared, and a batch must measure clean reports.
_PLACE_FIRST = "临青白云东南北西长安清凤金石桃柳梅松竹兰桂荷春秋华宁平和泰康永丰"
_PLACE_SECOND = "江石沙岭湖坪川塘宁平河鸣山水阳源溪林城口浦洲桥台峰原庄坡湾潭岗集"
BODIES = ("县人民政府", "市人民政府办公室", "区教育局", "县自然资源局", "市交通运输局", "区卫生健康委员会")

# Sentences for the prose parts. Their numbers are counts of things that are not in the tables (pages,
# posts, hearings), worded so that none of them reads as a claim about a table cell.
TOPICS = (
    "围绕年度重点工作，{place}持续深化政务公开，全年通过政府门户网站发布政务动态信息{a}条，"
    "政策文件{b}条，回应社会关切{c}次，政务新媒体推送信息{d}条，公开内容的及时性和准确性进一步提高。",
    "严格落实公开属性源头认定机制，在公文办理环节同步明确公开方式，全年审查公文{a}份，"
    "其中确定为主动公开的{b}份，依法不予公开的均说明理由，公开审查工作规范有序。",
    "加强政策解读工作，坚持解读材料与政策文件同步起草、同步审签、同步发布，全年制作图解{a}篇、"
    "视频解读{b}期，邀请部门负责人参加在线访谈{c}场，进一步提升了政策的知晓度。",
    "推进政府网站集约化建设，完成栏目梳理和内容迁移{a}项，清理过期信息{b}条，"
    "网站无障碍改造全面完成，全年网站访问量达到{c}万人次。",
    "规范依申请公开办理流程，统一登记、审查、办理、答复各环节的文书格式，"
    "组织业务培训{a}场，参训人员{b}人次，答复质量和时效明显提升。",
    "强化监督保障，将政务公开纳入年度绩效考核，开展专项检查{a}次，"
    "通报发现的问题{b}个并督促整改到位，社会评议满意度保持在较高水平。",
    "深化基层政务公开标准化规范化建设，在{c}个乡镇（街道）设立政务公开专区，"
    "编制完善公开事项目录{a}项，群众办事查询更加便利。",
    "做好重点领域信息公开，及时发布财政预决算、重大建设项目、公共资源配置等信息{a}条，"
    "专题发布民生实事进展情况{b}次，主动接受社会监督。",
)
SUBHEADS = ("（一）主动公开", "（二）依申请公开", "（三）政府信息管理", "（四）平台建设", "（五）监督保障")


def _t3_numbers(rng: random.Random) -> dict[str, list[int]]:
    """Table three per row: six applicant columns and the total, balanced as the format requires."""
    outcome_rows = formats.T3_OUTCOME_ROWS
    # Natural persons file most applications; most outcome rows are zero in a real year.
    scale = [rng.randint(5, 120), rng.randint(0, 12), rng.randint(0, 2), rng.randint(0, 3), rng.randint(0, 4), 0]
    scale[5] = rng.randint(0, 3)
    weights = {row: (8 if row in ("granted", "partial", "unavailable.not_held") else 1) for row in outcome_rows}
    rows: dict[str, list[int]] = {row: [0] * 6 for row in outcome_rows}
    for col, amount in enumerate(scale):
        for _ in range(amount):
            row = rng.choices(outcome_rows, weights=[weights[r] for r in outcome_rows])[0]
            rows[row][col] += 1
    total = [sum(rows[r][c] for r in outcome_rows) for c in range(6)]
    carried_forward = [rng.randint(0, 2) if total[c] else 0 for c in range(6)]
    carried_over = [rng.randint(0, min(3, total[c] + carried_forward[c])) for c in range(6)]
    new = [total[c] + carried_forward[c] - carried_over[c] for c in range(6)]
    table = {"new": new, "carried_over": carried_over, **rows, "total": total, "carried_forward": carried_forward}
    return {key: [*values, sum(values)] for key, values in table.items()}


def _t4_numbers(rng: random.Random) -> list[list[int]]:
    groups = []
    for _ in range(3):
        parts = [rng.choice((0, 0, 0, 1, 2)) for _ in range(4)]
        groups.append([*parts, sum(parts)])
    return groups


def _t2_numbers(rng: random.Random) -> dict[str, list[str]]:
    issued = rng.randint(0, 30)
    repealed = rng.randint(0, 10)
    return {
        "regulations": ["0", "0", "0"],
        "normative_docs": [str(issued), str(repealed), str(issued + rng.randint(repealed, 400))],
        "licensing": [str(rng.randint(0, 20000))],
        "penalty": [str(rng.randint(0, 3000))],
        "coercion": [str(rng.randint(0, 200))],
        "fees": [f"{rng.randint(0, 9999) / 100:.2f}"],
    }


def _table_rows(t2: dict[str, list[str]], t3: dict[str, list[int]], t4: list[list[int]]) -> list[list[list[str]]]:
    """Tables two, three and four as rows of cell texts (header rows included)."""
    blocks = (
        (
            "第二十条第（一）项",
            ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
            ["regulations", "normative_docs"],
        ),
        ("第二十条第（五）项", ["信息内容", "本年处理决定数量"], ["licensing"]),
        ("第二十条第（六）项", ["信息内容", "本年处理决定数量"], ["penalty", "coercion"]),
        ("第二十条第（八）项", ["信息内容", "本年收费金额（单位：万元）"], ["fees"]),
    )
    table2: list[list[str]] = []
    for caption, header, keys in blocks:
        table2.append([caption])
        table2.append(header)
        table2.extend([formats.TABLE2.row(key).label, *t2[key]] for key in keys)

    table3: list[list[str]] = [
        ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"],
        ["自然人", "法人或其他组织", "总计"],
        ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"],
    ]
    opened: set[str] = set()
    for spec in formats.TABLE3.rows:
        lead: list[str] = []
        if spec.key == "granted":
            lead.append(formats.TABLE3.groups["results"][0])
        if spec.group and spec.group not in opened:
            opened.add(spec.group)
            lead.append(formats.TABLE3.groups[spec.group][0])
        table3.append([*lead, spec.label, *map(str, t3[spec.key])])

    columns = [c.label for c in formats.T4_COLUMNS]
    table4 = [
        ["行政复议", "行政诉讼"],
        [*columns, "未经复议直接起诉", "复议后起诉"],
        columns * 2,
        [str(v) for group in t4 for v in group],
    ]
    return [table2, table3, table4]


def _layout(rows: list[list[str]], layout: str) -> str:
    if layout == "tab":
        return "\n".join("\t".join(row) for row in rows)
    if layout == "cell-per-line":
        return "\n\n".join(cell for row in rows for cell in row)
    if layout == "pipe":
        return "\n".join("| " + " | ".join(row) + " |" for row in rows)
    if layout == "markdown":
        lines = []
        for i, row in enumerate(rows):
            lines.append("| " + " | ".join(row) + " |")
            if i == 0:
                lines.append("|" + " --- |" * len(row))
        return "\n".join(lines)
    if layout == "pdf":
        return "\n".join(" ".join(row) for row in rows)
    raise ValueError(f"unknown layout {layout!r}")


def _paragraph(rng: random.Random, place: str) -> str:
    template = rng.choice(TOPICS)
    return template.format(
        place=place, a=rng.randint(10, 3000), b=rng.randint(1, 500), c=rng.randint(2, 90), d=rng.randint(50, 9000)
    )


def batch_place(index: int) -> str:
    """The place of the ``index``-th report of a batch: different for each of the first 1,024."""
    return _PLACE_FIRST[index % len(_PLACE_FIRST)] + _PLACE_SECOND[index // len(_PLACE_FIRST) % len(_PLACE_SECOND)]


def generate_report(
    seed: int, layout: str, paragraphs: int | None = None, prose_factor: int = 1, place: str | None = None
) -> str:
    """One report. ``paragraphs`` (default: random, 8-45) sets part one's length before ``prose_factor``;
    ``place`` (default: one of PLACES) names the body's place."""
    rng = random.Random(seed)
    drawn = rng.choice(PLACES)  # (drawn even when ``place`` is given, so that the numbers stay the same)
    place = drawn if place is None else place
    body = rng.choice(BODIES)
    year = rng.randint(2021, 2025)
    t2, t3, t4 = _t2_numbers(rng), _t3_numbers(rng), _t4_numbers(rng)
    table2, table3, table4 = (_layout(rows, layout) for rows in _table_rows(t2, t3, t4))
    heading = "## " if layout == "markdown" else ""
    count = paragraphs if paragraphs is not None else rng.randint(8, 45)

    part_one: list[str] = [
        f"{year}年，{place}{body}全年共收到政府信息公开申请{t3['new'][6]}件，上年结转{t3['carried_over'][6]}件，"
        f"结转下年度继续办理{t3['carried_forward'][6]}件。"
        f"本年制发行政规范性文件{t2['normative_docs'][0]}件，现行有效行政规范性文件{t2['normative_docs'][2]}件。"
    ]
    for i in range(count):
        if i % 4 == 0:
            part_one.append(SUBHEADS[(i // 4) % len(SUBHEADS)])
        part_one.append(_paragraph(rng, place))
    # Every topic part one must cover (S010), whatever the random paragraphs above happened to touch.
    part_one.append(
        "强化政府信息管理和监督保障，将政务公开纳入工作考核，开展社会评议，全年未发生因公开工作不到位被责任追究的情况。"
    )
    prose = "\n\n".join(part_one)
    if prose_factor > 1:
        prose = "\n\n".join([prose] * prose_factor)

    return (
        f"{place}{body}{year}年政府信息公开工作年度报告\n\n"
        f"本报告根据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》"
        f"（国办公开办函〔2021〕30号）要求编制。本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
        f"如对本报告有疑问，请与{place}{body}办公室联系。\n\n"
        f"{heading}一、总体情况\n\n{prose}\n\n"
        f"{heading}二、主动公开政府信息情况\n\n{table2}\n\n"
        f"{heading}三、收到和处理政府信息公开申请情况\n\n{table3}\n\n"
        f"{heading}四、政府信息公开行政复议、行政诉讼情况\n\n{table4}\n\n"
        f"{heading}五、存在的主要问题及改进情况\n\n"
        f"一是政策解读的形式还不够丰富，图解和视频解读偏少；二是个别单位信息发布不够及时。"
        f"针对上一年度报告指出的问题，已通过建立发布提醒机制完成整改。下一步，{place}将加强培训，"
        f"丰富解读形式，提升公开质量。\n\n"
        f"{heading}六、其他需要报告的事项\n\n"
        f"本年度未收取信息处理费。{place}{body}政务公开工作要点落实情况已在门户网站专栏公布。\n"
    )


def generate_batch(count: int, seed: int = 1) -> list[tuple[str, str]]:
    """``count`` reports as (file name, text), cycling through the layouts; every 50th is ten times longer."""
    out = []
    for i in range(count):
        layout = LAYOUTS[i % len(LAYOUTS)]
        factor = 10 if i % 50 == 49 else 1
        suffix = ".md" if layout == "markdown" else ".txt"
        out.append(
            (
                f"report-{i:05d}-{layout}{suffix}",
                generate_report(seed * 100_003 + i, layout, prose_factor=factor, place=batch_place(i)),
            )
        )
    return out


def main(argv: list[str]) -> int:
    if not argv or len(argv) > 2:
        print(__doc__.strip().splitlines()[-2], file=sys.stderr)
        return 2
    outdir = Path(argv[0])
    outdir.mkdir(parents=True, exist_ok=True)
    count = int(argv[1]) if len(argv) > 1 else 20
    for name, text in generate_batch(count):
        (outdir / name).write_text(text, encoding="utf-8")
    print(f"wrote {count} reports to {outdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
