"""Series of reports of one body over several years, as text, web pages and Word documents.

Built on reportgen: the same consistent report, with the year, the body, the cells that link two years
(上年结转, 结转下年度, the stock of 规范性文件) and part 五 chosen by the test.
"""

from __future__ import annotations

import html as htmllib
import io
import re

import pytest
from reportgen import T2_DATA, T3_DATA, render

BODY = "青松县人民政府"
PART_FIVE = (
    "一是政策解读形式较为单一，图解、视频解读偏少；二是基层政务公开专区建设不够均衡。"
    "上年度报告指出的依申请公开答复不规范问题，已通过制定答复文书模板完成整改。"
    "下一步，我县将丰富解读形式，推动基层专区标准化建设。"
)
# Rewritten problems, as a body that did its homework writes them the next year.
OTHER_PART_FIVES = (
    "本年度主要问题是个别科室对主动公开目录理解不透，部分栏目更新滞后。针对上年指出的解读形式单一问题，"
    "已新增图解十二期、视频解读三期。明年将开展目录培训并建立栏目更新台账，每季度通报一次。",
    "村级公开栏内容更新不及时、群众查阅渠道有限，是今年暴露出的突出问题。对上年所列栏目更新滞后问题，"
    "已实行台账管理并全部销号。来年计划把公开栏纳入网格化管理，由网格员每月巡查拍照留存。",
    "依申请公开办理中存在补正告知不够具体的情况，个别答复引用条款不准确。上年提出的村级公开栏问题已整改完毕。"
    "下一步将编写常见申请答复指引，组织法律顾问逐件审核答复书，并开展一次全员业务考试。",
)


def report_text(
    year: int,
    *,
    body: str = BODY,
    carried_over: int = 2,
    carried_forward: int = 1,
    normative: tuple[int, int, int] = (5, 2, 38),
    part_five: str = PART_FIVE,
    trial: bool = False,
) -> str:
    """A consistent report of ``body`` for ``year`` (table 三 still balances: 新收 absorbs the changes)."""
    t3 = {k: list(v) for k, v in T3_DATA.items()}
    # 自然人 column: new + carried over = total + carried forward; keep 总计 in step.
    t3["carried_over"] = [carried_over, 0, 0, 0, 0, 0, carried_over]
    t3["carried_forward"] = [carried_forward, 0, 0, 0, 0, 0, carried_forward]
    new_natural = t3["total"][0] + carried_forward - carried_over
    t3["new"] = [new_natural, *t3["new"][1:6], new_natural + sum(t3["new"][1:6])]
    t2 = dict(T2_DATA)
    t2["normative_docs"] = [str(n) for n in normative]
    text = render("tab", t3=t3, t2=t2)
    # One pass, so that 2024 → 2025 is not then taken for the following year.
    text = re.sub(r"2024|2025", lambda m: str(year if m.group(0) == "2024" else year + 1), text)
    text = text.replace("青松县人民政府", body)
    old_five = text.split("五、存在的主要问题及改进情况\n\n", 1)[1].split("\n\n六、", 1)[0]
    text = text.replace(old_five, part_five)
    # The prose repeats table 三's first rows; keep it out of the way of N501 by not quoting numbers.
    text = text.replace(
        text.split("一、总体情况\n\n", 1)[1].split("\n\n二、", 1)[0],
        (
            f"{year}年，{body}围绕主动公开、依申请公开、政府信息管理、政府信息公开平台建设和监督保障"
            "持续推进政务公开工作，工作考核、社会评议和责任追究结果均已公开。"
        ),
    )
    if trial:
        text = text.replace(
            "本年制发件数\t本年废止件数\t现行有效件数", "本年新制作数量\t本年新公开数量\t对外公开总数量"
        )
    return text


def to_html(text: str) -> bytes:
    """The text report as a web page: tab lines become table rows, other lines paragraphs."""
    out = ['<html><head><meta charset="utf-8"><title>年报</title></head><body><div class="content">']
    in_table = False
    for line in text.split("\n"):
        if "\t" in line:
            if not in_table:
                out.append('<table border="1">')
                in_table = True
            out.append("<tr>" + "".join(f"<td>{htmllib.escape(c)}</td>" for c in line.split("\t")) + "</tr>")
            continue
        if in_table:
            out.append("</table>")
            in_table = False
        if line.strip():
            out.append(f"<p>{htmllib.escape(line)}</p>")
    if in_table:
        out.append("</table>")
    out.append("</div></body></html>")
    return "\n".join(out).encode("utf-8")


def to_docx(text: str) -> bytes:
    """The text report as a Word document: tab lines become tables (short rows merged to the width)."""
    docx = pytest.importorskip("docx")
    doc = docx.Document()
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        if "\t" not in lines[i]:
            if lines[i].strip():
                doc.add_paragraph(lines[i])
            i += 1
            continue
        rows = []
        while i < len(lines) and "\t" in lines[i]:
            rows.append(lines[i].split("\t"))
            i += 1
        width = max(len(r) for r in rows)
        table = doc.add_table(rows=len(rows), cols=width)
        for r, cells in enumerate(rows):
            for c, value in enumerate(cells):
                cell = table.cell(r, c)
                if c == len(cells) - 1 and c < width - 1:
                    cell = cell.merge(table.cell(r, width - 1))
                cell.paragraphs[0].add_run(value)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def encoded(text: str, kind: str) -> tuple[str, bytes]:
    """(suffix, bytes) of ``text`` as a .txt, .html or .docx file."""
    if kind == "html":
        return ".html", to_html(text)
    if kind == "docx":
        return ".docx", to_docx(text)
    return ".txt", text.encode("utf-8")
