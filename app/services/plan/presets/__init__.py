"""Evaluation systems shipped with the product, one JSON file per administration's rules
(DOMAIN.md "Other administrations' rules"): data, not code. Each file holds a name, an
Italian description and `system`, the settings that differ from the schema's defaults
(app.scoring.system.EvaluationSystem, Turin 2022's rules). A preset is chosen for a
cycle on the evaluation system page and then edited like any other version. The
description is given per interface language (it, en)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from app.scoring import EvaluationSystem

FOLDER = Path(__file__).parent


@dataclass(frozen=True)
class Preset:
    key: str
    name: str
    descriptions: dict[str, str]
    system: EvaluationSystem

    def description(self, locale: str) -> str:
        return self.descriptions.get(locale) or self.descriptions["it"]


@cache
def presets() -> dict[str, Preset]:
    """Every shipped preset by key (its file name), validated by the schema."""
    found = {}
    for path in sorted(FOLDER.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        found[path.stem] = Preset(path.stem, data["name"], data["description"],
                                  EvaluationSystem.model_validate(data["system"]))
    return found


def preset(key: str) -> Preset:
    try:
        return presets()[key]
    except KeyError:
        raise KeyError(f"no preset {key!r}") from None
