"""`python -m generators import FILE.docx`: a Word 程序文件 in the standard layout, as an A/0 draft YAML.

What the document says is transcribed, nothing is invented:

- the cover's fields (文件编号, 版本号, 文件名称, 生效日期, 部门) and its approval block (编制 / 审核 / 批准
  with names and dates) fill the header, else the running header's; a field left blank stays blank,
  for `check` to report;
- the 修订记录 table becomes the revision log, each row as written, and a 记录与发放的决定 table under
  it the decisions of its entries; the cover's 发放范围 the distribution list;
- the sections (目的, 范围, 职责, 术语和定义, 工作程序 or the document's own heading, 相关文件, 记录) are
  found by their headings, numbered clauses at any depth by their numbers, typed as text (4.1.1, ４．１,
  a), （1）, 一、) or given by Word's list numbering;
- a responsibility's role, a record's keeper: a marked gap (the document says them in words only);
  a step table (步骤 / 说明 / 负责人 / 输出) and a document-flow table (文档名称 / 编制部门 / …) become
  steps and documents only where the document has one; otherwise clauses stay clauses; the list of
  record forms and each form's blank layout under its caption become forms, and a row of the records
  table that is one of them names it (``form:``); a retention "自…起…" is a period with its trigger,
  a disposal 销毁 / 归档 / 移交 its method;
- a copy this tool exported (``render/docx_export.py``) says each clause's depth in its paragraph
  style (``Clause item 3``), so importing it gives back the same content (tests/test_word_export.py);
- every Chinese text is kept exactly as written; the English is the marker ``[untranslated]``, which
  `check` reports until a translator replaces it.

What cannot be placed (images, text boxes, tracked changes, comments, fields, tables of unknown shape)
is listed in the report with its position, and at the top of the draft as comments: nothing is
dropped silently.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..rules.texts import UNTRANSLATED
from ..source.writer import atomic_write

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MAX_BYTES = 20 << 20  # a .docx larger than this is refused (a procedure is a few hundred KB)
MAX_PARTS_BYTES = 200 << 20  # the unpacked size of its parts (a zip bomb is refused)


class WordImportError(Exception):
    """The file cannot be read as a Word document at all (the message says why)."""


# ---------------------------------------------------------------------------------------------
# Vocabulary of the standard layout

SECTION_WORDS = [  # (section key, headings that name it), longest first within the table
    ("purpose", ("目的", "Purpose")),
    ("scope", ("适用范围", "范围", "Scope")),
    ("responsibilities", ("职责和权限", "职责与权限", "职责", "权责", "Responsibilities")),
    ("definitions", ("术语和定义", "术语与定义", "定义", "术语", "Definitions", "Terms and definitions")),
    ("related_documents", ("相关文件", "引用文件", "支持性文件", "参考文件", "相关程序", "Related documents", "References")),
    ("records", ("质量记录", "相关记录", "记录表单", "记录", "Records")),
    ("roles", ("主要涉及岗位", "涉及岗位", "Roles involved")),
    ("objectives", ("控制目标", "Control objectives")),
    ("control_points", ("主要控制点", "Main control points")),
    ("flow", ("流程图", "Flowchart", "步骤", "Steps", "主要涉及文档/信息流程", "Documents and information flow",
              "记录表单", "Record forms")),
    ("clauses", ("工作程序", "程序内容", "内容和办法", "控制要求", "工作流程", "管理要求", "作业程序", "程序要求", "Procedure")),
]
DEFAULT_CLAUSES_TITLE = "工作程序"

COVER_FIELDS = {  # cover label -> header key
    "number": ("文件编号", "文件编码", "编号", "Document No.", "Document No"),
    "version": ("版本号", "版本/修改", "版本", "版号", "Version"),
    "title": ("文件名称", "Title"),
    "effective_date": ("生效日期", "实施日期", "发布日期", "Effective date"),
    "department": ("归口部门", "编制部门", "部门", "Owner department"),
    "review_due": ("复审日期", "Review due"),
    "pages": ("页数", "页码", "Pages"),  # counted again by whoever prints it: read, not kept
    "status": ("状态", "Status"),  # computed from git and the dates (README: status by date): read, not kept
    "distribution": ("发放范围", "分发范围", "发放部门", "Distribution"),
}
APPROVAL_WORDS = {"drafted_by": ("编制", "拟制", "Drafted by"), "reviewed_by": ("审核", "Reviewed by"),
                  "approved_by": ("批准", "Approved by")}
NAME_WORDS = ("签名", "姓名", "Name")
DATE_WORDS = ("日期", "Date")

# Table headings, by column meaning
REVISION_COLUMNS = {
    "version": ("版本号", "版本", "版号", "修订状态", "Version"),
    "date": ("修订日期", "日期", "Date"),
    "changes": ("修订内容", "修改内容", "更改内容", "修订说明", "Changes"),
    "changed_by": ("修订人", "修改人", "编制", "Changed by"),
    "reviewed_by": ("审核人", "审核", "Reviewed by"),
    "approved_by": ("批准人", "批准", "Approved by"),
}
DECISION_COLUMNS = {  # the decisions on records and distribution a controlled copy lists under its log
    "version": ("修订状态", "版本号", "版本", "Revision", "Version"), "subject": ("事项", "Subject"),
    "source": ("原文", "Source"), "decision": ("决定及理由", "决定", "Decision and reason"),
    "decided_by": ("决定人", "Decided by"),
}
DECISIONS_HEADING = ("记录与发放的决定", "Decisions on records and distribution")
RECORD_COLUMNS = {
    "title": ("记录名称", "表单名称", "名称", "Record", "Record form"),
    "number": ("记录编号", "表单编号", "编号", "Form No."),
    "keeper": ("保存部门", "保管部门", "保存人", "保管人", "归档部门", "Kept by", "Keeper"),
    "retention": ("保存期限", "保存期", "Retention period"),
    "storage": ("存放地点", "保存地点", "保存方式", "Storage"),
    "disposal": ("处置方式", "处置", "Disposal"),
}
STEP_COLUMNS = {
    "number": ("序号", "No."), "title": ("步骤", "Step"), "description": ("说明", "Description"),
    "owner": ("负责人", "Owner"), "outputs": ("输出", "Outputs"), "next": ("下一步", "Next"),
}
DOCUMENT_COLUMNS = {
    "title": ("文档名称", "Document"), "producer": ("编制部门/人员", "编制部门", "Prepared by"),
    "content": ("主要内容", "Main content"), "recipient": ("提交部门/人员", "提交部门", "Submitted to"),
    "deadline": ("提交时限/频率", "提交时限", "Deadline or frequency"),
}
ROLE_COLUMNS = {"name": ("岗位", "岗位名称", "Role"), "department": ("部门", "Department")}
FORM_COLUMNS = {"number": ("表单编号", "Form No."), "title": ("记录表单", "表单名称", "Record form"),
                "version": ("版号", "版本", "Version"), "owner": ("保管部门", "保管人", "Kept by", "Keeper"),
                "retention": ("保存期限", "Retention period"), "storage": ("存放地点", "Storage"),
                "disposal": ("处置方式", "处置", "Disposal")}
# A form's caption above its blank layout: "QR-SD10-01 销售订单（A/0）", "附表1：QR-XS-01《到访客户登记表》"
FORM_CAPTION = re.compile(r"^(?:(?:附表|附件|表)\s*\d*\s*[：:、.]?\s*)?(?P<number>[A-Za-z]{1,8}(?:[-/.][A-Za-z0-9]+)+)\s*"
                          r"《?(?P<title>[^（()《》]+?)》?\s*(?:[（(](?P<version>[A-Z]/\d{1,2})[)）])?$")
RELATED_COLUMNS = {"number": ("文件编号", "编号", "No."), "title": ("文件名称", "名称", "Title")}

# ---------------------------------------------------------------------------------------------
# Numbers as typed: 4.1.1, ４．１, a), （1）, 1), ①, 一、, （一）, 第三条

_DIGITS = "0-9０-９"
# a range of clauses a gap stands for ("4.1.2–4.2": the original's missing clauses), with an en dash
_RANGE = rf"(?:[–—][{_DIGITS}]{{1,2}}(?:[.．][{_DIGITS}]{{1,2}})*)?"
_NUMBER_PATTERNS = [
    ("dotted", re.compile(rf"^([{_DIGITS}]{{1,2}}(?:[.．][{_DIGITS}]{{1,2}})*{_RANGE})(?:[.．、](?![{_DIGITS}])|\s+|(?=[^\s{_DIGITS}.．%％年月日个天时分秒元次份件人台条号)）–—~～-]))")),
    ("letter", re.compile(r"^([a-zA-Zａ-ｚＡ-Ｚ])[)）.．、]\s*")),
    ("paren-number", re.compile(rf"^([（(][{_DIGITS}]{{1,2}}[)）])\s*")),
    ("number-paren", re.compile(rf"^([{_DIGITS}]{{1,2}}[)）])\s*")),
    ("circled", re.compile(r"^([\u2460-\u2473])\s*")),
    ("chinese", re.compile(r"^([一二三四五六七八九十]{1,3})[、.．]\s*")),
    ("paren-chinese", re.compile(r"^([（(][一二三四五六七八九十]{1,3}[)）])\s*")),
    ("article", re.compile(r"^(第[一二三四五六七八九十百零0-9０-９]+[章条节款])\s*")),
]


def split_number(text: str) -> tuple[str, str, str] | None:
    """(kind, number as written, the rest) of a paragraph that starts with a clause number."""
    found = _split_number(text)
    if found and found[0] == "article":  # 第一章 holds 第一节 holds 第三条: three kinds, nested in that order
        return f"article-{found[1][-1]}", found[1], found[2]
    return found


def _split_number(text: str) -> tuple[str, str, str] | None:
    for kind, pattern in _NUMBER_PATTERNS:
        match = pattern.match(text)
        if match and text[match.end():].strip():
            return kind, match.group(1), text[match.end():].strip()
        if match and kind != "dotted":
            return kind, match.group(1), ""
    match = re.fullmatch(rf"([{_DIGITS}]{{1,2}}(?:[.．][{_DIGITS}]{{1,2}})*{_RANGE})[.．、]?", text.strip())
    if match:
        return "dotted", match.group(1), ""
    return None


def normal_number(kind: str, number: str) -> str:
    """The number as the YAML keeps it: half-width digits and points (４．１ -> 4.1), a) for a letter."""
    plain = unicodedata.normalize("NFKC", number).replace("．", ".")
    if kind == "dotted":
        return plain.replace("—", "–")  # a range with an en dash, as the YAML writes it
    if kind == "letter":
        return f"{plain})"
    if kind in ("paren-number", "paren-chinese"):
        return plain.replace("(", "（").replace(")", "）") if kind == "paren-chinese" else plain
    if kind == "chinese":
        return f"{plain}、"
    return plain


def depth(kind: str, number: str) -> int | None:
    """The depth of a dotted number (4 -> 1, 4.1.1 -> 3); other kinds nest below what precedes them."""
    first = re.split(r"[–—]", unicodedata.normalize("NFKC", number))[0]  # a range: where it starts
    return first.count(".") + 1 if kind == "dotted" else None


# ---------------------------------------------------------------------------------------------
# Word's list numbering, rendered as the reader sees it


def _int_to_letter(n: int, upper: bool) -> str:
    s = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        s = chr(ord("A" if upper else "a") + r) + s
    return s


def _roman(n: int) -> str:
    out = ""
    for value, numeral in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
                           (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out, n = out + numeral, n - value
    return out


_CN = "零一二三四五六七八九"


def _chinese(n: int) -> str:
    if n < 10:
        return _CN[n]
    if n < 20:
        return "十" + (_CN[n % 10] if n % 10 else "")
    if n < 100:
        return _CN[n // 10] + "十" + (_CN[n % 10] if n % 10 else "")
    return str(n)


def _format(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        return _int_to_letter(n, fmt == "upperLetter")
    if fmt in ("lowerRoman", "upperRoman"):
        return _roman(n).upper() if fmt == "upperRoman" else _roman(n)
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographTraditional", "taiwaneseCounting",
               "chineseLegalSimplified"):
        return _chinese(n)
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    if fmt == "decimalEnclosedCircle" and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    return str(n)


class Numbering:
    """Counters of Word's lists: the label a numbered paragraph shows (``%1.%2`` -> ``4.1``)."""

    def __init__(self, document):
        self.levels: dict[str, dict[int, dict]] = {}  # numId -> ilvl -> {start, fmt, text, lgl}
        self.counters: dict[str, list[int]] = {}
        self.styles: dict[str, tuple[str, int]] = {}  # style id -> (numId, ilvl)
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            root = None
        abstract: dict[str, dict[int, dict]] = {}
        if root is not None:
            for node in root.iter(f"{W}abstractNum"):
                levels = {}
                for lvl in node.iter(f"{W}lvl"):
                    levels[int(lvl.get(f"{W}ilvl", "0"))] = {
                        "start": int(_val(lvl, "start") or 1), "fmt": _val(lvl, "numFmt") or "decimal",
                        "text": _val(lvl, "lvlText") or "", "lgl": lvl.find(f"{W}isLgl") is not None}
                abstract[node.get(f"{W}abstractNumId")] = levels
            for num in root.iter(f"{W}num"):
                base = num.find(f"{W}abstractNumId")
                levels = {k: dict(v) for k, v in abstract.get(base.get(f"{W}val") if base is not None else "", {}).items()}
                for override in num.iter(f"{W}lvlOverride"):
                    start = _val(override, "startOverride")
                    ilvl = int(override.get(f"{W}ilvl", "0"))
                    if start and ilvl in levels:
                        levels[ilvl]["start"] = int(start)
                self.levels[num.get(f"{W}numId")] = levels
        try:
            for style in document.styles:
                ppr = style.element.find(f"{W}pPr")
                numpr = ppr.find(f"{W}numPr") if ppr is not None else None
                if numpr is not None:
                    self.styles[style.style_id] = (_val(numpr, "numId") or "", int(_val(numpr, "ilvl") or 0))
        except (KeyError, AttributeError):  # pragma: no cover - a document without a styles part
            pass

    def label(self, paragraph) -> str | None:
        """The label Word shows before ``paragraph`` (advancing the counters), or None."""
        ppr = paragraph._p.pPr
        numpr = ppr.numPr if ppr is not None else None
        num_id, ilvl = None, 0
        if numpr is not None:
            num_id = numpr.numId.val if numpr.numId is not None else None
            ilvl = numpr.ilvl.val if numpr.ilvl is not None else 0
            num_id = str(num_id) if num_id is not None else None
        elif paragraph.style is not None and paragraph.style.style_id in self.styles:
            num_id, ilvl = self.styles[paragraph.style.style_id]
        if not num_id or num_id == "0" or num_id not in self.levels:
            return None
        levels = self.levels[num_id]
        if ilvl not in levels:
            return None
        counters = self.counters.setdefault(num_id, [])
        while len(counters) <= ilvl:
            counters.append(levels.get(len(counters), {}).get("start", 1) - 1)
        counters[ilvl] += 1
        del counters[ilvl + 1:]
        level = levels[ilvl]
        if level["fmt"] in ("bullet", "none"):
            return None

        def piece(match: re.Match) -> str:
            k = int(match.group(1)) - 1
            value = counters[k] if k < len(counters) else levels.get(k, {}).get("start", 1)
            fmt = "decimal" if level["lgl"] else levels.get(k, {}).get("fmt", "decimal")
            return _format(value, fmt)

        return re.sub(r"%([1-9])", piece, level["text"])


def _val(node, tag: str) -> str | None:
    child = node.find(f"{W}{tag}")
    return child.get(f"{W}val") if child is not None else None


# ---------------------------------------------------------------------------------------------
# The report: what could not be placed, with where it is


@dataclass
class Report:
    source: str
    notes: list[str] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)

    def cannot_place(self, where: str, what: str) -> None:
        self.unplaced.append(f"{where}: {what}")

    def note(self, text: str) -> None:
        self.notes.append(text)

    def lines(self) -> list[str]:
        return [f"{self.source}: {line} [not imported]" for line in self.unplaced] + \
               [f"{self.source}: {line}" for line in self.notes]


# ---------------------------------------------------------------------------------------------
# Reading the body in order


@dataclass
class Para:
    index: int  # 1-based, counting the body's paragraphs (a table's cells not included)
    text: str
    style: str
    bold_lead: str  # the paragraph's leading bold run(s), when the rest is not bold (a clause title)
    label: str | None  # Word list numbering, rendered
    heading: int | None  # outline level from a Heading n / 标题 n style


@dataclass
class Grid:
    index: int  # 1-based table number
    rows: list[list[str]]
    after: int  # the number of the paragraph before it (for positions)


_HEADING_STYLE = re.compile(r"^(?:Heading|标题)\s*([1-9])$", re.I)


def _clean(text: str) -> str:
    """Text as written, less what Word adds: no-break and zero-width spaces, soft hyphens; tabs as spaces."""
    text = text.replace("\u00a0", " ").replace("\u200b", "").replace("\u00ad", "").replace("\t", " ")
    text = "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch) != "Cc")
    return text.strip()


def _run_text(run) -> str:
    """A run's own text in order: w:t, line breaks, tabs (a text box or picture inside it is not its text)."""
    out = []
    for node in run:
        if node.tag == f"{W}t":
            out.append(node.text or "")
        elif node.tag == f"{W}br" and node.get(f"{W}type") in (None, "textWrapping") or node.tag == f"{W}cr":
            out.append("\n")
        elif node.tag == f"{W}tab":
            out.append(" ")
    return "".join(out)


def _is_bold(run) -> bool:
    rpr = run.find(f"{W}rPr")
    return rpr is not None and rpr.find(f"{W}b") is not None and _val(rpr, "b") not in ("0", "false")


_INLINE_CONTAINERS = ("hyperlink", "smartTag", "sdt", "sdtContent", "fldSimple", "customXml")


def _runs(p_el):
    """The paragraph's runs in reading order, through hyperlinks, fields and content controls
    (tracked insertions and deletions are not part of the text: they are reported)."""
    for child in p_el:
        if child.tag == f"{W}r":
            yield child
        elif child.tag.startswith(W) and child.tag[len(W):] in _INLINE_CONTAINERS:
            yield from _runs(child)


def _runs_text(p_el) -> tuple[str, str]:
    """(text, leading bold text) of a paragraph element: the bold lead is a clause title when the
    rest of the paragraph is not bold."""
    text, lead, in_lead = [], [], True
    for run in _runs(p_el):
        piece = _run_text(run)
        if not piece:
            continue
        if in_lead and _is_bold(run):
            lead.append(piece)
        elif piece.strip():
            in_lead = False
        text.append(piece)
    return "".join(text), ("" if in_lead else "".join(lead))


def _where(section: str, last: str) -> str:
    return f"in {section}" + (f", after {last}" if last else "")


class Reader:
    def __init__(self, document, report: Report):
        self.document = document
        self.report = report
        self.numbering = Numbering(document)

    def blocks(self) -> list[Para | Grid]:
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        out: list[Para | Grid] = []
        body = self.document.element.body
        paragraphs = tables = 0
        for child in body.iterchildren():
            if child.tag == f"{W}p":
                paragraphs += 1
                paragraph = Paragraph(child, self.document)
                self._scan_unplaceable(child, f"paragraph {paragraphs}")
                text, lead = _runs_text(child)
                style = paragraph.style.name if paragraph.style is not None else ""
                level = _HEADING_STYLE.match(style or "")
                out.append(Para(paragraphs, _clean(text), style or "", _clean(lead), self.numbering.label(paragraph),
                                int(level.group(1)) if level else (0 if style == "Title" else None)))
            elif child.tag == f"{W}tbl":
                tables += 1
                table = Table(child, self.document)
                self._scan_unplaceable(child, f"table {tables}")
                out.append(Grid(tables, self._rows(table), paragraphs))
            elif child.tag == f"{W}sdt":
                self.report.cannot_place(f"after paragraph {paragraphs}", "a content control (its text is not read)")
        return out

    def _rows(self, table) -> list[list[str]]:
        """The table's text, one list per row; a cell merged across columns is given once, merged down
        (a vertical merge) it is given in its first row only."""
        rows = []
        for tr in table._tbl.tr_lst:
            row = []
            for tc in tr.tc_lst:
                vmerge = tc.tcPr.vMerge if tc.tcPr is not None else None
                paragraphs = [_runs_text(p)[0] for p in tc.iter(f"{W}p") if not _inside_textbox(p)]
                text = "" if (vmerge is not None and vmerge != "restart") else _clean("\n".join(paragraphs))
                row.append(text)
            rows.append(row)
        return rows

    def _scan_unplaceable(self, element, where: str) -> None:
        seen_field = False
        for node in element.iter():
            tag = node.tag
            if tag in (f"{W}drawing", f"{W}pict") and not _inside_textbox(node):
                if any(n.tag == f"{W}txbxContent" for n in node.iter()):
                    text = _clean("".join(t.text or "" for t in node.iter(f"{W}t")))
                    self.report.cannot_place(where, f"a text box: “{text[:60]}”" if text else "an empty text box")
                else:
                    self.report.cannot_place(where, "an image (add the chart or picture to the procedure by hand)")
            elif tag == f"{W}ins":
                text = _clean("".join(t.text or "" for t in node.iter(f"{W}t")))
                self.report.cannot_place(where, f"a tracked insertion “{text[:60]}” (not imported: accept or reject "
                                                "the changes in Word, then import again)")
            elif tag == f"{W}del":
                text = _clean("".join(t.text or "" for t in node.iter(f"{W}delText")))
                self.report.cannot_place(where, f"a tracked deletion “{text[:60]}” (the deleted text is not imported)")
            elif tag in (f"{W}commentRangeStart", f"{W}commentReference") and tag == f"{W}commentReference":
                self.report.cannot_place(where, f"comment {node.get(f'{W}id')} (comments are not imported)")
            elif tag in (f"{W}fldSimple", f"{W}instrText") and not seen_field:
                instr = node.get(f"{W}instr") if tag == f"{W}fldSimple" else (node.text or "")
                seen_field = True
                self.report.cannot_place(where, f"a field {{{(instr or '').strip()[:40]}}} (its current result, "
                                                "if any, is kept as text)")
            elif tag == f"{W}footnoteReference":
                self.report.cannot_place(where, "a footnote (not imported)")


def _inside_textbox(node) -> bool:
    parent = node.getparent()
    while parent is not None:
        if parent.tag == f"{W}txbxContent":
            return True
        parent = parent.getparent()
    return False


# ---------------------------------------------------------------------------------------------
# Building the draft


GAP_PREFIX = "待定："  # how a marked gap prints (model.GAP_MARK): imported back as a gap


def _bi(zh: str) -> CommentedMap:
    if zh.startswith(GAP_PREFIX) and zh[len(GAP_PREFIX):].strip():
        return _gap(zh[len(GAP_PREFIX):].strip(), UNTRANSLATED)
    node = CommentedMap([("zh", zh), ("en", UNTRANSLATED)])
    node.fa.set_flow_style()
    return node


def _gap(zh: str, en: str) -> CommentedMap:
    inner = CommentedMap([("zh", zh), ("en", en)])
    inner.fa.set_flow_style()
    node = CommentedMap([("gap", inner)])
    node.fa.set_flow_style()
    return node


def _retention(cell: str):
    """A retention period as a controlled copy prints it: "自合同终止起5年" is a period (5年) with its
    trigger (合同终止); any other wording is kept as a text; "待定：…" is a gap."""
    found = re.fullmatch(r"自(.+)起(.+)", cell)
    if found and not cell.startswith(GAP_PREFIX):
        node = CommentedMap([("period", _bi(found.group(2).strip())), ("trigger", _bi(found.group(1).strip()))])
        node.fa.set_flow_style()
        return node
    return _bi(cell)


def _disposal(cell: str):
    """A disposal as printed: a method's word (销毁, 归档, 移交), with its details in brackets, is that
    method; any other wording is kept as a text (check then asks for the method)."""
    from ..source.labels import label
    from ..source.model import DISPOSAL_METHODS

    for method in DISPOSAL_METHODS:
        word = re.escape(str(label(f"disposal_{method}", "zh")))
        found = re.fullmatch(rf"{word}(?:（(.+)）)?", cell)
        if found and found.group(1):
            node = CommentedMap([("method", method), ("text", _bi(found.group(1)))])
            node.fa.set_flow_style()
            return node
        if found:
            return method
    return _bi(cell)


def _split_names(text: str) -> list[str]:
    """"销售部、质量部（受控副本第3号）": the names a cell lists, a bracketed note kept with its name."""
    names, depth, current = [], 0, ""
    for char in text:
        depth += char in "（(" and 1 or (-1 if char in "）)" else 0)
        if char in "、，,；;\n" and depth <= 0:
            names.append(current.strip())
            current = ""
        else:
            current += char
    names.append(current.strip())
    return [n for n in names if n]


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace(" ", "").strip("：:")


def _matches(cell: str, words) -> bool:
    plain = _plain(cell)
    return any(plain == _plain(w) or plain.lower() == _plain(w).lower() for w in words)


def section_of(title: str) -> str | None:
    """The section a heading names: "目的", "范围：", "1.目的" after its number, "目的 Purpose" (bilingual)."""
    plain = _plain(title)
    chinese = re.sub(r"[A-Za-z][A-Za-z&/().,\-]*$", "", plain) if re.search(r"[\u4e00-\u9fff]", plain) else plain
    if chinese != plain:
        plain = chinese
    for key, words in SECTION_WORDS:
        if any(plain == _plain(w) or plain.lower() == _plain(w).lower() for w in words):
            return key
    return None


def _section_prefix(text: str) -> tuple[str, str] | None:
    """A section word that starts a paragraph, with the text after it ("目的:对销售…" -> purpose, "对销售…")."""
    for key, words in SECTION_WORDS:
        for word in sorted(words, key=len, reverse=True):
            if text.startswith(word):
                rest = text[len(word):]
                if not rest or rest[0] in "：:":
                    return key, rest.lstrip("：: ").strip()
    return None


_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_VERSION = re.compile(r"^\s*([A-Z])\s*[/／]\s*(\d{1,2})\s*$")


def iso_date(text: str) -> dt.date | None:
    """The date a cell gives (2026-11-27, 2026/11/27, 2026年11月27日), or None (also for no such day)."""
    match = _DATE.search(unicodedata.normalize("NFKC", text or ""))
    if not match:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def _is_title_like(text: str) -> bool:
    """A clause title: short, and not a sentence (no sentence punctuation inside or at its end)."""
    return 0 < len(text) <= 24 and not re.search(r"[。；;，,！？!?]", text)


class Draft:
    """The procedure being assembled, in the order of a controlled copy."""

    def __init__(self, report: Report):
        self.report = report
        self.header: dict[str, str] = {}
        self.approval: dict[str, dict] = {}
        self.revisions: list[CommentedMap] = []
        self.sections: dict[str, object] = {}
        self.clauses_title: str | None = None
        self.roles: list[CommentedMap] = []
        self.steps: list[CommentedMap] = []
        self.documents: list[CommentedMap] = []
        self.title_lines: list[str] = []
        self.aspects: dict[str, str] = {}
        self.externals: list[CommentedMap] = []
        self.form_list: list[dict] = []  # rows of the list of record forms
        self.form_layouts: list[dict] = []  # each blank form under its caption: number, title, version, parts

    def party(self, cell: str, gap: tuple[str, str]):
        """A role the cell names (declared on first use), the gap it prints ("待定：…"), or ``gap`` when it is blank."""
        if cell.startswith(GAP_PREFIX):
            return _bi(cell)
        return self.role_id(cell) if cell else _gap(*gap)

    def role_id(self, name: str) -> str:
        """The id of a role the document names (declared on first use, in the order named); an
        outside party the document lists as one keeps its own id."""
        for party in self.externals:
            if _zh(party["name"]) == name:
                return party["id"]
        for role in self.roles:
            if _zh(role["name"]) == name:
                return role["id"]
        role = CommentedMap([("id", f"role-{len(self.roles) + 1}"), ("name", _bi(name))])
        self.roles.append(role)
        return role["id"]


@dataclass
class Node:
    kind: str
    number: str | None
    depth: int | None
    data: CommentedMap


class ClauseTree:
    """Numbered paragraphs nested by their numbers: 4.1.1 under 4.1, a) under the clause before it."""

    def __init__(self, top: list, base_depth: int):
        self.top = top
        self.base = base_depth  # depth of the section heading (4 工作程序: 1): its 4.1 sits at the top
        self.stack: list[Node] = []

    def add(self, kind: str, number: str | None, data: CommentedMap) -> None:
        d = depth(kind, number) if number else None
        if kind == "dotted" and number:  # under the nearest clause whose number is its prefix (4.4.3 is not under 4.3)
            plain = unicodedata.normalize("NFKC", number).replace("．", ".")
            while self.stack and not (self.stack[-1].kind == "dotted" and self.stack[-1].depth < d and plain.startswith(
                    unicodedata.normalize("NFKC", self.stack[-1].number or "") + ".")):
                self.stack.pop()
        else:
            same = next((i for i in range(len(self.stack) - 1, -1, -1) if self.stack[i].kind == kind), None)
            if same is not None:
                del self.stack[same:]
        parent = self.stack[-1].data if self.stack else None
        if parent is None:
            self.top.append(data)
        else:
            parent.setdefault("items", CommentedSeq()).append(data)
        self.stack.append(Node(kind, number, d, data))

    def add_at(self, level: int, kind: str, number: str | None, data: CommentedMap) -> None:
        """A clause at ``level`` (2: at the section's top), whatever its number says."""
        del self.stack[max(level - 2, 0):]
        parent = self.stack[-1].data if self.stack else None
        if parent is None:
            self.top.append(data)
        else:
            parent.setdefault("items", CommentedSeq()).append(data)
        self.stack.append(Node(kind, number, depth(kind, number) if number else None, data))

    def item_at(self, depth: int, item) -> None:
        """A bare item at ``depth`` (2: beside the section's top clauses, 3: inside one of them)."""
        del self.stack[max(depth - 2, 0):]
        if self.stack:
            self.stack[-1].data.setdefault("items", CommentedSeq()).append(item)
        else:
            self.top.append(item)

    def text(self, text: str) -> bool:
        """An unnumbered paragraph: the text of the clause before it (a further paragraph: a bare item)."""
        if not self.stack:
            return False
        node = self.stack[-1].data
        if "text" not in node and "items" not in node:
            node["text"] = _bi(text)
        else:
            node.setdefault("items", CommentedSeq()).append(_bi(text))
        return True


def _clause(number: str | None, rest: str, bold_lead: str, kind: str | None, heading: bool = False) -> CommentedMap:
    node = CommentedMap()
    if number:
        node["number"] = number
    title, text = "", rest
    if bold_lead and rest.startswith(bold_lead.strip()) and len(rest) > len(bold_lead.strip()):
        title, text = bold_lead.strip(), rest[len(bold_lead.strip()):].strip()
    elif kind == "heading" or heading or kind == "dotted" and _is_title_like(rest) and not rest.endswith(("：", ":")):
        title, text = rest, ""
    if title:
        node["title"] = _bi(title)
    if text:
        node["text"] = _bi(text)
    return node


def _columns(header: list[str], table: dict) -> dict[str, int] | None:
    found = {}
    for i, cell in enumerate(header):
        for key, words in table.items():
            if key not in found and _matches(cell, words):
                found[key] = i
                break
    return found


def _is_header_row(row: list[str], header: list[str]) -> bool:
    return [_plain(c) for c in row] == [_plain(c) for c in header]


class Importer:
    def __init__(self, document, source: str, number: str | None = None):
        self._document = document
        self.items_in_place: set[int] = set()
        self.report = Report(source)
        self.draft = Draft(self.report)
        self.blocks = Reader(document, self.report).blocks()
        self.number = number
        self.record_cells: dict[int, dict] = {}  # a record of the records table -> its row's cells
        self.form_rows: dict[str, dict] = {}  # a form's id -> its row of the list of record forms

    # -- tables ------------------------------------------------------------------------------

    def table(self, grid: Grid, section: str | None, where: str) -> bool:
        """Place a table by its headings; False when its shape is unknown."""
        rows = [r for r in grid.rows if any(c.strip() for c in r)]
        if not rows:
            return True
        cells = [c for r in rows for c in r]
        header, body = rows[0], rows[1:]
        letters = [re.match(r"^\s*([AQCTR])\s*[（(]", c) for c in header]
        if section == "objectives" and sum(1 for m in letters if m) >= 3:
            values = body[0] if body else []
            for i, match in enumerate(letters):
                if match:
                    self.draft.aspects[match.group(1)] = values[i].strip() if i < len(values) else ""
            return True
        decisions = _columns(header, DECISION_COLUMNS)
        if {"version", "subject", "decision"} <= set(decisions):
            self._decisions(decisions, body)
            return True
        is_log = "changes" in _columns(header, REVISION_COLUMNS)
        if not is_log and section in ("cover", "revision_log", None) and (any(_matches(c, COVER_FIELDS["number"]) or _matches(c, COVER_FIELDS["version"]) for c in cells)
                           or self._approval_grid(rows)):
            self.cover(rows)
            return True
        form_list = _columns(header, FORM_COLUMNS)
        if {"number", "version"} <= set(form_list):  # the list of record forms: each one's number, version, retention
            for row in body:
                cell = {k: (row[i].strip() if i < len(row) else "") for k, i in form_list.items()}
                if cell.get("number") or cell.get("title"):
                    self.draft.form_list.append(cell)
            return True
        for kind, columns, minimum in (("revisions", REVISION_COLUMNS, 3), ("steps", STEP_COLUMNS, 3),
                                       ("documents", DOCUMENT_COLUMNS, 3), ("records", RECORD_COLUMNS, 2),
                                       ("roles", ROLE_COLUMNS, 1), ("related", RELATED_COLUMNS, 2)):
            found = _columns(header, columns)
            if len(found) >= minimum and (kind != "roles" or section == "roles") and \
                    (kind != "related" or section == "related_documents") and \
                    (kind != "records" or section in ("records", "related_documents")) and \
                    (kind != "revisions" or "changes" in found or section == "revision_log"):
                body = [r for r in body if not _is_header_row(r, header)]  # a header repeated on the next page
                getattr(self, f"_{kind}")(found, body)
                return True
        if section == "revision_log" and not body:
            return True
        self.report.cannot_place(where, f"table {grid.index} ({len(rows)} rows; its first row: "
                                        f"“{' | '.join(c for c in header if c)[:80]}”): its headings are not those of a "
                                        "revision log, step, document-flow or records table")
        return False

    def _approval_grid(self, rows) -> bool:
        return sum(1 for r in rows for c in r for words in APPROVAL_WORDS.values() if _matches(c, words)) >= 2

    def cover(self, rows: list[list[str]]) -> None:
        """Header fields as label | value pairs, and the approval block as a grid (編制 | 审核 | 批准 in a
        row with names and dates below, or in a column with name and date beside)."""
        draft = self.draft
        used: set[tuple[int, int]] = set()
        for r, row in enumerate(rows):  # a row of one (merged) cell naming a procedure: the cover's title
            filled = [c for c in row if c.strip()]
            if len(filled) == 1 and re.search(r"(程序|流程|制度|规定|办法|细则)$", filled[0].replace("\n", "")):
                draft.title_lines.append(filled[0].replace("\n", ""))
                used.add((r, row.index(filled[0])))
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                for key, words in COVER_FIELDS.items():
                    if _matches(cell, words) and key not in draft.header:
                        value = row[c + 1].strip() if c + 1 < len(row) else ""
                        used.update({(r, c), (r, c + 1)})
                        if value and not any(_matches(value, w) for w in [*COVER_FIELDS.values(), *APPROVAL_WORDS.values()]):
                            draft.header[key] = value
                for key, words in APPROVAL_WORDS.items():
                    if not _matches(cell, words) or key in draft.approval:
                        continue
                    # beside: 编制 | name | 日期 | date ; below: the same column in the next rows
                    beside = [v for v in row[c + 1:] if v != cell]
                    below = [rows[k][c] for k in range(r + 1, len(rows)) if c < len(rows[k])]
                    name = date = ""
                    labelled = [v for v in beside if v.strip()]
                    if beside and not any(_matches(v, w) for v in beside[:1] for w in APPROVAL_WORDS.values()):
                        for i, v in enumerate(labelled):
                            if _matches(v, DATE_WORDS):
                                date = labelled[i + 1] if i + 1 < len(labelled) else ""
                            elif _matches(v, NAME_WORDS):
                                name = labelled[i + 1] if i + 1 < len(labelled) else ""
                            elif not name and not iso_date(v) and i == 0:
                                name = v
                            elif not date and iso_date(v):
                                date = v
                    else:
                        for v in below:
                            if _matches(v, NAME_WORDS) or _matches(v, DATE_WORDS) or \
                                    any(_matches(v, w) for w in APPROVAL_WORDS.values()):
                                continue
                            if iso_date(v) and not date:
                                date = v
                            elif v.strip() and not name and not iso_date(v):
                                name = v
                    draft.approval[key] = {"name": name.strip(), "date": date.strip()}
                    used.add((r, c))
                    for rr, cc_row in enumerate(rows):
                        for cc, v in enumerate(cc_row):
                            if v and v.strip() in (name.strip(), date.strip()) and (rr == r or cc == c):
                                used.add((rr, cc))
        words = [w for ws in (*COVER_FIELDS.values(), *APPROVAL_WORDS.values(), NAME_WORDS, DATE_WORDS) for w in ws]
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                if cell.strip() and (r, c) not in used and not _matches(cell, words):
                    self.report.cannot_place("the cover", f"“{cell.strip()[:60]}” (not a header field)")

    def _revisions(self, columns: dict[str, int], body: list[list[str]]) -> None:
        for row in body:
            cell = {k: (row[i].strip() if i < len(row) else "") for k, i in columns.items()}
            if not any(cell.values()):
                continue
            entry = CommentedMap()
            version = unicodedata.normalize("NFKC", cell.get("version", ""))
            entry["version"] = version.replace(" ", "")
            date = iso_date(cell.get("date", ""))
            if date:
                entry["date"] = date
            elif cell.get("date"):
                self.report.note(f"revision log, version {version or '?'}: the date “{cell['date']}” is not a date "
                                 "(YYYY-MM-DD); left out for you to enter")
            changes = [line.strip() for line in cell.get("changes", "").splitlines() if line.strip()]
            entry["changes"] = CommentedSeq(_bi(c) for c in changes)
            for key in ("changed_by", "reviewed_by", "approved_by"):
                if cell.get(key):
                    entry[key] = cell[key]
            self.draft.revisions.append(entry)

    def _decisions(self, columns: dict[str, int], body: list[list[str]]) -> None:
        """Each row under the revision entry of its version: what it is about (a record by its number
        and its fields, or the distribution), what the source says, the decision, who decided."""
        from ..source.labels import label
        from ..source.model import RECORD_FIELDS

        words = {str(label(f"field_{f}", lang)): f for f in (*RECORD_FIELDS, "distribution", "number")
                 for lang in ("zh", "en")}
        for row in body:
            cell = {k: (row[i].strip() if i < len(row) else "") for k, i in columns.items()}
            if not any(cell.values()):
                continue
            version = unicodedata.normalize("NFKC", cell.get("version", "")).replace(" ", "")
            entry = next((r for r in self.draft.revisions if r.get("version") == version), None)
            if entry is None:
                self.report.cannot_place("the decisions on records and distribution",
                                         f"a decision of {version or 'no version'}: the revision log has no such entry")
                continue
            subject = cell.get("subject", "")
            head, colon, listed = subject.rpartition("：") if "：" in subject else subject.rpartition(": ")
            decision = CommentedMap()
            if colon and head.strip():
                decision["record"] = head.split()[0]
            fields = [w.strip() for w in re.split(r"[、,，]", listed) if w.strip()]
            unknown = [w for w in fields if w not in words]
            if unknown:
                self.report.note(f"a decision of {version} names {'、'.join(unknown)}: not a field of a record "
                                 "(编号, 保管人, 存放地点, 保存期限, 处置方式) or 发放范围; left out of its fields")
            decision["fields"] = CommentedSeq(words[w] for w in fields if w in words)
            decision["fields"].fa.set_flow_style()
            for key in ("source", "decision"):
                if cell.get(key):
                    decision[key] = _bi(cell[key])
            if cell.get("decided_by"):
                decision["decided_by"] = cell["decided_by"]
            entry.setdefault("decisions", CommentedSeq()).append(decision)

    def _records(self, columns: dict[str, int], body: list[list[str]]) -> None:
        records = self.draft.sections.setdefault("records", CommentedSeq())
        for row in body:
            cell = {k: (row[i].strip() if i < len(row) else "") for k, i in columns.items()}
            if not cell.get("title"):
                continue
            record = CommentedMap()
            if cell.get("number"):
                record["number"] = cell["number"]
            title, _, clause = cell["title"].partition("\n")
            clause = re.fullmatch(r"(?:条款|Clause)\s*(\S+)", clause.strip())
            if clause:  # the source's clause that names the record, on a line of its own under its name
                record["clause"] = clause.group(1)
            else:
                title = cell["title"]
            record["title"] = _bi(title.replace("\n", ""))
            record["keeper"] = self.draft.party(cell.get("keeper", ""), ("原件未写明保存部门。",
                                                                         "The original does not say who keeps it."))
            record["retention"] = _retention(cell["retention"]) if cell.get("retention") else \
                _gap("原件未写明保存期限。", "The original gives no retention period.")
            if cell.get("storage"):  # optional: a blank cell says nothing
                record["storage"] = _bi(cell["storage"])
            if cell.get("disposal"):
                record["disposal"] = _disposal(cell["disposal"])
            self.record_cells[id(record)] = cell
            records.append(record)

    def _steps(self, columns: dict[str, int], body: list[list[str]]) -> None:
        for row in body:
            cell = {k: (row[i].strip() if i < len(row) else "") for k, i in columns.items()}
            if not cell.get("title"):
                continue
            title, number = cell["title"], cell.get("number") or ""
            while True:  # "二、1. 采购需求确认": every number before the title ("二、1.")
                split = split_number(title)
                if not split or not split[2]:
                    break
                title = split[2]
            if title != cell["title"]:
                number = cell["title"][: len(cell["title"]) - len(title)].strip()
            step = CommentedMap([("id", f"step-{len(self.draft.steps) + 1}")])
            if number:
                step["clause"] = number if not re.fullmatch(r"[0-9０-９.．]+", number) else \
                    unicodedata.normalize("NFKC", number).rstrip(".")
            step["title"] = _bi(title)
            lines = [line.strip() for line in cell.get("description", "").splitlines() if line.strip()]
            substeps = CommentedSeq()
            for line in lines:
                split = split_number(line)
                bullet = re.match(r"^[•·●▪\-－]\s*(.+)$", line)
                if bullet:  # a sub-step without a number, as a bulleted line
                    substeps.append(CommentedMap([("text", _bi(bullet.group(1)))]))
                elif split and split[2]:
                    substeps.append(CommentedMap([("number", normal_number(split[0], split[1])), ("text", _bi(split[2]))]))
                elif substeps:
                    substeps.append(CommentedMap([("text", _bi(line))]))
                else:
                    step["description"] = _bi(line) if "description" not in step else _bi(_zh(step["description"]) + "\n" + line)
            if substeps:
                step["substeps"] = substeps
            owner = cell.get("owner", "")
            step["owner"] = self.draft.party(owner, ("原件未写明负责人。", "The original names no owner."))
            outputs = [o.strip() for o in re.split(r"[\n、]", cell.get("outputs", "")) if o.strip()]
            if outputs:
                step["outputs"] = CommentedSeq(_bi(o) for o in outputs)
            self.draft.steps.append(step)
        if "next" in columns and any(row[columns["next"]].strip() for row in body if columns["next"] < len(row)):
            self.report.cannot_place("the step table", "its 下一步 (next) column: decisions, branches and ends are "
                                     "not imported; each step leads to the one below it until you add next: from it")
        else:
            self.report.note(f"a step table: {len(body)} row(s) imported as steps in table order; the table draws "
                             "no arrows, so each step leads to the next (check the flow)")

    def _documents(self, columns: dict[str, int], body: list[list[str]]) -> None:
        for row in body:
            cell = {k: (row[i].strip() if i < len(row) else "") for k, i in columns.items()}
            if not any(cell.values()):
                continue
            doc = CommentedMap([("id", f"doc-{len(self.draft.documents) + 1}")])
            doc["title"] = _bi(cell["title"]) if cell.get("title") else _gap("原件此行无文档名称。", "The original gives this row no document name.")
            doc["producer"] = self.draft.party(cell.get("producer", ""), ("原件未写明编制部门/人员。",
                                                                          "The original does not say who prepares it."))
            if cell.get("content"):
                doc["content"] = _bi(cell["content"])
            recipients = _split_names(cell.get("recipient", "")) if not cell.get("recipient", "").startswith(GAP_PREFIX) else []
            doc["recipient"] = self.draft.party(cell.get("recipient", ""), ("原件未写明提交部门/人员。",
                                                                           "The original does not say to whom it is submitted.")) \
                if len(recipients) < 2 else CommentedSeq(self.draft.role_id(r) for r in recipients)
            doc["deadline"] = _bi(cell["deadline"]) if cell.get("deadline") else \
                _gap("原件未写明提交时限/频率。", "The original gives no deadline or frequency.")
            self.draft.documents.append(doc)

    def _roles(self, columns: dict[str, int], body: list[list[str]]) -> None:
        for row in body:
            name = row[columns["name"]].strip() if columns["name"] < len(row) else ""
            if name:
                self.draft.role_id(name)

    def _related(self, columns: dict[str, int], body: list[list[str]]) -> None:
        related = self.draft.sections.setdefault("related_documents", CommentedSeq())
        for row in body:
            cell = {k: (row[i].strip() if i < len(row) else "") for k, i in columns.items()}
            if cell.get("title"):
                related.append(_related_item(cell["title"], cell.get("number") or None))

    # -- the body ------------------------------------------------------------------------------

    def run(self) -> CommentedMap:
        draft = self.draft
        section: str | None = "cover"
        section_name = "the cover"
        section_number: str | None = None
        tree: ClauseTree | None = None
        last = ""
        layout = None  # the form whose blank layout the tables after its caption give
        for i, block in enumerate(self.blocks):
            if isinstance(block, Grid):
                if layout is not None and _form_part(block, layout):
                    continue
                layout = None
                self.table(block, section, f"table {block.index} ({_where(section_name, last)})")
                continue
            layout = None
            caption = FORM_CAPTION.match(block.text) if section not in ("cover", "revision_log") else None
            following = self.blocks[i + 1] if i + 1 < len(self.blocks) else None
            if caption and isinstance(following, Grid) and _form_part(following, {"parts": []}):
                layout = {"number": caption.group("number"), "title": caption.group("title").strip(),
                          "version": caption.group("version"), "parts": [], "where": f"paragraph {block.index}"}
                draft.form_layouts.append(layout)
                continue
            text = block.text
            if not text and tree is not None and re.fullmatch(r"Clause title [2-9]", block.style or ""):
                tree.add_at(int(block.style[-1]), "heading", None, CommentedMap())  # a group of the items below it
                continue
            if not text:
                continue
            outside = re.match(r"^(外部相关方|Outside parties)\s*[：:]\s*(.+)$", text)
            if outside:  # the outside parties a flow names: customers, suppliers, authorities
                for name in re.split(r"[、，,；;]", outside.group(2).rstrip("。")):
                    if name.strip() and not any(_zh(x["name"]) == name.strip() for x in draft.externals):
                        draft.externals.append(CommentedMap([("id", f"party-{len(draft.externals) + 1}"),
                                                             ("name", _bi(name.strip())), ("kind", "other")]))
                self.report.note(f"paragraph {block.index}: outside parties imported with kind: other (say whether "
                                 "each is a customer, supplier or authority)")
                continue
            labelled = f"{block.label}{text}" if block.label else text
            split = split_number(labelled)
            if block.label and not split:
                self.report.note(f"paragraph {block.index}: Word's list label “{block.label}” is not a clause number; kept as text")
            if _matches(text, ("修订记录", "文件修订记录", "文件制修订记录", "修订履历", "Revision log")):
                section, section_name, section_number, tree = "revision_log", text, None, None
                continue
            styled = re.fullmatch(r"Clause (item|title) ([2-9])", block.style or "")
            if styled and tree is not None:  # a copy this tool exported: the style gives the clause's depth
                at, title = int(styled.group(2)), styled.group(1) == "title"
                if split:
                    kind, number, rest = split
                    number = normal_number(kind, number)
                    tree.add_at(at, kind, number, _clause(number, rest, _lead_after_number(block.bold_lead, labelled, rest),
                                                          kind, heading=title))
                    last = number
                elif title:
                    tree.add_at(at, "heading", None, _clause(None, text, "", "heading"))
                elif block.bold_lead:  # an unnumbered clause: its title in bold, then its text
                    tree.add_at(at, "heading", None, _clause(None, text, block.bold_lead, None))
                else:
                    item = _bi(text)
                    self.items_in_place.add(id(item))  # an item of its section, not the section's gap
                    tree.item_at(at, item)
                continue
            head = self._heading(block, split, section, section_number)
            if head is not None:
                key, number, heading, inline = head
                section_number = unicodedata.normalize("NFKC", number).rstrip(".、") if number else None
                if key is None:
                    if draft.sections.get("clauses") is not None:
                        # another top-level part after the procedure's clauses: a top clause of its own
                        tree = ClauseTree(draft.sections["clauses"], 0)
                        clause_number = normal_number("dotted", number) if number else None
                        tree.add("dotted" if clause_number else "heading", clause_number,
                                 _clause(clause_number, heading, "", "heading"))
                        section, section_name, last = "clauses", heading, heading
                        continue
                    key = "clauses"
                    self.report.note(f"paragraph {block.index}: the section “{heading}” is not one of the standard "
                                     "layout's; imported as the procedure's clauses under its own heading")
                section, section_name, last = key, heading, ""
                tree = self._open_section(key, heading)
                if inline:
                    self._text(key, inline, tree)
                continue
            if section == "cover":
                if block.heading == 0 or _is_title_like(text) and not draft.title_lines:
                    draft.title_lines.append(text)
                else:
                    self.report.cannot_place(f"paragraph {block.index} (on the cover)", f"“{text[:60]}”")
                continue
            if section == "revision_log" and _matches(text, DECISIONS_HEADING):
                continue  # the decisions' table follows: read with the log it belongs to
            if section == "revision_log":
                self.report.cannot_place(f"paragraph {block.index} (under {section_name})", f"“{text[:60]}”")
                continue
            if split and split[0] == "dotted" and section not in ("clauses", None) and section_number and \
                    unicodedata.normalize("NFKC", split[1]).split(".")[0] != section_number:
                # 4.1.1 under 3 权责 (the document skips the heading 4): it belongs to the clauses
                self.report.note(f"paragraph {block.index}: clause {normal_number('dotted', split[1])} follows "
                                 f"{section_name} without a heading of its own; placed in the procedure's clauses")
                section, section_name = "clauses", f"clause {normal_number('dotted', split[1])}"
                section_number = unicodedata.normalize("NFKC", split[1]).split(".")[0]
                tree = ClauseTree(draft.sections.setdefault("clauses", CommentedSeq()), 1)
            if not split and tree is not None and section == "clauses" and block.heading == 2:
                tree.stack.clear()  # a part of the procedure titled but not numbered: at the top
                tree.add("heading", None, _clause(None, text, "", "heading"))
                tree.stack.clear()
                continue
            if split and tree is not None:
                kind, number, rest = split
                number = normal_number(kind, number)
                tree.add(kind, number, _clause(number, rest, _lead_after_number(block.bold_lead, labelled, rest), kind,
                                               heading=bool(block.heading and block.heading >= 2)))
                last = number
                continue
            self._text(section, text, tree)
        self.page_headers()
        return self.assemble()

    _HEADER_VALUE = {"number": r"[A-Za-z0-9][A-Za-z0-9.\-/]*", "version": r"[A-Z]\s*[/／]\s*\d{1,2}",
                     "effective_date": r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"}

    def page_headers(self) -> None:
        """Header fields from the running header (many companies keep 编号 and 版本 there, not on a
        cover): a table as on a cover, or "文件编号：QP-XS-01　版本：A/1"; never over the cover's values."""
        from docx.table import Table

        found: dict[str, str] = {}
        for section in self.document.sections:
            for part in (section.header, section.first_page_header):
                if part is None or part.is_linked_to_previous and part is not section.header:
                    continue
                for child in part._element.iterchildren():
                    if child.tag == f"{W}tbl":
                        saved = dict(self.draft.header), dict(self.draft.approval), list(self.draft.title_lines), self.report
                        self.report = Report("")  # a header's other cells (logo, company) are no part of the procedure
                        self.draft.header = {}
                        self.cover(Reader(self.document, self.report)._rows(Table(child, part)))
                        for key, value in self.draft.header.items():
                            found.setdefault(key, value)
                        self.draft.header, self.draft.approval, self.draft.title_lines, self.report = saved
                    elif child.tag == f"{W}p":
                        text = _clean(_runs_text(child)[0])
                        for key, pattern in self._HEADER_VALUE.items():
                            labels = "|".join(re.escape(w) for w in sorted(COVER_FIELDS[key], key=len, reverse=True))
                            match = re.search(rf"(?:{labels})\s*[：:]?\s*({pattern})", text)
                            if match:
                                found.setdefault(key, match.group(1))
        for key, value in found.items():
            if key in ("number", "version", "effective_date") and not self.draft.header.get(key):
                self.draft.header[key] = value
                self.report.note(f"the {key.replace('_', ' ')} “{value}” is from the page header")

    @property
    def document(self):
        return self._document

    def _heading(self, block: Para, split, section: str | None, section_number: str | None):
        """(section key or None, number, heading, text after it) when the paragraph starts a section:
        "4 工作程序", "4、工作程序", "目的", a Heading 1, "1目的:对销售…" or "2适用范围本程序适用于…"."""
        text = block.text
        if split and split[0] in ("dotted", "chinese", "article-章") and "." not in unicodedata.normalize("NFKC", split[1]):
            number, rest = split[1], split[2]
            if not rest:
                return None
            plain = unicodedata.normalize("NFKC", number)
            key = section_of(rest)
            if key:
                return key, number, rest, ""
            prefix = _section_prefix(rest)
            if prefix:
                return prefix[0], number, rest[: len(rest) - len(prefix[1])].rstrip("：: "), prefix[1]
            if block.heading == 1 or (split[0] == "dotted" and section not in ("cover", "revision_log") and
                                      section_number and plain != section_number and _is_title_like(rest)
                                      and plain.isdecimal() and section_number.isdecimal()
                                      and len(plain) < 4 and len(section_number) < 4
                                      and int(plain) == int(section_number) + 1):
                return None, number, rest, ""
            return None
        if split:
            return None
        key = section_of(text)
        if key or (block.heading == 1 and section != "cover"):
            return key, None, text, ""
        prefix = _section_prefix(text)
        if prefix and prefix[1]:
            return prefix[0], None, text[: len(text) - len(prefix[1])].rstrip("：: "), prefix[1]
        return None

    def _open_section(self, key: str, heading: str) -> ClauseTree | None:
        draft = self.draft
        if key == "clauses":
            if draft.sections.get("clauses") is None:
                draft.clauses_title = heading.rstrip("：:") if _plain(heading) != _plain(DEFAULT_CLAUSES_TITLE) else None
            return ClauseTree(draft.sections.setdefault("clauses", CommentedSeq()), 1)
        if key in ("responsibilities", "definitions", "related_documents", "records", "control_points", "objectives"):
            tree = draft.sections.get(key + "#tree") or ClauseTree(CommentedSeq(), 1)
            draft.sections.setdefault(key, CommentedSeq())
            draft.sections[key + "#tree"] = tree
            return tree
        return None

    def _text(self, section: str | None, text: str, tree: ClauseTree | None) -> None:
        draft = self.draft
        if section == "roles":
            for name in re.split(r"[、，,；;\n]", text.rstrip("。")):
                if name.strip():
                    draft.role_id(name.strip())
        elif section in ("purpose", "scope"):
            previous = draft.sections.get(section)
            draft.sections[section] = _bi(_zh(previous) + "\n" + text) if previous else _bi(text)
        elif tree is not None and tree.text(text):
            pass
        elif tree is not None:
            tree.top.append(_clause(None, text, "", None) if section == "clauses" else _bi(text))
        else:
            self.report.cannot_place(f"after {section or 'the cover'}", f"“{text[:60]}”")

    # -- the YAML ------------------------------------------------------------------------------

    def assemble(self) -> CommentedMap:
        draft = self.draft
        out = CommentedMap()
        header = draft.header
        number = self.number if self.number is not None else header.get("number", "")
        out["number"] = number
        version = _VERSION.match(unicodedata.normalize("NFKC", header.get("version", "")))
        out["version"] = f"{version.group(1)}/{int(version.group(2))}" if version else "A/0"
        if header.get("version") and not version:
            self.report.note(f"the cover's version “{header['version']}” is not of the form A/0: the draft is A/0")
        title = (header.get("title") or "".join(draft.title_lines[:1])).replace("\n", "")
        out["title"] = _bi(title) if title else _gap("原件无文件名称。", "The original has no title.")
        if header.get("pages"):
            self.report.note(f"the cover's page count ({header['pages']}) is not kept: a printout counts its own pages")
        if header.get("department"):
            out["department"] = _bi(header["department"])
        for key in ("effective_date", "review_due"):
            if header.get(key):
                date = iso_date(header[key])
                if date:
                    out[key] = date
                else:
                    self.report.note(f"the cover's {key.replace('_', ' ')} “{header[key]}” is not a date; left out")
        if draft.approval:
            approval = CommentedMap()
            for key in ("drafted_by", "reviewed_by", "approved_by"):
                line = draft.approval.get(key, {"name": "", "date": ""})
                node = CommentedMap([("name", line["name"] or None), ("date", iso_date(line["date"]) if line["date"] else None)])
                node.fa.set_flow_style()
                approval[key] = node
            out["approval"] = approval
        if header.get("distribution"):
            out["distribution"] = self._distribution(header["distribution"])
        out["revisions"] = CommentedSeq(draft.revisions)
        for key in ("purpose", "scope"):
            if key in draft.sections:
                out[key] = draft.sections[key]
        objectives = self._tree("objectives")
        if objectives or draft.aspects:
            node = CommentedMap()
            statement = "\n".join(_flatten_text(item) for item in objectives)
            node["statement"] = _bi(statement) if statement else _gap("原件无控制目标陈述。", "The original states no objective.")
            for letter in ("A", "Q", "C", "T", "R") if draft.aspects else ():
                value = draft.aspects.get(letter, "")
                node[letter] = _bi(value) if value else _gap(f"原件{letter}栏无值。", f"The original's {letter} column has no value.")
            out["objectives"] = node
        out["roles"] = CommentedSeq(draft.roles)  # as the document names them, in order; none invented
        if draft.externals:
            out["externals"] = CommentedSeq(draft.externals)
        points = self._tree("control_points")
        if points:
            out["control_points"] = CommentedSeq(
                CommentedMap([("id", f"cp-{i}"), ("text", _bi(_flatten_text(item)))]) for i, item in enumerate(points, 1))
        gaps = {key: self._section_gap(key) for key in ("responsibilities", "definitions", "clauses",
                                                         "related_documents", "records")}
        responsibilities = self._tree("responsibilities")
        if gaps["responsibilities"]:
            out["responsibilities"] = gaps["responsibilities"]
        elif responsibilities:
            out["responsibilities"] = CommentedSeq(_responsibility(item) for item in responsibilities)
        definitions = self._tree("definitions")
        if gaps["definitions"]:
            out["definitions"] = gaps["definitions"]
        elif definitions:
            out["definitions"] = CommentedSeq(_definition(item) for item in definitions)
        if draft.clauses_title:
            out["clauses_title"] = _bi(draft.clauses_title)
        if draft.sections.get("clauses"):
            out["clauses"] = gaps["clauses"] or draft.sections["clauses"]
        forms = self._forms()
        if draft.steps:
            # an output named as a document or form of this procedure is that document or form
            named = {_zh(d["title"]): d["id"] for d in draft.documents if "zh" in d["title"]}
            named.update({_zh(f["title"]): f["id"] for f in forms if _zh(f["title"]) not in named})
            for step in draft.steps:
                if "outputs" in step:
                    step["outputs"] = CommentedSeq(named.get(_zh(o), o) for o in step["outputs"])
            out["steps"] = CommentedSeq(draft.steps)
        if forms:
            out["forms"] = forms
        if draft.documents:
            out["documents"] = CommentedSeq(draft.documents)
        related = list(draft.sections.get("related_documents") or []) + \
            [_related_from_clause(item) for item in self._tree("related_documents")]
        if gaps["related_documents"] and not draft.sections.get("related_documents"):
            out["related_documents"] = gaps["related_documents"]
        elif related:
            out["related_documents"] = CommentedSeq(related)
        records = [self._record_of_form(r, forms) for r in draft.sections.get("records") or []] + \
            [_record_from_clause(item) for item in self._tree("records")]
        if gaps["records"] and not draft.sections.get("records"):
            out["records"] = gaps["records"]
        elif records:
            out["records"] = CommentedSeq(records)
        return out

    def _forms(self) -> CommentedSeq:
        """Each form with a blank layout in the document, with what the list of forms says of it. A
        listed form without a layout is reported: a form is its fields, and the list gives none."""
        draft, forms = self.draft, CommentedSeq()
        listed = {row.get("number") or row.get("title"): row for row in draft.form_list}
        form_rows = self.form_rows
        for layout in draft.form_layouts:
            row = listed.pop(layout["number"], None) or listed.pop(layout["title"], None) or {}
            form = CommentedMap([("id", f"form-{len(forms) + 1}"), ("number", layout["number"])])
            version = layout["version"] or row.get("version") or ""
            form["version"] = version if _VERSION.match(version) else "A/0"
            if not _VERSION.match(version):
                self.report.note(f"form {layout['number']}: no version given; the draft says A/0")
            form["title"] = _bi(layout["title"])
            form["owner"] = draft.party(row.get("owner", ""), ("原件未写明保管岗位。",
                                                                "The original does not say which role keeps it."))
            form["retention"] = _retention(row["retention"]) if row.get("retention") else \
                _gap("原件未写明保存期限。", "The original gives no retention period.")
            if row.get("storage"):
                form["storage"] = _bi(row["storage"])
            if row.get("disposal"):
                form["disposal"] = _disposal(row["disposal"])
            form_rows[form["id"]] = row
            parts = layout["parts"]
            ruled = next((p for p in parts if p[0] == "ruled"), None)
            boxes = [p for p in parts if p[0] == "boxes"]
            before = boxes[0][1] if boxes and (ruled is None or parts.index(boxes[0]) < parts.index(ruled)) else []
            after = [label for p in boxes if ruled is not None and parts.index(p) > parts.index(ruled) for label in p[1]]
            if ruled is None:
                form["fields"] = _fields(before)
            elif before:
                form["rows"] = min(ruled[2], 40)
                form["fields"] = _fields(before)
                form["columns"] = _fields(ruled[1], len(before) + 1)
            else:
                form["rows"] = min(ruled[2], 40)
                form["fields"] = _fields(ruled[1])
            if after:
                form["footer"] = _fields(after, len(before) + len(ruled[1] if ruled else []) + 1)
            forms.append(form)
        for key, row in listed.items():
            self.report.cannot_place("the list of record forms", f"form {key} ({row.get('title', '')}): its blank "
                                     "layout is not in the document, so its fields are unknown; add it under forms: "
                                     "by hand")
        if forms:
            self.report.note(f"{len(forms)} form(s) imported with every field as text: set each field's type "
                             "(date, number, choice, signature) from the form")
        return forms

    def _record_of_form(self, record: CommentedMap, forms: CommentedSeq) -> CommentedMap:
        """A row of the records table that is a form of this procedure (its number, or its title when it
        has none): ``form:`` and only what the row says otherwise than the list of forms (a form's
        owner, storage, retention and disposal are stated once, on the form)."""
        number, title = record.get("number"), _zh(record["title"])
        form = next((f for f in forms if f["number"] == number), None) if number else \
            next((f for f in forms if _zh(f["title"]) == title), None)
        if form is None:
            return record
        cell, row = self.record_cells.get(id(record), {}), self.form_rows.get(form["id"], {})
        linked = CommentedMap([("form", form["id"])])
        if "clause" in record:
            linked["clause"] = record["clause"]
        for key, form_key in (("keeper", "owner"), ("retention", "retention"), ("storage", "storage"),
                              ("disposal", "disposal")):
            if cell.get(key, "") != row.get(form_key, "") and key in record:
                linked[key] = record[key]
        return linked

    def _distribution(self, cell: str):
        """The cover's 发放范围: a role or outside party the document names elsewhere, else a department;
        a bracketed note stays with its name; "待定：…" is the gap it prints."""
        if cell.startswith(GAP_PREFIX):
            return _bi(cell)
        out = CommentedSeq()
        for name in _split_names(cell):
            note = re.fullmatch(r"(.+?)[（(]([^（）()]+)[）)]", name)
            name, text = (note.group(1).strip(), note.group(2).strip()) if note else (name, None)
            entry = CommentedMap()
            external = next((x for x in self.draft.externals if _zh(x["name"]) == name), None)
            role = next((r for r in self.draft.roles if _zh(r["name"]) == name), None)
            if external is not None:
                entry["external"] = external["id"]
            elif role is not None:
                entry["role"] = role["id"]
            else:
                entry["department"] = _bi(name)
            if text:
                entry["note"] = _bi(text)
            entry.fa.set_flow_style()
            out.append(entry)
        return out

    def _tree(self, key: str) -> list:
        tree = self.draft.sections.get(key + "#tree")
        return list(tree.top) if tree is not None else []

    def _section_gap(self, key: str):
        """The section's one marked gap (a section the document says is missing), or None."""
        items = self._tree(key) if key != "clauses" else list(self.draft.sections.get("clauses") or [])
        if len(items) == 1 and set(items[0]) == {"gap"} and id(items[0]) not in self.items_in_place:
            return items[0]
        return None


def _lead_after_number(bold_lead: str, text: str, rest: str) -> str:
    """The bold title after the typed number: "4.1 合同评审" bold, then the clause's text."""
    if not bold_lead:
        return ""
    number_part = text[: len(text) - len(rest)] if text.endswith(rest) else ""
    lead = bold_lead
    if number_part and lead.startswith(number_part.strip()):
        lead = lead[len(number_part.strip()):]
    return lead.strip()


def _zh(node) -> str:
    """The Chinese of a text, or of a gap as it prints ("待定：…", read back as the gap by _bi)."""
    if "zh" in node:
        return node["zh"]
    return GAP_PREFIX + node["gap"]["zh"] if "gap" in node else ""


def _flatten_text(item) -> str:
    if "zh" in item or "gap" in item:
        return _zh(item)
    parts = [_zh(item[k]) for k in ("title", "text") if k in item]
    return "".join(parts)


def _form_part(grid: Grid, layout: dict) -> bool:
    """Add the table to the form's layout when it is one of its parts: boxes (label | blank) or a
    ruled table (a heading row over blank rows); False when it is something else."""
    rows = grid.rows
    if not rows:
        return False
    if all(len(r) >= 2 and r[0].strip() and not any(c.strip() for c in r[1:]) for r in rows):
        layout["parts"].append(("boxes", [r[0].strip() for r in rows]))
        return True
    if len(rows) >= 2 and all(c.strip() for c in rows[0]) and not any(c.strip() for r in rows[1:] for c in r):
        layout["parts"].append(("ruled", [c.strip() for c in rows[0]], len(rows) - 1))
        return True
    return False


def _fields(labels: list[str], start: int = 1) -> CommentedSeq:
    out = CommentedSeq()
    for i, label in enumerate(labels, start):
        node = CommentedMap([("id", f"field-{i}"), ("label", _bi(label)), ("type", "text")])
        node.fa.set_flow_style()
        out.append(node)
    return out


ROLE_GAP = re.compile(r"^(?:岗位|Role)[：:]\s*(待定：.+)$")  # a responsibility whose role the source does not name


def _responsibility(item) -> CommentedMap:
    """A responsibility as the document gives it: its number and text; its role a marked gap (the
    text names the role in words), or the gap the document itself prints (岗位：待定：…)."""
    node = CommentedMap()
    unassigned = _gap("导入时未指定岗位：请依据条文指定。", "Not assigned on import: name the role from the text.")
    if "zh" in item and ROLE_GAP.match(item["zh"]):
        node["role"] = _bi(ROLE_GAP.match(item["zh"]).group(1))
    elif "zh" in item or "gap" in item:  # a paragraph of text (or a marked gap) without a number
        node["role"] = unassigned
        node["text"] = item
    else:  # a numbered clause
        if "number" in item:
            node["number"] = item["number"]
        node["role"] = unassigned
        text = "".join(_zh(item[k]) for k in ("title", "text") if k in item)
        if text:
            node["text"] = _bi(text)
        if "items" in item:
            node["items"] = item["items"]
    return node


def _definition(item) -> CommentedMap:
    node = CommentedMap()
    if "number" in item:
        node["number"] = item["number"]
    if "title" in item and "text" in item:
        term, definition = _zh(item["title"]), _zh(item["text"])
    else:
        text = _flatten_text(item)
        colon = re.search(r"[：:]", text)
        term, definition = (text[:colon.start()], text[colon.end():]) if colon else (text, "")
    node["term"] = _bi(term.strip().strip("“”\"《》"))
    node["definition"] = _bi(definition.strip()) if definition.strip() else _gap("原件未给出定义。", "The original gives no definition.")
    return node


_DOC_NUMBER = re.compile(r"^([A-Za-z]{1,8}(?:[-/][A-Za-z0-9.]+)+)\s*")


def _related_item(text: str, number: str | None = None) -> CommentedMap:
    node = CommentedMap()
    cited = re.fullmatch(r"(\S.*?)\s*《([^《》]+)》", text) if number is None else None
    match = _DOC_NUMBER.match(text) if number is None else None
    if cited:  # "ISO 13485 《医疗器械 质量管理体系…》": the number, then the title in book-title marks
        number, text = cited.group(1), f"《{cited.group(2)}》"
    elif match:
        number, text = match.group(1), text[match.end():].strip()
    title = text.strip()
    if title.startswith("《") and title.endswith("》") and title.count("《") == 1:
        title = title[1:-1]
    node["kind"] = "procedure" if title.endswith(("程序", "程序文件")) else "document"
    if number:
        node["number"] = number
    node["title"] = _bi(title)
    return node


def _related_from_clause(item) -> CommentedMap:
    return _related_item(_flatten_text(item))


def _record_from_clause(item) -> CommentedMap:
    text = _flatten_text(item)
    record = CommentedMap()
    if "number" in item and not re.fullmatch(r"[0-9.]+|[a-z]\)", item["number"]):
        record["number"] = item["number"]
    title = text.strip()
    if title.startswith("《") and title.endswith("》") and title.count("《") == 1:
        title = title[1:-1]
    record["title"] = _bi(title)
    record["keeper"] = _gap("原件未写明保存部门。", "The original does not say who keeps it.")
    record["retention"] = _gap("原件未写明保存期限。", "The original gives no retention period.")
    record["storage"] = _gap("原件未写明存放地点。", "The original does not say where it is stored.")
    record["disposal"] = _gap("原件未写明处置方式。", "The original does not say how it is disposed of.")
    return record


# ---------------------------------------------------------------------------------------------
# The command


def _open(path: Path):
    """The document, or WordImportError saying why it cannot be read (never a traceback)."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    if path.is_symlink():
        raise WordImportError("is a symbolic link (import the file itself)")
    if not path.is_file():
        raise WordImportError("no such file")
    if path.stat().st_size > MAX_BYTES:
        raise WordImportError(f"is larger than {MAX_BYTES >> 20} MB")
    data = path.read_bytes()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_PARTS_BYTES:
                raise WordImportError(f"unpacks to more than {MAX_PARTS_BYTES >> 20} MB")
    except zipfile.BadZipFile:
        raise WordImportError("is not a Word document (.docx); save a .doc or .wps as .docx first") from None
    try:
        return docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise WordImportError(f"is not a Word document (.docx): {exc}") from None
    except Exception as exc:  # lxml and python-docx raise many kinds on a damaged file
        raise WordImportError(f"cannot be read as a Word document: {type(exc).__name__}") from None


def import_document(path: Path, number: str | None = None) -> tuple[CommentedMap, Report]:
    document = _open(path)
    importer = Importer(document, str(path), number)
    data = importer.run()
    return data, importer.report


def dump(data: CommentedMap, report: Report, schema: str) -> str:
    yaml = YAML()
    yaml.width = 4096
    yaml.allow_unicode = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    stream = io.StringIO()
    yaml.dump(data, stream)
    lines = [f"# yaml-language-server: $schema={schema}", "#",
             f"# Imported from {Path(report.source).name} by python -m generators import: a draft (A/0 unless the",
             "# cover gives a version). The Chinese is as written; every English text is [untranslated] until",
             "# translated. Roles, owners and keepers the document gives in words only are marked gaps.",
             "# Run `make check` (or `.venv/bin/procedures check` on this file): it lists what is left to do."]
    if report.unplaced:
        lines.append("#")
        lines.append("# Not imported (place by hand from the Word document):")
        lines += [f"#   - {line}" for line in report.unplaced]
    if report.notes:
        lines.append("#")
        lines += [f"# Note: {line}" for line in report.notes]
    return "\n".join(lines) + "\n" + stream.getvalue()


def schema_path(out: Path) -> str:
    import os

    schema = Path(__file__).resolve().parent.parent / "schema" / "procedure.schema.json"
    try:
        return os.path.relpath(schema, out.resolve().parent)
    except ValueError:  # pragma: no cover - another drive
        return str(schema)


def write_yaml(data: CommentedMap, report: Report, out: Path) -> None:
    atomic_write(out, dump(data, report, schema_path(out)).encode("utf-8"))


def write_draft(source: Path, out: Path, number: str | None = None) -> Report:
    data, report = import_document(source, number)
    write_yaml(data, report, out)
    return report
