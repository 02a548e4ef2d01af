"""Helpers of the cycle tests: starting the 2023 cycle, posting task forms as a person."""
from __future__ import annotations

import io
import re

from sqlalchemy import select

from app.extensions import db
from app.models.engine import HumanTask
from app.services.cycle import operations as cycle_service
from tests.helpers import SUPPORT, csrf_token, user_by_email


def start_cycle(source, year: int = 2023):
    support = user_by_email(SUPPORT)
    cycle, master = cycle_service.start(support, source.administration_id, year, copy_from=source)
    db.session.commit()
    return cycle, master


def open_cycle_tasks(cycle_id: int) -> list[HumanTask]:
    db.session.expire_all()
    return list(db.session.execute(
        select(HumanTask).where(HumanTask.cycle_id == cycle_id, HumanTask.status == "open")
        .order_by(HumanTask.id)).scalars())


def sign_in(client, email: str) -> None:
    from tests.helpers import _CSRF, login

    signed_in = _CSRF.search(client.get("/").get_data(as_text=True))
    if signed_in:
        client.post("/logout", data={"csrf_token": signed_in.group(1) or signed_in.group(2)})
    assert login(client, email).status_code == 302


def post_task(client, task_id: int, data: dict, *, claim: bool = False):
    """Post a task form as the signed-in person (taking a pooled task first); uploads
    are given as (filename, bytes)."""
    if claim:
        token = csrf_token(client, "/tasks")
        assert client.post(f"/tasks/{task_id}/claim", data={"csrf_token": token}).status_code == 302
    token = csrf_token(client, f"/tasks/{task_id}")
    fields = {"csrf_token": token}
    for name, value in data.items():
        fields[name] = (io.BytesIO(value[1]), value[0]) if isinstance(value, tuple) else value
    return client.post(f"/tasks/{task_id}", data=fields, content_type="multipart/form-data")


def errors_of(response) -> str:
    html = response.get_data(as_text=True)
    return " ".join(re.findall(r'class="invalid-feedback d-block">([^<]*)<', html))
