"""The code's layout is its data flow: read (source/) → check (rules/) → control (control/) → render
(render/) → publish (publish/), with the commands on top (cli.py, check.py, build.py, incremental.py,
edit/). Imports point only down the stages, never in a circle, and never at another module's private
names. README's architecture section names each folder; this test holds the code to it."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "generators"
# Rank of each stage folder; the package's own top-level modules and edit/ are the commands on top.
STAGES = {"source": 0, "rules": 1, "control": 2, "render": 3, "publish": 4, "edit": 5}
TOP = 5


def module_name(path: Path) -> str:
    parts = ["generators", *path.relative_to(PACKAGE).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def rank(module: str) -> int:
    parts = module.split(".")
    return STAGES.get(parts[1], TOP) if len(parts) > 2 or (len(parts) == 2 and parts[1] in STAGES) else TOP


def imports(module: str) -> list[tuple[str, str | None, int]]:
    """(imported module, imported name or None, line) of every import in ``module``, function-level ones too."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("generators"):
                continue
            for alias in node.names:
                if f"{target}.{alias.name}" in MODULES:
                    found.append((f"{target}.{alias.name}", None, node.lineno))
                else:
                    found.append((target, alias.name, node.lineno))
        elif isinstance(node, ast.Import):
            found += [(a.name, None, node.lineno) for a in node.names if a.name.startswith("generators")]
    return found


def graph() -> dict[str, set[str]]:
    return {m: {target for target, _, _ in imports(m) if target in MODULES and target != m} for m in MODULES}


def test_the_stage_folders_exist_and_every_module_sits_in_one_or_on_top():
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert folders == set(STAGES)
    top = sorted(m for m in MODULES if m.count(".") == 1 and MODULES[m].name != "__init__.py")
    assert top == ["generators.__main__", "generators.build", "generators.check", "generators.cli",
                   "generators.incremental"]


def test_no_module_imports_a_module_of_a_later_stage():
    upward = [f"{MODULES[m].relative_to(PACKAGE.parent)}:{line}: {m} (stage {rank(m)}) imports {target} (stage {rank(target)})"
              for m in MODULES for target, _, line in imports(m)
              if target in MODULES and rank(target) > rank(m)]
    assert upward == []


def test_no_module_imports_a_private_name_of_another():
    private = [f"{MODULES[m].relative_to(PACKAGE.parent)}:{line}: {name} from {target}"
               for m in MODULES for target, name, line in imports(m)
               if name and name.startswith("_") and not name.startswith("__") and target != m]
    assert private == []


def strongly_connected(edges: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's components with more than one module (a circle of imports)."""
    index, low, stack, on_stack, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def test_no_circle_of_imports():
    assert strongly_connected(graph()) == []


@pytest.mark.parametrize("edges, circles", [
    ({"a": {"b"}, "b": {"a"}, "c": set()}, [["a", "b"]]),
    ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
])
def test_the_circle_finder_finds_circles(edges, circles):
    assert strongly_connected(edges) == circles


def test_readme_names_each_stage_folder():
    readme = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Architecture", 1)[1].split("\n## ", 1)[0]
    for folder in STAGES:
        assert f"`{folder}/`" in section, folder
