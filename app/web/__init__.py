"""Blueprints. Views parse and authorize; services act."""
from flask import Flask


def register_blueprints(app: Flask) -> None:
    from app.services.formatting import FILTERS

    app.jinja_env.filters.update(FILTERS)
    from app.web.admin import bp as admin_bp
    from app.web.auth import bp as auth_bp
    from app.web.dashboard import bp as dashboard_bp
    from app.web.designer import bp as designer_bp
    from app.web.engine_admin import bp as engine_admin_bp
    from app.web.evaluation_preview import bp as evaluation_preview_bp
    from app.web.main import bp as main_bp
    from app.web.me import bp as me_bp
    from app.web.plan import bp as plan_bp
    from app.web.plan_people import bp as plan_people_bp
    from app.web.plan_system import bp as plan_system_bp
    from app.web.reports import bp as reports_bp
    from app.web.tasks import bp as tasks_bp
    from app.web.team import bp as team_bp
    from app.web.transparency import bp as transparency_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(main_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(plan_bp)
    app.register_blueprint(plan_people_bp)
    app.register_blueprint(plan_system_bp)
    app.register_blueprint(tasks_bp)
    app.register_blueprint(engine_admin_bp)
    app.register_blueprint(me_bp)
    app.register_blueprint(team_bp)
    app.register_blueprint(dashboard_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(transparency_bp)
    app.register_blueprint(designer_bp)
    app.register_blueprint(evaluation_preview_bp)
