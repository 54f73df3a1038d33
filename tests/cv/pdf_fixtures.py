"""PDF fixtures for the PDF reader's tests, made from code so each quirk is visible and checked.

`latex_justified_pdf` is written object by object, as pdfTeX writes a justified paragraph: no
space characters at all, each line one TJ array whose numbers are the interword gaps, shrunk to
fill the measure. The other fixtures are drawn with reportlab's canvas at known positions.
"""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import LETTER
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

BODY_SIZE = 10.0
MEASURE = 300.0  # points: the text width every justified line is stretched or shrunk to
LEFT_MARGIN = 72.0
# Intra-word kerns as a typesetter applies them, in thousandths of an em (positive tightens).
KERNS = {"Wo": 80, "To": 80, "Ty": 80, "ry": 25, "rv": -20}
_GAP_JITTER = (12, -6, -6)

# Paragraphs as the typesetter broke them; all lines but the last of each are justified.
# "optimi-" / "sation" is a hyphenated break; "engi\xad" / "neering" breaks at a soft hyphen
# (U+00AD, byte 0xAD in WinAnsi); "Kuber\xadnetes" keeps one mid-line.
LATEX_PARAGRAPHS: list[list[str]] = [
    [
        "• Built a fraud scoring service handling 9,000 requests per second at 35 ms",
        "p99 latency, and led the rebuild of the shared feature store and its optimi-",
        "sation that cut training data preparation from six hours to forty minutes.",
    ],
    [
        "• Moved grasp detection training to PyTorch on 64 GPUs, cutting the time",
        "from nine days to 31 hours and making weekly refreshes possible.",
    ],
    [
        "• Towards lower cost, rebuilt the model serving layer on Kuber\xadnetes with",
        "dynamic batching and cheap spot instances, and then led all platform engi\xad",
        "neering for the inference team of six.",
    ],
]
LATEX_TITLE = "Jordan Reyes"
LATEX_ROLE = "Senior Machine Learning Engineer, Northwind Robotics (2022 – present)"

# Words the LaTeX fixture must yield, each phrase on one line with its spaces restored.
LATEX_PHRASES = [
    "Built a fraud scoring service handling 9,000 requests per second at 35 ms",
    "Moved grasp detection training to PyTorch on 64 GPUs, cutting the time",
    "Senior Machine Learning Engineer, Northwind Robotics (2022 – present)",
]


def _pdf_string(text: str) -> bytes:
    """A PDF literal string of `text` in WinAnsi (cp1252), with the delimiters escaped."""
    raw = text.encode("cp1252")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _kerned_word(word: str) -> tuple[bytes, float]:
    """The TJ pieces of one word with its kerns, and its set width in em/1000 units."""
    pieces: list[bytes] = []
    start = 0
    kern_total = 0
    for i in range(1, len(word)):
        kern = KERNS.get(word[i - 1 : i + 1])
        if kern is not None:
            pieces.append(_pdf_string(word[start:i]) + str(kern).encode())
            kern_total += kern
            start = i
    pieces.append(_pdf_string(word[start:]))
    width = stringWidth(word, "Times-Roman", 1000) - kern_total
    return b"".join(pieces), width


def _tj_line(line: str, justify: bool) -> tuple[bytes, list[int]]:
    """One line as a TJ array with no spaces; returns it and the interword offsets used."""
    words = [_kerned_word(w) for w in line.split(" ")]
    natural = sum(width for _, width in words)
    gap = 333
    if justify and len(words) > 1:
        gap = round((MEASURE * 1000 / BODY_SIZE - natural) / (len(words) - 1))
    # Vary the gaps a little, as TeX's space factor does after punctuation.
    offsets = [gap + _GAP_JITTER[i % 3] for i in range(len(words) - 1)]
    if justify and len(words) > 1:
        offsets[-1] += gap * (len(words) - 1) - sum(offsets)
    body = words[0][0]
    for offset, (piece, _) in zip(offsets, words[1:], strict=True):
        body += b"-" + str(offset).encode() + piece
    return b"[" + body + b"]TJ", offsets


def latex_content_stream() -> tuple[bytes, list[int]]:
    """The page's content stream, and every interword offset it uses (for the test's sanity)."""
    ops = [b"BT", b"/F2 17 Tf", b"1 0 0 1 72 720 Tm", _tj_line(LATEX_TITLE, False)[0]]
    ops += [b"/F1 10 Tf", b"1 0 0 1 72 700 Tm", _tj_line(LATEX_ROLE, False)[0]]
    all_offsets: list[int] = []
    y = 680.0
    for paragraph in LATEX_PARAGRAPHS:
        for i, line in enumerate(paragraph):
            tj, offsets = _tj_line(line, justify=i < len(paragraph) - 1)
            all_offsets += offsets
            ops += [f"1 0 0 1 {LEFT_MARGIN:g} {y:g} Tm".encode(), tj]
            y -= 12
        y -= 4
    ops.append(b"ET")
    return b"\n".join(ops), all_offsets


def _raw_pdf(objects: list[bytes]) -> bytes:
    """Serialise numbered objects (1-based, in order) with a correct xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n".encode())
    out.write(f"startxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def latex_justified_pdf() -> bytes:
    """A one-page PDF typeset as pdfTeX does: justified TJ lines without space characters."""
    content, _ = latex_content_stream()
    # 173 is mapped to /sfthyphen explicitly: pdfminer's WinAnsi table has no entry for it.
    encoding = b"<< /Type /Encoding /BaseEncoding /WinAnsiEncoding /Differences [173 /sfthyphen] >>"
    fonts = [
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman /Encoding " + encoding + b" >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Bold /Encoding /WinAnsiEncoding >>",
    ]
    return one_page_pdf(content, fonts)


def one_page_pdf(content: bytes, fonts: list[bytes]) -> bytes:
    """A US Letter page drawn by the content stream `content`, with `fonts` as /F1, /F2, ..."""
    names = " ".join(f"/F{i} {i + 4} 0 R" for i in range(1, len(fonts) + 1))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        + f" /Resources << /Font << {names} >> >> >>".encode(),
        f"<< /Length {len(content)} >>\nstream\n".encode() + content + b"\nendstream",
        *fonts,
    ]
    return _raw_pdf(objects)


def two_column_lines() -> tuple[list[str], list[str]]:
    """The lines of the two-column fixture's left and right columns, wrapped as drawn."""
    left = [
        "CONTACT",
        "jordan.reyes@example.com",
        "+1 (512) 555-0142",
        "Austin, TX",
        "SKILLS",
        "PyTorch, FSDP, TensorRT",
        "Triton, Airflow, MLflow",
        "Python, SQL, Spark, Rust",
        "EDUCATION",
        "MSc Computer Science",
        "Westbrook Institute",
        "of Technology, 2018",
    ]
    bullets = [
        "• Moved grasp-detection training to PyTorch FSDP on 64 A100 GPUs, cutting "
        "wall-clock time from 9 days to 31 hours.",
        "• Rebuilt on-robot inference with TensorRT INT8 quantisation, lowering p95 "
        "latency from 180 ms to 42 ms across 1,200 robots.",
        "• Cut cloud GPU spend by 38% with dynamic batching and spot-instance scheduling.",
    ]
    right = ["EXPERIENCE", "Senior Machine Learning Engineer, Northwind Robotics"]
    for bullet in bullets:
        right += simpleSplit(bullet, "Helvetica", BODY_SIZE, 330)
    right += ["Machine Learning Engineer, Quillfeather Labs"]
    right += simpleSplit(
        "• Shipped a retrieval-augmented writing assistant to 85,000 monthly active users.",
        "Helvetica",
        BODY_SIZE,
        330,
    )
    return left, right


TWO_COLUMN_NAME = "Jordan Reyes"
TWO_COLUMN_CONTACT = (
    "Senior Machine Learning Engineer · Austin, TX · github.com/jordan-reyes-example"
)


def two_column_pdf() -> bytes:
    """A page with a full-width header over a narrow left and a wide right column.

    Both columns use the same leading from the same start, so their lines share baselines: a
    reader that groups lines across the page would interleave them.
    """
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=LETTER, invariant=1)
    width = LETTER[0]
    canvas.setFont("Helvetica-Bold", 20)
    canvas.drawCentredString(width / 2, 740, TWO_COLUMN_NAME)
    canvas.setFont("Helvetica", BODY_SIZE)
    canvas.drawCentredString(width / 2, 722, TWO_COLUMN_CONTACT)
    left, right = two_column_lines()
    for x, lines in ((50.0, left), (230.0, right)):
        y = 690.0
        for line in lines:
            bold = line.isupper()
            canvas.setFont("Helvetica-Bold" if bold else "Helvetica", BODY_SIZE)
            canvas.drawString(x, y, line)
            y -= 14
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


# One-column pages that tempt a column detector. On the first, a tab stop of right-aligned dates
# leaves a clear strip down the page that no line crosses; on the second, the second half of each
# role line starts at a left-aligned tab stop, between bullets that cross the whole page.
ONE_COLUMN_LINES: list[tuple[str, str]] = [
    ("Jordan Reyes", ""),
    ("jordan.reyes@example.com", ""),
    ("EXPERIENCE", ""),
    ("Senior Machine Learning Engineer", "2022 – present"),
    ("Northwind Robotics", "Austin, TX"),
    ("• Cut cloud GPU spend by 38% with dynamic batching and spot instances.", ""),
    ("Machine Learning Engineer", "2020 – 2022"),
    ("Quillfeather Labs", "Remote"),
    ("Lumenbay Analytics", "2018 – 2020"),
    ("SKILLS", ""),
    ("PyTorch", ""),
    ("TensorRT", ""),
    ("Airflow", ""),
    ("Kubernetes", ""),
    ("EDUCATION", ""),
    ("Master of Science, Computer Science", "2018"),
    ("Bachelor of Science, Mathematics", "2016"),
]
TAB_STOP_LINES: list[tuple[str, str]] = [
    ("Senior Machine Learning Engineer", "Northwind Robotics"),
    ("• Moved grasp-detection training to PyTorch FSDP on 64 A100 GPUs, cutting it to 31 h.", ""),
    ("• Rebuilt on-robot inference with TensorRT INT8, lowering p95 latency to 42 ms.", ""),
    ("Machine Learning Engineer", "Quillfeather Labs"),
    ("• Shipped a retrieval-augmented writing assistant to 85,000 monthly active users.", ""),
    ("Machine Learning Engineer", "Lumenbay Analytics"),
    ("• Packaged models as FastAPI services in Docker, serving 3M scoring requests a day.", ""),
    ("Master of Science", "Westbrook Institute"),
]


def _rows_pdf(rows: list[tuple[str, str]], second_at: float | None, size: float) -> bytes:
    """One row a line: the first part at the margin, the second right-aligned at the right
    margin (`second_at` None) or left-aligned at `second_at`."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=LETTER, invariant=1)
    canvas.setFont("Helvetica", size)
    y = 740.0
    for first, second in rows:
        canvas.drawString(72, y, first)
        if second and second_at is None:
            canvas.drawRightString(540, y, second)
        elif second and second_at is not None:
            canvas.drawString(second_at, y, second)
        y -= 1.4 * size
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def one_column_pdf() -> bytes:
    """A one-column CV page whose right-aligned dates and short lines must not be split off."""
    return _rows_pdf(ONE_COLUMN_LINES, None, BODY_SIZE)


def tab_stop_pdf() -> bytes:
    """A one-column CV page whose role lines continue at a left-aligned tab stop."""
    # 11 pt, so the bullets run well past the tab stop and cross the strip before it.
    return _rows_pdf(TAB_STOP_LINES, 330.0, 11.0)


def image_only_pdf() -> bytes:
    """A page with drawn shapes and no text at all, as a scan without OCR looks to a reader."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=LETTER, invariant=1)
    canvas.setFillGray(0.3)
    canvas.rect(72, 400, 300, 200, fill=1)
    for y in range(380, 100, -14):
        canvas.rect(72, y, 400, 6, fill=1)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def corrupt_pdf() -> bytes:
    """A PDF cut off partway through, as an interrupted download leaves it."""
    return latex_justified_pdf()[:120]
