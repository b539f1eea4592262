"""Synthetic procedures of a given shape, valid under `check` (for tests and benchmarks)."""
from __future__ import annotations

import random

import yaml

FIRST = "甲乙丙丁戊己庚辛壬癸"
WORDS_ZH = ["客户", "销售", "计划", "审核", "分析", "报告", "合同", "评审", "记录", "执行", "调整", "交付", "收款", "档案"]
WORDS_EN = ["customer", "sales", "plan", "review", "analysis", "report", "contract", "record", "delivery", "payment"]


def _text(rng: random.Random, words: int) -> dict:
    return {"zh": "".join(rng.choice(WORDS_ZH) for _ in range(words)),
            "en": " ".join(rng.choice(WORDS_EN) for _ in range(words)).capitalize()}


def procedure(index: int, steps: int = 12, roles: int = 5, documents: int = 4, forms: int = 2,
              revisions: int = 3, seed: int = 0, records_control: bool = True) -> dict:
    """One procedure as plain data: ``steps`` steps spread over ``roles`` lanes, a loop and a decision.
    ``records_control``: with a distribution list and forms that give storage, retention with its trigger
    and disposal (issue 35; False for a checkout older than that, such as bench's baseline)."""
    rng = random.Random(seed * 100_003 + index)
    # Mostly the procedure's own roles, plus one department role shared by ten procedures.
    role_ids = [f"p{index}-role-{r + 1}" for r in range(roles - 1)] + [f"dept-{index // 10}"]
    doc_ids = [f"doc-{d + 1}" for d in range(documents)]
    form_ids = [f"form-{f + 1}" for f in range(forms)]
    step_list = []
    for s in range(steps):
        step = {"id": f"s{s + 1}", "title": _text(rng, 2), "owner": role_ids[s % roles],
                "substeps": [_text(rng, 6) for _ in range(rng.randint(0, 3))]}
        outs = [d for i, d in enumerate(doc_ids) if i % steps == s] + [f for i, f in enumerate(form_ids) if (i + 1) % steps == s]
        if outs:
            step["outputs"] = outs
        step_list.append(step)
    if steps >= 3:  # the last step loops back to the middle until done
        step_list[-1]["decision"] = {"zh": "是否完成?", "en": "Done?"}
        step_list[-1]["next"] = [{"to": f"s{steps // 2}", "when": {"zh": "否", "en": "No"}},
                                 {"to": "end", "when": {"zh": "是", "en": "Yes"}}]
    history = [{"version": f"A/{v}", "date": f"202{v % 6}-0{1 + v % 9}-1{v % 9}", "changes": [_text(rng, 5)],
                "changed_by": "甲", "reviewed_by": "乙", "approved_by": "丙"} for v in range(revisions)]
    history.sort(key=lambda r: r["date"])
    for v, entry in enumerate(history):
        entry["version"] = f"A/{v}"
    if history:  # the newest entry records the header's approval, on its date (approval-mismatch)
        history[-1]["date"] = "2026-11-03"
    data = {
        "number": f"QP-SYN-{index:03d}", "version": f"A/{revisions - 1}", "title": _text(rng, 3),
        "department": {"zh": "质量管理部", "en": "Quality Department"},
        "effective_date": "2026-12-01", "review_due": "2099-12-01",
        "approval": {k: {"name": FIRST[i], "date": "2026-11-0" + str(i + 1)}
                     for i, k in enumerate(["drafted_by", "reviewed_by", "approved_by"])},
        "revisions": history, "scope": _text(rng, 10),
        "objectives": {"statement": _text(rng, 6), **{a: _text(rng, 4) for a in "AQCTR"}},
        "roles": [{"id": r, "name": {"zh": f"岗位{r}", "en": f"Role {r}"}} for r in role_ids],
        "control_points": [{"id": "cp-1", "text": _text(rng, 3), "steps": ["s1"]}],
        "steps": step_list,
        "documents": [{"id": d, "title": _text(rng, 2), "producer": role_ids[i % roles], "content": _text(rng, 4),
                       "recipient": role_ids[(i + 1) % roles], "deadline": {"zh": "每月5日前", "en": "By the 5th of each month"}}
                      for i, d in enumerate(doc_ids)],
        "forms": [{"id": f, "number": f"QR-SYN-{index:03d}-{i + 1:02d}", "version": "A/0", "title": _text(rng, 2),
                   "owner": role_ids[i % roles], "retention": {"zh": "3年", "en": "3 years"},
                   "fields": [{"id": f"f{k}", "label": _text(rng, 1), "type": t}
                              for k, t in enumerate(["text", "date", "number", "textarea", "signature"])]}
                  for i, f in enumerate(form_ids)],
    }
    if records_control:
        data["distribution"] = [{"role": r} for r in role_ids]
        for form in data["forms"]:
            form["retention"] = {"period": form["retention"], "trigger": {"zh": "填写完成", "en": "completion"}}
            form["storage"] = {"zh": "质量管理部文件柜", "en": "Quality Department filing cabinet"}
            form["disposal"] = "destroy"
    return data


def library(folder, count: int, seed: int = 0, records_control: bool = True) -> list:
    """Write ``count`` procedures of realistic, varied shape into ``folder``: 5-40 steps, 3-12 roles,
    2-10 documents, forms and revision logs, in Chinese and English."""
    import pathlib

    folder = pathlib.Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    written = []
    for index in range(count):
        shape = dict(steps=rng.randint(5, 40), roles=rng.randint(3, 12), documents=rng.randint(2, 10),
                     forms=rng.randint(1, 4), revisions=rng.randint(1, 6))
        path = folder / f"proc-{index:04d}.yaml"
        path.write_text(dump(procedure(index, seed=seed, records_control=records_control, **shape)), encoding="utf-8")
        written.append(path)
    return written


def dump(data: dict) -> str:
    header = "# yaml-language-server: $schema=../generators/schema/procedure.schema.json\n"
    return header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)
