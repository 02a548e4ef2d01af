"""Helpers of the child processes' tests: driving a task over HTTP, finding instances."""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models.engine import ProcessInstance, ProcessMessage
from tests.helpers import csrf_token


def child(process_id: str, business_key: str) -> ProcessInstance:
    db.session.expire_all()
    return db.session.execute(select(ProcessInstance).where(
        ProcessInstance.process_id == process_id,
        ProcessInstance.business_key == business_key)).scalar_one()


def post_task(client, task_id: int, data: dict):
    token = csrf_token(client, f"/tasks/{task_id}")
    return client.post(f"/tasks/{task_id}", data={"csrf_token": token, **data})


def sign_in_as(client, signed_in, user):
    if 'name="csrf_token"' in client.get("/").get_data(as_text=True):  # signed in: sign out
        client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    signed_in(user.email)
    return client


def messages_to(instance_id: int) -> dict[str, list]:
    db.session.expire_all()
    return {m.name: m.payload for m in db.session.execute(
        select(ProcessMessage).where(ProcessMessage.instance_id == instance_id)).scalars()}


def rows(prefix: str, items: list[dict]) -> dict[str, str]:
    """A FieldList of FormFields as a browser posts it: prefix-0-field, prefix-1-field..."""
    return {f"{prefix}-{n}-{name}": value for n, item in enumerate(items)
            for name, value in item.items()}
