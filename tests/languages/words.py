"""What a reader sees of a page, and the words that betray the other language.

The words are ones this product's correct text of one language never uses: an English
"the" or "Submit" on an Italian page is a string that was not translated, an Italian
"della" or "Salva" on an English page is one written in Italian in the code. The demo's
data (the plan's titles and indicators, people, units, the notes typed during the cycle)
is Italian in both languages, so it is taken out of the text before the check, as are
the Italian terms the English interface quotes on purpose ("Board (Giunta)")."""
from __future__ import annotations

import re

from lxml import html as lxml_html
from sqlalchemy import text

from app.extensions import db


def _split(words: str) -> list[str]:
    return words.split()


ENGLISH = _split("""the of and or with for to from your you this that these is are was were has
have not nobody none yet will would should must can could which who whose
when where there here their they its by at on into than all any each every more less
Draft Approve Approved Review Start Submit Save Back Record Cancel Delete Edit Open
Download Upload Sign Close Closed Send Confirm Choose Show Hide Search Previous Next
evaluation evaluations objective objectives indicator indicators Board overdue task tasks
plan people person year years report reports score scores band bands weight status
running completed pending assigned reason comment comments name
value values result results deadline history changes none yes rows field fields required
optional options label""")

ITALIAN = _split("""della delle degli dei del dello il lo gli una uno di con che non sono è
alla alle agli nel nella nelle sul sulla tra fra questo questa questi ogni tutti tutte
Piano Valuta Approva Approvato Salva Annulla Indietro Invia Conferma Scarica Apri Chiudi
Modifica Elimina Cerca Mostra obiettivo obiettivi valutazione valutazioni indicatore
indicatori Giunta attività scadenza anno persona persone punteggio fascia Relazione stato
nessuno Nessun Nessuna motivo commento Dirigente Dipendente Valutatore Segretario""")

# Italian terms the English interface gives on purpose, beside the English name.
QUOTED_IN_ENGLISH = ("(Giunta)", "(dirigente)", "(posizione organizzativa)")

# Columns holding the demo's data: Italian in both languages, not interface text.
DATA_COLUMNS = {
    "administration": ["name"], "org_unit": ["name"], "user": ["first_name", "last_name"],
    "board_deliberation": ["subject", "number", "reason"], "cycle_remark": ["text"],
    "evaluation": ["self_assessment", "evaluator_comment", "not_evaluable_reason",
                   "review_request_reason", "review_reasons"],
    "evaluation_system_config": ["note"], "evaluator_link": ["reason"],
    "objective_sheet": ["employee_comment"], "oiv_monitoring_report": ["text"],
    "plan_revision": ["reason", "oiv_opinion_reference", "deliberation_number"],
    "strategic_area": ["title", "description"], "objective": ["title", "description"],
    "oiv_evaluation": ["assessment", "sg_proposal"],
    "report_version": ["note", "statement", "refusal_reasons"],
    "indicator": ["name", "algorithm", "data_source", "monitoring_note",
                  "neutralised_reason", "notes"],
    "individual_objective": ["title", "actions", "behaviours", "measures"],
    "objective_rating": ["comment"], "indicator_target": ["source"],
    "monitoring_round": ["label", "consolidation_note"], "monitoring_entry": ["note"],
    "individual_check": ["note"], "unit_evaluation_system": ["name"],
    "notification": ["subject", "body"],  # written in the recipient's language, checked apart
    "risk_area": ["name"], "mapped_process": ["name", "description"],
    "process_phase": ["name", "description"], "phase_activity": ["name"],
    "risk_item": ["event", "factors", "analysis", "judgement"],
    "risk_measure": ["name", "description", "indicator", "target"],
    "periodic_check": ["process_name"], "check_outcome": ["note"],
    "measure_report": ["evidence", "proposal"], "rpct_report": ["summary"],
    "transparency_obligation": ["section", "title", "legal_reference"],
    "transparency_attestation": ["statement"], "attestation_entry": ["note"],
    "staffing_hire": ["profile", "note"], "cug_opinion": ["text"],
    "training_entry": ["area", "action", "beneficiaries", "timing", "contents"],
    "equality_objective": ["title", "description"],
    "positive_action": ["title", "actors", "beneficiaries", "indicator"],
    "positive_action_monitoring": ["note"],
}

_KEPT_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")
_HIDDEN_TAGS = ("script", "style", "template", "noscript")
# Names of columns and file syntax, the same in any language; and what a field holds.
_LITERALS = ("code", "kbd", "samp", "textarea")
# Addresses, and in English the literal values of an import file quoted as examples.
_NOT_WORDS = {"it": re.compile(r"https?://\S+|/[\w/.-]+"),
              "en": re.compile(r"https?://\S+|/[\w/.-]+|(?<!\w)'[^']{1,60}'(?!\w)")}


def _pattern(words: list[str]) -> re.Pattern:
    return re.compile(r"(?<![\w-])(" + "|".join(re.escape(w) for w in words)
                      + r")(?![\w'’-])", re.IGNORECASE)


WRONG_WORDS = {"it": _pattern(ENGLISH), "en": _pattern(ITALIAN)}


def visible_text(page: str) -> list[str]:
    """The pieces of text a reader meets: text nodes (not scripts, styles or code), the
    attributes read aloud or shown on hover, the labels of input buttons. A part marked
    as written in another language (`lang`, such as the forms' developer notes in the
    designer) is left out: it says so to screen readers too."""
    root = lxml_html.fromstring(page)
    page_language = root.get("lang")
    for element in list(root.iter(*_HIDDEN_TAGS, *_LITERALS)):
        element.drop_tree()
    for element in list(root.xpath("//body//*[@lang]")):
        if element.get("lang") != page_language:
            element.drop_tree()
    pieces = [t.strip() for t in root.itertext() if t.strip()]
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        pieces += [element.get(a).strip() for a in _KEPT_ATTRIBUTES if element.get(a)]
        if element.tag == "input" and element.get("type") in ("submit", "button"):
            pieces.append((element.get("value") or "").strip())
    return [p for p in pieces if p]


def demo_data() -> re.Pattern:
    """One pattern matching every piece of the demo's data (longest first), built as a
    trie so it stays fast on long pages."""
    values: set[str] = set()
    for table, columns in DATA_COLUMNS.items():
        for column in columns:
            rows = db.session.execute(text(f'SELECT "{column}" FROM "{table}" '
                                           f'WHERE "{column}" IS NOT NULL'))
            for (value,) in rows:
                values.update(v.strip() for v in str(value).splitlines() if len(v.strip()) > 2)
    values.update(QUOTED_IN_ENGLISH)
    return re.compile(_trie(sorted(values)))


def _trie(values: list[str]) -> str:
    root: dict = {}
    for value in values:
        node = root
        for char in value:
            node = node.setdefault(char, {})
        node[""] = True
    return _node_pattern(root)


def _node_pattern(node: dict) -> str:
    ends = "" in node
    branches = [re.escape(char) + _node_pattern(child)
                for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if ends else body


def leaks(pieces: list[str], language: str, data: re.Pattern) -> list[str]:
    """The pieces of text holding a word of the other language, with the word."""
    found = []
    for piece in pieces:
        cleaned = _NOT_WORDS[language].sub(" ", data.sub(" ", piece))
        match = WRONG_WORDS[language].search(cleaned)
        if match:
            found.append(f"{match.group(0)!r} in {piece[:160]!r}")
    return found
