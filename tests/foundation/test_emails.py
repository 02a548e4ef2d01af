"""The fast e-mail check of the imports decides exactly as email_validator does: the same
addresses accepted with the same normalised form, the same ones refused."""
from __future__ import annotations

import pytest
from email_validator import EmailNotValidError, validate_email
from hypothesis import given, settings
from hypothesis import strategies as st

from app.formats.emails import normalised_email


def _library(address: str) -> str | None:
    try:
        return validate_email(address, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        return None


def _fast(address: str) -> str | None:
    try:
        return normalised_email(address)
    except EmailNotValidError:
        return None


LONG_DOMAIN = ".".join(["a" * 60] * 3) + ".it"
ADDRESSES = [
    "mario.rossi@comune.example", "info@comune.example", "m+tag@comune.example",
    "o'brien@comune.example", "a{b}|c~d@comune.example", "x@sub.dominio.example",
    "not-an-email", "@comune.example", "mario@", "mario@@comune.example",
    "a@b@comune.example", ".mario@comune.example", "mario.@comune.example",
    "ma..rio@comune.example", "mario rossi@comune.example", "mario@comune",
    "mario@comune.local", "mario@localhost", "mario@comune..example",
    "mario@-comune.example", "mario@comune.example.", "mario@[127.0.0.1]",
    '"mario rossi"@comune.example', '"mario"@comune.example',
    "Mario <mario@comune.example>", "<mario@comune.example>", "mario@comune.example>",
    "mario@bücher.example", "mario@xn--bcher-kva.example", "müller@comune.example",
    "mario@comune.123", "mario@comune_x.example", "mario@ comune.example",
    "mario@comune.example\u0301", "mario@\u0301comune.example", "mario@comune．example",
    "mario＠comune.example", "x" * 64 + "@comune.example", "x" * 65 + "@comune.example",
    "x" * 60 + "@" + LONG_DOMAIN, "x" * 70 + "@" + LONG_DOMAIN,
    "x" * 70 + "@" + LONG_DOMAIN.replace("a", "ü"),
]


@pytest.mark.parametrize("address", ADDRESSES)
def test_fast_check_accepts_and_refuses_what_email_validator_does(address):
    assert _fast(address.lower()) == _library(address.lower())


def test_a_refused_address_raises_the_library_error():
    with pytest.raises(EmailNotValidError):
        normalised_email("not-an-email")


PIECES = st.sampled_from(["a", "z", "0", ".", "..", "@", "-", "+", "'", '"', " ", "<", ">",
                          "ü", "\u0301", "[", "]", "comune", "example", ".it", "xn--", "_",
                          "local", "x" * 63, "(", "\\"])


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES, max_size=12).map("".join))
def test_fast_check_agrees_with_email_validator_on_any_text(address):
    assert _fast(address) == _library(address)
