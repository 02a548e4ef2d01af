"""Sign-in, sign-out and the language switch."""
import unicodedata
from urllib.parse import unquote, urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from sqlalchemy.orm import joinedload
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Email

from app import audit
from app.extensions import db, login_manager
from app.models.org import User
from app.services.account.signin import DirectoryUnavailable, Throttled, authenticate

bp = Blueprint("auth", __name__)


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email()])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    submit = SubmitField(_l("Sign in"))


# The roles come with the person in one statement: every page asks for them. Built once:
# building the options cost about a tenth of loading the person.
_WITH_ROLES_AND_UNIT = (joinedload(User.role_rows), joinedload(User.unit))


@login_manager.user_loader
def load_user(user_id: str):
    """The user of a session, unless that session was ended since (see User.get_id) or
    the user was deactivated."""
    ident, _sep, version = user_id.partition(":")
    if not (ident.isdigit() and version.isdigit()):
        return None  # a cookie from before revocable sessions
    user = db.session.get(User, int(ident), options=_WITH_ROLES_AND_UNIT)
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


def _is_local_path(target: str) -> bool:
    r"""A path on this site. Browsers drop tabs and newlines and read a backslash as a
    slash, so "/%09/evil.example" or "/\evil.example" would leave the site: anything
    with whitespace, control characters or backslashes is refused, before and after
    percent-decoding, as is anything with a scheme or a host."""
    for form in (target, unquote(target)):
        if any(ch.isspace() or unicodedata.category(ch)[0] == "C" for ch in form):
            return False
        if "\\" in form or not form.startswith("/") or form.startswith("//"):
            return False
        parts = urlsplit(form)
        if parts.scheme or parts.netloc:
            return False
    return True


def safe_next(target: str | None) -> str:
    """Where to go after a form: the given same-site path, otherwise the home page."""
    if target and _is_local_path(target):
        return target
    return url_for("main.home")


def _referrer_path() -> str | None:
    """The path of the page the request came from, when it was this site."""
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc != request.host:
        return None
    return referrer.path + (f"?{referrer.query}" if referrer.query else "")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = authenticate(form.email.data, form.password.data, request.remote_addr or "-")
        except Throttled:
            flash(_("Too many failed attempts. Try again in a few minutes."), "danger")
            return render_template("account/auth/login.html", form=form), 429
        except DirectoryUnavailable:
            flash(_("The directory service is not responding, so sign-in cannot be "
                    "checked. Try again in a few minutes; if it persists, contact "
                    "the help desk."), "danger")
            return render_template("account/auth/login.html", form=form), 503
        if user is not None:
            chosen = session.get("locale")  # the language picked on the sign-in page
            session.clear()  # a fresh session on sign-in: no fixation
            if chosen:
                session["locale"] = chosen
            login_user(user)
            session.permanent = True
            return redirect(safe_next(request.args.get("next")))
        flash(_("E-mail or password is not correct."), "danger")
        status = 401
    elif request.method == "POST":
        status = 400
    return render_template("account/auth/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    audit.record("auth.logout", actor=current_user, obj=current_user)
    current_user.end_sessions()  # a copy of the cookie must not outlive the sign-out
    db.session.commit()
    language = get_locale().language  # the sign-in page after it speaks the same language
    logout_user()
    session.clear()
    session["locale"] = language
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.post("/language/<code>")
def set_language(code: str):
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    session["locale"] = code
    return redirect(safe_next(request.form.get("next") or _referrer_path()))
