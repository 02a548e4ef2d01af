"""The security headers of every response, a strict Content-Security-Policy among them,
and the endpoint where browsers report what that policy blocked.

The policy lets scripts run only from our own files or with the nonce of the request
(`csp_nonce()` in templates), styles come only from our own stylesheets (no inline
`style` attributes or blocks: classes in app/static/app.css), and nothing frames the
pages. A blocked resource means a page is broken, so every violation is logged at
warning level: in production it shows up in the logs, in the browser tests it fails them.
"""
from __future__ import annotations

import json
import logging
import secrets

from flask import Blueprint, Flask, current_app, g, request

from app.extensions import csrf

log = logging.getLogger(__name__)
bp = Blueprint("security", __name__)

REPORT_PATH = "/csp-report"
# A browser's report is well under 2 KiB; anything far larger is not one.
REPORT_MAX_BYTES = 16 * 1024


def csp_nonce() -> str:
    """The nonce of this request, made on first use: inline scripts carry it."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return g.csp_nonce


def content_security_policy(nonce: str) -> str:
    directives = {
        "default-src": "'self'",
        "script-src": f"'self' 'nonce-{nonce}'",
        "style-src": "'self'",
        "img-src": "'self' data:",
        "font-src": "'self' data:",
        "connect-src": "'self'",
        "frame-ancestors": "'none'",
        "form-action": "'self'",
        "base-uri": "'self'",
        "object-src": "'none'",
        "report-uri": REPORT_PATH,
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def security_headers(response):
    response.headers.setdefault("Content-Security-Policy", content_security_policy(csp_nonce()))
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    hsts = current_app.config["HSTS_SECONDS"]
    if hsts:  # production only: browsers then refuse plain HTTP to the site
        response.headers.setdefault("Strict-Transport-Security",
                                    f"max-age={hsts}; includeSubDomains")
    return response


@bp.post(REPORT_PATH)
@csrf.exempt
def csp_report():
    """Browsers post reports without our CSRF token or session: exempt, bounded, 204."""
    if (request.content_length or 0) > REPORT_MAX_BYTES:
        return "", 413
    body = request.stream.read(REPORT_MAX_BYTES + 1)
    if len(body) > REPORT_MAX_BYTES:
        return "", 413
    try:
        report = json.loads(body).get("csp-report", {})
    except (ValueError, AttributeError):
        return "", 400
    if not isinstance(report, dict):
        return "", 400
    log.warning(
        "Content Security Policy violation: %s blocked %s on %s (%s:%s)",
        report.get("violated-directive") or report.get("effective-directive"),
        report.get("blocked-uri"), report.get("document-uri"),
        report.get("source-file"), report.get("line-number"),
    )
    return "", 204


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.after_request(security_headers)
    app.add_template_global(csp_nonce)
