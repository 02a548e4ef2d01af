"""The evaluation system of each cycle: Turin's rules first, copied to the next cycle,
edited by administrators only as new validated versions, through the structured form
or the JSON box."""
import json
from decimal import Decimal

import pytest
from sqlalchemy import select
from werkzeug.exceptions import Forbidden

from app.extensions import db
from app.models.plan import EvaluationSystemConfig
from app.scoring import EvaluationSystem
from app.services.plan import system as smvp
from app.services.plan.cycles import create_cycle
from app.services.plan.errors import PlanError
from tests.helpers import ADMIN, SUPPORT, user_by_email
from tests.plan.helpers import post_form


def _versions(cycle) -> list[int]:
    return [c.version for c in smvp.history(cycle)]


def test_first_cycle_gets_turins_rules_and_the_next_copies_the_last_version(cycle, support):
    assert smvp.system_for(cycle) == EvaluationSystem.turin_default()
    data = smvp.system_for(cycle).model_dump(mode="json")
    data["default_method"] = "ratio"
    data["organisational_shares"]["staff_area"] = "10"
    smvp.save_system(user_by_email(ADMIN), cycle, data, "Regole 2023")
    db.session.commit()
    assert _versions(cycle) == [2, 1]
    following = create_cycle(support, cycle.administration_id, 2024)
    db.session.commit()
    copied = smvp.system_for(following)
    assert copied.default_method == "ratio"
    assert copied.organisational_shares.staff_area == Decimal(10)
    assert _versions(following) == [1]


@pytest.mark.parametrize("change,message", [
    (lambda d: d.update(default_method="guess"), "default_method"),
    (lambda d: d["organisational_shares"].update(staff_org="95"), "more than 100"),
    (lambda d: d["matrix"].update(A=[0, 1, 2]), "needs 7 values"),
    (lambda d: d["score_factors"].update({"6": "1/2"}), "never get a lower factor"),
    (lambda d: d.update(categories={}), "At least one category"),
])
def test_invalid_rules_are_refused_and_nothing_saved(cycle, change, message):
    data = smvp.system_for(cycle).model_dump(mode="json")
    change(data)
    with pytest.raises(PlanError) as info:
        smvp.save_system(user_by_email(ADMIN), cycle, data)
    assert message in " ".join(info.value.messages)
    db.session.rollback()
    assert _versions(cycle) == [1]


def test_only_administrators_change_the_rules_and_only_real_changes_count(cycle):
    data = smvp.system_for(cycle).model_dump(mode="json")
    with pytest.raises(Forbidden):
        smvp.save_system(user_by_email(SUPPORT), cycle, data)
    with pytest.raises(PlanError, match="Nothing changed"):
        smvp.save_system(user_by_email(ADMIN), cycle, data)


def test_structured_form_saves_a_new_version(cycle, browse):
    client = browse(ADMIN)
    page = client.get("/plan/2023/system").get_data(as_text=True)
    assert 'name="s-score_factors.4"' in page and 'name="s-categories.DIR.parameter"' in page
    form = {}
    for path, value in _leaves(smvp.system_for(cycle).model_dump(mode="json")):
        if value is True:
            form[f"s-{path}"] = "on"
        elif value is not False and value is not None:
            form[f"s-{path}"] = str(value).replace(".", ",")
    form.update({"s-rollup.organisation": "weighted", "s-ratio_cap": "123",
                 "s-categories.C.parameter": "1,25", "action": "fields", "note": "Asti"})
    assert post_form(client, "/plan/2023/system", form).status_code == 302
    db.session.expire_all()
    system = smvp.system_for(cycle)
    assert system.rollup.organisation == "weighted" and system.ratio_cap == 123
    assert system.categories["C"].parameter == Decimal("1.25")
    assert system.score_factors == EvaluationSystem.turin_default().score_factors
    form["s-bands.medium.0"] = "3"
    response = post_form(client, "/plan/2023/system", form)
    assert response.status_code == 422 and "must start at" in response.get_data(as_text=True)


def test_json_box_and_permissions_of_the_page(cycle, browse):
    client = browse(ADMIN)
    response = post_form(client, "/plan/2023/system", {"action": "json", "json": "{nope"})
    assert response.status_code == 422 and "not valid" in response.get_data(as_text=True)
    data = smvp.system_for(cycle).model_dump(mode="json")
    data["categories"]["E"] = {"parameter": "1.6", "manager": False}
    assert post_form(client, "/plan/2023/system",
                     {"action": "json", "json": json.dumps(data)}).status_code == 302
    db.session.expire_all()
    assert "E" in smvp.system_for(cycle).categories
    support = browse(SUPPORT)
    assert support.get("/plan/2023/system").status_code == 200
    assert post_form(support, "/plan/2023/system", {"action": "json", "json": "{}"}
                     ).status_code == 403
    assert len(db.session.execute(select(EvaluationSystemConfig)).scalars().all()) == 2


def _leaves(value, path=""):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, f"{path}.{index}")
    else:
        yield path, value
