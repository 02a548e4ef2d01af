"""The repository declares its licence and describes itself for the Italian public-sector
software catalogue. The required keys below are those of the publiccode.yml standard
v0.4 (https://yml.publiccode.tools/schema.core.html), written here so that a key removed
by mistake fails the suite without fetching the published schema."""
from __future__ import annotations

import datetime
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]

REQUIRED_TOP = {
    "publiccodeYmlVersion": str,
    "name": str,
    "url": str,
    "platforms": list,
    "categories": list,
    "developmentStatus": str,
    "softwareType": str,
    "description": dict,
    "legal": dict,
    "maintenance": dict,
    "localisation": dict,
}
REQUIRED_DESCRIPTION = {"shortDescription": str, "longDescription": str, "features": list}
REQUIRED_LEGAL = {"license": str}
REQUIRED_MAINTENANCE = {"type": str}
REQUIRED_LOCALISATION = {"localisationReady": bool, "availableLanguages": list}
REQUIRED_CONTACT = {"name": str}
REQUIRED_IT = {"countryExtensionVersion": str}

DEVELOPMENT_STATUS = {"concept", "development", "beta", "stable", "obsolete"}
SOFTWARE_TYPE = {
    "standalone/mobile", "standalone/iot", "standalone/desktop", "standalone/web",
    "standalone/backend", "standalone/other", "addon", "library", "configurationFiles",
}
MAINTENANCE_TYPE = {"internal", "contract", "community", "none"}


def _publiccode() -> dict:
    return yaml.safe_load((ROOT / "publiccode.yml").read_text(encoding="utf-8"))


def _assert_keys(section: dict, required: dict, where: str) -> None:
    for key, kind in required.items():
        assert key in section, f"{where}: required key {key!r} missing"
        assert isinstance(section[key], kind), f"{where}.{key} must be a {kind.__name__}"


def test_publiccode_has_every_required_key_of_the_standard_with_its_type():
    data = _publiccode()
    _assert_keys(data, REQUIRED_TOP, "publiccode.yml")
    assert data["publiccodeYmlVersion"] == "0.4"
    _assert_keys(data["legal"], REQUIRED_LEGAL, "legal")
    _assert_keys(data["maintenance"], REQUIRED_MAINTENANCE, "maintenance")
    _assert_keys(data["localisation"], REQUIRED_LOCALISATION, "localisation")
    _assert_keys(data["it"], REQUIRED_IT, "it")


def test_publiccode_describes_the_software_in_italian_and_english_within_the_lengths():
    description = _publiccode()["description"]
    assert {"ita", "eng"} <= set(description)
    for language, text in description.items():
        _assert_keys(text, REQUIRED_DESCRIPTION, f"description.{language}")
        assert len(text["shortDescription"]) <= 150
        assert 150 <= len(text["longDescription"]) <= 10000
        assert text["features"] and all(isinstance(f, str) for f in text["features"])


def test_publiccode_enumerated_values_are_those_the_standard_allows():
    data = _publiccode()
    assert data["developmentStatus"] in DEVELOPMENT_STATUS
    assert data["softwareType"] in SOFTWARE_TYPE
    assert data["maintenance"]["type"] in MAINTENANCE_TYPE
    assert set(data["localisation"]["availableLanguages"]) == {"it", "en"}
    release = data.get("releaseDate")
    assert release is None or datetime.date.fromisoformat(str(release))


def test_internal_maintenance_names_its_contacts_and_placeholders_are_marked():
    maintenance = _publiccode()["maintenance"]
    assert maintenance["type"] in {"internal", "community"}
    assert maintenance["contacts"]
    for contact in maintenance["contacts"]:
        _assert_keys(contact, REQUIRED_CONTACT, "maintenance.contacts[]")
    assert "PLACEHOLDER" in maintenance["contacts"][0]["name"]


def test_the_declared_licence_is_eupl_everywhere_and_its_text_is_shipped():
    import json

    assert _publiccode()["legal"]["license"] == "EUPL-1.2"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "EUPL-1.2"
    assert json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["license"] == "EUPL-1.2"
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("EUROPEAN UNION PUBLIC LICENCE v. 1.2")
    assert "Appendix" in text and len(text) > 13000
