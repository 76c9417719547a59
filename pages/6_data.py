"""Data: add your own ACLED, GTD or UCDP export for this session, and see where datasets disagree."""
import hashlib

import streamlit as st

from monitor import export, importers, linking
from monitor.app import frame, store, widgets
from monitor.app.state import Keys
from monitor.load import DataFileError
from monitor.text import md_escape

INTRO = ("Add an export you hold a licence for: **ACLED** (CSV), **GTD** (CSV or xlsx) or **UCDP GED** (either CSV "
         "layout). Files up to {mb} MB and {rows:,} rows. The file is converted on this machine and kept only in this "
         "browser session; the curated table is never changed. It then appears in every page as its own dataset.")


def _converted(upload, fmt_choice: str) -> None:
    raw = upload.getvalue()
    try:
        detected, preview, result = store.converted(raw, upload.name, None if fmt_choice == "detect" else fmt_choice)
    except DataFileError as exc:
        exc.path = upload.name
        widgets.load_error(exc, f"The uploaded file “{upload.name}”")
        return
    st.success(f"Detected format: {detected or 'unknown'}; converted as {result.fmt.upper()}. "
               f"{result.read:,} rows read, {result.kept:,} kept, {len(result.rejected):,} rejected.")
    with st.expander("Preview of the file (first 20 rows)"):
        st.dataframe(preview, hide_index=True)
    with st.expander("Converted events (first 20 rows)", expanded=True):
        st.dataframe(result.events.head(20), hide_index=True)
    if len(result.rejected):
        st.warning(f"{len(result.rejected):,} rows were rejected; each with its reason:")
        st.dataframe(result.rejected, hide_index=True)
    if result.unmapped:
        st.info(md_escape(f"{len(result.unmapped)} actor names match no canonical group; their events are kept "
                          "under the group 'Other' with the name as reported:"))
        st.dataframe([{"actor": k, "events": v} for k, v in result.unmapped.most_common()], hide_index=True)
    stem = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in upload.name.rsplit(".", 1)[0])
    name = f"{result.fmt}:{stem}"[:60]
    c1, c2 = st.columns(2)
    held = store.uploads()
    full = len(held) >= store.MAX_UPLOADS and name not in held
    if full:
        st.warning(f"This session already holds {store.MAX_UPLOADS} datasets, the most it can: remove one first.")
    if c1.button(f"Add to the dashboard as dataset “{name}”", type="primary", disabled=result.kept == 0 or full):
        try:
            store.check_budget(upload.name)
        except DataFileError as exc:
            widgets.load_error(exc, f"The uploaded file “{upload.name}”")
            return
        store.add_upload(name, result.events, hashlib.sha256(raw).hexdigest())
        st.rerun()
    c2.download_button("Save the converted copy (CSV)", export.to_csv_bytes(result.events),
                       file_name=f"{stem}_converted.csv", mime="text/csv", key=Keys.download("converted"))


def body(ctx: frame.Context) -> None:
    """The Data page's layout."""
    st.markdown(INTRO.format(mb=importers.MAX_UPLOAD_BYTES // 1024 // 1024, rows=importers.MAX_ROWS))
    upload = st.file_uploader("Add data", type=["csv", "xlsx"], key=Keys.UPLOAD,
                              help=f"CSV or xlsx, up to {importers.MAX_UPLOAD_BYTES // 1024 // 1024} MB. A larger file "
                                   "is refused by the browser before it reaches the server.")
    fmt_choice = st.selectbox("Format", ["detect", "acled", "gtd", "ucdp"], key=Keys.UPLOAD_FORMAT)
    if upload is not None:
        _converted(upload, fmt_choice)
    added = store.uploads()
    st.subheader("Datasets in this session")
    st.write(f"curated ({(ctx.events['dataset'] == store.CURATED).sum():,} events)")
    for name, held in list(added.items()):
        c1, c2 = st.columns([4, 1])
        c1.write(md_escape(f"{name} ({len(held.events):,} events)"))
        if c2.button("Remove", key=Keys.remove(name)):
            store.remove_upload(name)
            st.rerun()
    if added:
        st.subheader("Where the datasets disagree")
        pairs = store.links(ctx.dataset, ctx.groups)
        table = linking.disagreements(pairs, ctx.events)
        st.caption(f"{len(pairs):,} linked pairs (same id, or within {linking.LINK_DAYS} days and "
                   f"{linking.LINK_KM:g} km with a compatible group, or both tied to the same curated event); "
                   f"{len(table):,} differ in date, group or killed figures. Links never merge records.")
        if pairs.attrs.get("truncated"):
            st.warning(f"Some events share a day and place with very many others: linking by nearness stopped after "
                       f"{linking.MAX_CANDIDATES:,} candidate pairs, so some links may be missing.")
        st.dataframe(table, hide_index=True)
        widgets.download(table, "disagreements", ctx.state)


frame.run("Data", body)
