"""The OIV's validation attached to the Report it validates, without touching a byte of it.

The Board approves a rendered PDF; re-rendering it at validation would give other bytes
(a new creation date, figures that moved since). So the validated PDF is the approved
PDF's exact bytes followed by a PDF incremental update (ISO 32000 7.5.6) that attaches
the validation as an embedded file, `validazione-oiv.txt`: every reader shows the
approved pages unchanged and lists the attachment. Anyone can check it: the first
len(approved) bytes of the validated PDF (the length is written in the attachment and
in the audit trail) hash to the approved SHA-256, which the audit trail records at
drafting and at validation (`approved_part`)."""
from __future__ import annotations

import hashlib
import io
from datetime import datetime

from pypdf import PdfWriter

ATTACHMENT = "validazione-oiv.txt"


def statement_text(*, year: int, number: int, approved: bytes, statement: str,
                   validated_at: datetime) -> str:
    """The attached text, in Italian like the Report (no personal name: it is published)."""
    return (f"Validazione della Relazione sulla performance {year} da parte dell'OIV\n"
            f"Versione: {number}\n"
            f"Data: {validated_at.isoformat(timespec='seconds')}\n"
            f"Versione approvata dalla Giunta: i primi {len(approved)} byte di questo file, "
            f"SHA-256 {hashlib.sha256(approved).hexdigest()}\n\n"
            f"{statement}\n")


def attach(approved: bytes, text: str) -> bytes:
    """`approved` unchanged, then an incremental update attaching `text`."""
    writer = PdfWriter(io.BytesIO(approved), incremental=True)
    writer.add_attachment(ATTACHMENT, text.encode("utf-8"))
    out = io.BytesIO()
    writer.write(out)
    validated = out.getvalue()
    if not validated.startswith(approved):  # the whole point: never a rewritten file
        raise RuntimeError("The validation rewrote the approved PDF.")
    return validated


def approved_part(validated: bytes, approved_sha256: str, length: int) -> bool:
    """True when the validated PDF starts with exactly the approved bytes."""
    return hashlib.sha256(validated[:length]).hexdigest() == approved_sha256
