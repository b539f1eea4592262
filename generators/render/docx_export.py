"""A revision as a Word controlled copy (.docx), in Chinese or English.

The layout is the standard 程序文件 layout companies keep in Word, and the one
``python -m generators import`` reads (importing an export gives back the same content):

- on every page a running header (title; number, version, effective date and status, as on the PDF)
  and "第 x 页 共 y 页" / "Page x of y" (Word fields, counted when the file is opened or printed), and
  a footer with the control note and the date the copy was made;
- the cover: the title, a table of header fields (编号, 版号, 生效日期, 状态, 归口部门, 复审日期, 发放范围)
  and the approval block (编制 / 审核 / 批准, names and dates);
- the revision log (修订记录) as a table, one change a line, and under it the decisions on records and
  distribution (记录与发放的决定), as the page lists them;
- every section in the order and with the numbers of the procedure page (``render/outline.py``):
  clauses with their own numbers (typed, not Word lists, so they survive any editor), the title in
  bold; the flowchart as a picture; steps, documents, forms and records as tables (a record of a
  form shows what the form states, as the page does: its owner, storage, retention, disposal).

Texts are data: python-docx writes them as XML text (escaped by lxml); control characters were
refused when the source was read. A marked gap prints as "待定：…" / "To be determined: …".
"""
from __future__ import annotations

import io

from ..source.labels import label
from ..source.model import Clause, Gap, Procedure, Text
from .outline import outline

CJK_FONT = "Noto Sans CJK SC"  # the site's and PDFs' font (fonts-noto-cjk); Word substitutes one it has


def _t(text: Text | None, lang: str) -> str:
    if text is None:
        return ""
    return str(text[lang]) if isinstance(text, Gap) else text[lang]


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES): Word and LibreOffice compute it on every page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def char(kind: str):
        run = OxmlElement("w:r")
        fld = OxmlElement("w:fldChar")
        fld.set(qn("w:fldCharType"), kind)
        run.append(fld)
        return run

    paragraph._p.append(char("begin"))
    run = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run.append(instr)
    paragraph._p.append(run)
    paragraph._p.append(char("separate"))
    placeholder = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    placeholder.append(text)
    paragraph._p.append(placeholder)
    paragraph._p.append(char("end"))


def _page_x_of_y(paragraph, lang: str) -> None:
    template = str(label("page_x_of_y", lang))
    before, _, rest = template.partition("{page}")
    middle, _, after = rest.partition("{pages}")
    paragraph.add_run(before)
    _field(paragraph, "PAGE")
    paragraph.add_run(middle)
    _field(paragraph, "NUMPAGES")
    paragraph.add_run(after)


def _fonts(document) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Header", "Footer"):
        try:
            style = document.styles[name]
        except KeyError:
            continue
        style.font.name = CJK_FONT
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.append(fonts)
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attr), CJK_FONT)
        if name == "Normal":
            style.font.size = Pt(10.5)


def _table(document, rows: list[list[str]], header: bool = True, widths: tuple[float, ...] = ()):
    """A ruled table; ``widths`` in cm per column (else Word shares the width out evenly)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
    table.style = "Table Grid"
    if widths:
        table.autofit = False
        for column, width in zip(table.columns, widths):
            column.width = Cm(width)
            for cell in column.cells:
                cell.width = Cm(width)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            cell = table.cell(r, c)
            lines = str(value).split("\n")
            cell.paragraphs[0].text = lines[0]
            for line in lines[1:]:
                cell.add_paragraph(line)
            if header and r == 0:
                for run in cell.paragraphs[0].runs:
                    run.bold = True
    if header:  # the heading row repeats on every page the table runs over
        tr_pr = table.rows[0]._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        tr_pr.append(repeat)
    return table


def _lines(paragraph, text: str, bold: bool = False) -> None:
    from docx.enum.text import WD_BREAK

    for i, line in enumerate(text.split("\n")):
        if i:
            paragraph.add_run().add_break(WD_BREAK.LINE)
        run = paragraph.add_run(line)
        run.bold = bold or None


class _Writer:
    def __init__(self, proc: Procedure, lang: str, status: str, printed: str, chart_png: bytes | None):
        import docx

        self.proc, self.lang, self.status, self.printed, self.chart_png = proc, lang, status, printed, chart_png
        self.doc = docx.Document()
        _fonts(self.doc)
        self.numbers = outline(proc)

    def L(self, key: str) -> str:  # noqa: N802 - a label, as templates write it
        return str(label(key, self.lang))

    def heading(self, key: str, title: str | None = None) -> None:
        number = self.numbers.get(key)
        text = title or self.L({"documents": "document_flow"}.get(key, key))
        prefix = f"{number} " if self.numbers.get("numbered") and number else ""
        self.doc.add_paragraph(f"{prefix}{text}", style="Heading 1").paragraph_format.keep_with_next = True

    def para(self, text: str, bold_lead: str = "", style: str | None = None):
        paragraph = self.doc.add_paragraph(style=style)
        if bold_lead:
            paragraph.add_run(bold_lead).bold = True
        if text:
            _lines(paragraph, text)
        return paragraph

    # -- page furniture ---------------------------------------------------------------------

    def header_footer(self) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        from .printable import running_header_text

        from docx.shared import Cm

        section = self.doc.sections[0]
        section.page_width, section.page_height = Cm(21), Cm(29.7)  # A4, as the PDFs
        section.left_margin = section.right_margin = Cm(2)
        section.top_margin, section.bottom_margin = Cm(2.5), Cm(2)
        header = section.header
        first = header.paragraphs[0]
        first.text = _t(self.proc.title, self.lang)
        first.runs[0].bold = True
        line = header.add_paragraph(running_header_text(self.proc, self.lang, self.status))
        line.alignment = WD_ALIGN_PARAGRAPH.LEFT
        pages = header.add_paragraph()
        pages.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _page_x_of_y(pages, self.lang)
        footer = section.footer.paragraphs[0]
        footer.text = f"{label('uncontrolled', 'zh')} / {label('uncontrolled', 'en')}　{label('generated', 'zh')} / " \
                      f"{label('generated', 'en')} {self.printed}"

    # -- cover and log ----------------------------------------------------------------------

    def cover(self) -> None:
        proc, L = self.proc, self.L
        self.doc.add_paragraph(_t(proc.title, self.lang), style="Title")
        rows = [[L("number"), proc.number or "", L("version"), proc.version],
                [L("effective_date"), proc.effective_date or "", L("revision_state"), L(f"state_{self.status}")]]
        if proc.department is not None or proc.review_due:
            rows.append([L("department"), _t(proc.department, self.lang), L("review_due"), proc.review_due or ""])
        if proc.distribution or proc.distribution.gap is not None:
            rows.append([L("distribution"), self.recipients(), "", ""])
        table = _table(self.doc, rows, header=False)
        if rows[-1][0] == L("distribution"):  # the list runs across the row, as on the page's header
            last = table.rows[-1].cells
            last[1].merge(last[3]).text = rows[-1][1]
        self.doc.add_paragraph()
        approval = proc.approval
        lines = approval.lines() if approval else [("drafted_by", None), ("reviewed_by", None), ("approved_by", None)]
        _table(self.doc, [["", *(L(key) for key, _ in lines)],
                          [L("name"), *((sig.name or "") if sig else "" for _, sig in lines)],
                          [L("date"), *((sig.date or "") if sig else "" for _, sig in lines)]])
        if proc.self_approval_reason is not None:
            self.para(_t(proc.self_approval_reason, self.lang), f"{L('self_approval_reason')}：" if self.lang == "zh"
                      else f"{L('self_approval_reason')}: ")

    def revision_log(self) -> None:
        L = self.L
        self.doc.add_paragraph(L("revision_log"), style="Heading 1")
        rows = [[L("revision_status"), L("date"), L("changes"), L("changed_by"), L("reviewer"), L("approver")]]
        for rev in self.proc.revisions:
            rows.append([rev.version, rev.date or "", "\n".join(_t(c, self.lang) for c in rev.changes),
                         rev.changed_by or "", rev.reviewed_by or "", rev.approved_by or ""])
        _table(self.doc, rows, widths=(1.8, 2.2, 7.3, 1.9, 1.9, 1.9))
        if any(rev.decisions for rev in self.proc.revisions):  # as the page lists them, under the log
            self.doc.add_paragraph(L("decisions"), style="Heading 2").paragraph_format.keep_with_next = True
            rows = [[L("revision_status"), L("decision_about"), L("decision_source"), L("decision_text"), L("decided_by")]]
            rows += [[rev.version, self.decision_subject(d), _t(d.source, self.lang), _t(d.decision, self.lang),
                      d.decided_by or ""] for rev in self.proc.revisions for d in rev.decisions]
            _table(self.doc, rows, widths=(1.6, 3.4, 4.4, 5.6, 2.0))

    def decision_subject(self, decision) -> str:
        """What a decision is about, as the page says it: "QR-SD10-01 销售订单：存放地点、保存期限" or "发放范围"."""
        lang = self.lang
        fields = ("、" if lang == "zh" else ", ").join(self.L(f"field_{f}") for f in decision.fields)
        if decision.record is None:
            return fields
        item = next((f for f in self.proc.forms if f.number == decision.record), None) or next(
            (r for r in self.proc.records if r.number == decision.record), None)
        title = _t(item.title, lang) if item is not None and item.title is not None else ""
        return f"{decision.record} {title}{'：' if lang == 'zh' else ': '}{fields}"

    # -- sections -----------------------------------------------------------------------------

    def sections(self) -> None:
        proc, lang, L = self.proc, self.lang, self.L
        for key in ("purpose", "scope"):
            text = getattr(proc, key)
            if text is not None:
                self.heading(key)
                self.para(_t(text, lang))
        if proc.responsibilities:
            self.heading("responsibilities")
            if proc.responsibilities.gap is not None:
                self.para(_t(proc.responsibilities.gap, lang))
            for item in proc.responsibilities:
                if item.text is None and not item.items and item.gap is not None:
                    # the source's silence on who, as the gap it is: "岗位：待定：…"
                    self.para(f"{L('role')}{'：' if lang == 'zh' else ': '}{_t(item.gap, lang)}", style=self.item_style(2))
                    continue
                self.clause(item.number, None, item.text, item.items, 2)
        if proc.definitions:
            self.heading("definitions")
            if proc.definitions.gap is not None:
                self.para(_t(proc.definitions.gap, lang))
            colon = "：" if lang == "zh" else ": "
            for item in proc.definitions:
                number = f"{item.number} " if item.number else ""
                self.para(f"{colon}{_t(item.definition, lang)}" if item.definition else "", f"{number}{_t(item.term, lang)}")
        if proc.objectives is not None:
            self.heading("objectives")
            if proc.objectives.statement is not None:
                self.para(_t(proc.objectives.statement, lang))
            letters = list(proc.objectives.aspects)
            if letters:
                _table(self.doc, [[L(f"aspect_{a}") for a in letters],
                                  [_t(proc.objectives.aspects[a], lang) for a in letters]])
        if self.numbers.get("roles"):
            self.heading("roles")
            self.para(("、" if lang == "zh" else ", ").join(_t(r.name, lang) for r in proc.roles))
        if proc.externals:
            self.para(("、" if lang == "zh" else ", ").join(_t(x.name, lang) for x in proc.externals),
                      f"{L('externals')}：" if lang == "zh" else f"{L('externals')}: ")
        if proc.control_points:
            self.heading("control_points")
            for point in proc.control_points:
                self.para(_t(point.text, lang))
        if proc.clauses:
            self.heading("clauses", _t(proc.clauses_title, lang) if proc.clauses_title is not None else None)
            if proc.clauses.gap is not None:
                self.para(_t(proc.clauses.gap, lang))
            for clause in proc.clauses:
                self.clause(clause.number, clause.title, clause.text, clause.items, 2)
        if proc.steps:
            self.flow()
        if proc.documents:
            self.heading("documents")
            rows = [[L("document"), L("producer"), L("content"), L("recipient"), L("deadline")]]
            for doc in proc.documents:
                rows.append([_t(doc.title, lang), self.party(doc.producer, doc.gaps.get("producer")),
                             _t(doc.content, lang),
                             ("、" if lang == "zh" else ", ").join(self.party(r) for r in doc.recipients)
                             or self.party(None, doc.gaps.get("recipient")), _t(doc.deadline, lang)])
            _table(self.doc, rows, widths=(3.2, 2.8, 4.7, 2.8, 3.5))
        if proc.forms:
            self.heading("forms")
            rows = [[L("form_number"), L("form"), L("version"), L("keeper"), L("retention"), L("storage"), L("disposal")]]
            rows += [[f.number, _t(f.title, lang), f.version, self.party(f.owner, f.gaps.get("owner")), _t(f.retention, lang),
                      _t(f.storage, lang), _t(f.disposal, lang)] for f in proc.forms]
            _table(self.doc, rows, widths=(2.6, 3.4, 1.4, 2.2, 2.8, 2.6, 2.0))
            for form in proc.forms:
                self.form(form)
        if proc.references or proc.related_documents:
            self.heading("references", self.L("related_documents"))
            for ref in proc.references:
                self.para(f"{ref.number + ' ' if ref.number else ''}《{_t(ref.title, lang)}》" if lang == "zh"
                          else f"{ref.number + ' ' if ref.number else ''}{_t(ref.title, lang)}")
            if proc.related_documents.gap is not None:
                self.para(_t(proc.related_documents.gap, lang))
            for doc in proc.related_documents:
                number = f"{doc.number} " if doc.number else ""
                self.para(f"{number}《{_t(doc.title, lang)}》" if lang == "zh" else f"{number}{_t(doc.title, lang)}")
        if proc.records:
            self.heading("records")
            if proc.records.gap is not None:
                self.para(_t(proc.records.gap, lang))
            rows = [[L("record"), L("record_number"), L("keeper"), L("retention"), L("storage"), L("disposal")]]
            for rec in proc.records:
                form = proc.form(rec.form) if rec.form else None
                title = _t(form.title, lang) if form is not None else _t(rec.title, lang)
                if rec.clause:  # the source's clause that names it, as the page shows it
                    title += f"\n{L('clause_no')} {rec.clause}"
                # a record of a form: what the form says, unless the record says it (as the page shows it)
                own = not (form is not None and not (rec.keeper or rec.gaps.get("keeper") or rec.retention
                                                     or rec.storage or rec.disposal))
                held = rec if own else form
                keeper = self.party(rec.keeper, rec.gaps.get("keeper")) if own else \
                    self.party(form.owner, form.gaps.get("owner"))
                rows.append([title, rec.number or (form.number if form is not None else ""), keeper,
                             _t(held.retention, lang), _t(held.storage, lang), _t(held.disposal, lang)])
            if len(rows) > 1:
                _table(self.doc, rows, widths=(4.0, 2.2, 2.6, 2.6, 2.6, 3.0))

    def clause(self, number: str | None, title: Text | None, text: Text | None, items, depth: int) -> None:
        """A clause: its own number typed, its title in bold, its text; nested items below it."""
        lang = self.lang
        lead = " ".join(p for p in (number or "", _t(title, lang)) if p)
        body = _t(text, lang)
        # Each clause's style says its depth ("Clause item 3"): the import nests it there, whatever its
        # number says (a list 1, 2, 3 inside clause 1.3 is not clauses 1, 2, 3).
        if not lead and not body and items:  # a group of items with no number, title or text of its own
            self.para("", style=self.item_style(depth, title=True))
        elif lead and not body and title is not None:
            self.para("", lead, style=self.item_style(depth, title=True)).paragraph_format.keep_with_next = True
        elif title is not None:
            self.para(body, lead + ("　" if lang == "zh" else " "), style=self.item_style(depth))  # the bold title, a space
        else:
            self.para(f"{number} {body}" if number else body, style=self.item_style(depth))
        for item in items:
            if isinstance(item, Clause):
                self.clause(item.number, item.title, item.text, item.items, depth + 1)
            else:  # pragma: no cover - items are clauses in the model
                self.para(_t(item, lang))

    def form(self, form) -> None:
        """A blank form under its caption (number, title, version): header boxes, the ruled table with
        its rows, footer boxes, as the form's page shows them."""
        lang = self.lang
        version = f"（{form.version}）" if lang == "zh" else f" ({form.version})"
        caption = self.doc.add_paragraph(f"{form.number} {_t(form.title, lang)}{version}", style="Heading 2")
        caption.paragraph_format.keep_with_next = True
        if form.header_fields:
            _table(self.doc, [[_t(f.label, lang), ""] for f in form.header_fields], header=False, widths=(5.0, 12.0))
        if form.table_columns:
            columns = [_t(f.label, lang) for f in form.table_columns]
            _table(self.doc, [columns] + [[""] * len(columns) for _ in range(form.rows or 1)])
        if form.footer:
            _table(self.doc, [[_t(f.label, lang), ""] for f in form.footer], header=False, widths=(5.0, 12.0))

    def item_style(self, depth: int, title: bool = False) -> str:
        """The paragraph style "Clause item <depth>" (indented by depth) or, for a clause that is a title
        only, "Clause title <depth>" (bold, a heading level in Word's outline), made on first use."""
        from docx.enum.style import WD_STYLE_TYPE
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Cm

        name = f"Clause {'title' if title else 'item'} {depth}"
        if name not in [s.name for s in self.doc.styles]:
            style = self.doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = self.doc.styles["Normal"]
            style.paragraph_format.left_indent = Cm(0.6 * (depth - 2)) if depth > 2 else Cm(0)
            if title:
                style.font.bold = True
                style.paragraph_format.space_before = Cm(0.2)
                outline = OxmlElement("w:outlineLvl")
                outline.set(qn("w:val"), str(min(depth - 1, 8)))
                style.element.get_or_add_pPr().append(outline)
        return name

    def recipients(self) -> str:
        """The distribution list as the page's header says it: departments, roles and outside parties,
        each with its note in brackets; or its gap."""
        proc, lang = self.proc, self.lang
        if proc.distribution.gap is not None:
            return _t(proc.distribution.gap, lang)
        names = []
        for entry in proc.distribution:
            ident = entry.role or entry.external
            name = self.party(ident) if ident else _t(entry.department, lang)
            if entry.note is not None:
                name += f"（{_t(entry.note, lang)}）" if lang == "zh" else f" ({_t(entry.note, lang)})"
            names.append(name)
        return ("、" if lang == "zh" else ", ").join(names)

    def party(self, party_id: str | None, gap: Gap | None = None) -> str:
        if gap is not None:
            return _t(gap, self.lang)
        party = self.proc.party(party_id)
        return _t(party.name, self.lang) if party is not None else (party_id or "")

    def flow(self) -> None:
        from docx.shared import Cm

        proc, lang, L = self.proc, self.lang, self.L
        self.heading("flowchart")
        if self.chart_png:
            from docx.image.image import Image

            image = Image.from_blob(self.chart_png)
            # as wide as the text, unless that makes it taller than the page's text area
            size = {"width": Cm(16)} if image.px_height * 16 <= image.px_width * 21 else {"height": Cm(21)}
            self.doc.add_paragraph().add_run().add_picture(io.BytesIO(self.chart_png), **size)
        self.heading("steps")
        # "Next" only where the flow is more than one step after another: decisions, branches, ends
        branching = any(step.next or step.decision is not None or step.parallel or step.join for step in proc.steps)
        rows = [[L("step"), L("description"), L("owner"), L("outputs")] + ([L("next")] if branching else [])]
        for step in proc.steps:
            lines = [_t(step.description, lang)] if step.description is not None else []
            lines += [f"{s.number} {_t(s.text, lang)}" if s.number else f"• {_t(s.text, lang)}" for s in _flat(step.substeps)]
            outputs = [self.output(o) for o in step.outputs] + [_t(t, lang) for t in step.output_texts]
            owner = self.party(step.owner, step.gaps.get("owner"))
            rows.append([self.step_name(step), "\n".join(lines), owner, ("、" if lang == "zh" else ", ").join(outputs)]
                        + (["\n".join(self.next_lines(step))] if branching else []))
        _table(self.doc, rows, widths=(2.6, 6.4, 2.4, 2.8, 2.8) if branching else (3.0, 7.9, 2.7, 3.4))

    def step_name(self, step) -> str:
        return f"{step.clause or step.number} {_t(step.title, self.lang)}"

    def next_lines(self, step) -> list[str]:
        """What follows the step, as its page says it: the decision's question, each answer and where it
        leads (a step, or an end), parallel branches, a join."""
        lang, L, colon = self.lang, self.L, "：" if self.lang == "zh" else ": "
        lines = [f"{L('decision')}{colon}{_t(step.decision, lang)}"] if step.decision is not None else []
        if step.join:
            lines.append(L("joins"))
        for link in self.proc.successors(step):
            target = self.proc.step(link.target)
            end = self.proc.end(link.target) if target is None else None
            name = self.step_name(target) if target is not None else (
                _t(end.title, lang) if end is not None and end.title is not None else L("end"))
            lines.append(f"{_t(link.when, lang)}{colon}{name}" if link.when is not None else f"→ {name}")
        if step.parallel:
            lines.append(f"（{L('in_parallel')}）" if lang == "zh" else f"({L('in_parallel')})")
        return lines

    def output(self, output_id: str) -> str:
        doc = self.proc.document(output_id)
        form = self.proc.form(output_id)
        if doc is not None and doc.title is not None:
            return _t(doc.title, self.lang)
        return _t(form.title, self.lang) if form is not None else output_id

    def bytes(self) -> bytes:
        self.header_footer()
        self.cover()
        self.revision_log()
        self.sections()
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


def _flat(substeps):
    for sub in substeps:
        yield sub
        yield from _flat(sub.substeps)


def procedure_docx(proc: Procedure, lang: str, status: str, printed: str, chart_png: bytes | None = None) -> bytes:
    """The controlled copy of ``proc`` in ``lang`` as a .docx. ``status``: the revision's state (a
    ``control.lifecycle.State`` value) for the header; ``printed``: the date the copy is made;
    ``chart_png``: the flowchart (``Graphviz.png``) for a procedure with steps."""
    return _Writer(proc, lang, status, printed, chart_png).bytes()
