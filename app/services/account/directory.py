"""The administration's directory (LDAP / Active Directory), reached with ldap3.

The directory proves who someone is; the product decides what they may do. Sign-in is
the usual two steps: find the person's entry by e-mail with the service account (or
anonymously), then bind as that entry with the typed password, so the password is
checked by the directory and never read. Certificates are always verified (ldaps:// and
StartTLS), and a directory that does not answer is reported as unavailable, never taken
as a refusal nor replaced by a weaker check."""
from __future__ import annotations

import re
import ssl
from dataclasses import dataclass

from flask import current_app
from ldap3 import BASE, NONE, SUBTREE, Connection, Server, Tls
from ldap3.core.exceptions import (
    LDAPException,
    LDAPInvalidCredentialsResult,
    LDAPNoSuchObjectResult,
    LDAPSizeLimitExceededResult,
)
from ldap3.utils.conv import escape_filter_chars

from app.models.org import ASSIGNABLE_ROLES


class DirectoryUnavailable(Exception):
    """The directory did not answer (down, refused, timed out, TLS failed or the service
    account was rejected): nothing was learned about the password."""


@dataclass(frozen=True)
class DirectoryPerson:
    dn: str
    emails: tuple[str, ...]
    groups: frozenset[str]  # the mapped groups (normalised DNs) the person is a member of


def enabled() -> bool:
    return bool(current_app.config["LDAP_URL"])


def normal_dn(dn: str) -> str:
    """A DN in one spelling, so that the mapping's keys compare with what the directory
    says: no blanks around ',' and '=', lower case (DN matching ignores case)."""
    parts = re.split(r"(?<!\\),", dn)
    return ",".join(re.sub(r"\s*=\s*", "=", p.strip(), count=1) for p in parts).lower()


def group_roles(text: str) -> dict[str, str]:
    """LDAP_GROUP_ROLES parsed: 'group DN=Role;group DN=Role' -> {normalised DN: role}.
    A DN contains '=' itself, so each pair splits at its last '='."""
    known = {r.value for r in ASSIGNABLE_ROLES}
    mapping = {}
    for pair in filter(None, (p.strip() for p in (text or "").split(";"))):
        dn, _, role = pair.rpartition("=")
        if "=" not in dn or role.strip() not in known:
            raise ValueError(
                f"LDAP_GROUP_ROLES: {pair!r} is not 'group DN=Role' with a role among "
                f"{', '.join(sorted(known))}"
            )
        mapping[normal_dn(dn)] = role.strip()
    return mapping


def verify(email: str, password: str) -> DirectoryPerson | None:
    """The person's entry when the directory accepts the password; None when it knows
    no single entry for the e-mail or refuses the password. Raises DirectoryUnavailable
    when it cannot tell."""
    if not password:
        return None  # an empty password is an unauthenticated bind, which succeeds
    config = current_app.config
    try:
        server = _server()
        service = _connect(server, config["LDAP_BIND_DN"] or None,
                           config["LDAP_BIND_PASSWORD"] or None)
        try:
            entry = _find(service, email)
            if entry is None or not _password_accepted(server, entry["dn"], password):
                return None
            emails = entry["attributes"].get(config["LDAP_EMAIL_ATTRIBUTE"]) or []
            if isinstance(emails, str):
                emails = [emails]
            return DirectoryPerson(
                dn=entry["dn"],
                emails=tuple(str(e).strip().lower() for e in emails),
                groups=_mapped_groups(service, entry["dn"]),
            )
        finally:
            service.unbind()
    except LDAPException as exc:
        current_app.logger.error("directory %s unavailable: %r", config["LDAP_URL"], exc)
        raise DirectoryUnavailable(str(exc)) from exc


def _server() -> Server:
    config = current_app.config
    tls = Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=config["LDAP_CA_FILE"] or None)
    return Server(config["LDAP_URL"], tls=tls, get_info=NONE,
                  connect_timeout=config["LDAP_TIMEOUT_SECONDS"])


def _connect(server: Server, user: str | None, password: str | None) -> Connection:
    """An open, bound connection; every failure raises (raise_exceptions)."""
    connection = Connection(
        server, user=user, password=password, raise_exceptions=True, read_only=True,
        auto_referrals=False, receive_timeout=current_app.config["LDAP_TIMEOUT_SECONDS"],
    )
    try:
        connection.open()
        if current_app.config["LDAP_START_TLS"]:
            connection.start_tls()
        connection.bind()
    except BaseException:
        connection.unbind()
        raise
    return connection


def _find(service: Connection, email: str) -> dict | None:
    """The one entry the user filter finds for the e-mail, escaped so that the typed
    text is a value and never filter syntax. None for no entry or more than one."""
    config = current_app.config
    search = config["LDAP_USER_FILTER"].replace("{email}", escape_filter_chars(email))
    try:
        service.search(config["LDAP_BASE_DN"], search, search_scope=SUBTREE,
                       attributes=[config["LDAP_EMAIL_ATTRIBUTE"]], size_limit=2,
                       time_limit=int(config["LDAP_TIMEOUT_SECONDS"]) or 1)
    except LDAPSizeLimitExceededResult:
        current_app.logger.warning("directory: more than one entry for %r", email)
        return None
    entries = [r for r in service.response if r.get("type") == "searchResEntry"]
    if len(entries) > 1:
        current_app.logger.warning("directory: more than one entry for %r", email)
    return entries[0] if len(entries) == 1 else None


def _password_accepted(server: Server, dn: str, password: str) -> bool:
    try:
        _connect(server, dn, password).unbind()
    except LDAPInvalidCredentialsResult:
        return False
    return True


def _mapped_groups(service: Connection, dn: str) -> frozenset[str]:
    """The groups of LDAP_GROUP_ROLES that list the entry as a direct member (member for
    groupOfNames and Active Directory, uniqueMember for groupOfUniqueNames)."""
    value = escape_filter_chars(dn)
    found = set()
    for group in group_roles(current_app.config["LDAP_GROUP_ROLES"]):
        try:
            service.search(group, f"(|(member={value})(uniqueMember={value}))",
                           search_scope=BASE, attributes=[])
        except LDAPNoSuchObjectResult:
            current_app.logger.warning("directory: group %s of LDAP_GROUP_ROLES not found", group)
            continue
        if any(r.get("type") == "searchResEntry" for r in service.response):
            found.add(group)
    return frozenset(found)
