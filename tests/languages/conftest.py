"""One demo cycle for the whole package, built once (it takes a while) and read by every
test here: the demo administration, its plan 2022 and people plans, the shipped workflows,
and the 2023 cycle driven to its end with the synthetic inputs of `flask demo run-cycle`.

While it runs, the first task of every form is also opened through the interface by the
person it is for, in both languages, and posted in one of them (Italian and English in
turn), so the tests see what only exists while a task is open: its page, the claim, the
flash message after completing it. Once the cycle is over, the same tasks are opened
again, done, by whoever completed them."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from random import Random

import pytest

from app import engine
from app.extensions import db
from app.models.engine import HumanTask, InstanceStatus, ProcessInstance
from app.models.org import User
from app.models.plan import Cycle
from tests.cycle.helpers import errors_of, open_cycle_tasks, post_task, sign_in, start_cycle
from tests.helpers import csrf_token, run_jobs
from tests.snapshots import wipe

WORKFLOWS = Path(__file__).resolve().parents[2] / "workflows"
LANGUAGES = ("it", "en")


@dataclass
class Built:
    """The closed cycle and the pages seen on the way: (what, language, html)."""

    cycle_id: int
    pages: list[tuple[str, str, str]] = field(default_factory=list)


def set_language(client, language: str) -> None:
    with client.session_transaction() as session:
        session["locale"] = language


def _get(client, path: str, language: str) -> str:
    set_language(client, language)
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def _through_the_page(client, built: Built, task: HumanTask, language: str, rng, scenario) -> int:
    """Open the task in both languages as its person, take it if pooled, post it in
    `language` and read the flash on the inbox. Returns who completed it."""
    from app.demo import cycle as demo_cycle
    from app.engine import assignment

    person_id = task.holder_id or assignment.candidate_ids(task.role, task.org_unit_id)[0]
    sign_in(client, db.session.get(User, person_id).email)
    what = f"open task {task.form_key}"
    for each in LANGUAGES:
        built.pages.append((what, each, _get(client, f"/tasks/{task.id}", each)))
    set_language(client, language)
    if task.holder_id is None:
        claimed = client.post(f"/tasks/{task.id}/claim", follow_redirects=True,
                              data={"csrf_token": csrf_token(client, "/tasks")})
        built.pages.append((f"claimed {task.form_key}", language, claimed.get_data(as_text=True)))
    data = demo_cycle.inputs(task, rng, scenario)
    response = post_task(client, task.id, data)
    assert response.status_code == 302, (task.form_key, errors_of(response))
    built.pages.append((f"completed {task.form_key}", language, _get(client, "/tasks", language)))
    return person_id


def _drive(client, built: Built, cycle: Cycle, master: ProcessInstance) -> None:
    from app.demo import cycle as demo_cycle

    rng, scenario = Random(2023), demo_cycle.Scenario()
    seen: dict[str, tuple[int, int]] = {}  # form key -> (task id, who completed it)
    while True:
        db.session.expire_all()
        if db.session.get(ProcessInstance, master.id).status != InstanceStatus.RUNNING.value:
            break
        run_jobs()  # the children a step started, as `flask jobs work` does
        batch = open_cycle_tasks(cycle.id)
        assert batch, "the cycle waits with no open task"
        for task in batch:
            if task.form_key not in seen:
                language = LANGUAGES[len(seen) % 2]
                seen[task.form_key] = (task.id, _through_the_page(client, built, task, language,
                                                                    rng, scenario))
                db.session.expire_all()
            else:
                demo_cycle.complete(task, demo_cycle.inputs(task, rng, scenario))
    for form_key, (task_id, person_id) in sorted(seen.items()):
        sign_in(client, db.session.get(User, person_id).email)
        for language in LANGUAGES:
            built.pages.append((f"done task {form_key}", language,
                                _get(client, f"/tasks/{task_id}", language)))


@pytest.fixture(scope="package")
def built(app):
    from app.demo import org
    from app.demo import people_plan as demo_people
    from app.demo import plan as demo_plan
    from app.demo import risk as demo_risk

    with app.app_context():
        source = demo_plan.load(org.load("demo"))
        db.session.commit()
        engine.deploy_directory(WORKFLOWS)
        demo_people.load(source)  # the people plans of 2022, with their open tasks
        db.session.commit()
        demo_risk.load(source)  # the corruption-risk section's year in progress
        cycle, master = start_cycle(source)
        result = Built(cycle.id)
        _drive(app.test_client(), result, cycle, master)
        db.session.remove()
    yield result
    with app.app_context():
        wipe()
        db.session.remove()
        Path(app.config["AUDIT_ANCHOR_PATH"]).unlink(missing_ok=True)


@pytest.fixture(autouse=True)
def app_context(app, built):
    """Every test of the package reads the one built cycle (no wipe in between)."""
    with app.app_context():
        yield
        db.session.rollback()
        db.session.remove()


@pytest.fixture
def cycle(built) -> Cycle:
    return db.session.get(Cycle, built.cycle_id)
