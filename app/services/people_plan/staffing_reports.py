"""The staffing plan's tables as documents: a tagged PDF (PDF/UA-1, always in Italian,
the language of the acts it goes with) and an XLSX workbook with one sheet per table,
numbers as numbers. Both are aggregates with no personal data: whoever reads the plan
may download them (the views decide)."""
from __future__ import annotations

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from app.extensions import db
from app.models.org import Administration
from app.models.staffing import StaffingPlan
from app.services.people_plan import staffing
from app.services.people_plan.common import status_text
from app.services.reports import accessible_pdf
from app.services.reports.excel import add_sheet, new_workbook, workbook_bytes


def labels() -> dict:
    return {"pool_label": lambda name: str(staffing.POOL_LABELS[name]),
            "channel_label": lambda code: str(staffing.CHANNEL_LABELS.get(code, code))}


def pdf(plan: StaffingPlan) -> bytes:
    with force_locale("it"):
        html = render_template(
            "people_plan/staffing_pdf.html", plan=plan, table=staffing.table(plan),
            pools=staffing.pools(plan), hires=staffing.hires_by_pool(plan),
            status_text=status_text(plan),
            administration=db.session.get(Administration, plan.cycle.administration_id),
            **labels())
    return accessible_pdf.write(html)


def workbook(plan: StaffingPlan) -> bytes:
    table, pools = staffing.table(plan), staffing.pools(plan)
    book = new_workbook()
    rows = [[r.category.code, r.cost.total, r.category.ceiling_headcount, r.category.ceiling_cost,
             r.category.in_service_headcount, r.category.in_service_cost, r.gap.headcount,
             r.gap.cost] for r in table.rows]
    rows.append([_("Total"), None, table.ceiling_headcount, table.ceiling_cost,
                 table.in_service_headcount, table.in_service_cost, table.gap.headcount,
                 table.gap.cost])
    add_sheet(book, _("Ceiling and gap"), [
        (_("Category"), "text"), (_("Cost of one post"), "money"), (_("Ceiling (posts)"), "integer"),
        (_("Ceiling (cost)"), "money"), (_("In service (people)"), "integer"),
        (_("In service (cost)"), "money"), (_("Gap (posts)"), "integer"), (_("Gap (cost)"), "money"),
    ], rows)
    add_sheet(book, _("Cost of one post"), [
        (_("Category"), "text"), (_("Monthly base of the entry grade"), "money"),
        (_("Base x 13 months"), "money"), (_("Employer's charges (%)"), "percent"),
        (_("Employer's charges"), "money"), (_("IRAP (%)"), "percent"), (_("IRAP"), "money"),
        (_("Cost of one post"), "money"),
    ], [[r.category.code, r.category.monthly_base, r.cost.base, r.category.charges_rate,
         r.cost.charges, r.category.irap_rate, r.cost.irap, r.cost.total] for r in table.rows])
    add_sheet(book, _("Hiring budget"), [
        (_("Pool"), "text"), (_("Leavers of last year"), "money"),
        (_("Carried from earlier years"), "money"), (_("Available"), "money"),
        (_("Planned hires"), "money"), (_("Remaining"), "money"),
    ], [[str(staffing.POOL_LABELS[p.name]), p.current, p.carried, p.available, p.planned,
         p.remaining] for p in pools.values()])
    add_sheet(book, _("Planned hires"), [
        (_("Pool"), "text"), (_("Year"), "integer"), (_("Category"), "text"), (_("Profile"), "text"),
        (_("Posts"), "integer"), (_("Share of full time"), "percent"), (_("Cost"), "money"),
        (_("Recruitment channels, in order"), "text"),
    ], [[str(staffing.POOL_LABELS[name]), h.year, h.category.code, h.profile, h.count,
         h.time_percent, cost,
         "; ".join(str(staffing.CHANNEL_LABELS[c]) for c in h.channel_list)]
        for name, rows in staffing.hires_by_pool(plan).items() for h, cost in rows])
    return workbook_bytes(book)
