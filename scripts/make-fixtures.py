#!/usr/bin/python3
"""
Makes test/fixtures/files: small inputs written by OTHER programs than CALS, so the readers
are tested against what users really have. Run once with Debian's python3-openpyxl and
LibreOffice (`soffice`) installed:

    /usr/bin/python3 scripts/make-fixtures.py

and commit the outputs (CI needs neither program). Every file is described in
test/fixtures/files/README.md.
"""
import csv
import io
import os
import shutil
import struct
import subprocess
import sys
import tempfile

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.workbook.defined_name import DefinedName

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "test", "fixtures", "files")
INVENTORY_CSV = os.path.join(ROOT, "assets", "sample-inventory.csv")
OWNED_CSV = os.path.join(ROOT, "assets", "sample-owned.csv")


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


INVENTORY = read_csv(INVENTORY_CSV)
OWNED = read_csv(OWNED_CSV)


def as_number(text):
    try:
        return int(text)
    except ValueError:
        return text


def owned_rows():
    return [OWNED[0]] + [[r[0], r[1], as_number(r[2]), as_number(r[3]), as_number(r[4])] for r in OWNED[1:]]


def openpyxl_features(path):
    """The sample as pandas/openpyxl write it (absolute package targets), with package
    features the audit does not need: a chart, a comment, a table, a defined name, merged
    cells, a hidden and a very hidden sheet."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Inventory"
    for row in INVENTORY:
        ws.append([as_number(v) if i == 4 else v for i, v in enumerate(row)])
    ws["A1"].comment = Comment("Exported from Exchange on Monday", "admin")
    # one user merged over three device rows: the value lives in the top-left cell only
    n = ws.max_row
    for i, (user, device) in enumerate([("kim.merged@contoso.com", "KIOSK-M1"), ("", "KIOSK-M2"), ("", "KIOSK-M3")]):
        ws.append([user, "Warehouse", device, "EXCH01", 2016, "OWA", "Standard", "merged user"])
    ws.merge_cells(start_row=n + 1, start_column=1, end_row=n + 3, end_column=1)

    owned = wb.create_sheet("Owned Licenses")
    for row in owned_rows():
        owned.append(row)
    table = Table(displayName="OwnedTable", ref=f"A1:E{owned.max_row}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium9", showRowStripes=True)
    owned.add_table(table)

    chart_sheet = wb.create_sheet("Chart data")
    chart_sheet.append(["Type", "Quantity"])
    for row in owned_rows()[1:]:
        chart_sheet.append([row[0], row[3]])
    chart = BarChart()
    chart.add_data(Reference(chart_sheet, min_col=2, min_row=1, max_row=chart_sheet.max_row), titles_from_data=True)
    chart_sheet.add_chart(chart, "D2")

    hidden = wb.create_sheet("Old inventory")
    hidden.sheet_state = "hidden"
    hidden.append(["User", "Device", "Server", "Version"])
    hidden.append(["ghost@contoso.com", "PC-GHOST", "EXCH09", 2016])

    very = wb.create_sheet("Lookup")
    very.sheet_state = "veryHidden"
    very.append(["User", "Device", "Server", "Version"])
    very.append(["secret@contoso.com", "PC-SECRET", "EXCH09", 2016])

    wb.defined_names.append(DefinedName("OwnedRange", attr_text="'Owned Licenses'!$A$1:$E$5"))
    # the very hidden sheet first in the tab order: a default pick must still skip it
    wb.move_sheet("Lookup", offset=-(len(wb.sheetnames) - 1))
    wb.active = 1
    wb.save(path)


def openpyxl_formula(path):
    """A formula saved without its cached value (openpyxl never calculates)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Inventory"
    ws.append(["User", "Device", "Server", "Version"])
    ws.append(["alice@contoso.com", "LAP-1", "EXCH01", 2016])
    ws.append(["bob@contoso.com", "LAP-2", "EXCH01", "=2000+16"])
    wb.save(path)


def write_csv(path, rows, encoding, delimiter=",", bom=b""):
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    with open(path, "wb") as f:
        f.write(bom + buf.getvalue().encode(encoding))


ACCENTED = [["User", "Device", "Server", "Version"]] + [
    [name, f"PC-{i}", "EXCH01", "2016"] for i, name in enumerate(["zoë", "zoé", "rené", "renè", "Ærøskøbing", "façade"])
]


def csvs():
    # "CSV (Comma delimited)" on Western Windows: Windows-1252, no BOM
    write_csv(os.path.join(OUT, "excel-windows-1252.csv"), ACCENTED, "cp1252")
    # "CSV UTF-8 (Comma delimited)": UTF-8 with a BOM
    write_csv(os.path.join(OUT, "excel-utf8-bom.csv"), ACCENTED, "utf-8", bom=b"\xef\xbb\xbf")
    # "Unicode Text": UTF-16 LE with a BOM, tab separated
    write_csv(os.path.join(OUT, "excel-unicode-text.txt"), ACCENTED, "utf-16-le", "\t", b"\xff\xfe")
    write_csv(os.path.join(OUT, "utf16be-bom.csv"), ACCENTED, "utf-16-be", ",", b"\xfe\xff")
    write_csv(os.path.join(OUT, "utf16le-no-bom.csv"), ACCENTED, "utf-16-le")
    # a European Excel: ";" and "1.234,50"
    inv = [r[:5] for r in INVENTORY]
    write_csv(os.path.join(OUT, "excel-european-inventory.csv"), inv, "cp1252", ";")
    owned = [OWNED[0]] + [r[:4] + ["1.234,50" if i == 0 else r[4] + ",00"] for i, r in enumerate(OWNED[1:])]
    write_csv(os.path.join(OUT, "excel-european-owned.csv"), owned, "cp1252", ";")
    # 1,001 data rows with one unbalanced quote at sheet row 11
    lines = ["User,Device,Server,Version"]
    for i in range(1, 1002):
        user = f'"user{i}@contoso.com' if i == 10 else f"user{i}@contoso.com"
        lines.append(f"{user},PC-{i},EXCH01,2016")
    with open(os.path.join(OUT, "unbalanced-quote.csv"), "w", newline="") as f:
        f.write("\r\n".join(lines) + "\r\n")
    open(os.path.join(OUT, "empty.csv"), "wb").close()


def soffice(src, fmt, outdir):
    subprocess.run(["soffice", "--headless", "--norestore", "--convert-to", fmt, "--outdir", outdir, src], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=180)


def libreoffice(features):
    """The openpyxl workbook as LibreOffice saves it (.xlsx, .ods, .xls)."""
    tmp = tempfile.mkdtemp()
    try:
        src = os.path.join(tmp, "libreoffice.xlsx")
        shutil.copy(features, src)
        for fmt, name in [("xlsx", "libreoffice.xlsx"), ("ods", "libreoffice.ods"), ("xls", "libreoffice.xls")]:
            out = os.path.join(tmp, "out")
            os.makedirs(out, exist_ok=True)
            soffice(src, fmt, out)
            shutil.copy(os.path.join(out, "libreoffice." + fmt), os.path.join(OUT, name))
    finally:
        shutil.rmtree(tmp)
    shutil.copy(os.path.join(OUT, "libreoffice.ods"), os.path.join(OUT, "ods-renamed.xlsx"))


def cfb(path, streams):
    """A minimal Compound File (OLE2) holding empty streams with these names: what an
    encrypted Office document looks like from outside ("EncryptionInfo", "EncryptedPackage")."""
    sector = 512
    header = bytearray(sector)
    header[0:8] = bytes.fromhex("D0CF11E0A1B11AE1")
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<I", header, 44, 1)  # one FAT sector
    struct.pack_into("<I", header, 48, 1)  # directory starts at sector 1
    struct.pack_into("<I", header, 56, 4096)
    struct.pack_into("<I", header, 60, 0xFFFFFFFE)  # no mini FAT
    struct.pack_into("<I", header, 68, 0xFFFFFFFE)  # no DIFAT
    struct.pack_into("<I", header, 76, 0)  # FAT at sector 0
    for i in range(1, 109):
        struct.pack_into("<I", header, 76 + 4 * i, 0xFFFFFFFF)
    fat = bytearray(b"\xff" * sector)
    struct.pack_into("<III", fat, 0, 0xFFFFFFFD, 0xFFFFFFFE, 0xFFFFFFFF)

    def entry(name, kind, child=0xFFFFFFFF, right=0xFFFFFFFF):
        e = bytearray(128)
        raw = (name + "\0").encode("utf-16-le")
        e[0 : len(raw)] = raw
        struct.pack_into("<HBB", e, 64, len(raw), kind, 1)
        struct.pack_into("<III", e, 68, 0xFFFFFFFF, right, child)
        struct.pack_into("<I", e, 116, 0xFFFFFFFE)
        return e

    directory = entry("Root Entry", 5, child=1)
    for i, name in enumerate(streams):
        directory += entry(name, 2, right=i + 2 if i + 1 < len(streams) else 0xFFFFFFFF)
    directory += bytes(sector - len(directory) % sector) if len(directory) % sector else b""
    with open(path, "wb") as f:
        f.write(bytes(header) + bytes(fat) + bytes(directory))


def packages(features):
    with open(features, "rb") as f:
        data = f.read()
    with open(os.path.join(OUT, "truncated.xlsx"), "wb") as f:
        f.write(data[: len(data) // 2])
    cfb(os.path.join(OUT, "encrypted.xlsx"), ["EncryptionInfo", "EncryptedPackage"])


def dump_grids(path):
    """What openpyxl reads in a workbook (cached values; merged cells: top-left only), as
    JSON beside it: an independent oracle for the reader's tests."""
    from openpyxl import load_workbook
    import json

    wb = load_workbook(path, data_only=True)
    sheets = []
    for ws in wb.worksheets:
        rows = [[c for c in row] for row in ws.iter_rows(values_only=True)]
        while rows and all(c is None for c in rows[-1]):
            rows.pop()
        sheets.append({"name": ws.title, "state": ws.sheet_state, "rows": rows, "merges": [str(r) for r in ws.merged_cells.ranges]})
    with open(path + ".openpyxl.json", "w") as f:
        json.dump(sheets, f, indent=0, ensure_ascii=False)


def main():
    os.makedirs(OUT, exist_ok=True)
    features = os.path.join(OUT, "openpyxl-features.xlsx")
    openpyxl_features(features)
    openpyxl_formula(os.path.join(OUT, "openpyxl-formula-no-cache.xlsx"))
    csvs()
    packages(features)
    if shutil.which("soffice"):
        libreoffice(features)
    else:
        print("soffice not found: the LibreOffice files were not made", file=sys.stderr)
    for name in ["openpyxl-features.xlsx", "openpyxl-formula-no-cache.xlsx", "libreoffice.xlsx"]:
        if os.path.exists(os.path.join(OUT, name)):
            dump_grids(os.path.join(OUT, name))


if __name__ == "__main__":
    main()
