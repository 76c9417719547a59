"""Hostile upload probes from the shared-server security review, rebuilt on this machine, with a runner that reports
each one's outcome, wall time and peak memory: `python -m monitor.devtools.probes [--keep DIR]`."""
from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

GTD_HEADER = ["eventid", "iyear", "imonth", "iday", "country_txt", "provstate", "city", "latitude", "longitude",
              "gname", "attacktype1_txt", "targtype1_txt", "nkill", "summary"]


def _xlsx(rows: list[list[str]], shared: list[str], pad_xml: int = 0) -> bytes:
    """A minimal workbook: cells that start with '#s' point at shared string n; `pad_xml` bytes of blank rows."""
    def cell(ref: str, value: str) -> str:
        if value.startswith("#s"):
            return f'<c r="{ref}" t="s"><v>{value[2:]}</v></c>'
        return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'

    cols = [chr(65 + i) if i < 26 else "A" + chr(65 + i - 26) for i in range(len(GTD_HEADER))]
    sheet = ["<worksheet xmlns='http://schemas.openxmlformats.org/spreadsheetml/2006/main'><sheetData>"]
    for r, row in enumerate(rows, start=1):
        sheet.append(f'<row r="{r}">' + "".join(cell(f"{c}{r}", v) for c, v in zip(cols, row, strict=False)) + "</row>")
    filler = f'<row r="{len(rows) + 1}"><c r="A{len(rows) + 1}"/></row>'
    sheet.append(filler * (pad_xml // len(filler)))
    sheet.append("</sheetData></worksheet>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types xmlns='http://schemas.openxmlformats.org/package/2006/content-types'>"
                    "<Default Extension='xml' ContentType='application/xml'/><Override PartName='/xl/workbook.xml' "
                    "ContentType='application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml'/>"
                    "<Override PartName='/xl/worksheets/sheet1.xml' ContentType='application/vnd.openxmlformats-"
                    "officedocument.spreadsheetml.worksheet+xml'/><Override PartName='/xl/sharedStrings.xml' "
                    "ContentType='application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml'/>"
                    "</Types>")
        zf.writestr("_rels/.rels", "<Relationships xmlns='http://schemas.openxmlformats.org/package/2006/relationships'>"
                    "<Relationship Id='r1' Type='http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                    "officeDocument' Target='xl/workbook.xml'/></Relationships>")
        zf.writestr("xl/workbook.xml", "<workbook xmlns='http://schemas.openxmlformats.org/spreadsheetml/2006/main' "
                    "xmlns:r='http://schemas.openxmlformats.org/officeDocument/2006/relationships'><sheets>"
                    "<sheet name='s' sheetId='1' r:id='rId1'/></sheets></workbook>")
        zf.writestr("xl/_rels/workbook.xml.rels", "<Relationships xmlns='http://schemas.openxmlformats.org/package/2006/"
                    "relationships'><Relationship Id='rId1' Type='http://schemas.openxmlformats.org/officeDocument/"
                    "2006/relationships/worksheet' Target='worksheets/sheet1.xml'/><Relationship Id='rId2' "
                    "Type='http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings' "
                    "Target='sharedStrings.xml'/></Relationships>")
        zf.writestr("xl/sharedStrings.xml", "<sst xmlns='http://schemas.openxmlformats.org/spreadsheetml/2006/main'>"
                    + "".join(f"<si><t>{s}</t></si>" for s in shared) + "</sst>")
        zf.writestr("xl/worksheets/sheet1.xml", "".join(sheet))
    return buf.getvalue()


def _gtd_row(i: int, summary: str) -> list[str]:
    return [f"2024010{i % 9 + 1}{i:04d}", "2024", "1", "5", "Pakistan", "Balochistan", "Quetta", "30.18", "67.0",
            "Baloch Liberation Army (BLA)", "Bombing/Explosion", "Military", "3", summary]


def probes(rows: int = 300) -> dict[str, tuple[str, bytes]]:
    """The probe files by name: (file name, bytes)."""
    shared_bomb = _xlsx([GTD_HEADER] + [_gtd_row(i, "#s0") for i in range(rows)], ["x" * (1 << 20)])
    xml_bomb = _xlsx([GTD_HEADER] + [_gtd_row(i, "ok") for i in range(5)], ["s"], pad_xml=390 * 1024 * 1024)
    wide = ("c" + ",c".join(str(i) for i in range(1_000_000)) + "\n" + "1," * 999_999 + "1\n").encode()
    acled = ["event_id_cnty,event_date,event_type,sub_event_type,actor1,country,admin1,latitude,longitude,fatalities"]
    acled += [f"PAK9{i:05d},2024-01-01,Battles,Armed clash,Tehrik-i-Taliban Pakistan (TTP),Pakistan,Khyber Pakhtunkhwa,"
              f"33.6,73.0,1" for i in range(3000)]
    return {"shared-string xlsx": ("shared.xlsx", shared_bomb), "409 MB-of-XML xlsx": ("xmlbomb.xlsx", xml_bomb),
            "1M-column CSV": ("wide.csv", wide), "3,000 same-place ACLED rows": ("crowd.csv", "\n".join(acled).encode()),
            "NUL bytes CSV": ("nul.csv", b"event_id_cnty,event_date\nPAK\x001,2024-01-01\n")}


RUNNER = """
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from monitor import load_groups
from monitor.importers import import_frame, read_table
try:
    from monitor.load import DataFileError
except ImportError:
    from monitor.importers import DataFileError
path = Path(sys.argv[1])
start = time.perf_counter()
try:
    frame = read_table(path.read_bytes(), path.name)
    result = import_frame(frame, load_groups())
    outcome = f"converted: {result.kept} kept, {len(result.rejected)} rejected"
    if sys.argv[3] == "link":
        import pandas as pd
        from monitor import linking
        from monitor.load import typed
        events = typed(result.events)
        events.insert(0, "dataset", "acled:crowd")
        curated = events.assign(event_id="C" + events["event_id"].astype(str), dataset="curated")
        both = pd.concat([events, curated], ignore_index=True).astype({"dataset": "category"})
        pairs = linking.link(both, load_groups())
        outcome += f"; linked: {len(pairs)} pairs, truncated={pairs.attrs.get('truncated')}"
except DataFileError as exc:
    outcome = "refused: " + exc.problems[0].rule
hwm = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM"))
child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"outcome": outcome, "seconds": round(time.perf_counter() - start, 2),
                  "peak_mb": round(max(hwm, child) / 1024)}))
"""


def run(root: Path, keep: Path | None = None, timeout: int = 900) -> list[dict]:
    """Run every probe against the code at `root` in its own process; one result per probe."""
    folder = keep or Path(tempfile.mkdtemp(prefix="mm-probes-"))
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for label, (name, body) in probes().items():
        path = folder / name
        path.write_bytes(body)
        mode = "link" if name == "crowd.csv" else "read"
        try:
            done = subprocess.run([sys.executable, "-c", RUNNER, str(path), str(root), mode], capture_output=True,
                                  text=True, timeout=timeout)
            result = json.loads(done.stdout.strip().splitlines()[-1]) if done.stdout.strip() else \
                {"outcome": "crashed: " + done.stderr.strip().splitlines()[-1][:160]}
        except subprocess.TimeoutExpired:
            result = {"outcome": f"still running after {timeout} s (stopped)"}
        out.append({"probe": label, "bytes": len(body), **result})
    return out


def main(argv: list[str] | None = None) -> int:
    """Print one line per probe."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--root", default=str(Path(__file__).resolve().parents[2]), help="the checkout to probe")
    parser.add_argument("--keep", help="keep the probe files in this folder")
    parser.add_argument("--timeout", type=int, default=900)
    args = parser.parse_args(argv)
    for r in run(Path(args.root), Path(args.keep) if args.keep else None, args.timeout):
        print(f"{r['probe']} ({r['bytes']:,} bytes): {r['outcome']}; {r.get('seconds', '-')} s; "
              f"peak {r.get('peak_mb', '-')} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
