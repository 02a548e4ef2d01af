"""The import graph follows the layers of ARCHITECTURE.md: forms validate and present,
the engine never calls services, scoring calls nothing, services never reach up into
forms or the web, and the infrastructure under the engine and services stays under them.
Every import counts, those inside functions too."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# (where, which imported modules are forbidden there); "where" is a package or a module
RULES = [
    ("forms", ("app.services", "app.web", "app.extensions")),
    ("app.engine", ("app.services", "app.web")),
    ("app.services", ("forms", "app.web")),
    ("app.audit", ("app.services", "app.web", "app.engine")),
    ("app.notify", ("app.services", "app.web", "app.engine")),
    ("app.mailer", ("app.services", "app.web", "app.engine")),
    ("app.task_names", ("app.services", "app.web", "app.engine")),
    ("app.diagram_texts", ("app.services", "app.web", "app.engine")),
    ("app.formats", ("app.services", "app.web", "app.engine")),
]
SCORING = "app.scoring"  # may import no other module of app


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_module(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) for every import in the file; `from a import b` names the module
    a.b when b is a module, a otherwise."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                full = f"{base}.{alias.name}"
                found.append((node.lineno, full if _is_module(full) else base))
    return found


def _forbidden(importer: str, imported: str) -> bool:
    if _within(importer, SCORING):
        return _within(imported, "app") and not _within(imported, SCORING)
    return any(_within(importer, where) and any(_within(imported, f) for f in forbidden)
               for where, forbidden in RULES)


def violations() -> list[str]:
    found = []
    for top in ("app", "forms"):
        for path in sorted((ROOT / top).rglob("*.py")):
            importer = _module_name(path)
            for line, imported in _imports(path):
                if _forbidden(importer, imported):
                    found.append(f"{path.relative_to(ROOT)}:{line}: {importer} imports {imported}")
    return found


def test_the_layers_import_only_downwards():
    problems = violations()
    assert not problems, "imports across the layers:\n" + "\n".join(problems)


def test_the_rules_catch_what_they_must():
    assert _forbidden("forms.cycle", "app.services.cycle.operations")
    assert _forbidden("forms.cycle", "app.extensions")
    assert not _forbidden("forms.cycle", "app.formats.values")
    assert _forbidden("app.services.cycle.master_steps", "forms.registry")
    assert not _forbidden("app.services.cycle.master_steps", "app.engine")
    assert _forbidden("app.scoring.rewards", "app.models.plan")
    assert _forbidden("app.scoring.rewards", "app")
    assert not _forbidden("app.scoring.rewards", "app.scoring.individual")
    assert _forbidden("app.formats.values", "app.engine")
    assert not _forbidden("app.web.tasks.views", "app.services.tasks")


def test_every_form_that_prepares_has_a_context_loader():
    from app.services.tasks.steps import loader_for
    from forms.registry import form_class, keys

    missing = [key for key in keys()
               if hasattr(form_class(key), "prepare") and loader_for(key) is None]
    assert not missing, f"task forms with prepare() but no @context loader: {missing}"
