"""Messages between instances: the last child's end wakes the waiting master, once, even
when the last children end at the same moment (PostgreSQL); the same message twice is
harmless; a message ahead of its catch event waits for it."""
from __future__ import annotations

import threading
import time

import pytest

from app import engine
from app.engine import messages
from app.extensions import db
from tests.engine.helpers import actions, complete, instance, open_task, open_tasks


def _round(people, n_children: int):
    master = engine.start("engine_master", business_key="round:1", actor=people.support)
    children = [
        engine.start("engine_child", business_key=f"round:1:{user.id}",
                     data={"employee_id": user.id}, parent=master, end_message="children_done")
        for user in (people.employee, people.other_employee)[:n_children]
    ]
    db.session.commit()
    return master, children


def _claim_and_complete(people, task):
    from app.services.tasks import operations as tasks

    tasks.claim(people.support, task.id)
    db.session.commit()
    complete(people.support, task, acknowledged=True)


def test_last_child_ending_wakes_the_master(deployed, people):
    master, (first, second) = _round(people, 2)
    _claim_and_complete(people, open_task(master.id, "prepare"))
    assert [t.bpmn_id for t in open_tasks(master.id)] == []

    complete(people.employee, open_task(first.id, "confirm"), acknowledged=True)
    assert instance(first.id).status == "completed"
    assert open_tasks(master.id) == [] and "message.deliver" not in actions(master.id)

    complete(people.other_employee, open_task(second.id, "confirm"), acknowledged=True)
    review_all = open_task(master.id, "review_all")
    assert review_all.role == "SupportUnit"
    data = engine.load(instance(master.id)).get_next_task(spec_name="review_all").data
    assert data["children"] == [first.id, second.id]
    assert actions(master.id).count("message.deliver") == 1


def test_same_message_twice_is_harmless(deployed, people):
    master, (child,) = _round(people, 1)
    _claim_and_complete(people, open_task(master.id, "prepare"))
    complete(people.employee, open_task(child.id, "confirm"), acknowledged=True)
    version = instance(master.id).version
    again = engine.send_message("children_done", instance_id=master.id,
                                key="children:children_done:1", payload=[child.id])
    db.session.commit()
    assert again == "duplicate"
    assert instance(master.id).version == version
    assert len(open_tasks(master.id)) == 1


def test_message_ahead_of_the_catch_event_waits(deployed, people):
    master, (child,) = _round(people, 1)
    complete(people.employee, open_task(child.id, "confirm"), acknowledged=True)
    assert "message.receive" in actions(master.id)
    assert "message.deliver" not in actions(master.id)
    _claim_and_complete(people, open_task(master.id, "prepare"))
    assert open_task(master.id, "review_all")
    assert actions(master.id).count("message.deliver") == 1


def test_messages_correlate_by_business_key(deployed, people):
    master = engine.start("engine_master", business_key="round:2")
    db.session.commit()
    _claim_and_complete(people, open_task(master.id, "prepare"))
    outcome = engine.send_message("children_done", process_id="engine_master",
                                  business_key="round:2", key="manual", payload={"n": 0})
    db.session.commit()
    assert outcome == "delivered" and open_task(master.id, "review_all")
    with pytest.raises(engine.EngineError):
        engine.send_message("children_done", process_id="engine_master",
                            business_key="round:404", key="manual")


def test_one_running_instance_per_business_key(deployed, people):
    engine.start("engine_master", business_key="round:3")
    db.session.commit()
    with pytest.raises(engine.EngineError, match="already running"):
        engine.start("engine_master", business_key="round:3")


def test_a_second_batch_of_children_wakes_the_master_again(deployed, people):
    """A parent that starts children again (a loop in its diagram) is told when the new
    batch ends, with that batch's ids only."""
    from sqlalchemy import select

    from app.models.engine import ProcessMessage

    master, (first,) = _round(people, 1)
    complete(people.employee, open_task(first.id, "confirm"), acknowledged=True)
    second = engine.start("engine_child", business_key="round:1:again",
                          data={"employee_id": people.other_employee.id}, parent=master,
                          end_message="children_done")
    db.session.commit()
    complete(people.other_employee, open_task(second.id, "confirm"), acknowledged=True)
    rows = db.session.execute(select(ProcessMessage.key, ProcessMessage.payload).where(
        ProcessMessage.instance_id == master.id).order_by(ProcessMessage.id)).all()
    assert [tuple(r) for r in rows] == [("children:children_done:1", [first.id]),
                                        ("children:children_done:2", [second.id])]


def _complete_in_thread(app, user_id: int, task_id: int, results: list) -> threading.Thread:
    """Complete the task as another request would: its own session and connection."""
    from app.models.org import User
    from app.services.tasks import operations as tasks

    def run():
        with app.app_context():
            try:
                tasks.complete(db.session.get(User, user_id), task_id, {"acknowledged": True})
                db.session.commit()
                results.append("completed")
            except Exception as exc:  # noqa: BLE001 - reported by the caller's assertion
                results.append(exc)
            finally:
                db.session.remove()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _told_once(master, children) -> None:
    assert actions(master.id).count("message.deliver") == 1
    data = engine.load(instance(master.id)).get_next_task(spec_name="review_all").data
    assert data["children"] == [c.id for c in children]


@pytest.mark.postgres_only
def test_the_last_two_children_ending_at_once_tell_the_master_once(app, is_postgres, deployed,
                                                                    people, monkeypatch):
    """Both have saved their own end when each asks whether it was the last: each finds
    the other's row locked, and the parent's lock makes the second see the first."""
    if not is_postgres:
        pytest.skip("two concurrent transactions need PostgreSQL")
    master, children = _round(people, 2)
    _claim_and_complete(people, open_task(master.id, "prepare"))
    tasks = [open_task(c.id, "confirm").id for c in children]
    both_saved = threading.Barrier(2)
    original = messages.finished_children

    def after_both_saved(ended):
        both_saved.wait(timeout=10)
        return original(ended)

    monkeypatch.setattr(messages, "finished_children", after_both_saved)
    results = []
    threads = [_complete_in_thread(app, user.id, task, results)
               for user, task in zip((people.employee, people.other_employee), tasks)]
    for thread in threads:
        thread.join(timeout=60)
    monkeypatch.undo()
    assert results == ["completed", "completed"]
    _told_once(master, children)


@pytest.mark.postgres_only
def test_a_child_ending_while_its_sibling_is_being_completed_leaves_the_message_to_it(
        app, is_postgres, deployed, people, monkeypatch):
    """The first child to end locks its running sibling and leaves without the parent's
    lock; the sibling's completion, begun meanwhile, waits for that lock, then sees the
    first child ended and tells the master. Without the lock, both would have seen the
    other running and the master would wait for ever."""
    if not is_postgres:
        pytest.skip("two concurrent transactions need PostgreSQL")
    master, children = _round(people, 2)
    _claim_and_complete(people, open_task(master.id, "prepare"))
    first, second = (open_task(c.id, "confirm").id for c in children)
    checked, answers = threading.Event(), []
    original = messages.finished_children

    def first_one_lingers(ended):
        answer = original(ended)
        if ended.id == children[0].id:
            answers.append(answer)
            checked.set()
            time.sleep(0.5)  # the sibling's completion starts and reaches its save
        return answer

    monkeypatch.setattr(messages, "finished_children", first_one_lingers)
    results = []
    threads = [_complete_in_thread(app, people.employee.id, first, results)]
    assert checked.wait(timeout=30)
    threads.append(_complete_in_thread(app, people.other_employee.id, second, results))
    for thread in threads:
        thread.join(timeout=60)
    monkeypatch.undo()
    assert answers == [None] and results == ["completed", "completed"]
    _told_once(master, children)
