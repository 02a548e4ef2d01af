"""The checker itself: it finds a word of the other language in what a reader sees, and
leaves alone the demo's data, codes and addresses, which are the same in any language."""
from __future__ import annotations

from tests.languages.words import WRONG_WORDS, demo_data, leaks, visible_text


def test_an_untranslated_string_is_found_in_either_language():
    data = demo_data()
    italian = visible_text('<p>Le tue attività</p><button title="Save the plan">Salva</button>')
    english = visible_text('<p>Your tasks</p><input type="submit" value="Salva">')
    assert [leak.split(" in ")[0] for leak in leaks(italian, "it", data)] == ["'Save'"]
    assert [leak.split(" in ")[0] for leak in leaks(english, "en", data)] == ["'Salva'"]


def test_data_codes_and_addresses_are_not_interface_text(cycle):
    data = demo_data()
    title = next(o.title for o in cycle.plan.objectives if WRONG_WORDS["en"].search(o.title))
    page = (f"<p>Objective: {title}</p><p><code>area_weight</code></p>"
            "<p>Open http://example.it/tasks/1 <script>var the = 1;</script></p>")
    assert leaks(visible_text(page), "en", data) == []
    assert leaks(visible_text(page.replace("Objective", "Obiettivo").replace("Open", "Apri")),
                 "it", data) == []
