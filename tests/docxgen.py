"""A minimal .docx, written by hand, so that tests and benchmarks can put every oddity into a Word file.

python-docx writes only well-formed documents; the reader must also meet hand-made ones (other namespaces,
several numbering parts, huge tables), and building them by hand is also far faster than python-docx.
"""

from __future__ import annotations

import io
import zipfile

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CT = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/numbering.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>'
    '<Override PartName="/word/numbering2.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"'
    ' Target="word/document.xml"/></Relationships>'
)
_NUM_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"


def docx_bytes(body: str, *, ns: str = W, numbering: list[str] = (), extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal .docx, written by hand so that every oddity can be put in."""
    rels = "".join(
        f'<Relationship Id="rIdN{i}" Type="{_NUM_REL}" Target="numbering{"" if i == 0 else i + 1}.xml"/>'
        for i in range(len(numbering))
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _RELS)
        z.writestr(
            "word/_rels/document.xml.rels",
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>',
        )
        z.writestr(
            "word/document.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{ns}"><w:body>{body}</w:body></w:document>',
        )
        for i, num in enumerate(numbering):
            z.writestr(
                f"word/numbering{'' if i == 0 else i + 1}.xml", f'<w:numbering xmlns:w="{W}">{num}</w:numbering>'
            )
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buf.getvalue()


def para(text: str, num: str | None = None) -> str:
    pr = f'<w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num}"/></w:numPr></w:pPr>' if num else ""
    return f"<w:p>{pr}<w:r><w:t>{text}</w:t></w:r></w:p>"
