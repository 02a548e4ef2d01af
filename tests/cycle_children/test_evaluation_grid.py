"""The evaluator's grid (/team/evaluations): only the evaluator's own rating tasks, never
one about the viewer; drafts saved per person and shown again on the task page; stale
drafts and closed tasks answer 409; completion from the grid advances the process as the
task page does; the distribution panel's figures, the administration's suppressed."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.engine import HumanTask, TaskDraft
from app.models.evaluation import Evaluation
from app.services.cycle import children as cycle_children
from app.services.evaluation import grid
from app.services.evaluation import operations as evaluations
from app.services.plan.individual import objectives_of
from app.services.tasks import operations as task_service
from tests.cycle_children.helpers import child, post_task, rows, sign_in_as
from tests.engine.helpers import open_task
from tests.helpers import OTHER_MANAGER, csrf_token, run_jobs, user_by_email


def _open_for_rating(cycle, master, people, persons):
    """Sheets acknowledged, evaluations started, self-assessments skipped: the rating
    tasks wait for the supervisor. Returns the rating task per person id."""
    for person in persons:
        sheet = evaluations.issue_sheet(people.supervisor, cycle, person)
        evaluations.acknowledge_sheet(person, sheet)
    db.session.commit()
    cycle_children.start_evaluations(people.support, cycle, master)
    run_jobs()
    db.session.commit()
    tasks = {}
    for person in persons:
        instance = child("individual_evaluation", f"evaluation:{cycle.id}:{person.id}")
        task_service.complete(person, open_task(instance.id, "self_assessment").id,
                              {"self_assessment": ""})
        db.session.commit()
        tasks[person.id] = open_task(instance.id, "rate_evaluation")
    return tasks


@pytest.fixture
def rating(cycle, master, people):
    return _open_for_rating(cycle, master, people, [people.employee, people.other_employee])


def _row(cycle, person, grades, version=0, action="save") -> dict:
    """The row's form as a browser posts it: objectives beyond `grades` left unrated."""
    objectives = objectives_of(cycle, person)
    grades = [*grades, *[("", "")] * (len(objectives) - len(grades))]
    ratings = [{"objective_id": str(o.id), "what": str(what), "how": how}
               for o, (what, how) in zip(objectives, grades)]
    return {**rows("rows", ratings), "version": str(version), "action": action}


def _post(client, cycle, task, data):
    token = csrf_token(client, f"/team/evaluations?cycle={cycle.year}")
    return client.post(f"/team/evaluations/tasks/{task.id}?cycle={cycle.year}",
                       data={"csrf_token": token, **data})


def _grid(client, cycle, query: str = "") -> str:
    response = client.get(f"/team/evaluations?cycle={cycle.year}{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _draft(task) -> TaskDraft | None:
    db.session.expire_all()
    return db.session.execute(select(TaskDraft).where(TaskDraft.task_id == task.id)).scalar_one_or_none()


def _evaluation(cycle, person) -> Evaluation:
    db.session.expire_all()
    return evaluations.evaluation_of(cycle, person)


def test_the_grid_lists_only_the_rating_tasks_the_evaluator_holds(
        client, signed_in, cycle, people, rating):
    sign_in_as(client, signed_in, people.supervisor)
    page = _grid(client, cycle)
    assert set(re.findall(r'data-task="(\d+)"', page)) == {str(t.id) for t in rating.values()}
    assert "Russo Alessandro" in page and "Colombo Silvia" in page
    sign_in_as(client, signed_in, user_by_email(OTHER_MANAGER))
    assert re.findall(r'data-task="(\d+)"', _grid(client, cycle)) == []
    sign_in_as(client, signed_in, people.manager)  # the supervisor's evaluator, not theirs
    assert re.findall(r'data-task="(\d+)"', _grid(client, cycle)) == []


def test_without_a_cycle_the_grid_opens_where_the_evaluator_has_people_to_rate(
        client, signed_in, cycle, people, rating):
    from app.services.plan.cycles import create_cycle

    newer = create_cycle(people.support, cycle.administration_id, cycle.year + 1)
    db.session.commit()
    sign_in_as(client, signed_in, people.supervisor)
    page = client.get("/team/evaluations").get_data(as_text=True)  # the inbox's link
    assert set(re.findall(r'data-task="(\d+)"', page)) == {str(t.id) for t in rating.values()}
    assert f'aria-current="page" href="/team/evaluations?cycle={cycle.year}"' in page
    newer_page = client.get(f"/team/evaluations?cycle={newer.year}").get_data(as_text=True)
    assert re.findall(r'data-task="(\d+)"', newer_page) == []
    sign_in_as(client, signed_in, user_by_email(OTHER_MANAGER))  # nobody to rate: the latest
    assert f'aria-current="page" href="/team/evaluations?cycle={newer.year}"' in \
        client.get("/team/evaluations").get_data(as_text=True)


def test_an_employee_gets_403(client, signed_in, cycle, people, rating):
    sign_in_as(client, signed_in, people.employee)
    assert client.get(f"/team/evaluations?cycle={cycle.year}").status_code == 403


def test_another_evaluators_task_is_refused_and_nothing_saved(
        client, signed_in, cycle, people, rating):
    task = rating[people.employee.id]
    sign_in_as(client, signed_in, user_by_email(OTHER_MANAGER))
    answer = _post(client, cycle, task, _row(cycle, people.employee, [(6, "A")] * 3))
    assert answer.status_code == 403 and _draft(task) is None
    answer = _post(client, cycle, task, _row(cycle, people.employee, [(6, "A")] * 3,
                                             action="complete"))
    assert answer.status_code == 403 and _evaluation(cycle, people.employee).status == "open"


def test_the_subject_of_a_task_never_sees_it_in_the_grid(
        client, signed_in, cycle, master, people):
    tasks = _open_for_rating(cycle, master, people, [people.supervisor, people.employee])
    own = tasks[people.supervisor.id]
    own.assignee_id = people.supervisor.id  # whatever put it there, it is about him
    db.session.commit()
    sign_in_as(client, signed_in, people.supervisor)
    listed = re.findall(r'data-task="(\d+)"', _grid(client, cycle))
    assert listed == [str(tasks[people.employee.id].id)]
    answer = _post(client, cycle, own, _row(cycle, people.supervisor, [(6, "A")] * 3))
    assert answer.status_code == 403 and _draft(own) is None


def test_a_draft_is_saved_kept_in_the_grid_and_shown_on_the_task_page(
        client, signed_in, cycle, people, rating):
    task = rating[people.employee.id]
    sign_in_as(client, signed_in, people.supervisor)
    partial = _row(cycle, people.employee, [(5, "B")])  # one objective of three
    answer = _post(client, cycle, task, partial)
    assert answer.status_code == 302 and answer.location.endswith(f"#row-{task.id}")
    draft = _draft(task)
    assert draft.version == 1 and draft.saved_by_id == people.supervisor.id
    assert draft.data["rows"][0]["what"] == "5" and draft.data["rows"][0]["how"] == "B"
    assert _evaluation(cycle, people.employee).status == "open"  # nothing completed

    page = _grid(client, cycle)
    row = page[page.index(f'id="row-{task.id}"'):]
    assert re.search(r'name="rows-0-what"[^>]*>.*?<option value="5" selected>', row, re.DOTALL)
    assert 'data-testid="draft-badge"' in row[:row.index("</tr>")]
    task_page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    what = task_page[task_page.index('name="rows-0-what"'):]
    assert re.match(r'[^<]*>(\s*<option[^>]*>[^<]*</option>)*?\s*<option selected value="5">', what)

    complete = _row(cycle, people.employee, [(6, "A"), (4, "B"), (2, "C")], version=1)
    assert _post(client, cycle, task, complete).status_code == 302 and _draft(task).version == 2
    assert "Colombo Silvia" not in _grid(client, cycle, "&status=draft")
    assert "Russo Alessandro" not in _grid(client, cycle, "&status=todo")


def test_a_stale_draft_or_a_closed_task_answers_409(client, signed_in, cycle, people, rating):
    task = rating[people.employee.id]
    sign_in_as(client, signed_in, people.supervisor)
    grades = [(6, "A"), (4, "B"), (2, "C")]
    assert _post(client, cycle, task, _row(cycle, people.employee, grades)).status_code == 302
    # a second tab still holding version 0
    assert _post(client, cycle, task, _row(cycle, people.employee, grades)).status_code == 409
    assert _post(client, cycle, task, _row(cycle, people.employee, grades,
                                            action="complete")).status_code == 409
    assert _evaluation(cycle, people.employee).status == "open"
    assert _post(client, cycle, task, _row(cycle, people.employee, grades, version=1,
                                           action="complete")).status_code == 302
    assert _post(client, cycle, task, _row(cycle, people.employee, grades, version=0,
                                           action="complete")).status_code == 409


def test_only_a_rating_keeps_a_draft_and_completing_another_form_touches_no_draft(
        cycle, people, rating):
    from sqlalchemy import event
    from werkzeug.exceptions import NotFound

    from app.services.tasks import drafts

    task = rating[people.employee.id]
    instance = child("individual_evaluation", f"evaluation:{cycle.id}:{people.employee.id}")
    rows_ = _row(cycle, people.employee, [(6, "A"), (4, "B"), (2, "C")])
    ratings = [{"objective_id": int(rows_[f"rows-{n}-objective_id"]),
                "what": rows_[f"rows-{n}-what"], "how": rows_[f"rows-{n}-how"], "comment": ""}
               for n in range(3)]
    task_service.complete(people.supervisor, task.id, {"rows": ratings, "comment": ""})
    db.session.commit()
    acknowledgement = open_task(instance.id, "acknowledge_evaluation")
    with pytest.raises(NotFound):  # the acknowledgement's form keeps no draft
        drafts.save(people.employee, acknowledgement.id, {"decision": "accept"}, 0)
    db.session.rollback()
    assert _draft(acknowledgement) is None

    statements = []
    engine = db.session.get_bind()
    listener = lambda *args: statements.append(args[2])
    event.listen(engine, "before_cursor_execute", listener)
    try:
        task_service.complete(people.employee, acknowledgement.id, {"decision": "accept"})
        db.session.commit()
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert _evaluation(cycle, people.employee).status == "final"
    assert not [s for s in statements if "task_draft" in s]


def test_completing_from_the_grid_advances_the_process_like_the_task_page(
        client, signed_in, cycle, people, rating):
    grades = [(6, "A"), (4, "B"), (2, "C")]  # values 6, 3, 1 with weights 50, 30, 20: 4.10
    from_grid, from_page = rating[people.employee.id], rating[people.other_employee.id]
    sign_in_as(client, signed_in, people.supervisor)
    assert _post(client, cycle, from_grid, _row(cycle, people.employee, grades)).status_code == 302
    answer = _post(client, cycle, from_grid, _row(cycle, people.employee, grades, version=1,
                                                  action="complete"))
    assert answer.status_code == 302 and _draft(from_grid) is None
    page_rows = rows("rows", [{"objective_id": str(o.id), "what": str(w), "how": h, "comment": ""}
                              for o, (w, h) in zip(objectives_of(cycle, people.other_employee),
                                                   grades)])
    assert post_task(client, from_page.id, page_rows).status_code == 302
    results = []
    for person, task in ((people.employee, from_grid), (people.other_employee, from_page)):
        record = _evaluation(cycle, person)
        instance = child("individual_evaluation", f"evaluation:{cycle.id}:{person.id}")
        closed = db.session.get(HumanTask, task.id)
        results.append((record.status, record.score, record.band, closed.status,
                        closed.completed_by_id, open_task(instance.id, "acknowledge_evaluation").assignee_id == person.id,
                        sorted((r.what, r.how, r.value) for r in record.ratings)))
    assert results[0] == results[1]
    assert results[0][:5] == ("rated", Decimal("4.10"), "medium", "completed", people.supervisor.id)


def test_an_incomplete_rating_is_refused_in_its_row(client, signed_in, cycle, people, rating):
    task = rating[people.employee.id]
    sign_in_as(client, signed_in, people.supervisor)
    answer = _post(client, cycle, task, _row(cycle, people.employee, [(6, "A"), (4, "B")],
                                             action="complete"))
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    row = page[page.index(f'id="row-{task.id}"'):]
    row = row[:row.index("</tr>")]
    assert 'data-testid="row-errors"' in row and "Rate what and how for every objective" in row
    assert re.search(r'name="rows-1-what"[^>]*>.*?<option value="4" selected>', row, re.DOTALL)
    assert _evaluation(cycle, people.employee).status == "open"
    assert db.session.get(HumanTask, task.id).status == "open"


def test_the_grid_shows_25_people_a_page(client, signed_in, cycle, people, rating, monkeypatch):
    assert grid.PAGE_SIZE == 25
    monkeypatch.setattr(grid, "PAGE_SIZE", 1)  # two people make two pages
    sign_in_as(client, signed_in, people.supervisor)
    first, second = _grid(client, cycle), _grid(client, cycle, "&page=2")
    assert "Colombo Silvia" in first and "Russo Alessandro" not in first
    assert "Russo Alessandro" in second and "Colombo Silvia" not in second
    assert 'aria-label="Pages"' in first


def test_the_inbox_links_to_the_grid_for_more_than_one_rating_task(
        client, signed_in, cycle, people, rating):
    sign_in_as(client, signed_in, people.supervisor)
    assert 'data-testid="grid-link"' in client.get("/tasks").get_data(as_text=True)
    sign_in_as(client, signed_in, people.manager)
    assert 'data-testid="grid-link"' not in client.get("/tasks").get_data(as_text=True)
    assert 'data-testid="grid-link"' in client.get("/team/").get_data(as_text=True)


def _cells(page: str, table: str) -> dict[str, tuple[str, str]]:
    """{row label: (people, share)} of one table of the distribution panel."""
    body = page[page.index(f'data-testid="{table}"'):]
    body = body[:body.index("</table>")]
    return {label.strip(): (count.strip(), share.strip()) for label, count, share in re.findall(
        r'<th scope="row">([^<]*)</th>\s*<td class="text-end">([^<]*)</td>\s*'
        r'<td class="text-end">([^<]*)</td>', body)}


def test_the_distribution_counts_completed_and_drafted_scores_beside_the_administrations(
        app, client, signed_in, cycle, people, rating, monkeypatch):
    sign_in_as(client, signed_in, people.supervisor)
    done, drafted = rating[people.employee.id], rating[people.other_employee.id]
    # 4.10 completed (medium, score 4); 6.00 drafted (high, score 6)
    _post(client, cycle, done, _row(cycle, people.employee, [(6, "A"), (4, "B"), (2, "C")],
                                    action="complete"))
    _post(client, cycle, drafted, _row(cycle, people.other_employee, [(6, "A")] * 3))
    mine = grid.distribution(people.supervisor, cycle)
    assert mine.mine.total == 2 and mine.mine_drafts == 1
    assert mine.mine.by_band["medium"].count == 1 and mine.mine.by_band["high"].count == 1
    assert mine.mine.by_score[4].share == Decimal("50.00") == mine.mine.by_score[6].share
    # the administration: one evaluation written, fewer than PUBLIC_MIN_GROUP (3): hidden
    assert mine.administration.total is None
    assert all(r.count is None for r in mine.administration.by_band if r.label != "")
    page = _grid(client, cycle)
    assert _cells(page, "mine-bands")["Medium band"] == ("1", "50,00%")
    assert _cells(page, "mine-bands")["High band"] == ("1", "50,00%")
    assert "&lt; 3" in page[page.index('data-testid="admin-bands"'):]
    assert "1" not in {count for count, _share in _cells(page, "admin-bands").values()}

    monkeypatch.setitem(app.config, "PUBLIC_MIN_GROUP", 1)
    shown = _cells(_grid(client, cycle), "admin-bands")
    assert shown["Medium band"] == ("1", "100,00%") and shown["High band"] == ("0", "0,00%")
