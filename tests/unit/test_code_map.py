"""The README's code map and the layer contract know every module: a new one must be placed in both."""

from __future__ import annotations

import re
import tomllib

from tests.helpers import ROOT

PACKAGE = ROOT / "dashboard"
INDENT = 2  # spaces per folder level in the map


def _modules() -> set[str]:
    """Every module of the package as a path (``dashboard/data/store.py``); __init__ is its folder's line."""
    return {
        path.relative_to(ROOT).as_posix()
        for path in PACKAGE.rglob("*.py")
        if path.name != "__init__.py" and "versions" not in path.relative_to(PACKAGE).parts
    }


def _code_map() -> set[str]:
    """The paths the « Organisation du code » block names, rebuilt from its indentation."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Organisation du code", 1)[1]
    block = re.search(r"```\n(.*?)```", section, flags=re.DOTALL)
    assert block is not None, "the « Organisation du code » section has no code block"
    folders: list[str] = []
    named: set[str] = set()
    for line in block.group(1).splitlines():
        found = re.match(r"( *)(\S+)", line)
        if not found or not re.fullmatch(r"[\w.]+/?", found.group(2)):
            continue
        depth = len(found.group(1)) // INDENT
        del folders[depth:]
        name = found.group(2)
        path = "".join(folders) + name
        if name.endswith("/"):
            folders.append(name)
        named.add(path)
    return named


def test_the_readme_code_map_lists_every_module_of_the_package_and_no_other() -> None:
    named = {path for path in _code_map() if path.startswith("dashboard/") and path.endswith(".py")}
    assert sorted(_modules() - named) == [], "modules missing from the README's « Organisation du code »"
    assert sorted(named - _modules()) == [], "the README names modules that are gone"


def test_every_top_level_module_has_a_place_in_the_layer_contract() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    layers = next(c["layers"] for c in contracts if c["type"] == "layers")
    placed = {name.strip() for layer in layers for name in re.split(r"[|:]", layer)}
    top_level = {
        f"dashboard.{path.stem if path.is_file() else path.name}"
        for path in PACKAGE.iterdir()
        if (path.suffix == ".py" and path.name != "__init__.py") or (path / "__init__.py").exists()
    }
    assert sorted(top_level - placed) == [], "top-level modules the import-linter layers do not place"
