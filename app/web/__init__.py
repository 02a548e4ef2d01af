"""Blueprints, grouped like app.services: account, org, plan, tasks, reports, designer,
one package per domain with its templates in the folder of the same name. Views parse
and authorize; services act. Shared helpers: main (home page), labels, uploads."""
from flask import Flask


def register_blueprints(app: Flask) -> None:
    from app.formats.italian import FILTERS
    from app.task_names import display_name
    from app.web import links

    app.jinja_env.filters.update(FILTERS, task_name=display_name)
    from app.web.account.auth import bp as auth_bp
    from app.web.account.me import bp as me_bp
    from app.web.account.sheets import bp as sheets_bp
    from app.web.designer.instances import bp as engine_admin_bp
    from app.web.designer.views import bp as designer_bp
    from app.web.jobs.views import bp as jobs_bp
    from app.web.main import bp as main_bp
    from app.web.org.admin import bp as admin_bp
    from app.web.people_plan.equality import bp as equality_bp
    from app.web.people_plan.index import bp as people_plans_bp
    from app.web.people_plan.staffing import bp as staffing_bp
    from app.web.people_plan.training import bp as training_bp
    from app.web.plan import indicators as _plan_indicators  # noqa: F401  (indicators, values)
    from app.web.plan import objectives as _plan_objectives  # noqa: F401  (areas, objectives)
    from app.web.plan import revisions as _plan_revisions  # noqa: F401  (approval, revisions)
    from app.web.plan.people import bp as plan_people_bp
    from app.web.plan.system import bp as plan_system_bp
    from app.web.plan.unit_systems import bp as plan_unit_systems_bp
    from app.web.plan.views import bp as plan_bp
    from app.web.reports.dashboard import bp as dashboard_bp
    from app.web.reports.downloads import bp as reports_bp
    from app.web.reports.evaluation_grid import bp as evaluation_grid_bp
    from app.web.reports.monitoring import bp as monitoring_bp
    from app.web.reports.team import bp as team_bp
    from app.web.reports.transparency import bp as transparency_bp
    from app.web.risk import items as _risk_items  # noqa: F401  (the risk and measure pages)
    from app.web.risk import transparency as _risk_grid  # noqa: F401  (obligations, attestations)
    from app.web.risk.public import bp as risk_public_bp
    from app.web.risk.views import bp as risk_bp
    from app.web.smart_working.views import bp as smart_working_bp
    from app.web.tasks.evaluation_preview import bp as evaluation_preview_bp
    from app.web.tasks.views import bp as tasks_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(main_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(plan_bp)
    app.register_blueprint(monitoring_bp)
    app.register_blueprint(plan_people_bp)
    app.register_blueprint(plan_system_bp)
    app.register_blueprint(plan_unit_systems_bp)
    app.register_blueprint(tasks_bp)
    app.register_blueprint(engine_admin_bp)
    app.register_blueprint(me_bp)
    app.register_blueprint(sheets_bp)
    app.register_blueprint(team_bp)
    app.register_blueprint(dashboard_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(transparency_bp)
    app.register_blueprint(risk_bp)
    app.register_blueprint(risk_public_bp)
    app.register_blueprint(designer_bp)
    app.register_blueprint(evaluation_preview_bp)
    app.register_blueprint(jobs_bp)
    app.register_blueprint(evaluation_grid_bp)
    app.register_blueprint(smart_working_bp)
    app.register_blueprint(people_plans_bp)
    app.register_blueprint(staffing_bp)
    app.register_blueprint(training_bp)
    app.register_blueprint(equality_bp)
    links.install(app)
