"""Import and export of the plan (CSV and XLSX): accepted whole or rejected whole with
the errors per row; export then import gives back the same plan; the published
Pistoia-Prato table is read and its oddities reported per row."""
import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select
from werkzeug.exceptions import Forbidden

from app.extensions import db
from app.models.plan import Indicator, Objective
from app.scoring import quantize2
from app.scoring.values import NOT_MET, DateRange
from app.services.plan import export as plan_export
from app.services.plan import scores as plan_scores
from app.services.plan import system as smvp
from app.services.plan.adoption import plan_problems, weight_notes
from app.services.plan.cycles import create_cycle
from app.services.plan.imports import import_plan
from app.services.plan.presets import preset
from app.services.plan.revisions import snapshot
from tests.helpers import ADMIN, MANAGER, user_by_email
from tests.plan.helpers import approve, find_indicator

PISTOIA = Path("/work/shared/data/pistoia_prato_2022_indicators.csv")
if not PISTOIA.exists():
    PISTOIA = Path(__file__).resolve().parents[2] / "data" / "pistoia_prato_2022_indicators.csv"

HEADER = ("ciclo;codice_area;area_strategica;peso_area;codice_os;obiettivo_strategico;peso_os;"
          "codice_op;obiettivo_operativo;struttura;peso_op;codice_indicatore;indicatore;tipo;"
          "unita_di_misura;verso;target;soglia;peso;consuntivo;neutralizzato;"
          "motivo_neutralizzazione\n")
GOOD_ROWS = [
    ("2023;AS1;Imprese;100;OS1;Digitale;100;OP1;Firma digitale;A1.1;60;I1;Pratiche evase;"
     "Efficienza;%;>=;90%;70%;50;85%;no;"),
    ("2023;AS1;Imprese;100;OS1;Digitale;100;OP1;Firma digitale;A1.1;60;I2;Tempo medio;"
     "Efficienza;gg;<=;5;9;50;6;;"),
    ("2023;AS1;Imprese;100;OS1;Digitale;100;OP2;Eventi;A2.1;40;I3;Evento realizzato;"
     "Volume;si/no;=;si;;40;n.d.;si;Evento annullato per lo sciopero"),
    ("2023;AS1;Imprese;100;OS1;Digitale;100;OP2;Eventi;A2.1;40;I4;Bilancio;Salute economica;"
     "EUR;>=;1.234.567,89;1.000.000;60;1.300.000;;"),
]


def _csv(*rows: str) -> bytes:
    return (HEADER + "\n".join(rows) + "\n").encode("utf-8")


def _counts():
    return (db.session.execute(select(func.count(Objective.id))).scalar_one(),
            db.session.execute(select(func.count(Indicator.id))).scalar_one())


def test_csv_import_builds_the_tree(cycle, support):
    report = import_plan(support, cycle, "piano.csv", _csv(*GOOD_ROWS))
    assert report.ok, report.errors
    db.session.commit()
    plan = cycle.plan
    assert [o.code for o in plan.objectives] == ["OP1", "OP2", "OS1"]
    assert find_indicator(plan, "I4").target == Decimal("1234567.89")
    assert find_indicator(plan, "I1").actual == Decimal(85)
    i3 = find_indicator(plan, "I3")
    assert i3.neutralised and i3.actual is None and i3.target is True
    assert i3.objective.owner_unit.code == "A2.1" and i3.objective.parent.area.code == "AS1"
    assert (report.created, report.updated) == (4, 0)


BAD_ROWS = [
    ("I9;Soglia sbagliata;Efficienza;%;>=;90%;95%;0;80%;;", "threshold must be below the target"),
    ("I9;Soglia sbagliata;Efficienza;gg;<=;5;3;0;4;;", "threshold must be above the target"),
    ("I9;Data nel numero;Efficienza;n.;>=;10;;0;01/03/2022;;", "actual must be a number"),
    ("I9;Testo nella data;Efficienza;data;<=;30/11/2022;;0;dal 28.10 al 14.11;;",
     "actual must be a date"),
    ("I9;Neutralizzato;Efficienza;n.;>=;10;;0;;si;", "neutralising needs a written reason"),
    ("I9;Unità strana;Efficienza;metri;>=;10;;0;;;", "Unknown unit"),
    ("I9;Verso strano;Efficienza;n.;>>;10;;0;;;", "Unknown direction"),
    ("I9;Peso;Efficienza;n.;>=;10;;140;;;", "weight must be between 0 and 100"),
    ("I1;Doppio;Efficienza;n.;>=;10;;0;;;", "repeats row 2"),
    ("I9;Senza target;Efficienza;n.;>=;n.d.;;0;;;", "target is required"),
]


@pytest.mark.parametrize("tail,message", BAD_ROWS)
def test_a_bad_row_rejects_the_whole_file(small_plan, support, tail, message):
    before = snapshot(small_plan)
    prefix = "2023;AS1;Imprese;100;OS1;Digitale;100;OP1;Firma digitale;A1.1;60;"
    report = import_plan(support, small_plan.cycle, "piano.csv", _csv(*GOOD_ROWS, prefix + tail))
    assert not report.ok
    assert {e.row for e in report.errors} == {6}, report.errors
    assert any(message in e.message for e in report.errors), report.errors
    db.session.rollback()
    assert snapshot(small_plan) == before


def test_inconsistent_repetitions_and_other_cycles_are_reported(cycle, support):
    rows = [GOOD_ROWS[0], GOOD_ROWS[1].replace("Firma digitale", "Altro titolo"),
            GOOD_ROWS[3].replace("2023;", "2022;", 1)]
    report = import_plan(support, cycle, "piano.csv", _csv(*rows))
    messages = {(e.row, e.message) for e in report.errors}
    assert (3, "Objective OP1 is described differently on an earlier row (2).") in messages
    assert (4, "The row is for cycle 2022, not 2023.") in messages


def test_missing_columns_wrong_file_and_frozen_plan(small_plan, support):
    cycle = small_plan.cycle
    report = import_plan(support, cycle, "piano.csv", b"indicatore;target\nx;1\n")
    assert report.errors[0].row == 1 and "Missing columns" in report.errors[0].message
    assert not import_plan(support, cycle, "piano.pdf", b"%PDF").ok
    approve(cycle)
    report = import_plan(support, cycle, "piano.csv", _csv(*GOOD_ROWS))
    assert [e.row for e in report.errors] == [0] and "frozen" in report.errors[0].message
    with pytest.raises(Forbidden):
        import_plan(user_by_email(MANAGER), cycle, "piano.csv", _csv(*GOOD_ROWS))


def _measures(plan):
    return {i.code: (i.monitoring_value, i.monitoring_forecast, i.at_risk, i.monitoring_note,
                     i.actual, i.neutralised, i.neutralised_reason)
            for o in plan.objectives for i in o.indicators}


def _owners(plan):
    return {o.code: (o.owner_unit_id, o.parent_id and o.parent.code, o.area_id and o.area.code)
            for o in plan.objectives}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_gives_the_same_plan(demo_plan, support, fmt):
    from app.models.plan import Cycle

    plan = demo_plan.plan
    content = plan_export.to_csv(plan) if fmt == "csv" else plan_export.to_xlsx(plan)
    copy = create_cycle(support, demo_plan.administration_id, 2023)
    moved = _csv_for_2023(content) if fmt == "csv" else _xlsx_for_2023(content)
    report = import_plan(support, copy, f"piano.{fmt}", moved)
    assert report.ok, report.errors[:5]
    db.session.commit()
    db.session.expire_all()
    original, copied = db.session.get(Cycle, demo_plan.id).plan, db.session.get(Cycle, copy.id).plan
    assert snapshot(copied) == snapshot(original)
    assert _measures(copied) == _measures(original)
    assert _owners(copied) == _owners(original)


def _csv_for_2023(content: bytes) -> bytes:
    """The same file, its cycle column saying 2023."""
    lines = content.decode("utf-8-sig").splitlines()
    return "\n".join([lines[0]] + ["2023" + line[4:] for line in lines[1:]]).encode()


def _xlsx_for_2023(content: bytes) -> bytes:
    book = load_workbook(io.BytesIO(content))
    for row in book.active.iter_rows(min_row=2):
        row[0].value = "2023"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_reimport_keeps_identity_and_removes_what_is_gone(small_plan, support):
    cycle = small_plan.cycle
    kept = find_indicator(small_plan, "OP1.1").id
    rows = plan_export.rows(small_plan)
    rows = [r for r in rows if r["indicator_code"] != "OP2.1"]
    rows[0]["target"] = "92"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=plan_export.HEADER, delimiter=";")
    writer.writeheader()
    writer.writerows(rows)
    report = import_plan(support, cycle, "piano.csv", buffer.getvalue().encode())
    assert report.ok, report.errors
    db.session.commit()
    assert find_indicator(small_plan, "OP1.1").id == kept
    assert find_indicator(small_plan, "OP1.1").target == Decimal(92)
    assert "OP2" not in {o.code for o in small_plan.objectives}


def test_pistoia_prato_sample_imports_whole(cycle, support):
    """The published table as it is: rounded weights, a deadline never met ('no'), a
    date range ('dal 28.10 al 14.11 2022'), the Public Function's indicator type."""
    report = import_plan(support, cycle, PISTOIA.name, PISTOIA.read_bytes())
    assert report.ok, report.errors
    db.session.commit()
    plan = cycle.plan
    assert len(plan.objectives) == 11 and _counts() == (11, 46)
    first = find_indicator(plan, "OP01.1")
    assert (first.objective.title, first.target, first.actual, first.weight) == (
        "PID", Decimal(60), Decimal(101), Decimal("12.5"))
    costs = next(i for o in plan.objectives for i in o.indicators if i.name == "Costi di struttura")
    assert costs.actual == Decimal(7586963)
    never = next(i for o in plan.objectives for i in o.indicators if i.actual is NOT_MET)
    assert never.name == "Valorizzazione degli spazi"
    period = next(i for o in plan.objectives for i in o.indicators
                  if isinstance(i.actual, DateRange))
    assert (period.actual.start, period.actual.end) == (date(2022, 10, 28), date(2022, 11, 14))


def test_pistoia_prato_scores_with_its_preset(cycle, support):
    """Under the "Pistoia-Prato 2022" preset every printed achievement is reproduced but
    two the rule cannot explain: the webinar row printed 47% for 5 out of 10 (the source
    used the unrounded average, 4,7) and the row printed 123%, which needs that
    indicator's own cap; given the cap (column tetto), it is reproduced too. The
    sample's weight groups are extracts of the plan, so the plan check reports them
    rather than normalising them silently; the Turismo group (3 x 33,3 = 99,9) is within
    the preset's tolerance."""
    smvp.save_system(user_by_email(ADMIN), cycle,
                     preset("pistoia-prato-2022").system.model_dump(mode="json"))
    text = PISTOIA.read_text(encoding="utf-8")
    lines = text.splitlines()
    lines[0] += ";tetto"
    lines[1:] = [line + (";123" if line.split(";")[1].startswith("Confronto e concertazione")
                         else ";") for line in lines[1:]]
    report = import_plan(support, cycle, PISTOIA.name, "\n".join(lines).encode("utf-8"))
    assert report.ok, report.errors
    db.session.commit()
    published = [line.split(";")[8] for line in lines[1:]]
    scores = plan_scores.achievements(cycle)
    indicators = sorted((i for o in cycle.plan.objectives for i in o.indicators),
                        key=lambda i: (int(i.code[2:4]), int(i.code.split(".")[1])))
    mismatches = []
    for indicator, printed in zip(indicators, published, strict=True):
        assert scores.problem("indicator", indicator.id) is None
        shown = f"{quantize2(scores.indicator(indicator.id), 0)}%"
        if shown != printed:
            mismatches.append((indicator.name, shown, printed))
    assert mismatches == [("Numero di imprese coinvolte in ciascun webinar", "50%", "47%")]
    problems = plan_problems(cycle.plan)
    assert any("57,2" in p for p in problems) and not any("99,9" in p for p in problems)
    assert any("99,9" in note for note in weight_notes(cycle.plan))
    turismo = next(o for o in cycle.plan.objectives if o.title.startswith("Turismo"))
    assert scores.objective(turismo.id) is not None
    extract = next(o for o in cycle.plan.objectives if o.title.startswith("Sostegno del turismo"))
    assert scores.objective(extract.id) is None
    assert "57,2" in scores.problem("objective", extract.id)


def test_flask_plan_export_and_import_commands(demo_plan, app, tmp_path):
    runner = app.test_cli_runner()
    target = tmp_path / "piano.xlsx"
    result = runner.invoke(args=["plan", "export", "--cycle", "2022", "--format", "xlsx",
                                 "--output", str(target)])
    assert result.exit_code == 0, result.output
    content = _xlsx_for_2023(target.read_bytes())
    target.write_bytes(content)
    result = runner.invoke(args=["plan", "import", str(target), "--cycle", "2023"])
    assert result.exit_code == 0, result.output
    assert "63 indicators added" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_bytes(_csv(GOOD_ROWS[0].replace("70%", "95%")))
    result = runner.invoke(args=["plan", "import", str(bad), "--cycle", "2024"])
    assert result.exit_code != 0 and "row 2:" in result.output
