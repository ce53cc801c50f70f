"""The editor script keeps its layers: the table at the top of static/js/editor/main.js
puts every module in a layer and a module imports only from lower layers (so there is no
import cycle either); each field of the shared state ``S`` (declared in core.js, each
with its owning module) is written by its owner only."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

EDITOR = Path(__file__).resolve().parents[2] / "static" / "js" / "editor"
IMPORT = re.compile(r"""^\s*import\s+(?:[^"';]*?\s+from\s+)?["']\./([\w-]+\.js)["']""", re.M)
# A field written: assigned, bumped, or a Map/Array/Set of it changed in place.
WRITES = [
    re.compile(r"\bS\.(\w+)\s*(?:=(?!=)|\+=|-=|\*=|\+\+|--)"),
    re.compile(r"(?:\+\+|--)\s*S\.(\w+)"),
    re.compile(r"\bS\.(\w+)\[[^\]]*\]\s*=(?!=)"),
    re.compile(r"\bS\.(\w+)\.(?:set|delete|clear|push|pop|shift|unshift|splice|add)\("),
]
LAYER = re.compile(r"^//   ((?:[\w-]+\.js\s+)+)\s", re.M)
FIELD = re.compile(r"^\s*(\w+):.*//\s*([\w-]+\.js)\b", re.M)


def _modules() -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(EDITOR.glob("*.js"))}


def _imports(source: str) -> set[str]:
    return set(IMPORT.findall(source))


def _owners(core: str) -> dict[str, str]:
    """Field → owning module, from the declaration of S in core.js."""
    declaration = core[core.index("export const S = {") : core.index("};", core.index("S = {"))]
    return dict(FIELD.findall(declaration))


def _layers(main: str) -> dict[str, int]:
    """Module → its layer in main.js's table (0 at the bottom)."""
    rows = [row.split() for row in LAYER.findall(main)]
    return {module: len(rows) - n for n, row in enumerate(rows) for module in row}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle (as a path that comes back to its start), or None."""
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> list[str] | None:
        if module in path:
            return [*path[path.index(module) :], module]
        if module in done:
            return None
        for imported in sorted(graph.get(module, ())):
            found = visit(imported, [*path, module])
            if found:
                return found
        done.add(module)
        return None

    for module in sorted(graph):
        found = visit(module, [])
        if found:
            return found
    return None


def test_the_editor_modules_import_each_other_without_a_cycle() -> None:
    modules = _modules()
    graph = {name: _imports(source) for name, source in modules.items()}
    assert len(graph) >= 10 and graph["main.js"], "the import parser found nothing"
    missing = {f"{m} → {i}" for m, imports in graph.items() for i in imports if i not in graph}
    assert not missing, f"imports of modules that do not exist: {sorted(missing)}"
    cycle = _cycle(graph)
    assert cycle is None, "import cycle: " + " → ".join(cycle or [])
    assert graph["core.js"] == set() and graph["bus.js"] == set(), "the bottom imports nothing"
    importers = {i for imports in graph.values() for i in imports}
    assert "main.js" not in importers, "main.js is the top: nothing imports it"


def test_each_module_imports_only_from_lower_layers() -> None:
    modules = _modules()
    layers = _layers(modules["main.js"])
    assert set(layers) == set(modules), (
        f"put every module in main.js's table: missing {sorted(set(modules) - set(layers))}, "
        f"not a module {sorted(set(layers) - set(modules))}"
    )
    upward = [
        f"{name} (layer {layers[name]}) imports {imported} (layer {layers[imported]})"
        for name, source in modules.items()
        for imported in sorted(_imports(source))
        if layers.get(imported, -1) >= layers[name]
    ]
    assert not upward, "\n".join(upward)


def test_each_piece_of_shared_state_is_written_by_its_owner_only() -> None:
    modules = _modules()
    owners = _owners(modules["core.js"])
    assert {"active", "jobs", "columns", "target"} <= set(owners), owners
    assert set(owners.values()) <= set(modules), "an owner that is not a module"
    wrong = []
    for name, source in modules.items():
        for pattern in WRITES:
            for match in pattern.finditer(source):
                field = match.group(1)
                line = source.count("\n", 0, match.start()) + 1
                if field not in owners:
                    wrong.append(f"{name}:{line} writes S.{field}, which declares no owner")
                elif owners[field] != name:
                    wrong.append(f"{name}:{line} writes S.{field}, owned by {owners[field]}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("S.active = null;", ["active"]),
        ("const gen = ++S.gen;", ["gen"]),
        ("S.jobs.delete(id);", ["jobs"]),
        ("S.heights[c.i] = { rows };", ["heights"]),
        ("if (S.active === a) S.offline = true;", ["offline"]),
        ("const same = S.target && S.target.segId === id;", []),
    ],
)
def test_the_write_patterns_see_writes_and_not_reads(source: str, expected: list[str]) -> None:
    found = [m.group(1) for pattern in WRITES for m in pattern.finditer(source)]
    assert found == expected


def test_the_cycle_finder_finds_one() -> None:
    graph = {"a.js": {"b.js"}, "b.js": {"c.js"}, "c.js": {"a.js"}, "d.js": set()}
    assert _cycle(graph) == ["a.js", "b.js", "c.js", "a.js"]
    assert _cycle({"a.js": {"b.js"}, "b.js": set()}) is None
