"""Reading uploaded tables (CSV or XLSX), writing cells that spreadsheets cannot execute,
and Italian-formatted values in and out of them."""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l


class TableError(ValueError):
    """The file as a whole cannot be read."""


DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_ROWS = 30_000


def limits() -> tuple[int, int]:
    """(bytes, rows) an uploaded table may have: IMPORT_MAX_BYTES and IMPORT_MAX_ROWS.
    A million-row file otherwise held a worker for a minute and 700 MB."""
    config = current_app.config if has_app_context() else {}
    return (int(config.get("IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)),
            int(config.get("IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS)))


def read_table(filename: str, content: bytes) -> list[dict[str, str]]:
    """Rows as dicts keyed by normalised header (lower case, spaces to underscores).
    Rows are read one at a time and reading stops at once when the file passes the
    limits; blank rows are skipped. Raises TableError with a message for the user."""
    max_bytes, max_rows = limits()
    if len(content) > max_bytes:
        raise TableError(_l("The file is larger than %(size)s MB: split it into smaller files.",
                            size=format_decimal(Decimal(max_bytes) / 1024 / 1024, 1)))
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        rows = _read_xlsx(content)
    elif name.endswith(".csv"):
        rows = _read_csv(content)
    else:
        raise TableError(_l("Only CSV or XLSX files are accepted."))
    first = next(rows, None)
    if first is None or not any(str(v).strip() for v in first if v is not None):
        raise TableError(_l("The file is empty."))
    header = [normalise_header(h) for h in first]
    result = []
    for raw in rows:
        values = [_restored(("" if v is None else str(v)).strip()) for v in raw]
        if not any(values):
            continue
        if len(result) == max_rows:
            raise TableError(_l("The file has more than %(count)d rows: split it into smaller "
                                "files.", count=max_rows))
        values += [""] * (len(header) - len(values))
        result.append(dict(zip(header, values)))
    if not result:
        raise TableError(_l("The file has only the header row: there is nothing to import."))
    return result


def _restored(text: str) -> str:
    """The value behind a neutralised cell (see `neutralise`): export then import gives
    back the same text, the direction "=" included."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def normalise_header(value) -> str:
    text = str(value or "").strip().lower()
    text = text.replace("à", "a").replace("è", "e").replace("é", "e").replace("ù", "u")
    return re.sub(r"[\s\-]+", "_", text)


def _encoding(content: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, as spreadsheets save CSV."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            content.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    raise TableError(_l("The file is neither UTF-8 nor Windows-1252 text: save it as "
                        "\"CSV UTF-8\" and try again."))


def _read_csv(content: bytes) -> Iterator[list[str]]:
    encoding = _encoding(content)
    first_line = content.split(b"\n", 1)[0].decode(encoding)
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    stream = io.TextIOWrapper(io.BytesIO(content), encoding=encoding, newline="")
    try:
        yield from csv.reader(stream, delimiter=delimiter)
    except csv.Error as exc:
        raise TableError(_l("The CSV file cannot be read: %(error)s", error=str(exc))) from exc


def _read_xlsx(content: bytes) -> Iterator[list]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = book.worksheets[0]
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise TableError(_l("The XLSX file cannot be read.")) from exc
    try:
        for row in sheet.iter_rows(values_only=True):
            yield [_cell(v) for v in row]
    except Exception as exc:  # a part of the archive damaged past its first rows
        raise TableError(_l("The XLSX file cannot be read.")) from exc
    finally:
        book.close()


def _cell(value):
    if isinstance(value, datetime):
        return value.date().strftime("%d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float):
        # Written the Italian way so that parse_decimal never reads 0.125 as thousands.
        return str(int(value)) if value.is_integer() else repr(value).replace(".", ",")
    return value


_IT_NUMBER = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$|^[+-]?\d+(,\d+)?$")
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def parse_decimal(text: str) -> Decimal:
    """Italian (1.234,56; 99,83%) or plain (1234.56) numbers. Raises ValueError."""
    value = (text or "").strip().replace("\u00a0", "").replace(" ", "")
    value = value.removesuffix("%")
    if _PLAIN_NUMBER.match(value) and value.count(".") == 1 and "," not in value:
        # "1.234" is ambiguous: Italian thousands. Plain decimals have 1, 2 or >3 digits.
        if len(value.split(".")[1]) == 3:
            value = value.replace(".", "")
    elif _IT_NUMBER.match(value):
        value = value.replace(".", "").replace(",", ".")
    try:
        return Decimal(value)
    except InvalidOperation as exc:
        raise ValueError(str(_l("'%(value)s' is not a number.", value=text))) from exc


def parse_date(text: str) -> date:
    """dd/mm/yyyy (also with '-' or '.') or ISO yyyy-mm-dd. Raises ValueError."""
    value = (text or "").strip()
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(str(_l("'%(value)s' is not a date (dd/mm/yyyy).", value=text)))


_YES = {"si", "sì", "s", "yes", "y", "true", "vero", "1", "x"}
_NO = {"no", "n", "false", "falso", "0"}
# Written in published tables for "not available": the cell holds no value.
NOT_AVAILABLE = {"", "n.d.", "n.d", "nd", "n/d", "n.a.", "na", "-", "—"}


def is_not_available(text: str) -> bool:
    return (text or "").strip().lower() in NOT_AVAILABLE


def parse_yes_no(text: str) -> bool:
    """si/sì/yes/true/1 or no/false/0, any case. Raises ValueError."""
    value = (text or "").strip().lower()
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise ValueError(str(_l("'%(value)s' is not yes or no (si/no).", value=text)))


def format_decimal(value: Decimal, places: int | None = None) -> str:
    """Italian form: 1.234,56. With places, rounded half up to that many decimals;
    without, every significant decimal is kept (so the text parses back exactly)."""
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    else:
        value = value.normalize()
    sign, text = ("-", format(-value, "f")) if value < 0 else ("", format(value, "f"))
    whole, _, decimals = text.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + ".".join(groups) + ("," + decimals if decimals else "")


def format_date(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def format_yes_no(value: bool) -> str:
    return "si" if value else "no"


# A spreadsheet reads a cell starting with one of these as a formula (or a DDE command).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_HARMLESS_NUMBER = re.compile(r"^[+-]?[\d.,\u00a0 ]*\d[\d.,\u00a0 ]*%?$")


def neutralise(value):
    """A text cell starting like a formula gets an apostrophe in front (the OWASP advice
    against CSV/formula injection), so no spreadsheet runs what an import brought in.
    Numbers, and texts that are plain signed numbers ("-12,5"), are left as they are."""
    if (isinstance(value, str) and value.startswith(FORMULA_STARTS)
            and not _HARMLESS_NUMBER.match(value)):
        return "'" + value
    return value


def csv_row(values) -> list:
    """A row for csv.writer, every text neutralised."""
    return [neutralise(v) for v in values]


def append_row(sheet, values) -> None:
    """Append a row to an openpyxl sheet with every text neutralised and typed as a
    string, never as a formula (openpyxl otherwise makes any "=..." a formula)."""
    sheet.append([neutralise(v) for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
