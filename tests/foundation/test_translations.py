"""The Italian catalogue is complete: every interface string extracted from the code and
templates has a translation with the same placeholders, and the compiled catalogue is
current. A new string without its Italian text fails here."""
import re
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "app" / "translations" / "it" / "LC_MESSAGES" / "messages.po"
# The scoring module's refusals are English templates the services translate
# (app.services.plan.rules.message_of), and its explanations' steps
# (app.services.evaluation.explanations): extracted from where they are written.
SCORING_KEYWORDS = ("-k", "ScoringError", "-k", "Step", "-k", "to_decimal:2", "-k", "to_date:2",
                    "-k", "_no_threshold:2", "-k", "_yes_no:2")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


def _extracted(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
         "-k", "_l", "-k", "lazy_gettext", *SCORING_KEYWORDS, "-o", str(pot), "app", "forms"],
        cwd=ROOT, check=True, capture_output=True,
    )
    with pot.open("rb") as handle:
        return read_po(handle)


def _key(message):
    return message.id if isinstance(message.id, str) else message.id[0]


def test_every_string_has_an_italian_translation(tmp_path):
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle)
    translated = {}
    for message in catalogue:
        if message.id:
            strings = [message.string] if isinstance(message.string, str) else list(message.string)
            if all(strings) and "fuzzy" not in message.flags:
                translated[_key(message)] = strings
    missing = sorted(_key(m) for m in _extracted(tmp_path) if m.id and _key(m) not in translated)
    assert missing == [], f"{len(missing)} strings without Italian: {missing[:20]}"


def test_translations_keep_the_placeholders():
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle)
    wrong = []
    for message in catalogue:
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        expected = set(PLACEHOLDER.findall(ids[-1]))
        for text in strings:
            if text and set(PLACEHOLDER.findall(text)) != expected:
                wrong.append((ids[0], text))
    assert wrong == []


def test_the_catalogue_compiles_without_errors(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "compile", "-i", str(CATALOGUE),
         "-o", str(tmp_path / "messages.mo"), "-l", "it"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0 and "error" not in result.stderr, result.stderr
