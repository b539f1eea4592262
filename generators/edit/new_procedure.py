"""A new 程序文件 from the standard template: a skeleton that checks, with every section still to write
marked to be determined (``tbd``), so nothing is invented and ``check`` lists what is left to do."""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from ..source.writer import atomic_write


class NewProcedureError(Exception):
    pass


NUMBER = re.compile(r"[A-Z][A-Z0-9]*(?:[-.][A-Z0-9]+)+")
SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")


def _q(text: str) -> str:
    """A YAML scalar for any text: JSON strings are YAML, and quoting keeps commas and colons whole."""
    return json.dumps(text, ensure_ascii=False)


def skeleton(number: str, title_zh: str, title_en: str, drafted_by: str, reviewed_by: str, approved_by: str,
             today: dt.date, schema: str) -> str:
    """The text of a new procedure (A/0): header, approval, revision entry, and the standard sections
    (目的, 范围, 职责, 术语和定义, 工作程序, 相关文件, 记录), each a marked ``tbd`` to write."""
    day = today.isoformat()
    review = today.replace(year=today.year + 1) if not (today.month == 2 and today.day == 29) else today + dt.timedelta(days=365)

    def tbd(zh: str, en: str) -> str:
        return f"{{tbd: {{zh: {_q(zh)}, en: {_q(en)}}}}}"

    return f"""# yaml-language-server: $schema={schema}
#
# {title_zh} / {title_en}: made by `.venv/bin/procedures new`. Every section marked tbd is still to write:
# `make check V=1` lists them (one [gap] warning each) until they are written.
number: {number}
version: A/0
title: {{zh: {_q(title_zh)}, en: {_q(title_en)}}}
effective_date: {day}  # when it takes effect
review_due: {review.isoformat()}  # the next periodic review
approval:  # set each date when that person has signed
  drafted_by: {{name: {_q(drafted_by)}, date: {day}}}
  reviewed_by: {{name: {_q(reviewed_by)}, date: {day}}}
  approved_by: {{name: {_q(approved_by)}, date: {day}}}
revisions:
  - version: A/0
    date: {day}
    changes:
      - {{zh: 首次发布。, en: First issue.}}
    changed_by: {_q(drafted_by)}
    reviewed_by: {_q(reviewed_by)}
    approved_by: {_q(approved_by)}

# 1 目的
purpose: {tbd("写明本程序的目的", "state the purpose of this procedure")}

# 2 范围
scope: {tbd("写明适用范围", "state what the procedure applies to")}

# 3 职责: one entry per role, {{number, role, text}}; declare each role under roles:
responsibilities:
  - number: '3.1'
    role: owner
    text: {tbd("写明归口部门的职责", "state the owning department's responsibilities")}

# 4 术语和定义
definitions: {tbd("列出本程序使用的术语，或写明无", "list the terms this procedure uses, or say there are none")}

roles:
  - id: owner
    name: {tbd("归口部门或岗位", "the owning department or position")}

# 5 工作程序: numbered clauses {{number, title, text, items}}; a clause that is a step of the flow
# names it with step: <step id> (add steps:, starts: and ends: for the flowchart)
clauses:
  - number: '5.1'
    title: {tbd("第一条工作程序的标题", "the first clause's heading")}
    text: {tbd("写明第一条工作程序", "write the first clause")}

# 6 相关文件: {{kind: procedure, document, standard, regulation or external, number, title, edition}}
related_documents: {tbd("列出相关文件", "list the related documents")}

# 7 记录: {{form or title, keeper, retention, storage, disposal}}
records: {tbd("列出本程序产生的记录", "list the records this procedure produces")}
"""


def create(path: Path, number: str, title_zh: str, title_en: str, drafted_by: str, reviewed_by: str,
           approved_by: str, today: dt.date) -> Path:
    """Write the skeleton at ``path`` (never over an existing file)."""
    if path.suffix != ".yaml" or not SLUG.fullmatch(path.stem):
        raise NewProcedureError(f"'{path}': the file name is the page's address: lower-case letters, digits and '-', "
                                "ending in .yaml (e.g. procedure/corrective-action.yaml)")
    if path.exists() or path.is_symlink():
        raise NewProcedureError(f"'{path}' already exists: a new procedure never overwrites a file")
    if not NUMBER.fullmatch(number):
        raise NewProcedureError(f"number '{number}' does not follow the pattern PREFIX-PART[-PART] (e.g. QP-ZL-10)")
    if not title_zh.strip() or not title_en.strip():
        raise NewProcedureError("give the title in Chinese (--title) and English (--title-en)")
    if len({drafted_by.strip(), reviewed_by.strip(), approved_by.strip()}) < 3:
        raise NewProcedureError("drafted by, reviewed by and approved by are three different people")
    if not path.parent.is_dir():
        raise NewProcedureError(f"folder '{path.parent}' does not exist")
    schema_file = Path(__file__).resolve().parents[1] / "schema" / "procedure.schema.json"
    try:
        schema = Path(_relative(schema_file, path.parent.resolve()))
    except ValueError:
        schema = schema_file
    atomic_write(path, skeleton(number, title_zh.strip(), title_en.strip(), drafted_by.strip(), reviewed_by.strip(),
                                approved_by.strip(), today, schema.as_posix()).encode("utf-8"))
    return path


def _relative(target: Path, start: Path) -> str:
    import os

    return os.path.relpath(target, start)
