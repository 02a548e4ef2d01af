"""Every page of a full demo cycle speaks its reader's language: for each demo role, the
pages that role can open (every argument-free page, the pages of each year, and all a
page links to, one per kind, and an indicator's values) are read in Italian and in English, and no piece of
their visible text holds a word of the other language. So do the task pages of every
form, open and done, and the flash messages after completing and taking tasks."""
from __future__ import annotations

from collections import Counter, deque
from urllib.parse import urlsplit

import pytest
from lxml import html as lxml_html
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from app.extensions import db
from app.models.plan import Cycle, Indicator
from tests import helpers as people
from tests.cycle.helpers import sign_in
from tests.helpers import csrf_token
from tests.languages.conftest import LANGUAGES, set_language
from tests.languages.words import demo_data, leaks, visible_text

ROLES = {"admin": people.ADMIN, "support": people.SUPPORT, "sg": people.SG,
         "manager": people.MANAGER, "oiv": people.OIV, "board": people.BOARD,
         "employee": people.EMPLOYEE_A1, "supervisor": people.SUPERVISOR_A1}
PER_KIND = 1  # pages opened per endpoint (and set of query arguments) and person
SKIPPED = {"static", "healthz"}
YEARS = (2022, 2023)


def _seeds(app) -> list[str]:
    """Every GET page without arguments, and every page taking only a year."""
    seeds = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in SKIPPED:
            continue
        if not rule.arguments:
            seeds.append(rule.rule)
        elif rule.arguments == {"year"} and "." not in rule.rule.rsplit("/", 1)[-1]:
            seeds += [rule.rule.replace("<int:year>", str(y)) for y in YEARS]
    return sorted(seeds)


def _kind(adapter, url: str) -> tuple | None:
    parts = urlsplit(url)
    try:
        endpoint, _args = adapter.match(parts.path, method="GET")
    except HTTPException:
        return None
    if endpoint in SKIPPED:
        return None
    return endpoint, tuple(sorted(k.split("=")[0] for k in parts.query.split("&") if k))


def _links(page: str) -> list[str]:
    root = lxml_html.fromstring(page)
    found = []
    for href in root.xpath("//a/@href"):
        if href.startswith("/") and not href.startswith("//"):
            found.append(href.split("#")[0])
    return found


def _unlinked() -> list[str]:
    """Pages with ids that no page of a closed cycle links to: an indicator's values."""
    seeds = []
    for cycle in db.session.execute(select(Cycle).where(Cycle.year.in_(YEARS))).scalars():
        indicator = db.session.execute(select(Indicator).where(Indicator.plan_id == cycle.plan.id)
                                       .order_by(Indicator.id).limit(1)).scalar_one()
        seeds.append(f"/plan/{cycle.year}/indicators/{indicator.id}/values")
    return seeds


def crawl(app, client) -> dict[str, str]:
    """The Italian HTML pages the signed-in person reaches, by address."""
    adapter = app.url_map.bind("localhost")
    seen_kinds: Counter = Counter()
    queue, visited, pages = deque(_seeds(app) + _unlinked()), set(), {}
    set_language(client, "it")
    while queue:
        url = queue.popleft()
        kind = _kind(adapter, url)
        if url in visited or kind is None or seen_kinds[kind] >= PER_KIND:
            continue
        visited.add(url)
        seen_kinds[kind] += 1
        response = client.get(url)
        assert response.status_code < 500, (url, response.status_code)
        if response.mimetype != "text/html" or response.status_code in (301, 302, 303):
            continue
        pages[url] = response.get_data(as_text=True)
        queue.extend(_links(pages[url]))
    return pages


def _report(found: dict[str, list[str]]) -> str:
    return "\n".join(f"{where}: {', '.join(sorted(set(what))[:6])}"
                     for where, what in sorted(found.items()) if what)


@pytest.mark.parametrize("role", sorted(ROLES))
def test_every_page_a_role_opens_speaks_the_readers_language(app, client, role):
    sign_in(client, ROLES[role])
    italian = crawl(app, client)
    assert len(italian) > 5
    data = demo_data()
    found = {f"it {url}": leaks(visible_text(page), "it", data) for url, page in italian.items()}
    set_language(client, "en")
    for url in italian:
        response = client.get(url)
        found[f"en {url}"] = leaks(visible_text(response.get_data(as_text=True)), "en", data)
    assert not any(found.values()), _report(found)


def test_pages_before_signing_in_speak_the_readers_language(client):
    data = demo_data()
    found = {}
    for language in LANGUAGES:
        set_language(client, language)
        for url in ("/login", "/trasparenza/"):
            page = client.get(url, follow_redirects=True).get_data(as_text=True)
            found[f"{language} {url}"] = leaks(visible_text(page), language, data)
    assert not any(found.values()), _report(found)


def test_task_pages_and_flash_messages_speak_the_readers_language(built):
    """Open and done tasks of every form, in both languages; the inbox after completing a
    task (Italian and English in turn), with its flash message."""
    data = demo_data()
    assert len({what for what, _l, _p in built.pages if what.startswith("open")}) > 20
    found = {f"{language} {what}": leaks(visible_text(page), language, data)
             for what, language, page in built.pages}
    assert not any(found.values()), _report(found)


def test_flash_messages_of_everyday_actions_speak_the_readers_language(client):
    """A refused sign-in, saved preferences, signing out (the language chosen for the
    session outlives the session's sign-out)."""
    data = demo_data()
    found = {}
    for language in LANGUAGES:
        set_language(client, language)
        refused = client.post("/login", data={"email": people.EMPLOYEE_A1, "password": "wrong",
                                              "csrf_token": csrf_token(client)})
        sign_in(client, people.EMPLOYEE_A1)
        set_language(client, language)
        token = csrf_token(client, "/me/preferences")
        saved = client.post("/me/preferences", follow_redirects=True, data={
            "csrf_token": token, "mail_mode": "each",
            **({"reminders": "on"} if language == "en" else {})})
        signed_out = client.post("/logout", data={"csrf_token": token}, follow_redirects=True)
        for what, response in (("refused", refused), ("saved", saved), ("out", signed_out)):
            page = response.get_data(as_text=True)
            assert f'lang="{language}"' in page, (language, what)
            found[f"{language} {what}"] = leaks(visible_text(page), language, data)
    assert not any(found.values()), _report(found)
