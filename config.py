"""Configuration classes. Every setting comes from an environment variable with a safe
default for the embedded SQLite set-up; production overrides them."""
import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


# The key of the audit trail's HMAC chain and anchors in development and tests only:
# anyone can read it here, so it proves nothing. Production refuses to start without
# its own AUDIT_KEY (see check_production).
DEVELOPMENT_AUDIT_KEY = "development-audit-key-not-secret"


def _database_url() -> str:
    return os.environ.get("DATABASE_URL") or f"sqlite:///{INSTANCE_DIR / 'performance.db'}"


DEVELOPMENT_SECRET_KEY = "dev-only-change-me"
MIN_SECRET_KEY_LENGTH = 32


class ConfigurationError(RuntimeError):
    """A setting production cannot run without; the message names the variable."""


class Config:
    APP_ENV = "development"
    SECRET_KEY = os.environ.get("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
    DATABASE_URL = os.environ.get("DATABASE_URL", "")
    SQLALCHEMY_DATABASE_URI = _database_url()
    # The absolute address of the site (https://performance.example.it), for links in
    # e-mails, which are written outside any request. Production has no default and
    # refuses to start without it (check_production).
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000")
    HSTS_SECONDS = 0  # Strict-Transport-Security only where the site is HTTPS-only
    # A pooled database connection that has sat unused for longer than this many seconds
    # is checked (SELECT 1) before use, and replaced if the server dropped it; one used
    # more recently is trusted, which saves a round trip per request under load. 0 checks
    # every time (app.ping_when_idle).
    DATABASE_PING_IDLE_SECONDS = os.environ.get("DATABASE_PING_IDLE_SECONDS", "1")

    # Session cookies: HttpOnly and SameSite always; Secure whenever served over HTTPS.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    PERMANENT_SESSION_LIFETIME = timedelta(hours=int(os.environ.get("SESSION_HOURS", "8")))
    WTF_CSRF_TIME_LIMIT = None  # bound to the session instead of a clock

    # Sign-in throttling. After LOGIN_MAX_FAILURES failures in a row for one e-mail from
    # one address, that pair waits LOGIN_LOCK_MINUTES, doubling at each further failure
    # up to LOGIN_LOCK_MAX_MINUTES; the same e-mail from another address is not locked,
    # so nobody can lock someone else out. One address with five times
    # LOGIN_MAX_FAILURES failures (any e-mails) within LOGIN_WINDOW_MINUTES is refused.
    LOGIN_MAX_FAILURES = int(os.environ.get("LOGIN_MAX_FAILURES", "5"))
    LOGIN_WINDOW_MINUTES = int(os.environ.get("LOGIN_WINDOW_MINUTES", "15"))
    LOGIN_LOCK_MINUTES = int(os.environ.get("LOGIN_LOCK_MINUTES", "1"))
    LOGIN_LOCK_MAX_MINUTES = int(os.environ.get("LOGIN_LOCK_MAX_MINUTES", "60"))
    # Reverse proxies in front of the app whose X-Forwarded-For/-Proto are trusted: with
    # 0 every client would look like the proxy's address to the throttling above.
    TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

    BABEL_DEFAULT_LOCALE = os.environ.get("DEFAULT_LOCALE", "it")
    BABEL_DEFAULT_TIMEZONE = os.environ.get("TIMEZONE", "Europe/Rome")
    LANGUAGES = ("it", "en")

    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "587"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", True)
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "performance@localhost")

    # Sign-in against the administration's directory (LDAP / Active Directory); off while
    # LDAP_URL is empty. See app/services/account/directory.py.
    LDAP_URL = os.environ.get("LDAP_URL", "")
    LDAP_BASE_DN = os.environ.get("LDAP_BASE_DN", "")
    LDAP_BIND_DN = os.environ.get("LDAP_BIND_DN", "")
    LDAP_BIND_PASSWORD = os.environ.get("LDAP_BIND_PASSWORD", "")
    LDAP_USER_FILTER = os.environ.get("LDAP_USER_FILTER", "(mail={email})")
    LDAP_EMAIL_ATTRIBUTE = os.environ.get("LDAP_EMAIL_ATTRIBUTE", "mail")
    LDAP_START_TLS = _bool("LDAP_START_TLS", False)
    LDAP_CA_FILE = os.environ.get("LDAP_CA_FILE", "")  # empty: the system's CA certificates
    LDAP_TIMEOUT_SECONDS = float(os.environ.get("LDAP_TIMEOUT_SECONDS", "5"))
    LDAP_GROUP_ROLES = os.environ.get("LDAP_GROUP_ROLES", "")
    # With a directory, local passwords are refused except for demo users, unless this is on.
    LDAP_ALLOW_LOCAL = _bool("LDAP_ALLOW_LOCAL", False)

    # BPMN scripts and expressions run in a child process under these limits (see
    # app.engine.script_runner); one over a limit fails its task, never the server.
    SCRIPT_TIME_LIMIT_MS = int(os.environ.get("SCRIPT_TIME_LIMIT_MS", "1000"))
    SCRIPT_MEMORY_LIMIT_MB = int(os.environ.get("SCRIPT_MEMORY_LIMIT_MB", "256"))

    DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "demo")
    # Level of the request log (app.web.request_log): one line per request.
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")

    # The audit trail: the HMAC key (kept outside the database), and the append-only
    # file of signed checkpoints of the chain, written at most every AUDIT_ANCHOR_MINUTES.
    AUDIT_KEY = os.environ.get("AUDIT_KEY") or DEVELOPMENT_AUDIT_KEY
    AUDIT_ANCHOR_PATH = os.environ.get("AUDIT_ANCHOR_PATH", str(INSTANCE_DIR / "audit-anchors.jsonl"))
    AUDIT_ANCHOR_MINUTES = int(os.environ.get("AUDIT_ANCHOR_MINUTES", "60"))

    # Uploaded tables (imports): larger files or more rows are refused at once with a
    # message; any request body above MAX_CONTENT_LENGTH gets the 413 page unread.
    IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(10 * 1024 * 1024)))
    IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "30000"))
    # Public pages publish no figure counting fewer people than this (merged or "< N").
    PUBLIC_MIN_GROUP = int(os.environ.get("PUBLIC_MIN_GROUP", "3"))
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH",
                                            str(IMPORT_MAX_BYTES + 1024 * 1024)))
    # The years a plan sets targets for: the cycle's year and the following ones.
    PLAN_HORIZON_YEARS = int(os.environ.get("PLAN_HORIZON_YEARS", "3"))
    # Evaluations of cycles older than this lose their texts (`flask retention apply`).
    RETENTION_YEARS = int(os.environ.get("RETENTION_YEARS", "10"))
    # The cycle dashboard's figures over everyone are drawn again at most this often and
    # kept meanwhile for every app server (0: drawn at every visit).
    DASHBOARD_FIGURES_SECONDS = int(os.environ.get("DASHBOARD_FIGURES_SECONDS", "0"))
    # Python's cyclic garbage collector: the allocations between collections of the
    # youngest generation, then how many of those before each older one (three whole
    # numbers; Python's own default is 700,10,10). See app._tune_collector.
    GC_THRESHOLD = os.environ.get("GC_THRESHOLD", "10000,50,100")
    # The cost of a password hash (argon2id): memory in KiB, passes, lanes, written as
    # in the hash itself. The default is OWASP's recommended minimum; see
    # password_hash_parameters for the floor.
    PASSWORD_HASH_PARAMETERS = os.environ.get("PASSWORD_HASH_PARAMETERS", "m=19456,t=2,p=1")


class DevelopmentConfig(Config):
    DEBUG = False


class ProductionConfig(Config):
    APP_ENV = "production"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    AUDIT_KEY = os.environ.get("AUDIT_KEY", "")
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "")
    HSTS_SECONDS = 31536000
    DASHBOARD_FIGURES_SECONDS = int(os.environ.get("DASHBOARD_FIGURES_SECONDS", "30"))


def production_problems(settings) -> list[str]:
    """What keeps these settings from running in production, one sentence per variable.
    A missing or development SECRET_KEY would let anyone forge a session cookie (an
    Admin's included); without DATABASE_URL the data would go to a local SQLite file."""
    problems = []
    secret = settings.get("SECRET_KEY") or ""
    if secret == DEVELOPMENT_SECRET_KEY or len(secret) < MIN_SECRET_KEY_LENGTH:
        problems.append(
            f"SECRET_KEY must be set to a random value of at least {MIN_SECRET_KEY_LENGTH} "
            "characters (for example the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`)."
        )
    if not settings.get("DATABASE_URL"):
        problems.append("DATABASE_URL must be set (for example "
                        "postgresql+psycopg://user:password@host/performance).")
    key = settings.get("AUDIT_KEY") or ""
    if not key or key == DEVELOPMENT_AUDIT_KEY:
        problems.append("AUDIT_KEY must be set to a secret kept outside the database (it "
                        "keys the audit trail: without it anyone who can write to the "
                        "database could rebuild the chain).")
    public = urlsplit(settings.get("PUBLIC_URL") or "")
    if public.scheme not in {"http", "https"} or not public.netloc:
        problems.append("PUBLIC_URL must be set to the absolute address of the site "
                        "(for example https://performance.example.it).")
    return problems


def ping_idle_seconds(value) -> float:
    """DATABASE_PING_IDLE_SECONDS as seconds; a wrong value stops start-up with a message
    naming the variable."""
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        seconds = -1.0
    if not 0 <= seconds < float("inf"):
        raise ConfigurationError(
            f"DATABASE_PING_IDLE_SECONDS must be a number of seconds, 0 or more (for "
            f"example 1), not {value!r}.")
    return seconds


def collector_thresholds(value: str) -> tuple[int, int, int]:
    """GC_THRESHOLD as the three numbers gc.set_threshold takes; a wrong value stops
    start-up with a message naming the variable."""
    try:
        numbers = tuple(int(part) for part in value.split(","))
    except ValueError:
        numbers = ()
    if len(numbers) != 3 or numbers[0] < 1 or min(numbers) < 0:
        raise ConfigurationError(
            f"GC_THRESHOLD must be three whole numbers separated by commas, the first at "
            f"least 1 (for example 10000,50,100), not {value!r}.")
    return numbers


# OWASP's argon2id configurations (Password Storage Cheat Sheet) run from 46 MiB with
# one pass to 7 MiB with five; all of them spend at least 7 MiB and 35 MiB-passes.
PASSWORD_HASH_MIN_MEMORY_KIB = 7 * 1024
PASSWORD_HASH_MIN_MEMORY_PASSES = 35 * 1024
PASSWORD_HASH_MAX_LANES = 64


def password_hash_parameters(value: str) -> dict[str, int]:
    """PASSWORD_HASH_PARAMETERS ("m=19456,t=2,p=1": memory in KiB, passes, lanes) as the
    keyword arguments of argon2's PasswordHasher. A value that is malformed or cheaper
    than every configuration OWASP recommends stops start-up with a message naming the
    variable: a cheaper hash would make a stolen table of hashes quicker to crack."""
    names = {"m": "memory_cost", "t": "time_cost", "p": "parallelism"}
    pairs = [part.strip().partition("=") for part in (value or "").split(",")]
    found = {key: int(number) for key, _, number in pairs if number.strip().isdigit()}
    well_formed = (len(pairs) == 3 and found.keys() == names.keys()
                   and 1 <= found["p"] <= PASSWORD_HASH_MAX_LANES and found["t"] >= 1)
    if not well_formed:
        raise ConfigurationError(
            f"PASSWORD_HASH_PARAMETERS must give the memory in KiB, the passes and the "
            f"lanes of argon2id as m=...,t=...,p=... (for example m=19456,t=2,p=1; lanes "
            f"from 1 to {PASSWORD_HASH_MAX_LANES}), not {value!r}.")
    if (found["m"] < PASSWORD_HASH_MIN_MEMORY_KIB
            or found["m"] * found["t"] < PASSWORD_HASH_MIN_MEMORY_PASSES):
        raise ConfigurationError(
            f"PASSWORD_HASH_PARAMETERS={value!r} is cheaper than OWASP's recommended "
            f"minimum for argon2id: the memory must be at least "
            f"{PASSWORD_HASH_MIN_MEMORY_KIB} KiB and memory times passes at least "
            f"{PASSWORD_HASH_MIN_MEMORY_PASSES} (for example m=19456,t=2,p=1 or "
            f"m=47104,t=1,p=1).")
    return {names[key]: number for key, number in found.items()}


def check_production(settings) -> None:
    """Refuse to start in production with unsafe settings."""
    problems = production_problems(settings)
    if problems:
        raise ConfigurationError(
            "Refusing to start with APP_ENV=production: " + " ".join(problems))


class TestConfig(Config):
    TESTING = True
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    SECRET_KEY = "test-secret"
    DEMO_PASSWORD = "demo"
    MAIL_SERVER = ""
    LDAP_URL = ""
    LDAP_GROUP_ROLES = ""
    LDAP_ALLOW_LOCAL = False
    AUDIT_KEY = DEVELOPMENT_AUDIT_KEY
    DASHBOARD_FIGURES_SECONDS = 0


CONFIGS = {
    "development": DevelopmentConfig,
    "production": ProductionConfig,
    "testing": TestConfig,
}


def audit_key_problem(config) -> str | None:
    """A warning when the audit trail runs on the public development key (production
    refuses that in check_production: anyone who can write to the database could then
    rebuild the chain)."""
    if (config.get("AUDIT_KEY") or "") == DEVELOPMENT_AUDIT_KEY:
        return "AUDIT_KEY is not set: the audit trail uses the public development key"
    return None


def config_from_env() -> type[Config]:
    return CONFIGS.get(os.environ.get("APP_ENV", "development"), DevelopmentConfig)
