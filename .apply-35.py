#!/usr/bin/env python3
"""Issue 35, run once from a checkout root (then deleted): one new revision of each procedure that
needs it, adding its distribution list and putting its records under control (number, owner,
storage, retention, disposal; declared once), with every decision recorded in the revision entry.

    PYTHONPATH=$PWD .venv/bin/python .apply-35.py [--date YYYY-MM-DD] [--dry-run]

Nothing is invented. What the seed (tests/fixtures/seed/) says is cited in each decision's
``source``; where it is silent, the field stays a marked gap (待定) and the decision says so, who
decided (the approver of the procedure's previous revisions, who approves this one) and why. The
only values decided are: the distribution (the procedure's owner department and every role it
names, since each must work to it), record numbers (the library's form-numbering rule), and a
record's owner where the seed says who makes it (or the step that makes it has an owner).

The new revisions take effect on 2027-01-04; they are dated and approved (header block and entry)
on --date (default: today, and not before the procedure's newest entry). A procedure whose check
already passes the issue-35 rules is left alone. Run ``python -m generators check`` after it.
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import re
import subprocess
import sys
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

ROOT = Path.cwd()
sys.path.insert(0, str(ROOT))

from generators.source.loader import load_file, load_shared  # noqa: E402
from generators.rules.header import NUMBER_PATTERN  # noqa: E402

EFFECTIVE = dt.date(2027, 1, 4)
CODES = ("distribution-missing", "record-incomplete", "record-decision", "record-number", "record-declared-twice",
         "distribution-incomplete")

# A record's owner where the seed says who makes or keeps it, or the step that makes it has an owner:
# (procedure number, record title) -> (role id, what the seed says (zh, en), why this role (zh, en)).
OWNERS = {
    ("QP-XS-01", "成交客户档案"): ("project-sales-supervisor",
        ("原文2.1：现场客户接待中，对成交客户“填写《成交客户档案》”；未写由谁保管。",
         "The source, 2.1: for a closed deal at the sales office the closed-deal customer file is filled in; it does not say who keeps it."),
        ("由步骤2“销售”的负责人项目销售主管保管：记录在该步骤形成。",
         "Kept by the Project Sales Supervisor, owner of step 2 (sales), where the record is made.")),
    ("QP-XS-01", "到访客户意向登记表"): ("project-sales-supervisor",
        ("原文2.2：对未成交客户“填写《到访客户意向登记表》”；未写由谁保管。",
         "The source, 2.2: for a visitor who does not buy, the visitor intention register is filled in; it does not say who keeps it."),
        ("由步骤2“销售”的负责人项目销售主管保管：记录在该步骤形成。",
         "Kept by the Project Sales Supervisor, owner of step 2 (sales), where the record is made.")),
    ("QP-XS-01", "客户跟踪档案"): ("project-sales-supervisor",
        ("原文2.2：跟踪客户意见反馈，“建立《客户跟踪档案》”；未写由谁保管。",
         "The source, 2.2: customer feedback is followed up and a customer follow-up file is opened; it does not say who keeps it."),
        ("由步骤2“销售”的负责人项目销售主管保管：记录在该步骤形成。",
         "Kept by the Project Sales Supervisor, owner of step 2 (sales), where the record is made.")),
    **{("QP-XS-01", title): ("project-planning-supervisor",
        ("原文4.1：“项目策划主管定期组织完成阶段性的《广告效果分析小结》、《活动推广效果分析小节》、《包装效果分析小节》”；未写保管。",
         "The source, 4.1: the Project Planning Supervisor regularly has the advertising, promotion and presentation effectiveness summaries completed; it does not say who keeps them."),
        ("由完成该小结的项目策划主管保管。", "Kept by the Project Planning Supervisor, who completes it."))
       for title in ("广告效果分析小结", "活动推广效果分析小结", "包装效果分析小结")},
    **{("QP-XS-01", title): ("project-planning-supervisor",
        ("原文4.2：“项目策划主管汇合《到访、成交客户分析》、《产品销售分析》”；未写保管。",
         "The source, 4.2: the Project Planning Supervisor compiles the visitor and closed-deal analysis and the product sales analysis; it does not say who keeps them."),
        ("由汇合该分析的项目策划主管保管。", "Kept by the Project Planning Supervisor, who compiles it."))
       for title in ("到访、成交客户分析", "产品销售分析")},
    ("HDSS-CX-14", "特殊合同审批的相关记录"): ("hdss-sales-dept",
        ("原文：特殊合同“由销售部实施，并保持相关记录”。", "The source: special contracts are carried out by the Sales Department, which keeps the related records."),
        ("由销售部保管，如原文所写。", "Kept by the Sales Department, as the source says.")),
    ("HDSS-CX-14", "合同更改记录"): ("hdss-sales-rep",
        ("原文：合同更改时“待顾客确认后，实施更改并做好记录”；未写由谁记录和保管。",
         "The source: once the customer confirms, the change is made and recorded; it does not say who records or keeps it."),
        ("由步骤4“合同更改”的负责人业务员保管：记录在该步骤形成。",
         "Kept by the sales representative, owner of step 4 (contract change), where the record is made.")),
    ("HDSS-CX-14", "跟踪回访时顾客提出的质量问题记录"): ("hdss-sales-dept",
        ("原文：“对于在跟踪回访时顾客提出的质量问题，销售部应做好记录”。",
         "The source: the Sales Department records the quality problems customers raise at follow-up."),
        ("由销售部保管，如原文所写。", "Kept by the Sales Department, as the source says.")),
    ("QP-XS-03", "成交客户登记表"): ("grp-sales-consultant",
        ("原文5.1.2 2)：置业顾问完成成交客户的信息采集，“填写《成交客户登记表》”；未写保管。",
         "The source, 5.1.2 2): the sales consultant collects the closed-deal customer's details and fills in the register; it does not say who keeps it."),
        ("由填写该登记表的置业顾问保管。", "Kept by the sales consultant, who fills it in.")),
}

# What the seed says of a record whose owner it names (the transcription already keeps that owner).
QUOTES = {
    ("QP-XS-02", "审批过的合同/订单"): ("原文6：“所有审批过的合同/订单都需要归档以供日后查询”，由销售人员归档。",
                                   "The source, 6: every approved contract or order is filed for later retrieval, by the sales staff."),
    ("SD-11", "采购发票和凭证"): ("原文：“采购发票和凭证等应妥善保存，以备后续审计和核对”。",
                            "The source: purchase invoices and vouchers are kept safe for later audit and checking."),
    ("SD-13", "发货记录"): ("原文4.2.3：库房保管人员按出库（发货）单发货，“做好记录”。",
                        "The source, 4.2.3: the storekeeper ships as the delivery note says and keeps a record."),
}

FIELD_ZH = {"owner": "保管人", "storage": "存放地点", "retention": "保存期限", "disposal": "处置方式"}
FIELD_EN = {"owner": "owner", "storage": "storage place", "retention": "retention period", "disposal": "disposal"}
GAP_NOTE = {"owner": ("原文未规定保管人。", "The source names no owner."),
            "storage": ("原文未规定存放地点。", "The source gives no storage place."),
            "retention": ("原文未规定保存期限。", "The source gives no retention period."),
            "disposal": ("原文未规定处置方式。", "The source gives no disposal.")}


def flow(mapping) -> CommentedMap:
    node = CommentedMap(mapping)
    node.fa.set_flow_style()
    return node


def text(zh: str, en: str) -> CommentedMap:
    return flow({"zh": zh, "en": en})


def gap(field: str) -> CommentedMap:
    return flow({"gap": text(*GAP_NOTE[field])})


def is_gap(value) -> bool:
    return isinstance(value, dict) and ("gap" in value or "tbd" in value)


def unstructured(item, field: str) -> bool:
    """A retention given as a plain text (no trigger) or a disposal as a text (no method): the source's
    words are kept in a gap's note, since the trigger or method cannot be read from them."""
    value = item.get(field)
    if not isinstance(value, dict) or is_gap(value) or "zh" not in value:
        return False
    kind = "起算时间" if field == "retention" else "处置方式类别（销毁、归档或移交）"
    kind_en = "from when it runs" if field == "retention" else "whether it is destroyed, archived or handed over"
    item[field] = flow({"gap": text(f"原文为“{value['zh']}”，未写{kind}。",
                                    f"The source gives “{value['en']}” without saying {kind_en}.")})
    return True


def zh_list(items) -> str:
    return "、".join(items)


def en_list(items) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def codes_of(path: Path) -> set[str]:
    out = subprocess.run([sys.executable, "-m", "generators", "check", "--today", EFFECTIVE.isoformat(), str(path)],
                         capture_output=True, text=True, cwd=ROOT)
    return set(re.findall(r"\[([a-z-]+)\]$", out.stdout, re.M))


def record_prefix(number: str) -> str:
    if re.fullmatch(r"QP-[A-Z]+-\d+", number):
        return "QR-" + number[3:]
    found = re.fullmatch(r"SD-(\d+)", number)
    if found:
        return f"QR-SD{found.group(1)}"
    parts = number.split("-")
    return "QR-" + "-".join([parts[0], "".join(parts[1:])]) if len(parts) > 1 else "QR-" + number


def all_numbers(folder: Path) -> set[str]:
    shared, _ = load_shared(folder)
    numbers = set()
    for path in folder.glob("[!_]*.yaml"):
        proc, _ = load_file(path, shared)
        if proc is not None:
            numbers |= {f.number for f in proc.forms} | {r.number for r in proc.records if r.number}
    return numbers


def en_or(items) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def bump_form_version(version: str) -> str:
    letter, amendment = version.split("/")
    return f"{letter}/{int(amendment) + 1}"


def apply(path: Path, approval_date: dt.date | None, taken: set[str], dry_run: bool) -> str | None:
    codes = codes_of(path) & set(CODES)
    if not codes:
        return None
    shared, _ = load_shared(path.parent)
    proc, _ = load_file(path, shared)
    last = proc.revisions[-1]
    people = (last.changed_by, last.reviewed_by, last.approved_by)
    decider = last.approved_by
    review_due = proc.review_due or "—"
    if dry_run:
        return f"{path}: would add a revision ({', '.join(sorted(codes))})"
    subprocess.run([sys.executable, "-m", "generators", "new-revision", str(path), "--today", EFFECTIVE.isoformat()],
                   check=True, cwd=ROOT, capture_output=True)
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    data = yaml.load(path.read_text(encoding="utf-8"))
    changes, decisions = [], []
    open_later_zh = f"保留待定：原文未规定，不臆造；由保管人在下次复审（{review_due}）前提出，经批准后以新版本写入。"
    open_later_en = (f"left to be determined (the source is silent and nothing is made up); the owner proposes them "
                     f"before the next review ({review_due}) and a new revision records them once approved.")

    # --- distribution ------------------------------------------------------------------------
    if not proc.distribution:
        roles = [r for r in proc.roles]
        entries = CommentedSeq()
        names_zh, names_en = [], []
        if (proc.department is not None and not getattr(proc.department, "note", None)
                and all(role.name.zh != proc.department.zh for role in roles)):  # a role may be the department
            entries.append(CommentedMap({"department": text(proc.department.zh, proc.department.en)}))
            names_zh.append(proc.department.zh)
            names_en.append(proc.department.en)
        for role in roles:
            entries.append(CommentedMap({"role": role.id}))  # block style: fix's dump keeps it
            names_zh.append(role.name.zh)
            names_en.append(role.name.en)
        keys = list(data.keys())
        at = keys.index("approval") + 1 if "approval" in keys else len(keys)
        if entries:
            data.insert(at, "distribution", entries)
            decisions.append(CommentedMap([
                ("fields", flow_seq(["distribution"])),
                ("source", text("原文未规定本程序的发放范围。", "The source does not say who receives this procedure.")),
                ("decision", text(
                    f"发放给{zh_list(names_zh)}：{'归口部门和' if len(entries) > len(roles) else ''}本程序列出的各岗位须按本程序工作；"
                    "原文未写向外部相关方发放受控副本，故不向外发放。",
                    f"Distributed to {en_list(names_en)}: {'the owner department and ' if len(entries) > len(roles) else ''}"
                    "every role this procedure names must work to it; the source names no controlled copy for an "
                    "outside party, so none is sent out.")),
                ("decided_by", decider)]))
            changes.append(text(f"增加发放范围：{zh_list(names_zh)}（原文未规定，决定见“记录与发放的决定”）。",
                                f"Distribution list added: {en_list(names_en)} (the source gives none; see the decisions)."))
        else:
            data.insert(at, "distribution", flow({"gap": text("原文未规定发放范围，也未写组织、部门或岗位。",
                                                             "The source names no distribution, organisation, department or role.")}))
            decisions.append(CommentedMap([
                ("fields", flow_seq(["distribution"])),
                ("source", text("原文是一般性文章，未写组织、部门或岗位，也未规定发放范围。",
                                "The source is a general article: it names no organisation, department or role, and no distribution.")),
                ("decision", text(f"发放范围保留待定：不臆造部门；由采用本程序的部门在下次复审（{review_due}）前确定，以新版本写入。",
                                  f"The distribution is left to be determined rather than made up: the department adopting this "
                                  f"procedure sets it before the next review ({review_due}), by a new revision.")),
                ("decided_by", decider)]))
            changes.append(text("增加发放范围：原文未写组织和部门，标为待定（决定见“记录与发放的决定”）。",
                                "Distribution list added: the source names no organisation or department, so it is marked to be determined (see the decisions)."))

    # --- records -----------------------------------------------------------------------------
    prefix = record_prefix(proc.number)
    counter = [0]

    def next_number() -> str:
        while True:
            counter[0] += 1
            candidate = f"{prefix}-{counter[0]:02d}"
            if candidate not in taken:
                taken.add(candidate)
                return candidate

    numbered, completed, bumped_forms, once = [], [], [], []
    for form in data.get("forms") or []:
        if not isinstance(form, dict) or "ref" in form:
            continue
        added = [f for f in ("storage", "disposal") if f not in form]
        added += [f for f in ("retention", "disposal") if f not in added and unstructured(form, f)]
        gaps = [f for f in ("owner", "storage", "retention", "disposal") if f in added or is_gap(form.get(f))]
        for field in reversed([f for f in added if f not in form]):
            form.insert(list(form.keys()).index("retention") + 1 if "retention" in form else len(form), field, gap(field))
        if added:
            form["version"] = bump_form_version(str(form["version"]))
            bumped_forms.append(f"{form['number']} {form['version']}")
        if gaps:
            decisions.append(record_decision(form["number"], gaps, [], None,
                                             ("原文未规定" + zh_list(FIELD_ZH[g] for g in gaps) + "。",
                                              "The source gives no " + en_or(FIELD_EN[g] for g in gaps) + "."),
                                             open_later_zh, open_later_en, decider))
            completed.append(str(form["number"]))
    records = data.get("records")
    for record in records if isinstance(records, list) else []:
        if not isinstance(record, dict):
            continue
        if "form" in record:
            again = [k for k in ("number", "keeper", "retention", "storage", "disposal") if k in record]
            for key in again:
                del record[key]
            if again:
                form = next((f for f in data.get("forms") or [] if isinstance(f, dict) and f.get("id") == record["form"]), {})
                once.append(str(form.get("number", "")))
            continue
        title = str(record["title"]["zh"]) if isinstance(record.get("title"), dict) else ""
        title_en = str(record["title"]["en"]) if isinstance(record.get("title"), dict) else title
        decided, notes_zh, notes_en = [], [], []
        number = str(record["number"]) if record.get("number") is not None else ""
        if not number or not NUMBER_PATTERN.match(number):
            new = next_number()
            if number:
                record.insert(list(record.keys()).index("number") + 1, "clause", number)
                notes_zh.append(f"编号为{new}，原文条款号{number}保留为条款（原文无记录编号，按本库“QR-程序编号-序号”的编号规则编定）")
                notes_en.append(f"numbered {new}, the source's clause {number} kept as its clause (the source numbers no "
                                "record; numbered by the library's rule QR-<procedure>-<nn>)")
                record["number"] = new
            else:
                record.insert(0, "number", new)
                notes_zh.append(f"编号为{new}（原文无记录编号，按本库“QR-程序编号-序号”的编号规则编定）")
                notes_en.append(f"numbered {new} (the source numbers no record; numbered by the library's rule "
                                "QR-<procedure>-<nn>)")
            decided.append("number")
            numbered.append(new)
            number = new
        source_zh, source_en = QUOTES.get((proc.number, title), ("", ""))
        if "keeper" not in record or is_gap(record.get("keeper")):
            owner = OWNERS.get((proc.number, title))
            if owner is not None and proc.role(owner[0]) is not None:
                role_id, (source_zh, source_en), (why_zh, why_en) = owner
                if "keeper" in record:
                    record["keeper"] = role_id
                else:
                    record.insert(list(record.keys()).index("title") + 1 if "title" in record else len(record),
                                  "keeper", role_id)
                notes_zh.append(why_zh.rstrip("。"))
                notes_en.append(why_en[:1].lower() + why_en[1:].rstrip("."))
                decided.append("owner")
            elif "keeper" not in record:
                record.insert(list(record.keys()).index("title") + 1 if "title" in record else len(record), "keeper",
                              gap("owner"))
        for field in ("retention", "storage", "disposal"):
            if field not in record:
                record[field] = gap(field)
            elif field != "storage":
                unstructured(record, field)
        gaps = [f for f, key in (("owner", "keeper"), ("storage", "storage"), ("retention", "retention"),
                                 ("disposal", "disposal")) if is_gap(record.get(key))]
        silent = [FIELD_ZH[g] for g in gaps] + (["记录编号"] if "number" in decided else [])
        silent_en = [FIELD_EN[g] for g in gaps] + (["record number"] if "number" in decided else [])
        if silent:  # what the seed says (on the owner, or the record), and what it is silent on
            source_zh += "原文未规定" + zh_list(silent) + "。"
            source_en = (source_en + " " if source_en else "") + (
                ("It" if source_en else "The source") + " gives no " + en_or(silent_en) + ".")
        if not source_zh:
            source_zh, source_en = "原文已写明各项。", "The source states each of them."
        decisions.append(record_decision(number, gaps, decided, (notes_zh, notes_en), (source_zh, source_en),
                                         open_later_zh, open_later_en, decider))
        completed.append(f"{number} {title}")

    if numbered or completed:
        changes.append(text(
            f"记录控制：{len(completed)}项记录写明编号、保管人、存放地点、保存期限（含起算时间）和处置方式"
            f"{'，新编号' + zh_list(numbered) if numbered else ''}；原文未规定的保留待定，每项的决定见“记录与发放的决定”。",
            f"Record control: {len(completed)} record(s) now state number, owner, storage place, retention period (with "
            f"its trigger) and disposal{', newly numbered ' + en_list(numbered) if numbered else ''}; what the source does "
            "not give stays to be determined, each with its decision (see the decisions)."))
    if bumped_forms:
        changes.append(text(f"表单升版：{zh_list(bumped_forms)}（写明存放地点、保存期限和处置方式；原文未规定的标为待定）。",
                            f"Forms revised: {en_list(bumped_forms)} (storage place, retention period and disposal "
                            "stated; what the source does not give is marked to be determined)."))
    if once:
        changes.append(text(f"记录一览中引用表单（{zh_list(once)}）的条目不再重复其保管人和保存期限：只在表单上写一次。",
                            f"The records list no longer repeats the owner and retention of the forms it names "
                            f"({en_list(once)}): they are stated once, on the form."))

    # --- the revision entry and the approval block --------------------------------------------------
    day = approval_date or dt.date.today()
    newest = max(dt.date.fromisoformat(str(r["date"])) for r in data["revisions"][:-1])
    day = min(max(day, newest), EFFECTIVE)
    data["revisions"][-1] = CommentedMap([
        ("version", data["version"]), ("date", day), ("changes", CommentedSeq(changes)), ("changed_by", people[0]),
        ("reviewed_by", people[1]), ("approved_by", people[2]), ("decisions", CommentedSeq(decisions))])
    for key, name in zip(("drafted_by", "reviewed_by", "approved_by"), people):
        data["approval"][key] = flow({"name": name, "date": dt.date.fromordinal(day.toordinal())})
    out = io.StringIO()
    yaml.dump(data, out)
    path.write_text(out.getvalue(), encoding="utf-8")
    return f"{path}: {data['version']}: {len(changes)} change(s), {len(decisions)} decision(s)"


def flow_seq(items) -> CommentedSeq:
    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def record_decision(number, gaps, decided, notes, source, open_zh, open_en, decider) -> CommentedMap:
    parts_zh, parts_en = (list(notes[0]), list(notes[1])) if notes else ([], [])
    if gaps:
        parts_zh.append(zh_list(FIELD_ZH[g] for g in gaps) + open_zh)
        parts_en.append(en_list(FIELD_EN[g] for g in gaps) + ": " + open_en)
    fields = [f for f in ("number", "owner", "storage", "retention", "disposal") if f in decided or f in gaps]
    return CommentedMap([
        ("record", str(number)), ("fields", flow_seq(fields)), ("source", text(*source)),
        ("decision", text("；".join(p.rstrip("。") for p in parts_zh) + "。",
                          _sentence("; ".join(p.rstrip(".") for p in parts_en)) + ".")),
        ("decided_by", decider)])


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--date", help="the approval date of the new revisions (default: today)")
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args()
    folder = ROOT / "procedure"
    taken = all_numbers(folder)
    day = dt.date.fromisoformat(args.date) if args.date else None
    for path in sorted(folder.glob("[!_]*.yaml")):
        done = apply(path, day, taken, args.dry_run)
        print(done or f"{path}: nothing to do")
    return 0


if __name__ == "__main__":
    sys.exit(main())
