"""A real OpenLDAP server for the whole session, and the app configured against it.

The server holds a few people whose `mail` is a demo user's, one who is in the directory
but not in the product, two entries sharing one address, and two groups (groupOfNames
and groupOfUniqueNames). Skipped only when slapd is not installed: `make test` installs
it (Makefile, system-deps)."""
from __future__ import annotations

import shutil

import pytest

from tests.directory import slapd
from tests.helpers import DOMAIN, EMPLOYEE_A1, OIV, SG, SUPPORT

PEOPLE = f"ou=people,{slapd.SUFFIX}"
GROUPS = f"ou=groups,{slapd.SUFFIX}"
OIV_GROUP = f"cn=oiv,{GROUPS}"
STAFF_GROUP = f"cn=sts,{GROUPS}"
OUTSIDER = f"outsider@{DOMAIN}"
# Directory passwords differ from the demo password, so a success proves the directory.
PASSWORDS = {SUPPORT: "dir-Antonio-1", OIV: "dir-Maria-1", EMPLOYEE_A1: "dir-Alessandro-1",
             OUTSIDER: "dir-Outsider-1", SG: "dir-Giovanni-1"}


def _person(uid: str, mail: str) -> str:
    return (f"dn: uid={uid},{PEOPLE}\nobjectClass: inetOrgPerson\nuid: {uid}\ncn: {uid}\n"
            f"sn: {uid}\nmail: {mail}\nuserPassword: {PASSWORDS[mail]}\n")


LDIF = "\n".join([
    (f"dn: {slapd.SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\n"
     "o: Example\ndc: example\n"),
    f"dn: {PEOPLE}\nobjectClass: organizationalUnit\nou: people\n",
    f"dn: {GROUPS}\nobjectClass: organizationalUnit\nou: groups\n",
    (f"dn: {slapd.READER_DN}\nobjectClass: person\ncn: reader\nsn: reader\n"
     f"userPassword: {slapd.READER_PASSWORD}\n"),
    _person("adeangelis", SUPPORT),
    _person("mzanetti", OIV),
    _person("arusso", EMPLOYEE_A1),
    _person("outsider", OUTSIDER),
    _person("gbertolino", SG),
    _person("gbertolino2", SG),
    (f"dn: {OIV_GROUP}\nobjectClass: groupOfNames\ncn: oiv\n"
     f"member: uid=mzanetti,{PEOPLE}\nmember: uid=arusso,{PEOPLE}\n"),
    (f"dn: {STAFF_GROUP}\nobjectClass: groupOfUniqueNames\ncn: sts\n"
     f"uniqueMember: uid=arusso,{PEOPLE}\n"),
])


@pytest.fixture(scope="session")
def slapd_server():
    binary = slapd.slapd_binary()
    if binary is None:
        pytest.skip("slapd is not installed (Debian packages slapd and ldap-utils; "
                    "`make system-deps` installs them)")
    server = slapd.start(binary, LDIF)
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(server.workdir, ignore_errors=True)


@pytest.fixture
def ldap(app, slapd_server, monkeypatch):
    """The app signs in against the session's slapd, through the read-only service
    account, with no group mapping; tests change single settings with `ldap[...] = ...`."""
    settings = {
        "LDAP_URL": slapd_server.url,
        "LDAP_BASE_DN": slapd.SUFFIX,
        "LDAP_BIND_DN": slapd.READER_DN,
        "LDAP_BIND_PASSWORD": slapd.READER_PASSWORD,
        "LDAP_USER_FILTER": "(mail={email})",
        "LDAP_EMAIL_ATTRIBUTE": "mail",
        "LDAP_START_TLS": False,
        "LDAP_TIMEOUT_SECONDS": 5,
        "LDAP_GROUP_ROLES": "",
        "LDAP_ALLOW_LOCAL": False,
    }
    for key, value in settings.items():
        monkeypatch.setitem(app.config, key, value)
    return app.config
