"""E-mail addresses as officers type them: checked, with internationalised domains (IDNA)."""

from __future__ import annotations

import re
import unicodedata
from email.headerregistry import Address
from email.utils import getaddresses

from renewal_cli.errors import UsageError
from renewal_cli.mail.headers import breaks_header, one_line

# An address the SMTP servers of Chinese providers (163.com, qq.com, gov.cn mail) accept: a
# local part of ASCII (or any non-ASCII text, which needs SMTPUTF8) and a dotted host name,
# checked in its IDNA (xn--) form so that a@例子.中国 is accepted.
_LOCAL = re.compile(
    r"(?:[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]|[^\x00-\x7f])+"
    r"(?:\.(?:[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]|[^\x00-\x7f])+)*"
)
_HOST = re.compile(r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z0-9-]{2,63}")


def ascii_domain(domain: str) -> str | None:
    """The domain in its ASCII (IDNA) form, or None when it cannot be one."""
    try:
        return domain.encode("idna").decode("ascii")
    except UnicodeError:
        return None


def is_address(value: str) -> bool:
    """Whether `value` is a plain e-mail address (local@domain.tld), nothing around it."""
    local, at, domain = value.rpartition("@")
    if not at or len(value) > 254 or _LOCAL.fullmatch(local) is None:
        return False
    # Beyond ASCII, no space, separator, control or format character (U+2028, U+202E …).
    if any(unicodedata.category(ch)[0] in "CZ" for ch in local):
        return False
    host = ascii_domain(domain)
    return host is not None and _HOST.fullmatch(host) is not None and not host[-1].isdigit()


def mailbox(value: str) -> Address:
    """One address, with or without a display name. Raises UsageError otherwise.

    The domain is written in its IDNA form, so only a non-ASCII local part needs SMTPUTF8.
    getaddresses alone is not enough: it quietly drops the second of "a@b.cn, c@d.cn" and reads
    an address with a header smuggled in after a line break as a valid one. A line separator
    (U+2028, U+2029, U+0085) in the display name becomes a space: the mail header cannot hold
    one.
    """
    given = value
    value = "".join(" " if ord(ch) > 127 and breaks_header(ch) else ch for ch in value)
    parsed = getaddresses([value])
    if (
        len(parsed) != 1
        or any(ord(ch) < 32 or ord(ch) == 127 for ch in value)
        or not is_address(parsed[0][1])
        or parsed[0][1] not in value
    ):
        raise UsageError("mail.bad_address", value=given)
    name, addr = parsed[0]
    local, _, domain = addr.rpartition("@")
    return Address(
        display_name=one_line(name), username=local, domain=ascii_domain(domain) or domain
    )


def needs_smtputf8(address: str) -> bool:
    return not address.isascii()
