"""The workflow designer over HTTP: only administrators; validation naming the element;
deploy as a new version; upload and download; diff; migration of running instances;
the form catalogue."""
import io
from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy import func, select
from werkzeug.exceptions import Forbidden

from app.extensions import db
from app.models.audit import AuditEvent
from app.models.engine import HumanTask, ProcessDefinition, ProcessInstance, WorkflowDraft
from app.services.designer import operations as designer
from tests.helpers import (
    ADMIN,
    BOARD,
    EMPLOYEE_A1,
    MANAGER,
    OIV,
    SG,
    SUPPORT,
    csrf_token,
    user_by_email,
)

DEMO = (Path(__file__).parent / "workflows" / "designer_demo.bpmn").read_text()
PAGES = ["/admin/workflows/", "/admin/workflows/forms", "/admin/workflows/designer_demo",
         "/admin/workflows/designer_demo/edit", "/admin/workflows/designer_demo/v1.bpmn",
         "/admin/workflows/designer_demo/diff?old=1&new=1",
         "/admin/workflows/designer_demo/migrate", "/admin/workflows/new?process_id=nuovo"]
# every state-changing route: (path, JSON body or None for a form post, form data)
ACTIONS = [
    ("/admin/workflows/validate", {"xml": DEMO}, None),
    ("/admin/workflows/drafts", {"xml": DEMO, "process_id": "designer_demo"}, None),
    ("/admin/workflows/deploy", {"xml": DEMO, "process_id": "designer_demo"}, None),
    ("/admin/workflows/upload", None, {"file": (io.BytesIO(DEMO.encode()), "designer_demo.bpmn")}),
    ("/admin/workflows/designer_demo/migrate", None, {"instance_id": "1"}),
    ("/admin/workflows/designer_demo/start", None, {"business_key": "x", "cycle": "0"}),
    ("/admin/workflows/designer_demo/draft/discard", None, {}),
]
NOT_ADMINS = [SUPPORT, SG, MANAGER, OIV, BOARD, EMPLOYEE_A1]


@pytest.fixture
def deployed(demo):
    result = designer.deploy_xml(user_by_email(ADMIN), "designer_demo", DEMO)
    assert not result.problems, result.problems
    db.session.commit()
    return result.definition


def _json_post(client, url, payload, token_page="/"):
    token = csrf_token(client, token_page)
    return client.post(url, json=payload, headers={"X-CSRFToken": token})


def _form_post(client, url, data, token_page="/"):
    token = csrf_token(client, token_page)
    return client.post(url, data={"csrf_token": token, **data}, content_type="multipart/form-data")


def _action(client, path, body, form, token_page="/"):
    if body is not None:
        return _json_post(client, path, body, token_page)
    fresh = {k: (io.BytesIO(v[0].getvalue()), v[1]) if isinstance(v, tuple) else v
             for k, v in form.items()}
    return _form_post(client, path, fresh, token_page)


def _count(model, *where) -> int:
    return db.session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def _deploys() -> int:
    return _count(AuditEvent, AuditEvent.action == "definition.deploy")


@pytest.mark.parametrize("path", PAGES)
def test_admin_reaches_every_page(client, deployed, signed_in, path):
    signed_in(ADMIN)
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("email", NOT_ADMINS)
@pytest.mark.parametrize("path", PAGES)
def test_others_are_refused_every_page(client, deployed, signed_in, email, path):
    signed_in(email)
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("email", NOT_ADMINS)
@pytest.mark.parametrize(("path", "body", "form"), ACTIONS)
def test_others_are_refused_every_action(client, deployed, signed_in, email, path, body, form):
    signed_in(email)
    assert _action(client, path, body, form).status_code == 403
    assert _count(ProcessDefinition) == 1 and _count(WorkflowDraft) == 0
    assert _count(ProcessInstance) == 0


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_is_sent_to_login(client, deployed, path):
    response = client.get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize(("path", "body", "form"), ACTIONS)
def test_anonymous_actions_are_sent_to_login(client, deployed, path, body, form):
    response = _action(client, path, body, form, token_page="/login")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert _count(ProcessDefinition) == 1


def test_services_refuse_non_admins_too(deployed):
    support = user_by_email(SUPPORT)
    with pytest.raises(Forbidden):
        designer.deploy_xml(support, "designer_demo", DEMO)
    with pytest.raises(Forbidden):
        designer.save_draft(support, "designer_demo", DEMO)
    with pytest.raises(Forbidden):
        designer.migrate_instances(support, deployed, [])
    with pytest.raises(Forbidden):
        designer.start_instance(support, "designer_demo", "k", None)


BROKEN = DEMO.replace('name="Board"', 'name="Giunta"').replace(
    '<spiffworkflow:property name="formKey" value="acknowledgement"/>', "")
RENAMED = DEMO.replace("Prepare the dossier", "Prepare the file")
# 'approve' replaced by 'record' (and, for the diff, 'prepare' renamed too)
REPLACED = DEMO.replace('id="approve" name="Approve the dossier"',
                           'id="record" name="Record the deliberation"').replace(
    "<bpmn:flowNodeRef>approve<", "<bpmn:flowNodeRef>record<").replace(
    'targetRef="approve"', 'targetRef="record"').replace(
    'sourceRef="approve"', 'sourceRef="record"').replace(
    'id="approve_di" bpmnElement="approve"', 'id="record_di" bpmnElement="record"')



def _without_approve() -> str:
    """'approve' removed: 'prepare' leads straight to the end."""
    root = etree.fromstring(DEMO.encode())
    for node in list(root.iter()):
        if not isinstance(node.tag, str):
            continue
        if node.get("id") in {"approve", "f3", "approve_di", "f3_di"} or node.text == "approve":
            node.getparent().remove(node)
        elif node.get("id") == "f2":
            node.set("targetRef", "end")
        elif etree.QName(node).localname == "incoming" and node.text == "f3":
            node.text = "f2"
    return etree.tostring(root, encoding="unicode")


REMOVED = _without_approve()


def test_validate_reports_problems_by_element(client, deployed, signed_in):
    signed_in(ADMIN)
    response = _json_post(client, "/admin/workflows/validate", {"xml": BROKEN})
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert {e["element_id"] for e in errors} >= {"Lane_Board", "prepare"}
    assert any("formKey" in e["message"] for e in errors if e["element_id"] == "prepare")
    assert _json_post(client, "/admin/workflows/validate", {"xml": DEMO}).status_code == 200


def test_validate_needs_a_diagram(client, deployed, signed_in):
    signed_in(ADMIN)
    assert _json_post(client, "/admin/workflows/validate", {"xml": "  "}).status_code == 400
    assert _json_post(client, "/admin/workflows/validate", {}).status_code == 400


def test_deploy_new_version_then_unchanged(client, deployed, signed_in):
    signed_in(ADMIN)
    response = _json_post(client, "/admin/workflows/deploy",
                          {"xml": RENAMED, "process_id": "designer_demo"})
    assert response.status_code == 200 and response.get_json()["version"] == 2
    assert response.get_json()["redirect"].endswith("/admin/workflows/designer_demo")
    again = _json_post(client, "/admin/workflows/deploy",
                       {"xml": RENAMED, "process_id": "designer_demo"})
    assert again.status_code == 200 and again.get_json()["version"] == 2
    assert "Nothing changed" in again.get_json()["message"]
    assert _count(ProcessDefinition) == 2 and _deploys() == 2
    event = db.session.execute(select(AuditEvent).where(
        AuditEvent.action == "definition.deploy").order_by(AuditEvent.id.desc())).scalars().first()
    assert event.actor_id == user_by_email(ADMIN).id


@pytest.mark.parametrize("xml", [BROKEN, "<not-bpmn",
                                 DEMO.replace("<bpmn:flowNodeRef>prepare</bpmn:flowNodeRef>", "")])
def test_deploy_refused_when_invalid_changes_nothing(client, deployed, signed_in, xml):
    signed_in(ADMIN)
    _json_post(client, "/admin/workflows/drafts", {"xml": RENAMED, "process_id": "designer_demo"})
    response = _json_post(client, "/admin/workflows/deploy",
                          {"xml": xml, "process_id": "designer_demo"})
    assert response.status_code == 422
    payload = response.get_json()
    assert payload["errors"] and "Not deployed" in payload["message"]
    assert _count(ProcessDefinition) == 1 and _deploys() == 1
    assert designer.draft_of("designer_demo").bpmn_xml == RENAMED  # the draft is kept


def test_deploy_names_the_elements_of_the_problems(client, deployed, signed_in):
    signed_in(ADMIN)
    errors = _json_post(client, "/admin/workflows/deploy",
                        {"xml": BROKEN, "process_id": "designer_demo"}).get_json()["errors"]
    assert {e["element_id"] for e in errors} == {"Lane_Board", "prepare"}


def test_deploy_of_another_process_is_refused(client, deployed, signed_in):
    signed_in(ADMIN)
    other = DEMO.replace('"designer_demo"', '"other_process"')
    response = _json_post(client, "/admin/workflows/deploy",
                          {"xml": other, "process_id": "designer_demo"})
    assert response.status_code == 422 and "designer_demo" in response.get_json()["errors"][0]["message"]
    assert _count(ProcessDefinition) == 1


def test_designer_deploy_removes_the_draft(client, deployed, signed_in):
    signed_in(ADMIN)
    _json_post(client, "/admin/workflows/drafts", {"xml": RENAMED, "process_id": "designer_demo"})
    _json_post(client, "/admin/workflows/deploy", {"xml": RENAMED, "process_id": "designer_demo"})
    assert designer.draft_of("designer_demo") is None


def test_redeploying_a_file_never_reverts_a_designer_version(client, deployed, signed_in):
    """`flask engine deploy` runs at every start: the file's content, already deployed as
    version 1, must not come back as version 3 over the administrator's version 2."""
    from app import engine

    signed_in(ADMIN)
    _json_post(client, "/admin/workflows/deploy", {"xml": RENAMED, "process_id": "designer_demo"})
    (result,) = engine.deploy({"designer_demo.bpmn": DEMO.encode()})
    db.session.commit()
    assert not result.created and result.definition.version == 1
    assert designer.versions("designer_demo")[0].definition.version == 2
    assert _deploys() == 2


def test_designer_can_bring_an_old_diagram_back_as_a_new_version(client, deployed, signed_in):
    signed_in(ADMIN)
    _json_post(client, "/admin/workflows/deploy", {"xml": RENAMED, "process_id": "designer_demo"})
    response = _json_post(client, "/admin/workflows/deploy",
                          {"xml": DEMO, "process_id": "designer_demo"})
    assert response.get_json()["version"] == 3
    assert designer.versions("designer_demo")[0].definition.sha256 == deployed.sha256


def test_draft_is_kept_reopened_and_discarded(client, deployed, signed_in):
    signed_in(ADMIN)
    draft = DEMO.replace("Prepare the dossier", "Work in progress")
    saved = _json_post(client, "/admin/workflows/drafts",
                       {"xml": draft, "process_id": "designer_demo"})
    assert saved.status_code == 200 and saved.get_json()["errors"] == []
    assert "Work in progress" in client.get("/admin/workflows/designer_demo/edit").get_data(as_text=True)
    assert "Discard the draft" in client.get("/admin/workflows/designer_demo").get_data(as_text=True)
    assert _count(ProcessDefinition) == 1  # a draft is not a version
    response = _form_post(client, "/admin/workflows/designer_demo/draft/discard", {})
    assert response.status_code == 302
    page = client.get("/admin/workflows/designer_demo/edit").get_data(as_text=True)
    assert "Work in progress" not in page and "Prepare the dossier" in page
    actions = db.session.execute(select(AuditEvent.action).where(
        AuditEvent.action.like("definition.draft%")).order_by(AuditEvent.id)).scalars().all()
    assert actions == ["definition.draft", "definition.draft_discard"]


def test_draft_with_problems_is_saved_and_the_problems_listed(client, deployed, signed_in):
    signed_in(ADMIN)
    saved = _json_post(client, "/admin/workflows/drafts",
                       {"xml": BROKEN, "process_id": "designer_demo"})
    assert saved.status_code == 200 and len(saved.get_json()["errors"]) == 2
    assert designer.draft_of("designer_demo").bpmn_xml == BROKEN


def test_draft_of_a_new_process_is_listed_in_the_catalogue(client, demo, signed_in):
    signed_in(ADMIN)
    page = client.get("/admin/workflows/new?process_id=brand_new").get_data(as_text=True)
    assert "brand_new" in page and "Lane_SupportUnit" in page
    xml = designer.blank_diagram("brand_new")
    assert _json_post(client, "/admin/workflows/drafts",
                      {"xml": xml, "process_id": "brand_new"}).status_code == 200
    assert "Discard the draft of brand_new" in client.get("/admin/workflows/").get_data(as_text=True)
    assert client.get("/admin/workflows/brand_new/edit").status_code == 200
    _form_post(client, "/admin/workflows/brand_new/draft/discard", {})
    assert "brand_new" not in client.get("/admin/workflows/").get_data(as_text=True)


@pytest.mark.parametrize("process_id", ["", "1abc", "new", "a b"])
def test_draft_needs_a_valid_identifier(client, demo, signed_in, process_id):
    signed_in(ADMIN)
    response = _json_post(client, "/admin/workflows/drafts", {"xml": DEMO, "process_id": process_id})
    assert response.status_code == 422 and _count(WorkflowDraft) == 0


def test_new_process_needs_a_valid_identifier(client, demo, signed_in):
    signed_in(ADMIN)
    response = client.get("/admin/workflows/new?process_id=9 bad")
    assert response.status_code == 302


def test_upload_and_download(client, demo, signed_in):
    signed_in(ADMIN)
    response = _form_post(client, "/admin/workflows/upload", {
        "file": (io.BytesIO(DEMO.encode()), "designer_demo.bpmn")}, "/admin/workflows/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/admin/workflows/designer_demo")
    downloaded = client.get("/admin/workflows/designer_demo/v1.bpmn")
    assert downloaded.status_code == 200 and b'id="designer_demo"' in downloaded.data
    assert "attachment" in downloaded.headers["Content-Disposition"]
    assert client.get("/admin/workflows/designer_demo/v9.bpmn").status_code == 404
    assert _deploys() == 1


def _upload(client, content: bytes, name: str):
    return _form_post(client, "/admin/workflows/upload",
                      {"file": (io.BytesIO(content), name)}, "/admin/workflows/")


@pytest.mark.parametrize(("content", "name", "message"), [
    (DEMO.replace('value="acknowledgement"', 'value="no_such_form"').encode(),
     "designer_demo.bpmn", "no_such_form"),
    (b"this is not XML", "designer_demo.bpmn", "does not parse"),
])
def test_upload_of_a_bad_diagram_shows_problems(client, demo, signed_in, content, name, message):
    signed_in(ADMIN)
    response = _upload(client, content, name)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert _count(ProcessDefinition) == 0


@pytest.mark.parametrize(("content", "name", "message"), [
    (DEMO.encode(), "designer_demo.txt", "Only .bpmn files."),
    (b"<a/>" + b" " * (2 * 1024 * 1024), "big.bpmn", "larger than 2 MB"),
    ("<a>caffè</a>".encode("latin-1"), "latin.bpmn", "not UTF-8"),
])
def test_upload_refuses_bad_files(client, demo, signed_in, content, name, message):
    signed_in(ADMIN)
    response = _upload(client, content, name)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert message in page
    assert _count(ProcessDefinition) == 0


def test_diff_page_lists_added_removed_changed(client, deployed, signed_in):
    signed_in(ADMIN)
    _json_post(client, "/admin/workflows/deploy", {
        "xml": REPLACED.replace("Prepare the dossier", "Prepare the file"),
        "process_id": "designer_demo"})
    page = client.get("/admin/workflows/designer_demo/diff?old=1&new=2").get_data(as_text=True)
    added = page.split("Added", 1)[1].split("Removed", 1)[0]
    removed = page.split("Removed", 1)[1].split("Changed", 1)[0]
    changed = page.split("Changed", 1)[1]
    assert "record" in added and "Record the deliberation" in added
    assert "approve" in removed and "Approve the dossier" in removed
    assert "Prepare the dossier" in changed and "Prepare the file" in changed
    assert client.get("/admin/workflows/designer_demo/diff?old=1&new=7").status_code == 404


def test_form_catalogue_lists_fields(client, demo, signed_in):
    signed_in(ADMIN)
    page = client.get("/admin/workflows/forms").get_data(as_text=True)
    assert "acknowledgement" in page and "approval" in page


def _start(key: str):
    from app import engine

    instance = engine.start("designer_demo", business_key=key, actor=user_by_email(ADMIN))
    db.session.commit()
    return instance


def _complete_open_task(instance, email=SUPPORT):
    from app import engine

    task = db.session.execute(select(HumanTask).where(
        HumanTask.instance_id == instance.id, HumanTask.status == "open")).scalar_one()
    engine.complete_task(task, {}, user_by_email(email))
    db.session.commit()
    return task


def _open_task_ids(instance) -> list[str]:
    db.session.expire_all()
    return list(db.session.execute(select(HumanTask.bpmn_id).where(
        HumanTask.instance_id == instance.id, HumanTask.status == "open")).scalars())


def test_migration_moves_instances_not_past_the_change(client, deployed, signed_in):
    early, late = _start("early"), _start("late")
    _complete_open_task(late)  # past 'prepare', the step the new version changes
    v2 = designer.deploy_xml(user_by_email(ADMIN), "designer_demo", RENAMED).definition
    db.session.commit()
    preview = {c.instance.id: c for c in designer.migration_preview(v2)}
    assert preview[early.id].movable
    assert not preview[late.id].movable
    assert preview[late.id].reason == "already past changed steps: prepare"
    signed_in(ADMIN)
    page = client.get("/admin/workflows/designer_demo/migrate").get_data(as_text=True)
    assert "already past changed steps: prepare" in page
    _form_post(client, "/admin/workflows/designer_demo/migrate",
               {"instance_id": [str(early.id), str(late.id)]})
    db.session.expire_all()
    assert db.session.get(ProcessInstance, early.id).definition_id == v2.id
    assert db.session.get(ProcessInstance, late.id).definition_id == deployed.id
    assert _count(AuditEvent, AuditEvent.action == "definition.migrate") == 1
    moved = db.session.execute(select(AuditEvent).where(
        AuditEvent.action == "instance.migrate")).scalar_one()
    assert moved.instance_id == early.id and moved.actor_id == user_by_email(ADMIN).id
    assert moved.before["version"] == 1 and moved.after["version"] == 2
    assert moved.before["under_way"] == ["prepare"]
    # the moved instance runs on with the new version: its task has the new name
    assert db.session.execute(select(HumanTask.title).where(
        HumanTask.instance_id == early.id)).scalar_one() == "Prepare the file"


def test_migration_refuses_an_instance_waiting_at_a_removed_step(client, deployed, signed_in):
    at_prepare, at_approve = _start("at-prepare"), _start("at-approve")
    _complete_open_task(at_approve)
    assert _open_task_ids(at_approve) == ["approve"]
    v2 = designer.deploy_xml(user_by_email(ADMIN), "designer_demo", REMOVED)
    assert not v2.problems, v2.problems
    db.session.commit()
    signed_in(ADMIN)
    page = client.get("/admin/workflows/designer_demo/migrate").get_data(as_text=True)
    assert "waiting at steps that version 2 no longer has: approve" in page
    outcome = designer.migrate_instances(user_by_email(ADMIN), v2.definition,
                                         [at_prepare.id, at_approve.id])
    db.session.commit()
    assert outcome.moved == [at_prepare.id]
    assert outcome.refused == [
        (at_approve.id, "waiting at steps that version 2 no longer has: approve")]
    db.session.expire_all()
    assert db.session.get(ProcessInstance, at_approve.id).definition_id == deployed.id
    assert _open_task_ids(at_approve) == ["approve"]  # untouched, still on version 1
    moved = db.session.get(ProcessInstance, at_prepare.id)
    _complete_open_task(moved)  # on version 2, 'prepare' is the last step
    db.session.expire_all()
    assert db.session.get(ProcessInstance, at_prepare.id).status == "completed"


def test_migrated_instance_goes_on_to_the_new_step(client, deployed, signed_in):
    at_prepare = _start("at-prepare")
    v2 = designer.deploy_xml(user_by_email(ADMIN), "designer_demo", REPLACED).definition
    db.session.commit()
    assert designer.migrate_instances(user_by_email(ADMIN), v2, [at_prepare.id]).moved
    db.session.commit()
    _complete_open_task(db.session.get(ProcessInstance, at_prepare.id))
    assert _open_task_ids(at_prepare) == ["record"]


def test_migration_page_without_older_instances(client, deployed, signed_in):
    signed_in(ADMIN)
    page = client.get("/admin/workflows/designer_demo/migrate").get_data(as_text=True)
    assert "No running instance is on an older version." in page


def test_admin_starts_an_instance_of_the_active_version(client, deployed, signed_in):
    signed_in(ADMIN)
    response = _form_post(client, "/admin/workflows/designer_demo/start",
                          {"business_key": "trial-1", "cycle": "0"}, "/admin/workflows/designer_demo")
    assert response.status_code == 302, response.get_data(as_text=True)
    instance = db.session.execute(select(ProcessInstance)).scalar_one()
    assert instance.business_key == "trial-1" and instance.definition_id == deployed.id
    assert response.headers["Location"].endswith(f"/instances/{instance.id}")
    assert db.session.execute(select(AuditEvent).where(
        AuditEvent.action == "instance.start")).scalar_one().actor_id == user_by_email(ADMIN).id


@pytest.mark.parametrize(("data", "message"), [
    ({"business_key": "", "cycle": "0"}, None),
    ({"business_key": "trial-1", "cycle": "999"}, None),
    ({"business_key": "taken", "cycle": "0"}, "already running"),
])
def test_start_refuses_bad_input(client, deployed, signed_in, data, message):
    _start("taken")
    signed_in(ADMIN)
    response = _form_post(client, "/admin/workflows/designer_demo/start", data,
                          "/admin/workflows/designer_demo")
    assert response.status_code == 422
    if message:
        assert message in response.get_data(as_text=True)
    assert _count(ProcessInstance) == 1


def test_start_on_an_unknown_process_is_404(client, demo, signed_in):
    signed_in(ADMIN)
    response = _form_post(client, "/admin/workflows/nothing_here/start",
                          {"business_key": "x", "cycle": "0"})
    assert response.status_code == 404


def test_every_action_recorded_with_an_instance_has_a_label_for_its_history():
    """The instance page's history shows words, never an action code such as cycle.start:
    every action a service records with an instance id has a label."""
    import re
    from pathlib import Path

    from app.web.designer.instances import ACTION_LABELS

    root = Path(__file__).resolve().parents[2] / "app"
    recorded = set()
    for source in root.rglob("*.py"):
        for match in re.finditer(r'audit\.record\(\s*"([a-z_.]+)"(.*?)\)\n', source.read_text(),
                                 flags=re.DOTALL):
            if "instance_id" in match.group(2):
                recorded.add(match.group(1))
    assert recorded and not recorded - set(ACTION_LABELS)
