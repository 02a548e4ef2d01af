"""The workflow designer over HTTP: only administrators; validation naming the element;
deploy as a new version; upload and download; diff; migration of running instances;
the form catalogue."""
import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models.audit import AuditEvent
from app.models.engine import ProcessDefinition, ProcessInstance
from app.services import designer
from tests.helpers import ADMIN, BOARD, MANAGER, OIV, SG, SUPPORT, csrf_token, user_by_email

DEMO = (Path(__file__).parent / "workflows" / "designer_demo.bpmn").read_text()
PAGES = ["/admin/workflows/", "/admin/workflows/forms", "/admin/workflows/designer_demo",
         "/admin/workflows/designer_demo/edit", "/admin/workflows/designer_demo/v1.bpmn",
         "/admin/workflows/designer_demo/diff?old=1&new=1",
         "/admin/workflows/designer_demo/migrate", "/admin/workflows/new?process_id=nuovo"]


@pytest.fixture
def deployed(demo):
    result = designer.deploy_xml(user_by_email(ADMIN), "designer_demo", DEMO)
    assert not result.problems, result.problems
    db.session.commit()
    return result.definition


def _json_post(client, url, payload):
    token = csrf_token(client, "/admin/workflows/")
    return client.post(url, json=payload, headers={"X-CSRFToken": token})


@pytest.mark.parametrize("path", PAGES)
def test_admin_reaches_every_page(client, deployed, signed_in, path):
    signed_in(ADMIN)
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("email", [SUPPORT, SG, MANAGER, OIV, BOARD])
@pytest.mark.parametrize("path", PAGES)
def test_others_are_refused(client, deployed, signed_in, email, path):
    signed_in(email)
    assert client.get(path).status_code == 403


def test_support_unit_cannot_deploy(client, deployed, signed_in):
    signed_in(SUPPORT)
    token = csrf_token(client, "/")
    response = client.post("/admin/workflows/deploy", json={"xml": DEMO},
                           headers={"X-CSRFToken": token})
    assert response.status_code == 403


def test_validate_reports_problems_by_element(client, deployed, signed_in):
    signed_in(ADMIN)
    broken = DEMO.replace('name="Board"', 'name="Giunta"').replace(
        '<spiffworkflow:property name="formKey" value="acknowledgement"/>', "")
    response = _json_post(client, "/admin/workflows/validate", {"xml": broken})
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert {e["element_id"] for e in errors} >= {"Lane_Board", "prepare"}
    assert _json_post(client, "/admin/workflows/validate", {"xml": DEMO}).status_code == 200


def test_deploy_new_version_then_unchanged(client, deployed, signed_in):
    signed_in(ADMIN)
    changed = DEMO.replace("Prepare the dossier", "Prepare the file")
    response = _json_post(client, "/admin/workflows/deploy",
                          {"xml": changed, "process_id": "designer_demo"})
    assert response.status_code == 200 and response.get_json()["version"] == 2
    again = _json_post(client, "/admin/workflows/deploy",
                       {"xml": changed, "process_id": "designer_demo"})
    assert again.get_json()["version"] == 2
    actions = db.session.execute(
        select(AuditEvent.action).where(AuditEvent.action == "definition.deploy")
    ).scalars().all()
    assert len(actions) == 2


def test_deploy_refused_when_invalid(client, deployed, signed_in):
    signed_in(ADMIN)
    response = _json_post(client, "/admin/workflows/deploy",
                          {"xml": "<not-bpmn", "process_id": "designer_demo"})
    assert response.status_code == 422 and response.get_json()["errors"]
    count = db.session.execute(select(func.count(ProcessDefinition.id))).scalar_one()
    assert count == 1


def test_draft_is_kept_and_reopened(client, deployed, signed_in):
    signed_in(ADMIN)
    draft = DEMO.replace("Prepare the dossier", "Work in progress")
    assert _json_post(client, "/admin/workflows/drafts",
                      {"xml": draft, "process_id": "designer_demo"}).status_code == 200
    page = client.get("/admin/workflows/designer_demo/edit").get_data(as_text=True)
    assert "Work in progress" in page


def test_upload_and_download(client, demo, signed_in):
    signed_in(ADMIN)
    token = csrf_token(client, "/admin/workflows/")
    response = client.post("/admin/workflows/upload", data={
        "csrf_token": token, "file": (io.BytesIO(DEMO.encode()), "designer_demo.bpmn"),
    }, content_type="multipart/form-data")
    assert response.status_code == 302
    downloaded = client.get("/admin/workflows/designer_demo/v1.bpmn")
    assert downloaded.status_code == 200 and b'id="designer_demo"' in downloaded.data


def test_upload_invalid_file_shows_problems(client, demo, signed_in):
    signed_in(ADMIN)
    token = csrf_token(client, "/admin/workflows/")
    bad = DEMO.replace('value="acknowledgement"', 'value="no_such_form"')
    response = client.post("/admin/workflows/upload", data={
        "csrf_token": token, "file": (io.BytesIO(bad.encode()), "designer_demo.bpmn"),
    }, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "no_such_form" in response.get_data(as_text=True)


def test_diff_page_names_the_change(client, deployed, signed_in):
    signed_in(ADMIN)
    _json_post(client, "/admin/workflows/deploy", {
        "xml": DEMO.replace("Prepare the dossier", "Prepare the file"),
        "process_id": "designer_demo"})
    page = client.get("/admin/workflows/designer_demo/diff?old=1&new=2").get_data(as_text=True)
    assert "Prepare the dossier" in page and "Prepare the file" in page


def test_form_catalogue_lists_fields(client, demo, signed_in):
    signed_in(ADMIN)
    page = client.get("/admin/workflows/forms").get_data(as_text=True)
    assert "acknowledgement" in page and "approval" in page


def test_migration_moves_instances_not_past_the_change(client, deployed, signed_in):
    from app import engine

    admin = user_by_email(ADMIN)
    early = engine.start("designer_demo", business_key="early", actor=admin)
    late = engine.start("designer_demo", business_key="late", actor=admin)
    db.session.commit()
    # the late one completes 'prepare': it is past the step the new version changes
    from app.models.engine import HumanTask

    task = db.session.execute(
        select(HumanTask).where(HumanTask.instance_id == late.id)).scalar_one()
    engine.complete_task(task, {}, user_by_email(SUPPORT))
    db.session.commit()
    changed = DEMO.replace("Prepare the dossier", "Prepare the file")
    v2 = designer.deploy_xml(admin, "designer_demo", changed).definition
    db.session.commit()
    preview = {c.instance.id: c for c in designer.migration_preview(v2)}
    assert preview[early.id].movable
    assert not preview[late.id].movable and "prepare" in preview[late.id].reason
    signed_in(ADMIN)
    token = csrf_token(client, "/admin/workflows/designer_demo/migrate")
    client.post("/admin/workflows/designer_demo/migrate",
                data={"csrf_token": token, "instance_id": [str(early.id), str(late.id)]})
    db.session.expire_all()
    assert db.session.get(ProcessInstance, early.id).definition_id == v2.id
    assert db.session.get(ProcessInstance, late.id).definition_id == deployed.id
    assert db.session.execute(
        select(func.count(AuditEvent.id)).where(AuditEvent.action == "definition.migrate")
    ).scalar_one() == 1


def test_admin_starts_an_instance_of_the_active_version(client, deployed, signed_in):
    signed_in(ADMIN)
    token = csrf_token(client, "/admin/workflows/designer_demo")
    response = client.post("/admin/workflows/designer_demo/start",
                           data={"csrf_token": token, "business_key": "trial-1", "cycle": "0"})
    assert response.status_code == 302, response.get_data(as_text=True)
    instance = db.session.execute(select(ProcessInstance)).scalar_one()
    assert instance.business_key == "trial-1" and instance.definition_id == deployed.id
    assert db.session.execute(select(AuditEvent).where(
        AuditEvent.action == "instance.start")).scalar_one().actor_id == user_by_email(ADMIN).id
