"""Who gets which place's mail: a small CSV of place, name and e-mail address.

Officers keep it next to the register, so it is read the same way: UTF-8 with or without BOM, or
GB18030 as Excel and WPS save it on Chinese Windows; Chinese or English headers; places written
as in registers (百色, Baise, 田阳县 for 田阳区). Any bad row stops the run with the file, line,
column and value: a typo in an address must not silently leave an officer without their mail.
"""

from __future__ import annotations

import csv
import io
from email.headerregistry import Address
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from renewal_cli.cells import column_letter
from renewal_cli.errors import RenewalError
from renewal_cli.header import normalize_header
from renewal_cli.mail.addresses import is_address, mailbox
from renewal_cli.places import Places, SplitBy
from renewal_cli.sources import clean_cell
from renewal_cli.sources.csvfile import sniff_delimiter
from renewal_cli.sources.encodings import detect_encoding

# Field → accepted headers (compared after register.normalize_header: no spaces, lower case).
CONTACT_ALIASES: dict[str, tuple[str, ...]] = {
    "place": ("地区", "地点", "地方", "所在地", "区域", "place", "city", "county"),
    "name": ("姓名", "联系人", "name"),
    "email": ("邮箱", "电子邮箱", "电子邮件", "邮件地址", "email", "e-mail", "mail"),
}
_INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060"


class Contact(BaseModel):
    """One officer who gets the mail of one place (a canonical city or county name)."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    place: str
    name: str
    email: str

    @property
    def mailbox(self) -> str:
        """ "张三 <zhang@example.cn>", quoted where the name needs it, for a To header."""
        box = mailbox(self.email)
        return str(Address(display_name=self.name, username=box.username, domain=box.domain))


def _decode(path: Path, kind: str) -> str:
    source = str(path)
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise RenewalError(f"{kind}.unreadable", source=source, detail="is a directory") from None
    except FileNotFoundError:
        raise RenewalError(f"{kind}.not_found", source=source) from None
    except OSError as err:
        raise RenewalError(
            f"{kind}.unreadable", source=source, detail=err.strerror or str(err)
        ) from None
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise RenewalError(f"{kind}.spreadsheet", source=source)
    encoding, bad_line = detect_encoding(iter((data,)))
    if not encoding:
        raise RenewalError(f"{kind}.encoding_unknown", source=source, line=bad_line)
    # utf-8-sig and utf-16 drop their BOM here, so it never sticks to the first header.
    return data.decode(encoding)


def place_named(value: str, places: Places, by: SplitBy = SplitBy.CITY) -> str | None:
    """The canonical name of the place a cell names, or None.

    A contact may name a city (the officer gets all of its counties) or a county, whatever the
    split: city and county names never coincide in Guangxi. `by` only decides which is tried
    first.
    """
    city = places.city(value)
    county = places.county(value)
    first, second = (city, county) if by is SplitBy.CITY else (county, city)
    found = first or second
    return found.name if found else None


def read_rows(path: Path, kind: str = "contacts") -> list[tuple[int, list[str]]]:
    """The file's non-empty rows with the line each starts on, cells stripped.

    `kind` names the file in messages: "contacts" here, "webhooks" for the chat robots' file
    read the same way (message ids `{kind}.not_found`, `{kind}.csv_error`, …).
    """
    source = str(path)
    content = _decode(path, kind)
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=sniff_delimiter(content))
    # Line numbers from the reader, not the row index: a quoted cell may span lines.
    numbered: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for row in reader:
            # str.strip() takes U+3000 and NBSP too; zero-width characters need naming.
            cells = [clean_cell(c).strip().strip(_INVISIBLE).strip() for c in row]
            if any(cells):
                numbered.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as err:
        raise RenewalError(f"{kind}.csv_error", source=source, detail=str(err)) from None
    if not numbered:
        raise RenewalError(f"{kind}.empty", source=source)
    return numbered


def find_columns(
    header: list[str],
    source: str,
    fields: dict[str, tuple[str, ...]] = CONTACT_ALIASES,
    kind: str = "contacts",
    optional: tuple[str, ...] = (),
) -> dict[str, int]:
    """Field → column index, each field found under one of its accepted headers; RenewalError
    `{kind}.missing_columns` when a field not `optional` has no column."""
    normalized = [normalize_header(h) for h in header]
    positions: dict[str, int] = {}
    for field, aliases in fields.items():
        for alias in aliases:
            if normalize_header(alias) in normalized:
                positions[field] = normalized.index(normalize_header(alias))
                break
    missing = [field for field in fields if field not in positions and field not in optional]
    if missing:
        raise RenewalError(
            f"{kind}.missing_columns",
            source=source,
            missing=", ".join(missing),
            header=", ".join(header),
        )
    return positions


def _contact(
    source: str,
    line: int,
    row: list[str],
    header: list[str],
    positions: dict[str, int],
    places: Places,
    by: SplitBy,
) -> Contact:
    """One row as a Contact; RenewalError naming the cell when it is not one."""
    if any(row[len(header) :]):
        raise RenewalError(
            "contacts.extra_cells", source=source, line=line, cells=len(row), columns=len(header)
        )
    values: dict[str, str] = {}
    for field, index in positions.items():
        value = row[index] if index < len(row) else ""
        where = {"source": source, "line": line, "column": header[index]}
        where["letter"] = column_letter(index)
        if not value:
            raise RenewalError("contacts.empty_cell", **where)
        values[field] = value
        if field == "email" and not is_address(value):
            raise RenewalError("contacts.bad_email", value=value, **where)
        if field == "place":
            canonical = place_named(value, places, by)
            if canonical is None:
                raise RenewalError(f"contacts.unknown_{by.value}", value=value, **where)
            values[field] = canonical
    # A name typed over two lines in one cell must not put a line break into a To header.
    name = " ".join(values["name"].split())
    return Contact(place=values["place"], name=name, email=values["email"])


def read_contacts(path: Path, places: Places, by: SplitBy) -> dict[str, list[Contact]]:
    """Contacts by canonical place name (places sorted, contacts in file order, no repeats).

    Raises RenewalError naming the file, line, column and value of the first bad row: an
    unknown place, an address that is not one, or an empty cell.
    """
    source = str(path)
    rows = read_rows(path)
    _, header = rows[0]
    positions = find_columns(header, source)
    found: dict[str, list[Contact]] = {}
    seen: set[tuple[str, str]] = set()
    for line, row in rows[1:]:
        contact = _contact(source, line, row, header, positions, places, by)
        key = (contact.place, contact.email.lower())
        if key not in seen:
            seen.add(key)
            found.setdefault(contact.place, []).append(contact)
    if not found:
        raise RenewalError("contacts.empty", source=source)
    return {place: found[place] for place in sorted(found)}
