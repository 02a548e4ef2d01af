"""The workflow designer for administrators: the process catalogue with its versions,
the semantic diff between two versions, the bpmn-js modeler with validation beside each
element, drafts, deployment as a new version, upload and download of .bpmn files,
migration of running instances, and the catalogue of task forms."""
from __future__ import annotations

import json

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf

from app.engine import TASK_PROPERTIES
from app.extensions import db
from app.models.org import ASSIGNABLE_ROLES, Role
from app.services.designer import operations as service
from app.services.designer.bpmn_diff import diff_bpmn
from app.services.org.permissions import require_role
from app.web.labels import role_label
from app.web.org.forms import BpmnUploadForm, StartInstanceForm
from forms import catalogue as form_descriptions

bp = Blueprint("designer", __name__, url_prefix="/admin/workflows")


@bp.before_request
@login_required
def _only_admin():
    require_role(current_user, Role.ADMIN)


@bp.get("/")
def catalogue():
    return render_template("designer/catalogue.html", processes=service.catalogue(),
                           drafts=service.undeployed_drafts(), upload=BpmnUploadForm())


def _start_form() -> StartInstanceForm:
    form = StartInstanceForm()
    form.cycle.choices = [(0, _("(no cycle)"))] + [
        (c.id, str(c.year)) for c in service.cycles()]
    return form


def _process_page(process_id: str, start_form: StartInstanceForm, status: int = 200,
                  start_error: str | None = None):
    versions = service.versions(process_id)
    if not versions:
        abort(404)
    return render_template("designer/process.html", process_id=process_id, versions=versions,
                           draft=service.draft_of(process_id), start_form=start_form,
                           start_error=start_error), status


@bp.get("/<process_id>")
def process(process_id: str):
    return _process_page(process_id, _start_form())


@bp.post("/<process_id>/start")
def start(process_id: str):
    """Start an instance of the active version, to try a deployed diagram."""
    form = _start_form()
    if not service.versions(process_id):
        abort(404)
    if not form.validate_on_submit():
        return _process_page(process_id, form, 422)
    try:
        instance = service.start_instance(current_user, process_id, form.business_key.data,
                                          form.cycle.data or None)
    except service.DesignerError as exc:
        db.session.rollback()
        return _process_page(process_id, form, 422, start_error=str(exc))
    db.session.commit()
    flash(_("Instance %(id)d started on version %(v)d.", id=instance.id,
            v=instance.definition.version), "success")
    return redirect(url_for("engine_admin.instance_page", instance_id=instance.id))


@bp.get("/<process_id>/v<int:version>.bpmn")
def download(process_id: str, version: int):
    definition = service.definition(process_id, version) or abort(404)
    return Response(
        definition.bpmn_xml, mimetype="application/xml",
        headers={"Content-Disposition": f'attachment; filename="{process_id}-v{version}.bpmn"'},
    )


@bp.get("/<process_id>/diff")
def diff(process_id: str):
    old_v, new_v = request.args.get("old", type=int), request.args.get("new", type=int)
    old, new = service.definition(process_id, old_v), service.definition(process_id, new_v)
    if old is None or new is None:
        abort(404)
    result = diff_bpmn(old.bpmn_xml.encode(), new.bpmn_xml.encode())
    return render_template("designer/diff.html", process_id=process_id, old=old, new=new,
                           diff=result)


def _modeler_config(process_id: str, xml: str) -> dict:
    from forms.registry import keys

    return {
        "processId": process_id,
        "xml": xml,
        "csrfToken": generate_csrf(),
        "roles": [{"value": r.value, "label": f"{r.value} · {role_label(r.value)}",
                   "shown": role_label(r.value)}
                  for r in (*ASSIGNABLE_ROLES, Role.EVALUATOR)],
        "forms": [{"value": key, "label": key} for key in keys()],
        "taskProperties": [
            {"name": name, "label": name, "help": help_text}
            for name, help_text in TASK_PROPERTIES.items() if name != "formKey"
        ],
        "urls": {
            "validate": url_for("designer.validate"),
            "save": url_for("designer.save_draft"),
            "deploy": url_for("designer.deploy"),
        },
        "messages": {
            "selectElement": _("Select an element of the diagram to edit its properties."),
            "role": _("Role of the lane"),
            "chooseRole": _("(choose a role)"),
            "name": _("Name"),
            "formKey": _("Form (formKey)"),
            "chooseForm": _("(choose a form)"),
            "condition": _("Condition (expression on the task data)"),
            "unknown": _("unknown"),
            "failed": _("The request failed."),
            "cannotOpen": _("The diagram cannot be opened:"),
            "lint": {rule: str(text) for rule, text in LINT_RULES.items()},
        },
    }


# bpmnlint's recommended rules (.bpmnlintrc), said in the interface's language; the rule's
# own English message is shown only for a rule missing here.
LINT_RULES = {
    "ad-hoc-sub-process": _l("An ad hoc sub-process may not contain start or end events."),
    "conditional-flows": _l("A flow leaving a gateway or task with several exits has no condition."),
    "end-event-required": _l("The process has no end event."),
    "event-based-gateway": _l("An event-based gateway needs at least two unconditional exits."),
    "event-sub-process-typed-start-event": _l("The start event of an event sub-process needs a type."),
    "fake-join": _l("Several flows enter this element without a joining gateway."),
    "global": _l("A global element (message, signal, error) is unnamed, unused or named twice."),
    "label-required": _l("The element has no name."),
    "link-event": _l("A link event has no name or no matching link."),
    "no-bpmndi": _l("The element is missing from the drawing."),
    "no-complex-gateway": _l("Complex gateways are not supported."),
    "no-disconnected": _l("The element is not connected."),
    "no-duplicate-sequence-flows": _l("Two flows connect the same elements."),
    "no-gateway-join-fork": _l("The gateway both joins and splits: use two gateways."),
    "no-implicit-split": _l("The flow splits without a gateway."),
    "no-implicit-end": _l("The element ends the process without an end event."),
    "no-implicit-start": _l("The element starts the process without a start event."),
    "no-inclusive-gateway": _l("Inclusive gateways are not supported."),
    "no-overlapping-elements": _l("The element overlaps another or leaves its container."),
    "single-blank-start-event": _l("The process has more than one blank start event."),
    "single-event-definition": _l("The event has more than one definition."),
    "start-event-required": _l("The process has no start event."),
    "sub-process-blank-start-event": _l("The start event of a sub-process must be blank."),
    "superfluous-gateway": _l("The gateway has only one way in and one way out."),
    "superfluous-label": _l("A flow without a condition has a label."),
    "superfluous-termination": _l("The terminate end event is superfluous."),
}


@bp.get("/<process_id>/edit")
def edit(process_id: str):
    xml = service.editable_xml(process_id)
    if xml is None:
        abort(404)
    draft, versions = service.draft_of(process_id), service.versions(process_id)
    return render_template("designer/edit.html", process_id=process_id, draft=draft,
                           active=versions[0].definition if versions else None,
                           config=_modeler_config(process_id, xml))


@bp.get("/new")
def new():
    process_id = service.clean_process_id(request.args.get("process_id", ""))
    if not process_id:
        flash(_("Give the new process an identifier: letters, digits and underscores."), "danger")
        return redirect(url_for("designer.catalogue"))
    if service.versions(process_id) or service.draft_of(process_id):
        return redirect(url_for("designer.edit", process_id=process_id))
    return render_template("designer/edit.html", process_id=process_id,
                           config=_modeler_config(process_id, service.blank_diagram(process_id)))


def _posted_xml() -> tuple[str, str]:
    payload = request.get_json(silent=True) or {}
    xml, process_id = payload.get("xml"), payload.get("process_id") or ""
    if not isinstance(xml, str) or not xml.strip():
        abort(400)
    return xml, process_id


def _problems_json(problems) -> list[dict]:
    return [{"element_id": p.element_id, "message": p.message} for p in problems]


@bp.post("/validate")
def validate():
    xml, _process_id = _posted_xml()
    problems = service.validate(xml)
    if problems:
        return jsonify(message=_("The diagram has %(n)d problems.", n=len(problems)),
                       errors=_problems_json(problems)), 422
    return jsonify(message=_("The diagram is valid."), errors=[])


@bp.post("/drafts")
def save_draft():
    xml, process_id = _posted_xml()
    try:
        draft = service.save_draft(current_user, process_id, xml)
    except service.DesignerError as exc:
        db.session.rollback()
        return jsonify(message=str(exc), errors=[]), 422
    db.session.commit()
    problems = service.validate(xml)
    return jsonify(message=_("Draft saved (%(n)d problems to solve before deploying).",
                             n=len(problems)) if problems else _("Draft saved."),
                   errors=_problems_json(problems), draft_id=draft.id)


@bp.post("/<process_id>/draft/discard")
def discard_draft(process_id: str):
    if service.discard_draft(current_user, process_id):
        db.session.commit()
        flash(_("Draft discarded."), "success")
    if service.versions(process_id):
        return redirect(url_for("designer.process", process_id=process_id))
    return redirect(url_for("designer.catalogue"))


@bp.post("/deploy")
def deploy():
    xml, process_id = _posted_xml()
    result = service.deploy_xml(current_user, process_id, xml)
    if result.problems:
        db.session.rollback()
        return jsonify(message=_("Not deployed: the diagram has %(n)d problems.",
                                 n=len(result.problems)),
                       errors=_problems_json(result.problems)), 422
    db.session.commit()
    definition = result.definition
    message = (_("Deployed as version %(v)d.", v=definition.version) if result.created
               else _("Nothing changed: version %(v)d is already this diagram.",
                      v=definition.version))
    return jsonify(message=message, errors=[], version=definition.version,
                   redirect=url_for("designer.process", process_id=definition.process_id))


@bp.post("/upload")
def upload():
    form = BpmnUploadForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "danger")
        return redirect(url_for("designer.catalogue"))
    content = form.file.data.read()
    try:
        xml = content.decode("utf-8")
    except UnicodeDecodeError:
        flash(_("The file is not UTF-8 text."), "danger")
        return redirect(url_for("designer.catalogue"))
    result = service.deploy_xml(current_user, None, xml, source_name=form.file.data.filename)
    if result.problems:
        db.session.rollback()
        return render_template("designer/catalogue.html", processes=service.catalogue(),
                               drafts=service.undeployed_drafts(), upload=form,
                               problems=result.problems), 422
    db.session.commit()
    flash(_("Deployed %(process)s version %(v)d.", process=result.definition.process_id,
            v=result.definition.version), "success")
    return redirect(url_for("designer.process", process_id=result.definition.process_id))


@bp.route("/<process_id>/migrate", methods=["GET", "POST"])
def migrate(process_id: str):
    target = service.versions(process_id)
    if not target:
        abort(404)
    latest = target[0].definition
    if request.method == "POST":
        ids = [int(i) for i in request.form.getlist("instance_id") if i.isdigit()]
        outcome = service.migrate_instances(current_user, latest, ids)
        db.session.commit()
        flash(_("%(moved)d instances moved to version %(v)d; %(refused)d refused.",
                moved=len(outcome.moved), refused=len(outcome.refused), v=latest.version),
              "success" if not outcome.refused else "warning")
        return redirect(url_for("designer.migrate", process_id=process_id))
    preview = service.migration_preview(latest)
    return render_template("designer/migrate.html", process_id=process_id, latest=latest,
                           preview=preview)


@bp.get("/forms")
def form_catalogue():
    return render_template("designer/forms.html", forms=form_descriptions.catalogue())


@bp.app_template_filter("pretty_json")
def pretty_json(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1)
