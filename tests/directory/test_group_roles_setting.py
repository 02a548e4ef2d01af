"""LDAP_GROUP_ROLES: how the setting is read, and that a wrong one stops start-up."""
import pytest

from app import create_app
from app.services.account.directory import group_roles, normal_dn
from config import TestConfig


def test_group_dns_with_blanks_and_case_map_to_roles():
    mapping = group_roles("CN=OIV, OU=Groups,DC=example,DC=org=OIV ; cn=sts,dc=example,dc=org=SupportUnit;")
    assert mapping == {"cn=oiv,ou=groups,dc=example,dc=org": "OIV",
                       "cn=sts,dc=example,dc=org": "SupportUnit"}


def test_escaped_comma_stays_inside_its_value():
    assert normal_dn(r"cn=Rossi\, Mario , dc=example") == r"cn=rossi\, mario,dc=example"


@pytest.mark.parametrize("setting", ["cn=x,dc=example=Nobody", "OIV", "cn=x=Evaluator"])
def test_unknown_role_or_missing_dn_stops_start_up(setting):
    class Config(TestConfig):
        LDAP_GROUP_ROLES = setting

    with pytest.raises(ValueError, match="LDAP_GROUP_ROLES"):
        create_app(Config)
