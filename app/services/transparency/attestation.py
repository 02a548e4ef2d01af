"""The OIV's yearly attestation (workflows/oiv_attestation.bpmn): the support unit opens
it on the obligations the OIV selects (ANAC's yearly list: a selection of the grid) with
the scale of the year (0-3 or yes/no); the OIV marks, per obligation, published /
complete / up to date / open format, with notes, and signs it off, which produces the
attestation document (PDF) and the grid (XLSX); the support unit publishes it on the
public transparency pages."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import audit, engine
from app.extensions import db
from app.models.org import Role, User
from app.models.transparency import (
    Attestation,
    AttestationEntry,
    AttestationScale,
    AttestationStatus,
    Obligation,
)
from app.models.types import utcnow
from app.services.org.permissions import require_role
from app.services.risk.errors import RiskError

PROCESS_ID = "oiv_attestation"
MARKS = ("published", "complete", "up_to_date", "open_format")


def highest_mark(scale: str) -> int:
    return 3 if scale == AttestationScale.ZERO_TO_THREE.value else 1


def attestation_of(administration_id: int, year: int) -> Attestation | None:
    return db.session.execute(select(Attestation).where(
        Attestation.administration_id == administration_id,
        Attestation.year == year)).scalar_one_or_none()


def published(administration_id: int | None = None) -> list[Attestation]:
    stmt = select(Attestation).where(Attestation.status == AttestationStatus.PUBLISHED.value)
    if administration_id is not None:
        stmt = stmt.where(Attestation.administration_id == administration_id)
    return list(db.session.execute(stmt.order_by(Attestation.year.desc())).scalars())


def open_attestation(actor: User, administration_id: int, year: int, obligation_ids: list[int],
                     scale: str, due: date) -> Attestation:
    """Open the year's attestation on the selected obligations and start its process."""
    require_role(actor, Role.SUPPORT_UNIT, Role.ADMIN)
    if attestation_of(administration_id, year) is not None:
        raise RiskError(_l("The attestation of %(year)d is already open.", year=year))
    if scale not in {s.value for s in AttestationScale}:
        raise RiskError(_l("Choose the scale of the attestation."))
    obligations = list(db.session.execute(select(Obligation).where(
        Obligation.id.in_(obligation_ids),
        Obligation.administration_id == administration_id)).scalars())
    if not obligations or len(obligations) != len(set(obligation_ids)):
        raise RiskError(_l("Select the obligations the OIV attests."))
    attestation = Attestation(administration_id=administration_id, year=year, scale=scale,
                              due=due, entries=[AttestationEntry(obligation_id=o.id)
                                                for o in obligations])
    db.session.add(attestation)
    db.session.flush()
    engine.start(PROCESS_ID, business_key=f"{PROCESS_ID}:{attestation.id}", actor=actor,
                 data={"attestation_due": due.isoformat()})
    audit.record("transparency.attestation.open", actor=actor, obj=attestation,
                 after={"year": year, "scale": scale, "obligations": len(obligations)})
    return attestation


@dataclass(frozen=True)
class EntryMarks:
    entry_id: int
    published: int
    complete: int
    up_to_date: int
    open_format: int
    note: str | None


def fill(actor: User, attestation: Attestation, rows: list[EntryMarks]) -> None:
    """The OIV's marks on every selected obligation."""
    require_role(actor, Role.OIV)
    if attestation.status != AttestationStatus.OPEN.value:
        raise RiskError(_l("The attestation is signed: it can no longer change."))
    entries = {e.id: e for e in attestation.entries}
    if {r.entry_id for r in rows} != set(entries):
        raise RiskError(_l("Mark every obligation of the attestation, and only those."))
    top = highest_mark(attestation.scale)
    for row in rows:
        marks = [getattr(row, m) for m in MARKS]
        if any(not isinstance(v, int) or not 0 <= v <= top for v in marks):
            raise RiskError(_l("Each mark goes from 0 to %(top)d.", top=top))
        entry = entries[row.entry_id]
        for name in MARKS:
            setattr(entry, name, getattr(row, name))
        entry.note = (row.note or "").strip() or None
    db.session.flush()
    audit.record("transparency.attestation.fill", actor=actor, obj=attestation,
                 after={"entries": len(rows)})


def sign(actor: User, attestation: Attestation, statement: str | None) -> None:
    """The OIV signs off: the document is produced and kept as signed."""
    from app.services.transparency import attestation_files

    require_role(actor, Role.OIV)
    if any(getattr(e, m) is None for e in attestation.entries for m in MARKS):
        raise RiskError(_l("Mark every obligation before signing."))
    attestation.statement = (statement or "").strip() or None
    attestation.status, attestation.signed_at = AttestationStatus.SIGNED.value, utcnow()
    attestation.pdf = attestation_files.pdf(attestation)
    attestation.pdf_sha256 = hashlib.sha256(attestation.pdf).hexdigest()
    audit.record("transparency.attestation.sign", actor=actor, obj=attestation,
                 after={"pdf_sha256": attestation.pdf_sha256})


def publish(actor: User, attestation: Attestation) -> None:
    require_role(actor, Role.SUPPORT_UNIT, Role.ADMIN)
    if attestation.status != AttestationStatus.SIGNED.value:
        raise RiskError(_l("Only a signed attestation is published."))
    attestation.status, attestation.published_at = AttestationStatus.PUBLISHED.value, utcnow()
    audit.record("transparency.attestation.publish", actor=actor, obj=attestation,
                 after={"pdf_sha256": attestation.pdf_sha256})
