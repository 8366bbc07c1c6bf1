"""The generated report (``reportgen``) as published pages and Word drafts draw it: merged cells, prose
paragraphs, numbers split over runs; and the cells a text report reads, to compare other inputs with."""

from __future__ import annotations

import html as htmllib
import io

import pytest
from reportgen import T2_DATA, T3_DATA, T4_DATA, render

from disclosure_lint import formats
from disclosure_lint.pipeline import load_report

PROSE_HEAD = render("tab").split("第二十条第（一）项")[0]
TAIL = render("tab").split("五、存在的主要问题及改进情况")[1]


def table_rows() -> dict[int, list[list[tuple[str, int, int]]]]:
    """The three tables as rows of (text, rowspan, colspan) cells, merged the way published pages merge them."""
    t2: list[list[tuple[str, int, int]]] = []
    blocks = {
        "第二十条第（一）项": (
            ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
            ["regulations", "normative_docs"],
        ),
        "第二十条第（五）项": (["信息内容", "本年处理决定数量"], ["licensing"]),
        "第二十条第（六）项": (["信息内容", "本年处理决定数量"], ["penalty", "coercion"]),
        "第二十条第（八）项": (["信息内容", "本年收费金额（单位：万元）"], ["fees"]),
    }
    for caption, (header, keys) in blocks.items():
        t2.append([(caption, 1, 4)])
        t2.append([(header[0], 1, 1)] + ([(h, 1, 1) for h in header[1:]] if len(header) == 4 else [(header[1], 1, 3)]))
        for key in keys:
            values = T2_DATA[key]
            cells = [(formats.TABLE2.row(key).label, 1, 1)]
            cells += [(v, 1, 1) for v in values] if len(values) == 3 else [(values[0], 1, 3)]
            t2.append(cells)
    t3: list[list[tuple[str, int, int]]] = [
        [("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3), ("申请人情况", 1, 7)],
        [("自然人", 2, 1), ("法人或其他组织", 1, 5), ("总计", 2, 1)],
        [("商业企业", 1, 1), ("科研机构", 1, 1), ("社会公益组织", 1, 1), ("法律服务机构", 1, 1), ("其他", 1, 1)],
    ]
    spans = {
        "denied": ("（三）不予公开", 8),
        "unavailable": ("（四）无法提供", 3),
        "not_processed": ("（五）不予处理", 5),
        "other": ("（六）其他处理", 3),
    }
    seen: set[str] = set()
    for spec in formats.TABLE3.rows:
        values = [(str(v), 1, 1) for v in T3_DATA[spec.key]]
        if spec.key in ("new", "carried_over", "carried_forward"):
            t3.append([(spec.label, 1, 3), *values])
        elif spec.key == "total":
            t3.append([(spec.label, 1, 2), *values])
        elif spec.group is None:
            first = [("三、本年度办理结果", 22, 1)] if spec.key == "granted" else []
            t3.append([*first, (spec.label, 1, 2), *values])
        else:
            group = []
            if spec.group not in seen:
                seen.add(spec.group)
                group = [(spans[spec.group][0], spans[spec.group][1], 1)]
            t3.append([*group, (spec.label, 1, 1), *values])
    t4 = [
        [("行政复议", 1, 5), ("行政诉讼", 1, 10)],
        [(w, 2, 1) for w in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")]
        + [("未经复议直接起诉", 1, 5), ("复议后起诉", 1, 5)],
        [(w, 1, 1) for w in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计") * 2],
        [(str(v), 1, 1) for v in T4_DATA],
    ]
    return {2: t2, 3: t3, 4: t4}


def paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n") if p.strip()]


def make_html(split_numbers: bool = False) -> str:
    out = [
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">',
        "<script>var x = '<td>9</td>';</script></head><body>",
        '<div class="nav-menu"><a href="/">首页</a> <a href="/x">政务公开</a></div><div class="content">',
    ]
    tables = table_rows()
    heads = {2: None, 3: "三、收到和处理政府信息公开申请情况", 4: "四、政府信息公开行政复议、行政诉讼情况"}
    for p in paragraphs(PROSE_HEAD):
        out.append(f"<p>{htmllib.escape(p)}</p>")
    for n in (2, 3, 4):
        if heads[n]:
            out.append(f"<p><strong>{heads[n]}</strong></p>")
        out.append('<table border="1">')
        for row in tables[n]:
            out.append("<tr>")
            for text, rs, cs in row:
                attrs = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
                if split_numbers and text.isdigit() and len(text) > 1:
                    body = f"<span>{text[:1]}</span><span>{text[1:]}</span>"
                else:
                    body = f"<p>{htmllib.escape(text)}</p>"
                out.append(f"<td{attrs}>{body}</td>")
            out.append("</tr>")
        out.append("</table>")
    out.append("<p>五、存在的主要问题及改进情况</p>")
    for p in paragraphs(TAIL):
        out.append(f"<p>{htmllib.escape(p)}</p>")
    out.append('</div><div class="footer">版权所有</div></body></html>')
    return "\n".join(out)


def cells_of(report) -> dict[str, object]:
    return {cid: (report.cells[cid].status.value, report.cells[cid].value) for cid in formats.STANDARD_CELL_IDS}


def text_cells() -> dict[str, object]:
    return cells_of(load_report("r.txt", render("tab").encode()))


def make_docx(strip_numerals: bool = False) -> bytes:
    docx = pytest.importorskip("docx")
    doc = docx.Document()

    def heading(text: str) -> str:
        return text.split("、", 1)[1] if strip_numerals else text

    for p in paragraphs(PROSE_HEAD):
        if p.startswith(("一、", "二、")):
            doc.add_paragraph(heading(p), style="Heading 1")
            continue
        doc.add_paragraph(p)
    heads = {3: "三、收到和处理政府信息公开申请情况", 4: "四、政府信息公开行政复议、行政诉讼情况"}
    for n, rows in table_rows().items():
        if n in heads:
            doc.add_paragraph(heading(heads[n]), style="Heading 1")
        width = max(sum(cs for _, _, cs in r) for r in rows) if n != 3 else 10
        table = doc.add_table(rows=len(rows), cols=width)
        occupied: set[tuple[int, int]] = set()
        for i, row in enumerate(rows):
            j = 0
            for text, rs, cs in row:
                while (i, j) in occupied:
                    j += 1
                cell = table.cell(i, j)
                if rs > 1 or cs > 1:
                    cell = cell.merge(table.cell(i + rs - 1, j + cs - 1))
                for a in range(i, i + rs):
                    for b in range(j, j + cs):
                        occupied.add((a, b))
                # numbers in separate runs, as Word often stores them
                para = cell.paragraphs[0]
                if text.isdigit() and len(text) > 1:
                    para.add_run(text[:1])
                    para.add_run(text[1:])
                else:
                    para.add_run(text)
                j += cs
    doc.add_paragraph(heading("五、存在的主要问题及改进情况"), style="Heading 1")
    for p in paragraphs(TAIL):
        doc.add_paragraph(p)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
