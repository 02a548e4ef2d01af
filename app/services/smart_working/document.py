"""The agreement as a document: a tagged PDF (PDF/UA-1, app.services.reports.accessible_pdf)
in Italian whatever the reader's language, as the administration files it. Besides the
terms chosen in the request (days, place, equipment, period), it states the rules every
agreement carries (PIAO.md): the same hours and contractual workplace, the contact
windows, the right to disconnect, no overtime, no meal voucher, technical problems told
to the head of the unit who may recall the person to the office, the monthly report,
withdrawal. Whoever may see the agreement may download it; anyone else gets Forbidden."""
from __future__ import annotations

from flask import render_template
from flask_babel import force_locale
from werkzeug.exceptions import Forbidden

from app.models.smart_working import SmartWorkingAgreement
from app.models.types import utcnow
from app.services.reports import accessible_pdf
from app.services.smart_working import operations as agreements
from app.services.smart_working import policy as policies

CONTACT_WINDOWS = (("10:00", "12:00"), ("14:30", "15:45"))
DISCONNECTION = ("19:00", "08:00")


def agreement_pdf(actor, agreement: SmartWorkingAgreement) -> bytes:
    if not agreements.may_view(actor, agreement):
        raise Forbidden()
    policy = policies.policy_of(agreement.unit.administration_id if agreement.unit else None)
    with force_locale("it"):
        html = render_template(
            "smart_working/sheets/agreement_pdf.html", agreement=agreement, person=agreement.user,
            limits=policies.limits_of(policy), period=agreements.period_label(policy.period),
            windows=CONTACT_WINDOWS, disconnection=DISCONNECTION, generated_at=utcnow())
    return accessible_pdf.write(html)
