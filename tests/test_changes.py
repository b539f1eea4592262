"""What changed between two revisions (issue 26): every section of a procedure, in procedure terms.

Each case changes one section of tests/fixtures/every-section.yaml (a procedure with every section)
and pins, exactly, the lines the history page and the comparison page list (Chinese, English, and
the texts before and after where a text changed) and the lines the redline marks removed and added
in each language. Exact values: control/changes.py and control/comparison.py are under mutation
testing, and a test that only checks "something came out" lets a mutant through.
"""
from __future__ import annotations

import re

import pytest

from conftest import FIXTURES, ROOT, needs_repository_history, replaced
from generators.control.changes import compare
from generators.control.comparison import outline, redline
from generators.source.loader import load_bytes

BASE = (FIXTURES / "every-section.yaml").read_text(encoding="utf-8")
GOLDEN = ROOT / "tests" / "golden"


def whole(key: str) -> str:
    """The whole top-level section ``key`` of the fixture, as written."""
    return re.search(rf"^{key}:.*?\n(?=[a-z_]+:|\Z)", BASE, re.M | re.S).group(0)


def load(text: str):
    return load_bytes("every-section.yaml", text.encode("utf-8"), "every-section")[0]


def revisions(edits, reverse: bool = False):
    """(old, new): the fixture and the fixture edited; ``reverse``: the edited one is the older."""
    text = BASE
    for edit in edits:
        text = replaced(text, *edit)
    return (load(text), load(BASE)) if reverse else (load(BASE), load(text))


def change_lines(old, new) -> list[tuple]:
    """Each change as (Chinese line, English line), with (text before, text after) where a text changed."""
    return [(c.summary["zh"], c.summary["en"]) + ((c.old, c.new) if c.has_text else ()) for c in compare(old, new)]


def redlined(old, new) -> dict:
    """The lines the redline marks, per language: "− " removed, "+ " added."""
    return {lang: [("− " if line.kind == "removed" else "+ ") + line.text
                   for line in redline(outline(old, lang), outline(new, lang)) if line.kind != "same"]
            for lang in ("zh", "en")}


CASES = [
    pytest.param(
        [("number: QP-T-26", "number: QP-T-27")],
        False,
        [
            ('编号：QP-T-26 → QP-T-27', 'Number: QP-T-26 → QP-T-27'),
        ],
        {"zh": [
            '− QP-T-26 折扣审批程序',
            '+ QP-T-27 折扣审批程序',
        ], "en": [
            '− QP-T-26 Discount approval procedure',
            '+ QP-T-27 Discount approval procedure',
        ]},
        id='number'),
    pytest.param(
        [("review_due: 2099-12-01", "review_due: 2099-12-31")],
        False,
        [
            ('复审日期：2099-12-01 → 2099-12-31', 'Review due: 2099-12-01 → 2099-12-31'),
        ],
        {"zh": [
            '− 复审日期：2099-12-01',
            '+ 复审日期：2099-12-31',
        ], "en": [
            '− Review due: 2099-12-01',
            '+ Review due: 2099-12-31',
        ]},
        id='review date'),
    pytest.param(
        [("title: {zh: 折扣审批程序, en: Discount approval procedure}", "title: {zh: 折扣批准程序, en: Discount approval procedure}")],
        False,
        [
            ('标题修改', 'Title changed', '折扣审批程序', '折扣批准程序'),
        ],
        {"zh": [
            '− QP-T-26 折扣审批程序',
            '+ QP-T-26 折扣批准程序',
        ], "en": [
        ]},
        id='title'),
    pytest.param(
        [("department: {zh: 销售部, en: Sales Department}\neffective_date", "effective_date")],
        False,
        [
            ('归口部门删除', 'Owner department removed', '销售部', None),
        ],
        {"zh": [
            '− 归口部门：销售部',
        ], "en": [
            '− Owner department: Sales Department',
        ]},
        id='department removed'),
    pytest.param(
        [("purpose: {zh: 销售总监批准每一笔折扣。", "purpose: {zh: 销售经理批准每一笔折扣。")],
        False,
        [
            ('目的修改', 'Purpose changed', '销售总监批准每一笔折扣。', '销售经理批准每一笔折扣。'),
        ],
        {"zh": [
            '− 目的：销售总监批准每一笔折扣。',
            '+ 目的：销售经理批准每一笔折扣。',
        ], "en": [
        ]},
        id='purpose'),
    pytest.param(
        [("en: The sales director approves every discount.}", "en: The sales manager approves every discount.}")],
        False,
        [
            ('目的（英文译文）修改', 'Purpose: English translation changed', 'The sales director approves every discount.', 'The sales manager approves every discount.'),
        ],
        {"zh": [
        ], "en": [
            '− Purpose: The sales director approves every discount.',
            '+ Purpose: The sales manager approves every discount.',
        ]},
        id='purpose translation'),
    pytest.param(
        [("purpose: {zh: 销售总监批准每一笔折扣。, en: The sales director approves every discount.}\n", "")],
        True,
        [
            ('目的新增：销售总监批准每一笔折扣。', 'Purpose added: The sales director approves every discount.', None, '销售总监批准每一笔折扣。'),
        ],
        {"zh": [
            '+ 目的：销售总监批准每一笔折扣。',
        ], "en": [
            '+ Purpose: The sales director approves every discount.',
        ]},
        id='purpose added'),
    pytest.param(
        [("scope: {zh: 适用于全部销售合同。, en: Applies to every sales contract.}\n", "")],
        False,
        [
            ('范围删除', 'Scope removed', '适用于全部销售合同。', None),
        ],
        {"zh": [
            '− 范围：适用于全部销售合同。',
        ], "en": [
            '− Scope: Applies to every sales contract.',
        ]},
        id='scope removed'),
    pytest.param(
        [("text: {zh: 批准折扣。, en: Approves discounts.}", "text: {zh: 批准全部折扣。, en: Approves every discount.}")],
        False,
        [
            ('职责 3.1 修改', 'Responsibility 3.1 changed', '批准折扣。', '批准全部折扣。'),
        ],
        {"zh": [
            '− 职责：3.1 销售总监 — 批准折扣。',
            '+ 职责：3.1 销售总监 — 批准全部折扣。',
        ], "en": [
            '− Responsibilities: 3.1 Sales director — Approves discounts.',
            '+ Responsibilities: 3.1 Sales director — Approves every discount.',
        ]},
        id='responsibility text'),
    pytest.param(
        [("    role: director\n", "    role: [director, clerk]\n")],
        False,
        [
            ('职责 3.1 岗位：销售总监 → 销售总监、文员', 'Responsibility 3.1 role: Sales director → Sales director, Clerk'),
        ],
        {"zh": [
            '− 职责：3.1 销售总监 — 批准折扣。',
            '+ 职责：3.1 销售总监、文员 — 批准折扣。',
        ], "en": [
            '− Responsibilities: 3.1 Sales director — Approves discounts.',
            '+ Responsibilities: 3.1 Sales director, Clerk — Approves discounts.',
        ]},
        id='responsibility role'),
    pytest.param(
        [("{number: \"3.1.1\", text: {zh: 审查折扣理由；", "{number: \"3.1.1\", text: {zh: 审查折扣理由和比例；")],
        False,
        [
            ('职责 3.1.1 修改', 'Responsibility 3.1.1 changed', '审查折扣理由；', '审查折扣理由和比例；'),
        ],
        {"zh": [
            '−   3.1.1 审查折扣理由；',
            '+   3.1.1 审查折扣理由和比例；',
        ], "en": [
        ]},
        id='responsibility item'),
    pytest.param(
        [("      - {number: \"3.1.1\", text: {zh: 审查折扣理由；, en: reviews the reason for the discount;}}\n",
                                   "      - {number: \"3.1.1\", text: {zh: 审查折扣理由；, en: reviews the reason for the discount;}}\n"
                                   "      - {zh: 签署申请单。, en: signs the request.}\n")],
        False,
        [
            ('职责 3.1 第 2 项新增', 'Responsibility 3.1 item 2 added', None, '签署申请单。'),
        ],
        {"zh": [
            '+   签署申请单。',
        ], "en": [
            '+   signs the request.',
        ]},
        id='responsibility item added'),
    pytest.param(
        [("text: {zh: 登记折扣。, en: Records discounts.}", "text: {zh: 登记全部折扣。, en: Records discounts.}")],
        False,
        [
            ('职责 文员修改', 'Responsibility Clerk changed', '登记折扣。', '登记全部折扣。'),
        ],
        {"zh": [
            '− 职责：文员 — 登记折扣。',
            '+ 职责：文员 — 登记全部折扣。',
        ], "en": [
        ]},
        id='responsibility by role'),
    pytest.param(
        [("  - role: clerk\n    text: {zh: 登记折扣。, en: Records discounts.}\n", "")],
        False,
        [
            ('职责删除：文员', 'Responsibility removed: Clerk', '登记折扣。', None),
        ],
        {"zh": [
            '− 职责：文员 — 登记折扣。',
        ], "en": [
            '− Responsibilities: Clerk — Records discounts.',
        ]},
        id='responsibility removed'),
    pytest.param(
        [("text: {zh: 复核折扣。, en: Checks discounts.}", "text: {zh: 复核全部折扣。, en: Checks discounts.}")],
        False,
        [
            ('职责 第 3 项修改', 'Responsibility item 3 changed', '复核折扣。', '复核全部折扣。'),
        ],
        {"zh": [
            '− 职责：待定：原文未规定由谁复核。 — 复核折扣。',
            '+ 职责：待定：原文未规定由谁复核。 — 复核全部折扣。',
        ], "en": [
        ]},
        id='responsibility by position'),
    pytest.param(
        [("role: {gap: {zh: 原文未规定由谁复核。, en: The source does not say who checks.}}", "role: director")],
        False,
        [
            ('职责 第 3 项 岗位：待定：原文未规定由谁复核。 → 销售总监', 'Responsibility item 3 role: To be determined: The source does not say who checks. → Sales director'),
        ],
        {"zh": [
            '− 职责：待定：原文未规定由谁复核。 — 复核折扣。',
            '+ 职责：销售总监 — 复核折扣。',
        ], "en": [
            '− Responsibilities: To be determined: The source does not say who checks. — Checks discounts.',
            '+ Responsibilities: Sales director — Checks discounts.',
        ]},
        id='responsibility role resolved'),
    pytest.param(
        [("definition: {zh: 低于价目表的价格。", "definition: {zh: 低于价目表的成交价格。")],
        False,
        [
            ('术语 2.1 折扣 定义修改', 'Term 2.1 discount definition changed', '低于价目表的价格。', '低于价目表的成交价格。'),
        ],
        {"zh": [
            '− 术语：2.1 折扣 — 低于价目表的价格。',
            '+ 术语：2.1 折扣 — 低于价目表的成交价格。',
        ], "en": [
        ]},
        id='definition'),
    pytest.param(
        [("term: {zh: 价目表, en: price list}", "term: {zh: 价目表, en: list of prices}")],
        False,
        [
            ('术语 价目表 名称（英文译文）修改', 'Term price list name: English translation changed', 'price list', 'list of prices'),
        ],
        {"zh": [
        ], "en": [
            '− Term: price list — The prices the company approves.',
            '+ Term: list of prices — The prices the company approves.',
        ]},
        id='term translation'),
    pytest.param(
        [("definitions:\n", "definitions:\n  - term: {zh: 客户, en: customer}\n    definition: {zh: 购买方。, en: The buyer.}\n")],
        False,
        [
            ('术语新增：客户', 'Term added: customer', None, '客户：购买方。'),
        ],
        {"zh": [
            '+ 术语：客户 — 购买方。',
        ], "en": [
            '+ Term: customer — The buyer.',
        ]},
        id='definition added'),
    pytest.param(
        [("  - term: {zh: 价目表, en: price list}\n    definition: {zh: 公司批准的价格。, en: The prices the company approves.}\n", "")],
        False,
        [
            ('术语删除：价目表', 'Term removed: price list', '价目表：公司批准的价格。', None),
        ],
        {"zh": [
            '− 术语：价目表 — 公司批准的价格。',
        ], "en": [
            '− Term: price list — The prices the company approves.',
        ]},
        id='definition removed'),
    pytest.param(
        [("statement: {zh: 折扣受控", "statement: {zh: 折扣全部受控")],
        False,
        [
            ('控制目标修改', 'Control objectives changed', '折扣受控', '折扣全部受控'),
        ],
        {"zh": [
            '− 控制目标：折扣受控',
            '+ 控制目标：折扣全部受控',
        ], "en": [
        ]},
        id='objectives statement'),
    pytest.param(
        [("T: {zh: 当日批准, en: Approved the same day}", "T: {zh: 当日批准, en: Approved on the day}")],
        False,
        [
            ('控制目标 T（英文译文）修改', 'Control objective T: English translation changed', 'Approved the same day', 'Approved on the day'),
        ],
        {"zh": [
        ], "en": [
            '−   T (timeliness): Approved the same day',
            '+   T (timeliness): Approved on the day',
        ]},
        id='objective translation'),
    pytest.param(
        [("  - id: director\n    name: {zh: 销售总监, en: Sales director}\n",
                                "  - id: director\n    name: {zh: 销售总监, en: Sales director}\n  - id: manager\n    name: {zh: 经理, en: Manager}\n")],
        False,
        [
            ('岗位新增：经理', 'Role added: Manager'),
        ],
        {"zh": [
            '+ 岗位：经理',
        ], "en": [
            '+ Role: Manager',
        ]},
        id='role added'),
    pytest.param(
        [("name: {zh: 销售总监, en: Sales director}", "name: {zh: 销售总监（区域）, en: Sales director}")],
        False,
        [
            ('岗位 销售总监 名称修改', 'Role Sales director name changed', '销售总监', '销售总监（区域）'),
        ],
        {"zh": [
            '− 职责：3.1 销售总监 — 批准折扣。',
            '+ 职责：3.1 销售总监（区域） — 批准折扣。',
            '− 岗位：销售总监',
            '+ 岗位：销售总监（区域）',
            '− 步骤 2. 批准 — 销售总监',
            '+ 步骤 2. 批准 — 销售总监（区域）',
            '− 文档：批准意见 — 销售总监 → 文员；提交时限/频率：当日；主要内容：批准或拒绝；记录表单：折扣申请单',
            '+ 文档：批准意见 — 销售总监（区域） → 文员；提交时限/频率：当日；主要内容：批准或拒绝；记录表单：折扣申请单',
            '− 记录：R-7 拒绝台账 — 销售总监；保存期限：1年',
            '+ 记录：R-7 拒绝台账 — 销售总监（区域）；保存期限：1年',
        ], "en": [
        ]},
        id='role name'),
    pytest.param(
        [("    department: {zh: 销售部, en: Sales Department}\n    duties: {zh: 登记折扣, en: Records discounts}\n",
                                    "    department: {zh: 商务部, en: Commercial Department}\n    duties: {zh: 登记折扣, en: Records every discount}\n")],
        False,
        [
            ('岗位 文员 所属部门修改', 'Role Clerk department changed', '销售部', '商务部'),
            ('岗位 文员 职责（英文译文）修改', 'Role Clerk duties: English translation changed', 'Records discounts', 'Records every discount'),
        ],
        {"zh": [
            '− 岗位：文员（销售部） — 登记折扣',
            '+ 岗位：文员（商务部） — 登记折扣',
        ], "en": [
            '− Role: Clerk (Sales Department) — Records discounts',
            '+ Role: Clerk (Commercial Department) — Records every discount',
        ]},
        id='role department and duties'),
    pytest.param(
        [("    name: {zh: 客户, en: Customer}\n    kind: customer", "    name: {zh: 经销商, en: Distributor}\n    kind: other")],
        False,
        [
            ('外部相关方 客户 名称修改', 'Outside party Customer name changed', '客户', '经销商'),
            ('外部相关方 客户 类别：顾客 → 外部方', 'Outside party Customer kind: Customer → Outside party'),
        ],
        {"zh": [
            '− 外部相关方：客户（顾客）',
            '+ 外部相关方：经销商（外部方）',
            '− 开始：客户要求折扣（客户） → 1. 申请',
            '+ 开始：客户要求折扣（经销商） → 1. 申请',
            '−   参与：客户（协商）',
            '+   参与：经销商（协商）',
        ], "en": [
            '− Outside parties: Customer (Customer)',
            '+ Outside parties: Distributor (Outside party)',
            '− Start: A customer asks for a discount (Customer) → 1. Request',
            '+ Start: A customer asks for a discount (Distributor) → 1. Request',
            '−   Taking part: Customer (consulted)',
            '+   Taking part: Distributor (consulted)',
        ]},
        id='outside party'),
    pytest.param(
        [("    kind: customer\n", "    kind: customer\n  - id: bank\n    name: {zh: 银行, en: Bank}\n    kind: supplier\n")],
        False,
        [
            ('外部相关方新增：银行', 'Outside party added: Bank'),
        ],
        {"zh": [
            '+ 外部相关方：银行（供方）',
        ], "en": [
            '+ Outside parties: Bank (Supplier)',
        ]},
        id='outside party added'),
    pytest.param(
        [("text: {zh: 折扣经批准, en: Discounts approved}\n    steps: [approve]", "text: {zh: 折扣经总监批准, en: Discounts approved}\n    steps: [request, approve]")],
        False,
        [
            ('控制点 1 修改', 'Control point 1 changed', '折扣经批准', '折扣经总监批准'),
            ('控制点 1 适用步骤：2 批准 → 1 申请、2 批准', 'Control point 1 steps: 2 (Approve) → 1 (Request), 2 (Approve)'),
        ],
        {"zh": [
            '− 控制点：折扣经批准',
            '−   适用步骤：2. 批准',
            '+ 控制点：折扣经总监批准',
            '+   适用步骤：1. 申请、2. 批准',
        ], "en": [
            '−   Applies to: 2. Approve',
            '+   Applies to: 1. Request, 2. Approve',
        ]},
        id='control point'),
    pytest.param(
        [("    steps: [approve]\n", "    steps: [approve]\n  - id: filed\n    text: {zh: 申请存档, en: Requests filed}\n    steps: [notify]\n")],
        False,
        [
            ('控制点新增：申请存档', 'Control point added: Requests filed'),
        ],
        {"zh": [
            '+ 控制点：申请存档',
            '+   适用步骤：3. 通知',
        ], "en": [
            '+ Control point: Requests filed',
            '+   Applies to: 3. Notify',
        ]},
        id='control point added'),
    pytest.param(
        [("text: {zh: 申请写明理由：", "text: {zh: 申请应写明理由：")],
        False,
        [
            ('条款 4.1.2 修改', 'Clause 4.1.2 changed', '申请写明理由：', '申请应写明理由：'),
        ],
        {"zh": [
            '−   4.1.2 申请写明理由：',
            '+   4.1.2 申请应写明理由：',
        ], "en": [
        ]},
        id='clause'),
    pytest.param(
        [("en: The clerk fills in the request.}\n      - number: \"4.1.2\"", "en: The clerk completes the request.}\n      - number: \"4.1.2\"")],
        False,
        [
            ('条款 4.1.1（英文译文）修改', 'Clause 4.1.1: English translation changed', 'The clerk fills in the request.', 'The clerk completes the request.'),
        ],
        {"zh": [
        ], "en": [
            '−   4.1.1 The clerk fills in the request.',
            '+   4.1.1 The clerk completes the request.',
        ]},
        id='clause translation'),
    pytest.param(
        [("{number: b), text: {zh: 折扣比例。", "{number: b), text: {zh: 折扣比例和金额。")],
        False,
        [
            ('条款 4.1.2 b) 修改', 'Clause 4.1.2 b) changed', '折扣比例。', '折扣比例和金额。'),
        ],
        {"zh": [
            '−     b) 折扣比例。',
            '+     b) 折扣比例和金额。',
        ], "en": [
        ]},
        id='clause within a clause'),
    pytest.param(
        [("  - title: {zh: 记录, en: Records}", "  - title: {zh: 记录保存, en: Records}")],
        False,
        [
            ('条款 第 2 项 标题修改', 'Clause item 2 title changed', '记录', '记录保存'),
        ],
        {"zh": [
            '− 记录',
            '+ 记录保存',
        ], "en": [
        ]},
        id='clause title by position'),
    pytest.param(
        [("      - {zh: 批准存档。, en: Approvals are filed.}", "      - {zh: 批准意见存档。, en: Approvals are filed.}")],
        False,
        [
            ('条款 第 2.2 项修改', 'Clause item 2.2 changed', '批准存档。', '批准意见存档。'),
        ],
        {"zh": [
            '−   批准存档。',
            '+   批准意见存档。',
        ], "en": [
        ]},
        id='clause by position'),
    pytest.param(
        [("    items:\n      - {zh: 申请存档。", "    items:\n      - {zh: 登记台账。, en: The ledger is kept.}\n      - {zh: 申请存档。")],
        False,
        [
            ('条款 第 2.1 项新增', 'Clause item 2.1 added', None, '登记台账。'),
        ],
        {"zh": [
            '+   登记台账。',
        ], "en": [
            '+   The ledger is kept.',
        ]},
        id='clause inserted by position'),
    pytest.param(
        [("          - {number: b), text: {zh: 折扣比例。, en: the discount rate.}}\n",
                      "          - {number: b), text: {zh: 折扣比例。, en: the discount rate.}}\n"
                      "  - number: \"4.2\"\n    title: {zh: 批准, en: Approval}\n    text: {zh: 总监批准。, en: The director approves.}\n")],
        False,
        [
            ('条款 4.2 新增：批准', 'Clause 4.2 added: Approval', None, '4.2 批准 总监批准。'),
        ],
        {"zh": [
            '+ 4.2 批准 总监批准。',
        ], "en": [
            '+ 4.2 Approval The director approves.',
        ]},
        id='clause added'),
    pytest.param(
        [("      - number: \"4.1.1\"\n        text: {zh: 文员填写申请。, en: The clerk fills in the request.}\n", "")],
        False,
        [
            ('条款 4.1.1 删除', 'Clause 4.1.1 removed', '4.1.1 文员填写申请。', None),
        ],
        {"zh": [
            '−   4.1.1 文员填写申请。',
        ], "en": [
            '−   4.1.1 The clerk fills in the request.',
        ]},
        id='clause removed'),
    pytest.param(
        [("clauses_title: {zh: 控制要求, en: Control requirements}", "clauses_title: {zh: 工作要求, en: Work requirements}")],
        False,
        [
            ('条款章节标题修改', 'Heading of the clauses changed', '控制要求', '工作要求'),
        ],
        {"zh": [
            '− 控制要求',
            '+ 工作要求',
        ], "en": [
            '− Control requirements',
            '+ Work requirements',
        ]},
        id='clauses heading'),
    pytest.param(
        [("trigger: {zh: 客户要求折扣, en: A customer asks for a discount}\n    by: customer\n    to: request",
               "trigger: {zh: 客户书面要求折扣, en: A customer asks for a discount}\n    by: clerk\n    to: approve")],
        False,
        [
            ('流程起点 客户要求折扣 名称修改', 'Start A customer asks for a discount name changed', '客户要求折扣', '客户书面要求折扣'),
            ('流程起点 客户要求折扣 触发方：客户 → 文员', 'Start A customer asks for a discount triggered by: Customer → Clerk'),
            ('流程起点 客户要求折扣 起始步骤：1 申请 → 2 批准', 'Start A customer asks for a discount first step: 1 (Request) → 2 (Approve)'),
        ],
        {"zh": [
            '− 开始：客户要求折扣（客户） → 1. 申请',
            '+ 开始：客户书面要求折扣（文员） → 2. 批准',
        ], "en": [
            '− Start: A customer asks for a discount (Customer) → 1. Request',
            '+ Start: A customer asks for a discount (Clerk) → 2. Approve',
        ]},
        id='start'),
    pytest.param(
        [("    title: {zh: 批准, en: Approve}\n    owner: director", "    title: {zh: 批准, en: Approve}\n    owner: clerk")],
        False,
        [
            ('步骤2 批准 负责人：销售总监 → 文员', 'Step 2 (Approve) owner: Sales director → Clerk'),
        ],
        {"zh": [
            '− 步骤 2. 批准 — 销售总监',
            '+ 步骤 2. 批准 — 文员',
        ], "en": [
            '− Step 2. Approve — Sales director',
            '+ Step 2. Approve — Clerk',
        ]},
        id='step owner'),
    pytest.param(
        [("      - {role: customer, part: consulted}", "      - {role: customer, part: informed}")],
        False,
        [
            ('步骤1 申请 参与：客户（协商） → 客户（知会）', 'Step 1 (Request) taking part: Customer (consulted) → Customer (informed)'),
        ],
        {"zh": [
            '−   参与：客户（协商）',
            '+   参与：客户（知会）',
        ], "en": [
            '−   Taking part: Customer (consulted)',
            '+   Taking part: Customer (informed)',
        ]},
        id='step taking part'),
    pytest.param(
        [("    clause: 4.1.1\n", "    clause: 4.1.2\n")],
        False,
        [
            ('步骤1 申请 条款号：4.1.1 → 4.1.2', 'Step 1 (Request) clause number: 4.1.1 → 4.1.2'),
        ],
        {"zh": [
            '− 步骤 1. 申请（条款 4.1.1） — 文员',
            '+ 步骤 1. 申请（条款 4.1.2） — 文员',
        ], "en": [
            '− Step 1. Request (Clause 4.1.1) — Clerk',
            '+ Step 1. Request (Clause 4.1.2) — Clerk',
        ]},
        id='step clause number'),
    pytest.param(
        [("    title: {zh: 申请, en: Request}\n    owner: clerk", "    title: {zh: 提出申请, en: Request}\n    owner: clerk"),
                                   ("description: {zh: 文员填写申请。, en: The clerk fills in the request.}", "description: {zh: 文员填写申请。, en: The clerk completes the request.}")],
        False,
        [
            ('步骤1 提出申请 标题修改', 'Step 1 (Request) title changed', '申请', '提出申请'),
            ('步骤1 提出申请 说明（英文译文）修改', 'Step 1 (Request) description: English translation changed', 'The clerk fills in the request.', 'The clerk completes the request.'),
        ],
        {"zh": [
            '− 开始：客户要求折扣（客户） → 1. 申请',
            '− 步骤 1. 申请（条款 4.1.1） — 文员',
            '+ 开始：客户要求折扣（客户） → 1. 提出申请',
            '+ 步骤 1. 提出申请（条款 4.1.1） — 文员',
        ], "en": [
            '−   The clerk fills in the request.',
            '+   The clerk completes the request.',
        ]},
        id='step title and description'),
    pytest.param(
        [("      - {zh: 填写理由, en: Write the reason}", "      - {zh: 填写理由和比例, en: Write the reason}")],
        False,
        [
            ('步骤1 申请 子步骤 第 2 项修改', 'Step 1 (Request) sub-step item 2 changed', '填写理由', '填写理由和比例'),
        ],
        {"zh": [
            '−   填写理由',
            '+   填写理由和比例',
        ], "en": [
        ]},
        id='sub-step'),
    pytest.param(
        [("inputs: [{zh: 价目表, en: Price list}]", "inputs: [{zh: 价目表, en: Price list of the year}]"),
                           ("    outputs: [request-form]", "    outputs: [request-form, decision]")],
        False,
        [
            ('步骤1 申请 输入（英文译文）修改', 'Step 1 (Request) inputs: English translation changed', 'Price list', 'Price list of the year'),
            ('步骤1 申请 输出：折扣申请单 → 折扣申请单、批准意见', 'Step 1 (Request) outputs: Discount request → Discount request, Decision'),
        ],
        {"zh": [
            '−   输出：折扣申请单',
            '+   输出：折扣申请单、批准意见',
        ], "en": [
            '−   Inputs: Price list',
            '−   Outputs: Discount request',
            '+   Inputs: Price list of the year',
            '+   Outputs: Discount request, Decision',
        ]},
        id='inputs and outputs'),
    pytest.param(
        [("decision: {zh: 是否批准？, en: Approved?}", "decision: {zh: 是否同意？, en: Approved?}"),
                          ("      - {to: refused, when: {zh: 否, en: \"No\"}}", "      - {to: refused, when: {zh: 不批准, en: \"No\"}}")],
        False,
        [
            ('步骤2 批准 判断修改', 'Step 2 (Approve) decision changed', '是否批准？', '是否同意？'),
            ('步骤2 批准 下一步：3 通知（是）、转入投诉处理（否） → 3 通知（是）、转入投诉处理（不批准）', 'Step 2 (Approve) next: 3 (Notify) (Yes), To complaint handling (No) → 3 (Notify) (Yes), To complaint handling (No)'),
        ],
        {"zh": [
            '−   判断：是否批准？',
            '+   判断：是否同意？',
            '−   下一步：转入投诉处理（否）',
            '+   下一步：转入投诉处理（不批准）',
        ], "en": [
        ]},
        id='decision and next'),
    pytest.param(
        [("      - {to: notify, when: {zh: 是, en: \"Yes\"}}", "      - {to: notify, when: {zh: 是, en: Approved}}")],
        False,
        [
            ('步骤2 批准 下一步（英文译文）修改', 'Step 2 (Approve) next: English translation changed', '3 (Notify) (Yes), To complaint handling (No)', '3 (Notify) (Approved), To complaint handling (No)'),
        ],
        {"zh": [
        ], "en": [
            '−   Next: 3. Notify (Yes)',
            '+   Next: 3. Notify (Approved)',
        ]},
        id='next translation'),
    pytest.param(
        [("      - {to: refused, when: {zh: 否, en: \"No\"}}\n    outputs: [decision]",
                           "      - {to: refused, when: {zh: 否, en: \"No\"}}\n    parallel: true\n    outputs: [decision]"),
                          ("    owner: clerk\n    next: [end]", "    owner: clerk\n    join: true\n    next: [end]")],
        False,
        [
            ('步骤2 批准 下一步：3 通知（是）、转入投诉处理（否） → 3 通知（是）、转入投诉处理（否）（同时开始）', 'Step 2 (Approve) next: 3 (Notify) (Yes), To complaint handling (No) → 3 (Notify) (Yes), To complaint handling (No) (in parallel)'),
            ('步骤3 通知 汇合（待各并行分支完成）新增', 'Step 3 (Notify) join (waits for every parallel branch) added'),
        ],
        {"zh": [
            '+   同时开始',
            '+   汇合：待各并行分支完成后开始',
        ], "en": [
            '+   in parallel',
            '+   Join: starts when every parallel branch is done',
        ]},
        id='parallel and join'),
    pytest.param(
        [("    owner: clerk\n    next: [end]", "    owner: clerk\n  - id: file\n    title: {zh: 存档, en: File}\n    owner: clerk\n    next: [end]")],
        False,
        [
            ('步骤新增：4 存档', 'Step added: 4 (File)'),
            ('步骤3 通知 下一步：结束 → 4 存档', 'Step 3 (Notify) next: End → 4 (File)'),
        ],
        {"zh": [
            '+ 步骤 4. 存档 — 文员',
        ], "en": [
            '+ Step 4. File — Clerk',
        ]},
        id='step added'),
    pytest.param(
        [("    kind: hand-off\n    title: {zh: 转入投诉处理, en: To complaint handling}\n    procedure: {title: {zh: 投诉处理程序, en: Complaint handling procedure}}",
             "    kind: hand-off\n    title: {zh: 转入投诉处理, en: To complaints}\n    procedure: {number: QP-T-09, title: {zh: 投诉处理程序, en: Complaint handling procedure}}")],
        False,
        [
            ('流程终点 转入投诉处理 名称（英文译文）修改', 'End To complaint handling name: English translation changed', 'To complaint handling', 'To complaints'),
            ('流程终点 转入投诉处理 转入程序：投诉处理程序 → QP-T-09 投诉处理程序', 'End To complaint handling procedure taking over: Complaint handling procedure → QP-T-09 Complaint handling procedure'),
        ],
        {"zh": [
            '− 结束：转入投诉处理（转入） → 投诉处理程序',
            '+ 结束：转入投诉处理（转入） → QP-T-09 投诉处理程序',
        ], "en": [
            '−   Next: To complaint handling (No)',
            '+   Next: To complaints (No)',
            '− End: To complaint handling (Hand-off) → Complaint handling procedure',
            '+ End: To complaints (Hand-off) → QP-T-09 Complaint handling procedure',
        ]},
        id='end'),
    pytest.param(
        [("    kind: hand-off\n    title: {zh: 转入投诉处理, en: To complaint handling}\n    procedure: {title: {zh: 投诉处理程序, en: Complaint handling procedure}}",
                  "    kind: terminated\n    title: {zh: 转入投诉处理, en: To complaint handling}")],
        False,
        [
            ('流程终点 转入投诉处理 类别：转入 → 终止', 'End To complaint handling kind: Hand-off → Terminated'),
            ('流程终点 转入投诉处理 转入程序：投诉处理程序 → —', 'End To complaint handling procedure taking over: Complaint handling procedure → —'),
        ],
        {"zh": [
            '− 结束：转入投诉处理（转入） → 投诉处理程序',
            '+ 结束：转入投诉处理（终止）',
        ], "en": [
            '− End: To complaint handling (Hand-off) → Complaint handling procedure',
            '+ End: To complaint handling (Terminated)',
        ]},
        id='end kind'),
    pytest.param(
        [("    producer: director\n    content: {zh: 批准或拒绝, en: Approved or refused}\n    recipient: clerk\n    deadline: {zh: 当日, en: The same day}\n    form: request-form",
                  "    producer: clerk\n    content: {zh: 批准、拒绝或退回, en: Approved or refused}\n    recipient: [clerk, customer]\n    deadline: {zh: 次日, en: The next day}")],
        False,
        [
            ('文档 批准意见 编制：销售总监 → 文员', 'Document Decision producer: Sales director → Clerk'),
            ('文档 批准意见 提交对象：文员 → 文员、客户', 'Document Decision recipient: Clerk → Clerk, Customer'),
            ('文档 批准意见 提交时限修改', 'Document Decision deadline changed', '当日', '次日'),
            ('文档 批准意见 主要内容修改', 'Document Decision content changed', '批准或拒绝', '批准、拒绝或退回'),
            ('文档 批准意见 表单：折扣申请单 → —', 'Document Decision form: Discount request → —'),
        ],
        {"zh": [
            '− 文档：批准意见 — 销售总监 → 文员；提交时限/频率：当日；主要内容：批准或拒绝；记录表单：折扣申请单',
            '+ 文档：批准意见 — 文员 → 文员、客户；提交时限/频率：次日；主要内容：批准、拒绝或退回',
        ], "en": [
            '− Document: Decision — Sales director → Clerk; Deadline or frequency: The same day; Main content: Approved or refused; Record form: Discount request',
            '+ Document: Decision — Clerk → Clerk, Customer; Deadline or frequency: The next day; Main content: Approved or refused',
        ]},
        id='document'),
    pytest.param(
        [("title: {zh: 批准意见, en: Decision}", "title: {zh: 批准意见, en: Approval decision}")],
        False,
        [
            ('文档 批准意见 名称（英文译文）修改', 'Document Approval decision title: English translation changed', 'Decision', 'Approval decision'),
        ],
        {"zh": [
        ], "en": [
            '−   Outputs: Decision',
            '+   Outputs: Approval decision',
            '− Document: Decision — Sales director → Clerk; Deadline or frequency: The same day; Main content: Approved or refused; Record form: Discount request',
            '+ Document: Approval decision — Sales director → Clerk; Deadline or frequency: The same day; Main content: Approved or refused; Record form: Discount request',
        ]},
        id='document title'),
    pytest.param(
        [("    number: QR-T-26-01\n    version: A/0\n    title: {zh: 折扣申请单, en: Discount request}\n    owner: clerk\n    retention: {zh: 3年, en: 3 years}\n    storage: {zh: 销售部, en: Sales Department}\n    disposal: {zh: 销毁, en: Destroyed}",
              "    number: QR-T-26-01\n    version: A/1\n    title: {zh: 折扣申请表, en: Discount request}\n    owner: director\n    retention: {zh: 5年, en: 3 years}\n    storage: {zh: 档案室, en: Sales Department}\n    disposal: {zh: 销毁, en: Shredded}\n    rows: 10")],
        False,
        [
            ('表单 折扣申请表 名称修改', 'Form Discount request title changed', '折扣申请单', '折扣申请表'),
            ('表单 折扣申请表 编号/版号：QR-T-26-01 A/0 → QR-T-26-01 A/1', 'Form Discount request number/version: QR-T-26-01 A/0 → QR-T-26-01 A/1'),
            ('表单 折扣申请表 保管人：文员 → 销售总监', 'Form Discount request owner: Clerk → Sales director'),
            ('表单 折扣申请表 保存期限修改', 'Form Discount request retention changed', '3年', '5年'),
            ('表单 折扣申请表 存放地点修改', 'Form Discount request storage changed', '销售部', '档案室'),
            ('表单 折扣申请表 处置方式（英文译文）修改', 'Form Discount request disposal: English translation changed', 'Destroyed', 'Shredded'),
            ('表单 折扣申请表 行数：— → 10', 'Form Discount request rows: — → 10'),
        ],
        {"zh": [
            '−   输出：折扣申请单',
            '+   输出：折扣申请表',
            '− 文档：批准意见 — 销售总监 → 文员；提交时限/频率：当日；主要内容：批准或拒绝；记录表单：折扣申请单',
            '− 记录表单：QR-T-26-01 A/0 折扣申请单 — 文员；保存期限：3年；存放地点：销售部；处置方式：销毁',
            '+ 文档：批准意见 — 销售总监 → 文员；提交时限/频率：当日；主要内容：批准或拒绝；记录表单：折扣申请表',
            '+ 记录表单：QR-T-26-01 A/1 折扣申请表 — 销售总监；保存期限：5年；存放地点：档案室；处置方式：销毁；行数：10',
            '− 记录：折扣申请单 — 文员；保存期限：3年；存放地点：销售部；处置方式：销毁',
            '+ 记录：折扣申请表 — 文员；保存期限：3年；存放地点：销售部；处置方式：销毁',
        ], "en": [
            '− Record form: QR-T-26-01 A/0 Discount request — Clerk; Retention period: 3 years; Storage: Sales Department; Disposal: Destroyed',
            '+ Record form: QR-T-26-01 A/1 Discount request — Sales director; Retention period: 3 years; Storage: Sales Department; Disposal: Shredded; Rows: 10',
        ]},
        id='form'),
    pytest.param(
        [("      - {id: customer, label: {zh: 客户, en: Customer}, type: text}", "      - {id: customer, label: {zh: 客户, en: Customer}, type: textarea}")],
        False,
        [
            ('表单 折扣申请单 栏目修改', 'Form Discount request fields changed'),
        ],
        {"zh": [
            '−   栏目：客户（文字）',
            '+   栏目：客户（多行文字）',
        ], "en": [
            '−   Field: Customer (Text)',
            '+   Field: Customer (Text (several lines))',
        ]},
        id='form fields'),
    pytest.param(
        [("label: {zh: 折扣, en: Discount}", "label: {zh: 折扣率, en: Discount}")],
        False,
        [
            ('表单 折扣申请单 栏目：客户、折扣 → 客户、折扣率', 'Form Discount request fields: Customer, Discount → Customer, Discount'),
        ],
        {"zh": [
            '−   栏目：折扣（选择）：5%、10%',
            '+   栏目：折扣率（选择）：5%、10%',
        ], "en": [
        ]},
        id='form field labels'),
    pytest.param(
        [("options: [{zh: 5%, en: 5%}, {zh: 10%, en: 10%}]", "options: [{zh: 5%, en: 5 %}, {zh: 10%, en: 10 %}]")],
        False,
        [
            ('表单 折扣申请单 栏目修改', 'Form Discount request fields changed'),
        ],
        {"zh": [
        ], "en": [
            '−   Field: Discount (Choice): 5%, 10%',
            '+   Field: Discount (Choice): 5 %, 10 %',
        ]},
        id='form field options'),
    pytest.param(
        [("  - {title: {zh: 客户信用程序, en: Customer credit procedure}}", "  - {title: {zh: 客户信用管理程序, en: Customer credit procedure}}")],
        False,
        [
            ('引用文件 客户信用程序 名称修改', 'Referenced procedure Customer credit procedure title changed', '客户信用程序', '客户信用管理程序'),
        ],
        {"zh": [
            '− 引用文件：客户信用程序',
            '+ 引用文件：客户信用管理程序',
        ], "en": [
        ]},
        id='reference'),
    pytest.param(
        [("  - {title: {zh: 客户信用程序, en: Customer credit procedure}}", "  - {title: {zh: 客户信用程序, en: Customer credit procedure}}\n  - {title: {zh: 合同评审程序, en: Contract review procedure}}")],
        False,
        [
            ('引用文件新增：合同评审程序', 'Referenced procedure added: Contract review procedure'),
        ],
        {"zh": [
            '+ 引用文件：合同评审程序',
        ], "en": [
            '+ Referenced procedures: Contract review procedure',
        ]},
        id='reference added'),
    pytest.param(
        [("    edition: \"2015\"", "    edition: \"2026\""),
                         ("    issuer: {zh: 国际标准化组织, en: ISO}", "    issuer: {zh: 国际标准化组织, en: International Organization for Standardization}")],
        False,
        [
            ('相关文件 ISO 9001 质量管理体系 要求 版本修改', 'Related document ISO 9001 Quality management systems — Requirements edition changed', '2015', '2026'),
            ('相关文件 ISO 9001 质量管理体系 要求 发布机构（英文译文）修改', 'Related document ISO 9001 Quality management systems — Requirements issuer: English translation changed', 'ISO', 'International Organization for Standardization'),
        ],
        {"zh": [
            '− 相关文件：ISO 9001 质量管理体系 要求（标准、2015、国际标准化组织）',
            '+ 相关文件：ISO 9001 质量管理体系 要求（标准、2026、国际标准化组织）',
        ], "en": [
            '− Related documents: ISO 9001 Quality management systems — Requirements (Standard, 2015, ISO)',
            '+ Related documents: ISO 9001 Quality management systems — Requirements (Standard, 2026, International Organization for Standardization)',
        ]},
        id='related document'),
    pytest.param(
        [("  - kind: document\n    title: {zh: 价目表, en: Price list}", "  - kind: external\n    title: {zh: 价目表, en: Price list of the year}")],
        False,
        [
            ('相关文件 价目表 名称（英文译文）修改', 'Related document Price list title: English translation changed', 'Price list', 'Price list of the year'),
            ('相关文件 价目表 类别：内部文件 → 外来文件', 'Related document Price list kind: Internal document → Document of external origin'),
        ],
        {"zh": [
            '− 相关文件：价目表（内部文件）',
            '+ 相关文件：价目表（外来文件）',
        ], "en": [
            '− Related documents: Price list (Internal document)',
            '+ Related documents: Price list of the year (Document of external origin)',
        ]},
        id='related document kind and title'),
    pytest.param(
        [("  - kind: standard\n    number: ISO 9001", "  - kind: standard\n    number: ISO 9000")],
        False,
        [
            ('相关文件删除：ISO 9001 质量管理体系 要求', 'Related document removed: ISO 9001 Quality management systems — Requirements'),
            ('相关文件新增：ISO 9000 质量管理体系 要求', 'Related document added: ISO 9000 Quality management systems — Requirements'),
        ],
        {"zh": [
            '− 相关文件：ISO 9001 质量管理体系 要求（标准、2015、国际标准化组织）',
            '+ 相关文件：ISO 9000 质量管理体系 要求（标准、2015、国际标准化组织）',
        ], "en": [
            '− Related documents: ISO 9001 Quality management systems — Requirements (Standard, 2015, ISO)',
            '+ Related documents: ISO 9000 Quality management systems — Requirements (Standard, 2015, ISO)',
        ]},
        id='related document removed'),
    pytest.param(
        [("    keeper: clerk\n    retention: {zh: 3年, en: 3 years}\n    storage: {zh: 销售部, en: Sales Department}\n    disposal: {zh: 销毁, en: Destroyed}",
                "    number: R-1\n    keeper: director\n    retention: {zh: 3年, en: 3 years}\n    storage: {zh: 档案室, en: Sales Department}\n    disposal: {zh: 销毁, en: Shredded}")],
        False,
        [
            ('记录 折扣申请单 编号：— → R-1', 'Record Discount request number: — → R-1'),
            ('记录 折扣申请单 保管部门：文员 → 销售总监', 'Record Discount request kept by: Clerk → Sales director'),
            ('记录 折扣申请单 存放地点修改', 'Record Discount request storage changed', '销售部', '档案室'),
            ('记录 折扣申请单 处置方式（英文译文）修改', 'Record Discount request disposal: English translation changed', 'Destroyed', 'Shredded'),
        ],
        {"zh": [
            '− 记录：折扣申请单 — 文员；保存期限：3年；存放地点：销售部；处置方式：销毁',
            '+ 记录：R-1 折扣申请单 — 销售总监；保存期限：3年；存放地点：档案室；处置方式：销毁',
        ], "en": [
            '− Records: Discount request — Clerk; Retention period: 3 years; Storage: Sales Department; Disposal: Destroyed',
            '+ Records: R-1 Discount request — Sales director; Retention period: 3 years; Storage: Sales Department; Disposal: Shredded',
        ]},
        id='record'),
    pytest.param(
        [("    keeper: {gap: {zh: 原文未规定保管人。, en: The source names no keeper.}}\n    retention: {zh: 5年, en: 5 years}",
                         "    keeper: clerk\n    retention: {zh: 10年, en: 10 years}")],
        False,
        [
            ('记录 批准台账 保管部门：待定：原文未规定保管人。 → 文员', 'Record Approval ledger kept by: To be determined: The source names no keeper. → Clerk'),
            ('记录 批准台账 保存期限修改', 'Record Approval ledger retention changed', '5年', '10年'),
        ],
        {"zh": [
            '− 记录：批准台账 — 待定：原文未规定保管人。；保存期限：5年',
            '+ 记录：批准台账 — 文员；保存期限：10年',
        ], "en": [
            '− Records: Approval ledger — To be determined: The source names no keeper.; Retention period: 5 years',
            '+ Records: Approval ledger — Clerk; Retention period: 10 years',
        ]},
        id='record by title'),
    pytest.param(
        [("  - title: {zh: 批准台账, en: Approval ledger}", "  - title: {zh: 批准登记簿, en: Approval ledger}")],
        False,
        [
            ('记录 批准登记簿 名称修改', 'Record Approval ledger title changed', '批准台账', '批准登记簿'),
        ],
        {"zh": [
            '− 记录：批准台账 — 待定：原文未规定保管人。；保存期限：5年',
            '+ 记录：批准登记簿 — 待定：原文未规定保管人。；保存期限：5年',
        ], "en": [
        ]},
        id='record title'),
    pytest.param(
        [("records:\n", "records:\n  - title: {zh: 退货台账, en: Returns ledger}\n    keeper: director\n")],
        False,
        [
            ('记录新增：退货台账', 'Record added: Returns ledger'),
        ],
        {"zh": [
            '+ 记录：退货台账 — 销售总监',
        ], "en": [
            '+ Records: Returns ledger — Sales director',
        ]},
        id='record added'),
    pytest.param(
        [("  - number: R-7\n    title: {zh: 拒绝台账, en: Refusal ledger}\n", "  - number: R-8\n    title: {zh: 拒绝台账, en: Refusal ledger}\n")],
        False,
        [
            ('记录删除：拒绝台账', 'Record removed: Refusal ledger'),
            ('记录新增：拒绝台账', 'Record added: Refusal ledger'),
        ],
        {"zh": [
            '− 记录：R-7 拒绝台账 — 销售总监；保存期限：1年',
            '+ 记录：R-8 拒绝台账 — 销售总监；保存期限：1年',
        ], "en": [
            '− Records: R-7 Refusal ledger — Sales director; Retention period: 1 year',
            '+ Records: R-8 Refusal ledger — Sales director; Retention period: 1 year',
        ]},
        id='record removed'),
    pytest.param(
        [("    title: {zh: 拒绝台账, en: Refusal ledger}", "    title: {zh: 拒绝登记簿, en: Refusal ledger}")],
        False,
        [
            ('记录 拒绝登记簿 名称修改', 'Record Refusal ledger title changed', '拒绝台账', '拒绝登记簿'),
        ],
        {"zh": [
            '− 记录：R-7 拒绝台账 — 销售总监；保存期限：1年',
            '+ 记录：R-7 拒绝登记簿 — 销售总监；保存期限：1年',
        ], "en": [
        ]},
        id='record by number'),
    pytest.param(
        [("objectives:\n  statement: {zh: 折扣受控, en: Discounts under control}\n  A: {zh: 全部折扣经批准, en: Every discount approved}\n"
                            "  Q: {zh: 理由完整, en: Reasons complete}\n  C: {zh: 折扣不超预算, en: Discounts within budget}\n"
                            "  T: {zh: 当日批准, en: Approved the same day}\n  R: {zh: 未经批准的折扣, en: Unapproved discounts}\n", "")],
        False,
        [
            ('控制目标删除', 'Control objectives removed', '折扣受控', None),
            ('控制目标 A 删除', 'Control objective A removed', '全部折扣经批准', None),
            ('控制目标 Q 删除', 'Control objective Q removed', '理由完整', None),
            ('控制目标 C 删除', 'Control objective C removed', '折扣不超预算', None),
            ('控制目标 T 删除', 'Control objective T removed', '当日批准', None),
            ('控制目标 R 删除', 'Control objective R removed', '未经批准的折扣', None),
        ],
        {"zh": [
            '− 控制目标：折扣受控',
            '−   A（数量）：全部折扣经批准',
            '−   Q（质量）：理由完整',
            '−   C（成本）：折扣不超预算',
            '−   T（时效）：当日批准',
            '−   R（风险）：未经批准的折扣',
        ], "en": [
            '− Control objectives: Discounts under control',
            '−   A (quantity): Every discount approved',
            '−   Q (quality): Reasons complete',
            '−   C (cost): Discounts within budget',
            '−   T (timeliness): Approved the same day',
            '−   R (risk): Unapproved discounts',
        ]},
        id='objectives removed'),
    pytest.param(
        [("  - id: director\n    name: {zh: 销售总监, en: Sales director}\n", "  - id: director\n    name: {zh: 销售总监, en: Sales director}\n"
                                  "  - id: manager\n    name: {zh: 经理, en: Manager}\n")],
        True,
        [
            ('岗位删除：经理', 'Role removed: Manager'),
        ],
        {"zh": [
            '− 岗位：经理',
        ], "en": [
            '− Role: Manager',
        ]},
        id='role removed'),
    pytest.param(
        [("  - id: clerk\n", "  - id: office-clerk\n"), ("role: clerk\n", "role: office-clerk\n"),
                        ("owner: clerk\n", "owner: office-clerk\n", 3), ("recipient: clerk\n", "recipient: office-clerk\n"),
                        ("keeper: clerk\n", "keeper: office-clerk\n")],
        False,
        [
        ],
        {"zh": [
        ], "en": [
        ]},
        id='role id changed'),
    pytest.param(
        [("    to: request\n", "    to: request\n  - id: renewal\n    trigger: {zh: 合同续签, en: Contract renewal}\n    to: approve\n")],
        False,
        [
            ('流程起点新增：合同续签', 'Start added: Contract renewal'),
        ],
        {"zh": [
            '+ 开始：合同续签 → 2. 批准',
        ], "en": [
            '+ Start: Contract renewal → 2. Approve',
        ]},
        id='start added'),
    pytest.param(
        [("ends:\n", "ends:\n  - id: closed\n    kind: completed\n"), ("    next: [end]", "    next: [closed]")],
        False,
        [
            ('步骤3 通知 下一步修改', 'Step 3 (Notify) next changed'),
            ('流程终点新增：完成', 'End added: Completed'),
        ],
        {"zh": [
            '+ 结束：完成（完成）',
        ], "en": [
            '+ End: Completed (Completed)',
        ]},
        id='end added'),
    pytest.param(
        [("  - id: approve\n", "  - id: check\n    title: {zh: 复核, en: Check}\n    owner: clerk\n  - id: approve\n")],
        False,
        [
            ('步骤新增：2 复核', 'Step added: 2 (Check)'),
        ],
        {"zh": [
            '−   适用步骤：2. 批准',
            '+   适用步骤：3. 批准',
            '− 步骤 2. 批准 — 销售总监',
            '+ 步骤 2. 复核 — 文员',
            '+ 步骤 3. 批准 — 销售总监',
            '−   下一步：3. 通知（是）',
            '+   下一步：4. 通知（是）',
            '− 步骤 3. 通知 — 文员',
            '+ 步骤 4. 通知 — 文员',
        ], "en": [
            '−   Applies to: 2. Approve',
            '+   Applies to: 3. Approve',
            '− Step 2. Approve — Sales director',
            '+ Step 2. Check — Clerk',
            '+ Step 3. Approve — Sales director',
            '−   Next: 3. Notify (Yes)',
            '+   Next: 4. Notify (Yes)',
            '− Step 3. Notify — Clerk',
            '+ Step 4. Notify — Clerk',
        ]},
        id='step inserted'),
    pytest.param(
        [("\ndocuments:\n", "\ndocuments:\n  - id: notice\n    title: {zh: 通知单, en: Notice}\n    producer: clerk\n    recipient: customer\n    deadline: {zh: 当日, en: The same day}\n")],
        False,
        [
            ('文档新增：通知单', 'Document added: Notice'),
        ],
        {"zh": [
            '+ 文档：通知单 — 文员 → 客户；提交时限/频率：当日',
        ], "en": [
            '+ Document: Notice — Clerk → Customer; Deadline or frequency: The same day',
        ]},
        id='document added'),
    pytest.param(
        [("forms:\n", "forms:\n  - id: ledger-form\n    number: QR-T-26-02\n    version: A/0\n    title: {zh: 台账, en: Ledger}\n    owner: clerk\n    retention: {zh: 1年, en: 1 year}\n    fields:\n      - {id: date, label: {zh: 日期, en: Date}, type: date}\n")],
        False,
        [
            ('表单新增：台账', 'Form added: Ledger'),
        ],
        {"zh": [
            '+ 记录表单：QR-T-26-02 A/0 台账 — 文员；保存期限：1年',
            '+   栏目：日期（日期）',
        ], "en": [
            '+ Record form: QR-T-26-02 A/0 Ledger — Clerk; Retention period: 1 year',
            '+   Field: Date (Date)',
        ]},
        id='form added'),
    pytest.param(
        [("    disposal: {zh: 销毁, en: Destroyed}\n    fields:", "    disposal: {zh: 销毁, en: Destroyed}\n    rows: 5\n    columns:\n      - {id: item, label: {zh: 项目, en: Item}, type: text}\n"
                    "    footer:\n      - {id: sign, label: {zh: 签字, en: Signature}, type: signature}\n    fields:")],
        False,
        [
            ('表单 折扣申请单 行数：— → 5', 'Form Discount request rows: — → 5'),
            ('表单 折扣申请单 表格栏目：— → 项目', 'Form Discount request table columns: — → Item'),
            ('表单 折扣申请单 表尾栏目：— → 签字', 'Form Discount request footer fields: — → Signature'),
        ],
        {"zh": [
            '− 记录表单：QR-T-26-01 A/0 折扣申请单 — 文员；保存期限：3年；存放地点：销售部；处置方式：销毁',
            '+ 记录表单：QR-T-26-01 A/0 折扣申请单 — 文员；保存期限：3年；存放地点：销售部；处置方式：销毁；行数：5',
            '+   表格栏目：项目（文字）',
            '+   表尾栏目：签字（签名）',
        ], "en": [
            '− Record form: QR-T-26-01 A/0 Discount request — Clerk; Retention period: 3 years; Storage: Sales Department; Disposal: Destroyed',
            '+ Record form: QR-T-26-01 A/0 Discount request — Clerk; Retention period: 3 years; Storage: Sales Department; Disposal: Destroyed; Rows: 5',
            '+   Table columns: Item (Text)',
            '+   Footer fields: Signature (Signature)',
        ]},
        id='form table'),
    pytest.param(
        [(whole("definitions"),
                         "definitions: {gap: {zh: 原文无术语和定义。, en: The source has no terms and definitions.}}\n")],
        False,
        [
            ('术语和定义（待定）新增：待定：原文无术语和定义。', 'Terms and definitions (to be determined) added: To be determined: The source has no terms and definitions.', None, '待定：原文无术语和定义。'),
            ('术语删除：2.1 折扣', 'Term removed: 2.1 discount', '折扣：低于价目表的价格。', None),
            ('术语删除：价目表', 'Term removed: price list', '价目表：公司批准的价格。', None),
        ],
        {"zh": [
            '− 术语：2.1 折扣 — 低于价目表的价格。',
            '− 术语：价目表 — 公司批准的价格。',
            '+ 术语和定义：待定：原文无术语和定义。',
        ], "en": [
            '− Term: 2.1 discount — A price below the price list.',
            '− Term: price list — The prices the company approves.',
            '+ Terms and definitions: To be determined: The source has no terms and definitions.',
        ]},
        id='definitions gap'),
    pytest.param(
        [(whole("clauses"), "clauses: {gap: {zh: 原文无控制要求。, en: The source has no requirements.}}\n")],
        False,
        [
            ('条款（待定）新增：待定：原文无控制要求。', 'Clauses (to be determined) added: To be determined: The source has no requirements.', None, '待定：原文无控制要求。'),
            ('条款 4.1 删除：申请', 'Clause 4.1 removed: Request', '4.1 申请\n  4.1.1 文员填写申请。\n  4.1.2 申请写明理由：\n    a) 客户名称；\n    b) 折扣比例。', None),
            ('条款 第 2 项删除：记录', 'Clause item 2 removed: Records', '记录\n  申请存档。\n  批准存档。', None),
        ],
        {"zh": [
            '− 4.1 申请',
            '−   4.1.1 文员填写申请。',
            '−   4.1.2 申请写明理由：',
            '−     a) 客户名称；',
            '−     b) 折扣比例。',
            '− 记录',
            '−   申请存档。',
            '−   批准存档。',
            '+ 工作程序：待定：原文无控制要求。',
        ], "en": [
            '− 4.1 Request',
            '−   4.1.1 The clerk fills in the request.',
            '−   4.1.2 The request states the reason:',
            "−     a) the customer's name;",
            '−     b) the discount rate.',
            '− Records',
            '−   Requests are filed.',
            '−   Approvals are filed.',
            '+ Requirements: To be determined: The source has no requirements.',
        ]},
        id='clauses gap'),
    pytest.param(
        [(whole("records"), "records: {gap: {zh: 原文未列记录。, en: The source lists no records.}}\n")],
        False,
        [
            ('记录（待定）新增：待定：原文未列记录。', 'Records (to be determined) added: To be determined: The source lists no records.', None, '待定：原文未列记录。'),
            ('记录删除：折扣申请单', 'Record removed: Discount request'),
            ('记录删除：批准台账', 'Record removed: Approval ledger'),
            ('记录删除：拒绝台账', 'Record removed: Refusal ledger'),
        ],
        {"zh": [
            '− 记录：折扣申请单 — 文员；保存期限：3年；存放地点：销售部；处置方式：销毁',
            '− 记录：批准台账 — 待定：原文未规定保管人。；保存期限：5年',
            '− 记录：R-7 拒绝台账 — 销售总监；保存期限：1年',
            '+ 记录：待定：原文未列记录。',
        ], "en": [
            '− Records: Discount request — Clerk; Retention period: 3 years; Storage: Sales Department; Disposal: Destroyed',
            '− Records: Approval ledger — To be determined: The source names no keeper.; Retention period: 5 years',
            '− Records: R-7 Refusal ledger — Sales director; Retention period: 1 year',
            '+ Records: To be determined: The source lists no records.',
        ]},
        id='records gap'),
    pytest.param(
        [(whole("related_documents"), "related_documents: {gap: {zh: 原文未列相关文件。, en: The source lists no related documents.}}\n")],
        False,
        [
            ('相关文件（待定）新增：待定：原文未列相关文件。', 'Related documents (to be determined) added: To be determined: The source lists no related documents.', None, '待定：原文未列相关文件。'),
            ('相关文件删除：ISO 9001 质量管理体系 要求', 'Related document removed: ISO 9001 Quality management systems — Requirements'),
            ('相关文件删除：价目表', 'Related document removed: Price list'),
        ],
        {"zh": [
            '− 相关文件：ISO 9001 质量管理体系 要求（标准、2015、国际标准化组织）',
            '− 相关文件：价目表（内部文件）',
            '+ 相关文件：待定：原文未列相关文件。',
        ], "en": [
            '− Related documents: ISO 9001 Quality management systems — Requirements (Standard, 2015, ISO)',
            '− Related documents: Price list (Internal document)',
            '+ Related documents: To be determined: The source lists no related documents.',
        ]},
        id='related documents gap'),
    pytest.param(
        [("review_due: 2099-12-01\n", "")],
        False,
        [
            ('复审日期：2099-12-01 → —', 'Review due: 2099-12-01 → —'),
        ],
        {"zh": [
            '− 复审日期：2099-12-01',
        ], "en": [
            '− Review due: 2099-12-01',
        ]},
        id='review date removed'),
    pytest.param(
        [(whole("responsibilities"), "responsibilities: {gap: {zh: 原文未规定职责。, en: The source gives no responsibilities.}}\n")],
        False,
        [
            ('职责（待定）新增：待定：原文未规定职责。', 'Responsibilities (to be determined) added: To be determined: The source gives no responsibilities.', None, '待定：原文未规定职责。'),
            ('职责删除：3.1 销售总监', 'Responsibility removed: 3.1 Sales director', '批准折扣。\n3.1.1 审查折扣理由；', None),
            ('职责删除：文员', 'Responsibility removed: Clerk', '登记折扣。', None),
            ('职责删除：待定：原文未规定由谁复核。', 'Responsibility removed: To be determined: The source does not say who checks.', '复核折扣。', None),
        ],
        {"zh": [
            '− 职责：3.1 销售总监 — 批准折扣。',
            '−   3.1.1 审查折扣理由；',
            '− 职责：文员 — 登记折扣。',
            '− 职责：待定：原文未规定由谁复核。 — 复核折扣。',
            '+ 职责：待定：原文未规定职责。',
        ], "en": [
            '− Responsibilities: 3.1 Sales director — Approves discounts.',
            '−   3.1.1 reviews the reason for the discount;',
            '− Responsibilities: Clerk — Records discounts.',
            '− Responsibilities: To be determined: The source does not say who checks. — Checks discounts.',
            '+ Responsibilities: To be determined: The source gives no responsibilities.',
        ]},
        id='responsibilities gap'),
    pytest.param(
        [("  - role: clerk\n    text: {zh: 登记折扣。, en: Records discounts.}\n", "  - role: clerk\n")],
        False,
        [
            ('职责 文员 正文删除', 'Responsibility Clerk text removed', '登记折扣。', None),
        ],
        {"zh": [
            '− 职责：文员 — 登记折扣。',
            '+ 职责：文员',
        ], "en": [
            '− Responsibilities: Clerk — Records discounts.',
            '+ Responsibilities: Clerk',
        ]},
        id='responsibility text removed'),
    pytest.param(
        [("  - title: {zh: 记录, en: Records}\n", "  - title: {zh: 记录, en: Records}\n    text: {zh: 以下记录存档：, en: \"These are filed:\"}\n")],
        False,
        [
            ('条款 第 2 项 正文新增：以下记录存档：', 'Clause item 2 text added: These are filed:', None, '以下记录存档：'),
        ],
        {"zh": [
            '− 记录',
            '+ 记录 以下记录存档：',
        ], "en": [
            '− Records',
            '+ Records These are filed:',
        ]},
        id='clause text added'),
    pytest.param(
        [("    title: {zh: 批准意见, en: Decision}\n", "")],
        False,
        [
            ('文档 无名称的文档（批准或拒绝） 名称删除', 'Document untitled document (Approved or refused) title removed', '批准意见', None),
        ],
        {"zh": [
            '−   输出：批准意见',
            '+   输出：无名称的文档（批准或拒绝）',
            '− 文档：批准意见 — 销售总监 → 文员；提交时限/频率：当日；主要内容：批准或拒绝；记录表单：折扣申请单',
            '+ 文档：无名称的文档（批准或拒绝） — 销售总监 → 文员；提交时限/频率：当日；主要内容：批准或拒绝；记录表单：折扣申请单',
        ], "en": [
            '−   Outputs: Decision',
            '+   Outputs: untitled document (Approved or refused)',
            '− Document: Decision — Sales director → Clerk; Deadline or frequency: The same day; Main content: Approved or refused; Record form: Discount request',
            '+ Document: untitled document (Approved or refused) — Sales director → Clerk; Deadline or frequency: The same day; Main content: Approved or refused; Record form: Discount request',
        ]},
        id='untitled document'),
    pytest.param(
        [(whole("documents"), ""), ("    outputs: [decision]", "    outputs: [decision, request-form]")],
        True,
        [
            ('步骤2 批准 输出：批准意见、折扣申请单 → 批准意见', 'Step 2 (Approve) outputs: Decision, Discount request → Decision'),
            ('文档新增：批准意见', 'Document added: Decision'),
        ],
        {"zh": [
            '−   输出：decision、折扣申请单',
            '+   输出：批准意见',
            '+ 文档：批准意见 — 销售总监 → 文员；提交时限/频率：当日；主要内容：批准或拒绝；记录表单：折扣申请单',
        ], "en": [
            '−   Outputs: decision, Discount request',
            '+   Outputs: Decision',
            '+ Document: Decision — Sales director → Clerk; Deadline or frequency: The same day; Main content: Approved or refused; Record form: Discount request',
        ]},
        id='outputs named by the other revision'),
    pytest.param(
        [("    title: {zh: 通知, en: Notify}\n    owner: clerk", "    title: {zh: 通知, en: Notify}\n    owner: {gap: {zh: 原文未规定由谁通知。, en: The source does not say who notifies.}}")],
        False,
        [
            ('步骤3 通知 负责人：文员 → 待定：原文未规定由谁通知。', 'Step 3 (Notify) owner: Clerk → To be determined: The source does not say who notifies.'),
        ],
        {"zh": [
            '− 步骤 3. 通知 — 文员',
            '+ 步骤 3. 通知 — 待定：原文未规定由谁通知。',
        ], "en": [
            '− Step 3. Notify — Clerk',
            '+ Step 3. Notify — To be determined: The source does not say who notifies.',
        ]},
        id='owner gap'),
    pytest.param(
        [("    title: {zh: 通知, en: Notify}\n    owner: clerk", "    title: {zh: 通知, en: Notify}\n    owner: assistant")],
        False,
        [
            ('步骤3 通知 负责人：文员 → 未声明的岗位', 'Step 3 (Notify) owner: Clerk → undeclared role'),
        ],
        {"zh": [
            '− 步骤 3. 通知 — 文员',
            '+ 步骤 3. 通知 — 未声明的岗位',
        ], "en": [
            '− Step 3. Notify — Clerk',
            '+ Step 3. Notify — undeclared role',
        ]},
        id='owner undeclared'),
    pytest.param(
        [("      - {to: refused, when: {zh: 否, en: \"No\"}}\n    outputs: [decision]",
                           "      - {to: refused, when: {zh: 否, en: \"No\"}}\n    parallel: true\n    outputs: [decision]"),
                          ("    owner: clerk\n    next: [end]", "    owner: clerk\n    join: true\n    next: [end]")],
        True,
        [
            ('步骤2 批准 下一步：3 通知（是）、转入投诉处理（否）（同时开始） → 3 通知（是）、转入投诉处理（否）', 'Step 2 (Approve) next: 3 (Notify) (Yes), To complaint handling (No) (in parallel) → 3 (Notify) (Yes), To complaint handling (No)'),
            ('步骤3 通知 汇合（待各并行分支完成）删除', 'Step 3 (Notify) join (waits for every parallel branch) removed'),
        ],
        {"zh": [
            '−   同时开始',
            '−   汇合：待各并行分支完成后开始',
        ], "en": [
            '−   in parallel',
            '−   Join: starts when every parallel branch is done',
        ]},
        id='parallel and join removed'),

]


@pytest.mark.parametrize("edits, reverse, lines, marked", CASES)
def test_a_change_to_one_section_is_listed_in_procedure_terms_and_marked_in_the_redline(edits, reverse, lines, marked):
    old, new = revisions(edits, reverse)
    assert change_lines(old, new) == lines
    assert redlined(old, new) == marked


def test_a_revision_compared_with_itself_has_no_change_and_no_marked_line():
    same = load(BASE)
    assert compare(same, load(BASE)) == []
    assert redlined(same, load(BASE)) == {"zh": [], "en": []}


def test_a_change_of_the_english_translation_alone_is_said_as_such_and_marked_only_in_english():
    old, new = revisions([("en: The sales director approves every discount.}", "en: The sales manager approves every discount.}")])
    [change] = compare(old, new)
    assert change.summary == {"zh": "目的（英文译文）修改", "en": "Purpose: English translation changed"}
    assert (change.old, change.new) == ("The sales director approves every discount.", "The sales manager approves every discount.")
    assert redlined(old, new)["zh"] == []


def test_the_outline_holds_every_section_in_the_order_of_the_printed_procedure():
    proc = load(BASE)
    assert outline(proc, "zh") == OUTLINE_ZH
    assert outline(proc, "en") == OUTLINE_EN


OUTLINE_ZH = [
    'QP-T-26 折扣审批程序',
    '生效日期：2026-12-01',
    '复审日期：2099-12-01',
    '归口部门：销售部',
    '目的：销售总监批准每一笔折扣。',
    '范围：适用于全部销售合同。',
    '职责：3.1 销售总监 — 批准折扣。',
    '  3.1.1 审查折扣理由；',
    '职责：文员 — 登记折扣。',
    '职责：待定：原文未规定由谁复核。 — 复核折扣。',
    '术语：2.1 折扣 — 低于价目表的价格。',
    '术语：价目表 — 公司批准的价格。',
    '控制目标：折扣受控',
    '  A（数量）：全部折扣经批准',
    '  Q（质量）：理由完整',
    '  C（成本）：折扣不超预算',
    '  T（时效）：当日批准',
    '  R（风险）：未经批准的折扣',
    '岗位：文员（销售部） — 登记折扣',
    '岗位：销售总监',
    '外部相关方：客户（顾客）',
    '控制点：折扣经批准',
    '  适用步骤：2. 批准',
    '控制要求',
    '4.1 申请',
    '  4.1.1 文员填写申请。',
    '  4.1.2 申请写明理由：',
    '    a) 客户名称；',
    '    b) 折扣比例。',
    '记录',
    '  申请存档。',
    '  批准存档。',
    '开始：客户要求折扣（客户） → 1. 申请',
    '步骤 1. 申请（条款 4.1.1） — 文员',
    '  参与：客户（协商）',
    '  文员填写申请。',
    '  核对价目表',
    '  填写理由',
    '  输入：价目表',
    '  输出：折扣申请单',
    '步骤 2. 批准 — 销售总监',
    '  输出：批准意见',
    '  判断：是否批准？',
    '  下一步：3. 通知（是）',
    '  下一步：转入投诉处理（否）',
    '步骤 3. 通知 — 文员',
    '  下一步：结束',
    '结束：转入投诉处理（转入） → 投诉处理程序',
    '文档：批准意见 — 销售总监 → 文员；提交时限/频率：当日；主要内容：批准或拒绝；记录表单：折扣申请单',
    '记录表单：QR-T-26-01 A/0 折扣申请单 — 文员；保存期限：3年；存放地点：销售部；处置方式：销毁',
    '  栏目：客户（文字）',
    '  栏目：折扣（选择）：5%、10%',
    '引用文件：客户信用程序',
    '相关文件：ISO 9001 质量管理体系 要求（标准、2015、国际标准化组织）',
    '相关文件：价目表（内部文件）',
    '记录：折扣申请单 — 文员；保存期限：3年；存放地点：销售部；处置方式：销毁',
    '记录：批准台账 — 待定：原文未规定保管人。；保存期限：5年',
    '记录：R-7 拒绝台账 — 销售总监；保存期限：1年',
]

OUTLINE_EN = [
    'QP-T-26 Discount approval procedure',
    'Effective date: 2026-12-01',
    'Review due: 2099-12-01',
    'Owner department: Sales Department',
    'Purpose: The sales director approves every discount.',
    'Scope: Applies to every sales contract.',
    'Responsibilities: 3.1 Sales director — Approves discounts.',
    '  3.1.1 reviews the reason for the discount;',
    'Responsibilities: Clerk — Records discounts.',
    'Responsibilities: To be determined: The source does not say who checks. — Checks discounts.',
    'Term: 2.1 discount — A price below the price list.',
    'Term: price list — The prices the company approves.',
    'Control objectives: Discounts under control',
    '  A (quantity): Every discount approved',
    '  Q (quality): Reasons complete',
    '  C (cost): Discounts within budget',
    '  T (timeliness): Approved the same day',
    '  R (risk): Unapproved discounts',
    'Role: Clerk (Sales Department) — Records discounts',
    'Role: Sales director',
    'Outside parties: Customer (Customer)',
    'Control point: Discounts approved',
    '  Applies to: 2. Approve',
    'Control requirements',
    '4.1 Request',
    '  4.1.1 The clerk fills in the request.',
    '  4.1.2 The request states the reason:',
    "    a) the customer's name;",
    '    b) the discount rate.',
    'Records',
    '  Requests are filed.',
    '  Approvals are filed.',
    'Start: A customer asks for a discount (Customer) → 1. Request',
    'Step 1. Request (Clause 4.1.1) — Clerk',
    '  Taking part: Customer (consulted)',
    '  The clerk fills in the request.',
    '  Check the price list',
    '  Write the reason',
    '  Inputs: Price list',
    '  Outputs: Discount request',
    'Step 2. Approve — Sales director',
    '  Outputs: Decision',
    '  Decision: Approved?',
    '  Next: 3. Notify (Yes)',
    '  Next: To complaint handling (No)',
    'Step 3. Notify — Clerk',
    '  Next: End',
    'End: To complaint handling (Hand-off) → Complaint handling procedure',
    'Document: Decision — Sales director → Clerk; Deadline or frequency: The same day; Main content: Approved or refused; Record form: Discount request',
    'Record form: QR-T-26-01 A/0 Discount request — Clerk; Retention period: 3 years; Storage: Sales Department; Disposal: Destroyed',
    '  Field: Customer (Text)',
    '  Field: Discount (Choice): 5%, 10%',
    'Referenced procedures: Customer credit procedure',
    'Related documents: ISO 9001 Quality management systems — Requirements (Standard, 2015, ISO)',
    'Related documents: Price list (Internal document)',
    'Records: Discount request — Clerk; Retention period: 3 years; Storage: Sales Department; Disposal: Destroyed',
    'Records: Approval ledger — To be determined: The source names no keeper.; Retention period: 5 years',
    'Records: R-7 Refusal ledger — Sales director; Retention period: 1 year',
]


# --- Real revisions ---------------------------------------------------------------------------------

def _report(old, new) -> str:
    """What the history page and the comparison page say from ``old`` to ``new``, and the redline, as text."""
    out = ["# changes (zh | en)"]
    for change in compare(old, new):
        out.append(f"- {change.summary['zh']} | {change.summary['en']}")
        if change.has_text:
            out += [f"    before: {change.old}", f"    after: {change.new}"]
    for lang, marked in redlined(old, new).items():
        out += [f"# redline ({lang})"] + marked
    return "\n".join(out) + "\n"


def test_the_golden_revisions_redline_marks_the_owner_producer_and_recipient_lines():
    golden_sources = FIXTURES / "golden"
    a0, a1 = (load_bytes("escaping.yaml", (golden_sources / name).read_bytes(), "escaping")[0]
              for name in ("escaping.a0.yaml", "escaping.a1.yaml"))
    assert redlined(a0, a1) == {
        "zh": ["− 生效日期：2026-01-15", "+ 生效日期：2026-12-01",
               "− 步骤 2. 报告 # 1 — 文员<甲>", "+ 步骤 2. 报告 # 1 — 经理 | 乙",
               "− 文档：月报<汇总> — 文员<甲> → 经理 | 乙；提交时限/频率：每月5日前 <17:00>；主要内容：内容 & 数据",
               "− 记录表单：QR-T-09 A/0 登记表<A> — 文员<甲>；保存期限：3年 & 更久；行数：5",
               "+ 文档：月报<汇总> — 经理 | 乙 → 文员<甲>；提交时限/频率：每月5日前 <17:00>；主要内容：内容 & 数据",
               "+ 记录表单：QR-T-09 A/1 登记表<A> — 文员<甲>；保存期限：自“结案” <日>起3年 & 更久；存放地点：档案柜 <B> | *柜*；"
               "处置方式：移交（移交“客户” & <总部>）；行数：5"],
        "en": ["− Effective date: 2026-01-15", "+ Effective date: 2026-12-01",
               '− Step 2. Report # 1 & <sum> — Clerk <A> & "B"', "+ Step 2. Report # 1 & <sum> — Manager | {B} \\ C",
               '− Document: Monthly <report> & "summary" — Clerk <A> & "B" → Manager | {B} \\ C; Deadline or frequency: '
               "By the 5th <17:00> & before {noon}; Main content: Content & data | *figures*",
               '− Record form: QR-T-09 A/0 Log <A> & "B" — Clerk <A> & "B"; Retention period: 3 years & <more>; Rows: 5',
               '+ Document: Monthly <report> & "summary" — Manager | {B} \\ C → Clerk <A> & "B"; Deadline or frequency: '
               "By the 5th <17:00> & before {noon}; Main content: Content & data | *figures*",
               '+ Record form: QR-T-09 A/1 Log <A> & "B" — Clerk <A> & "B"; Retention period: 3 years & <more> from the '
               '<close> & "end"; Storage: Cabinet <B> | *files* & [more]; Disposal: Hand over (to the <customer> & `HQ`); Rows: 5'],
    }


@needs_repository_history
def test_a_shipped_clause_based_procedure_s_revision_is_reported_section_by_section(golden):
    """MED-QP7.5.1-2015 B/0 → B/1, from this repository's history: purpose added, objectives and control
    points removed, responsibility 3.1 and clauses 4.3.2 and 4.4.3 added, related documents listed."""
    from generators.control.history import history

    found = history(ROOT / "procedure" / "medical-device-sales-service.yaml")
    if found.shallow:
        pytest.skip("shallow clone: git history is incomplete here")
    by_version = {r.version: r.procedure for r in found.revisions}
    golden(GOLDEN / "changes.medical-device-sales-service.b-0--b-1.txt", _report(by_version["B/0"], by_version["B/1"]))


# --- The pages --------------------------------------------------------------------------------------

def test_the_comparison_page_lists_the_change_its_texts_before_and_after_and_the_redline():
    from generators.render.pages import compare_page
    from generators.source.library import Library

    old, new = revisions([("purpose: {zh: 销售总监批准每一笔折扣。", "purpose: {zh: 销售经理批准每一笔折扣。"),
                          ("en: The sales director approves every discount.}", "en: The sales manager approves every discount.}")])
    page = compare_page(Library([new]), new, old, new, "zh")
    assert "## 更改摘要 { #summary }\n\n- 目的修改\n\n## 文字修改 { #text-changes }\n\n文字按中文版" in page
    assert ('| 目的修改 | <span lang="zh">销售总监批准每一笔折扣。</span> | <span lang="zh">销售经理批准每一笔折扣。</span> |\n'
            in page)
    assert '<del class="redline__removed">− 目的：销售总监批准每一笔折扣。</del><br>' in page
    assert '<ins class="redline__added">+ 目的：销售经理批准每一笔折扣。</ins><br>' in page
    english = compare_page(Library([new]), new, old, new, "en")
    # the texts are the governing Chinese ones, said to be (lang="zh") and said why
    assert "- Purpose changed\n" in english and ('| Purpose changed | <span lang="zh">销售总监批准每一笔折扣。</span> | '
                                                 '<span lang="zh">销售经理批准每一笔折扣。</span> |\n') in english
    assert "Texts are quoted from the Chinese version, which governs" in english
    assert '<ins class="redline__added">+ Purpose&#58; The sales manager approves every discount.</ins><br>' in english


def test_the_comparison_page_quotes_a_changed_translation_in_english_and_marks_its_language():
    from generators.render.pages import compare_page
    from generators.source.library import Library

    old, new = revisions([("en: The sales director approves every discount.}", "en: The sales director approves each discount.}")])
    for lang in ("zh", "en"):
        page = compare_page(Library([new]), new, old, new, lang)
        assert ('<span lang="en">The sales director approves every discount.</span> | '
                '<span lang="en">The sales director approves each discount.</span> |\n') in page, lang


def test_the_comparison_page_has_no_text_table_where_no_text_changed():
    from generators.render.pages import compare_page
    from generators.source.library import Library

    old, new = revisions([("    title: {zh: 批准, en: Approve}\n    owner: director", "    title: {zh: 批准, en: Approve}\n    owner: clerk")])
    page = compare_page(Library([new]), new, old, new, "zh")
    assert "- 步骤2 批准 负责人：销售总监 → 文员\n" in page
    assert "text-changes" not in page


def test_the_redline_indents_a_clause_s_items_by_their_depth():
    from generators.render.pages import compare_page
    from generators.source.library import Library

    old, new = revisions([("{number: b), text: {zh: 折扣比例。", "{number: b), text: {zh: 折扣比例和金额。")])
    marked = [(line.kind, line.depth) for line in redline(outline(old, "zh"), outline(new, "zh")) if line.kind != "same"]
    assert marked == [("removed", 2), ("added", 2)]
    assert redline(["a"], ["a"])[0].depth == 0
    page = compare_page(Library([new]), new, old, new, "zh")
    assert '<del class="redline__removed" style="display: inline-block; margin-left: 2em">− b) 折扣比例。</del><br>' in page
    assert '<ins class="redline__added" style="display: inline-block; margin-left: 2em">+ b) 折扣比例和金额。</ins><br>' in page
    assert '<span class="redline__same" style="display: inline-block; margin-left: 1em">  4&#46;1.1 文员填写申请。</span><br>' in page
    assert '<span class="redline__same">  4&#46;1 申请</span><br>' in page


def test_any_two_procedures_of_the_library_and_fixtures_compare_without_failing():
    """Revisions from history can differ in every way: comparing two different procedures is the extreme."""
    from generators.source.loader import load_file, load_shared

    shared = load_shared(ROOT / "procedure")[0]
    procedures = [load_file(path, shared)[0] for path in sorted((ROOT / "procedure").glob("[!_]*.yaml"))]
    procedures += [load_file(path)[0] for path in sorted(FIXTURES.glob("*.yaml")) if not path.name.endswith(".left-out.yaml")]
    procedures = [p for p in procedures if p is not None]
    assert len(procedures) >= 30
    for old in procedures:
        for new in procedures:
            assert bool(compare(old, new)) is (old is not new), (old.path, new.path)
            redline(outline(old, "zh"), outline(new, "en"))


OUTSIDE = FIXTURES / "outside"


def _outside(name: str, *edits) -> tuple:
    """(old, new): an issue-29 procedure and the same edited."""
    text = (OUTSIDE / f"{name}.yaml").read_text(encoding="utf-8")
    edited = text
    for edit in edits:
        edited = replaced(edited, *edit)
    return (load_bytes(f"{name}.yaml", text.encode("utf-8"), name)[0],
            load_bytes(f"{name}.yaml", edited.encode("utf-8"), name)[0])


def test_time_limits_conditions_committees_and_form_layout_are_changes_in_their_own_words():
    old, new = _outside(
        "nonconforming-product-control",
        ("within: {duration: 24h, after: identify}", "within: {duration: 48h, after: identify}"),
        ("when: {zh: 报废金额超过5000元, en: 'the scrap is worth more than ¥5,000'}",
         "when: {zh: 报废金额超过10000元, en: 'the scrap is worth more than ¥10,000'}"),
        ("members: [quality-manager, production-manager, sales-manager]\n    chair: quality-manager",
         "members: [quality-manager, production-manager]\n    chair: production-manager"),
        ("    within: {duration: 3d, after: review}\n", ""),
        ("    orientation: landscape\n", ""),
        ("      - {zh: 销售经理, en: Sales manager}\n", ""))
    assert change_lines(old, new) == [
        ("岗位 不合格品评审委员会 成员：质量经理、生产经理、销售经理 → 质量经理、生产经理",
         "Role Material Review Board members: Quality manager, Production manager, Sales manager → Quality manager, Production manager"),
        ("岗位 不合格品评审委员会 组长：质量经理 → 生产经理", "Role Material Review Board chair: Quality manager → Production manager"),
        ("步骤2 召开评审会议 时限：“标识、隔离并报告”后24小时内 → “标识、隔离并报告”后48小时内",
         "Step 2 (Convene the review) time limit: within 24 hours of “Mark, segregate and report” → "
         "within 48 hours of “Mark, segregate and report”"),
        ("步骤6 报废 参与：总经理（批准；仅当：报废金额超过5000元）、仓管员（执行） → 总经理（批准；仅当：报废金额超过10000元）、仓管员（执行）",
         "Step 6 (Scrap) taking part: General manager (approves; only if: the scrap is worth more than ¥5,000), Storekeeper (performs) → "
         "General manager (approves; only if: the scrap is worth more than ¥10,000), Storekeeper (performs)"),
        ("步骤6 报废 时限：“召开评审会议”后3天内 → —", "Step 6 (Scrap) time limit: within 3 days of “Convene the review” → —"),
        ("表单 不合格品评审记录 预印行：质量经理（组长）、生产经理、销售经理 → 质量经理（组长）、生产经理",
         "Form Material Review Record pre-printed rows: Quality manager (chair), Production manager, Sales manager → "
         "Quality manager (chair), Production manager"),
        ("表单 不合格品评审记录 打印方向：横向 → 纵向", "Form Material Review Record orientation: landscape → portrait"),
    ]


def test_a_form_section_renamed_or_renumbered_is_the_same_section_where_it_keeps_a_field():
    old, new = _outside(
        "internal-audit",
        ("title: {zh: 一、审核组, en: 1. Audit team}", "title: {zh: 一、审核组成员, en: 1. Audit team members}"),
        ("          - {id: auditors, label: {zh: 内审员, en: Internal auditors}, type: text, width: 6}\n", ""),
        ("      - title: {zh: 二、审核结论, en: 2. Conclusion}",
         "      - title: {zh: 二、审核范围, en: 2. Scope}\n        fields:\n          - {id: scope, label: {zh: 范围, en: Scope}, type: text}\n"
         "      - title: {zh: 三、审核结论, en: 3. Conclusion}"))
    assert change_lines(old, new) == [
        ("表单 内部审核报告表 栏目组 一、审核组 标题修改", "Form Internal Audit Report Form section 1. Audit team title changed",
         "一、审核组", "一、审核组成员"),
        ("表单 内部审核报告表 栏目组 一、审核组成员 栏目：审核组长、内审员 → 审核组长",
         "Form Internal Audit Report Form section 1. Audit team members fields: Lead auditor, Internal auditors → Lead auditor"),
        ("表单 内部审核报告表 栏目组新增：二、审核范围", "Form Internal Audit Report Form section added: 2. Scope"),
        ("表单 内部审核报告表 栏目组 二、审核结论 标题修改", "Form Internal Audit Report Form section 2. Conclusion title changed",
         "二、审核结论", "三、审核结论"),
    ]
    assert change_lines(new, old)[-1] == ("表单 内部审核报告表 栏目组删除：二、审核范围", "Form Internal Audit Report Form section removed: 2. Scope")


def test_a_condition_on_a_decision_s_branch_is_a_change_of_where_the_step_leads():
    old, new = _outside("nonconforming-product-control",
                        ("      - {to: customer-approval, when: {zh: 是, en: 'Yes'}}", "      - {to: customer-approval, when: {zh: 影响, en: Affected}}"))
    assert change_lines(old, new) == [
        ("步骤3 批准让步接收 下一步：4 顾客批准让步（是）、7 采取纠正措施（否） → 4 顾客批准让步（影响）、7 采取纠正措施（否）",
         "Step 3 (Approve the concession) next: 4 (Customer approves the concession) (Yes), 7 (Take corrective action) (No) → "
         "4 (Customer approves the concession) (Affected), 7 (Take corrective action) (No)")]
