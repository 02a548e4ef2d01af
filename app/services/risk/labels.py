"""The interface names of the risk section's codes (bands, measure kinds, applications,
methods, periodicities, rounds), shared by the pages and the PDFs."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

BAND_LABELS = {"low": _l("low"), "medium": _l("medium"), "medium_high": _l("medium-high"),
               "high": _l("high")}
METHOD_LABELS = {"four_bands": _l("current method (4 bands)"),
                 "three_bands": _l("older method (3 bands)")}
KIND_LABELS = {"general": _l("general"), "specific": _l("specific")}
APPLICATION_LABELS = {"applied": _l("applied"), "partly": _l("partly applied"),
                      "not_applied": _l("not applied")}
CHECK_METHOD_LABELS = {"sample": _l("by sample"), "every_case": _l("every case")}
PERIODICITY_LABELS = {"monthly": _l("monthly"), "quarterly": _l("quarterly"),
                      "half_yearly": _l("half-yearly"), "yearly": _l("yearly"), "none": "-"}
ROUND_LABELS = {"mid_year": _l("mid-year"), "year_end": _l("year end")}
STATUS_LABELS = {"draft": _l("draft"), "adopted": _l("adopted")}
FREQUENCY_LABELS = {"timely": _l("timely (checked monthly)"), "quarterly": _l("quarterly"),
                    "half_yearly": _l("half-yearly"), "yearly": _l("yearly")}
ATTESTATION_LABELS = {"open": _l("open"), "signed": _l("signed"), "published": _l("published")}


def label(table: dict, code: str | None) -> str:
    return str(table.get(code, code or ""))


def band_label(code: str) -> str:
    return label(BAND_LABELS, code)
