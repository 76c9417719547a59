"""About: scope and method, the codebook rendered from the schema, coverage, sources and licences, how to cite."""
import streamlit as st

from monitor import codebook, export, models
from monitor.app import frame, store, widgets

METHOD = """
**Militancy Monitor** is a self-hosted dashboard of militant violence in Afghanistan and Pakistan and of ISKP's
attacks beyond them (Iran, Russia, Central Asia). It covers ISKP first of all; TTP and its affiliates, Baloch
separatists, the Haqqani network and the Taliban; and air strikes and clashes across the Durand Line.

**Method.** Each event in the curated table was compiled by hand from public reporting. Every row cites the pages it
rests on, records who claimed or was blamed and how (`attribution`, `claim_detail`), and gives casualties as a range
from the lowest to the highest credible figure, never counting the perpetrator's own members. Where sources disagree,
`notes` says who said what. Coordinates come from gazetteers at a stated precision; points that stand only for a
district or province are drawn as rings on the map, never as pinpoint sites. The table is a curated selection of
significant events by the inclusion rule in the codebook below, not a complete count: use ACLED, GTD or UCDP exports
(which you can load yourself) for totals.
"""

LICENCES = """
- **Curated events, groups and milestones**: compiled for this project from the public sources cited in each row.
- **UCDP GED** (used for cross-checks and ids): CC BY 4.0, Uppsala Conflict Data Program; cite Sundberg & Melander
  (2013), *Journal of Peace Research* 50(4), and the GED release used.
- **GTD and ACLED**: their terms forbid redistribution, so none of their rows ship with this app. Files you load stay
  on your machine, and their producers' terms apply.
- **Boundaries**: countries and provinces from Natural Earth (public domain); Afghan districts courtesy of
  geoBoundaries.org (CC BY 4.0; underlying data AIMS / Esri). Borders are de facto lines and imply no position on
  disputed territory.
- **Place coordinates**: GeoNames (CC BY 4.0) and coordinates stated by the pages cited in `geo_source`.
"""


def body(ctx: frame.Context | None) -> None:
    """The About page: method always; coverage and citation when the data loads."""
    st.markdown(METHOD)
    if ctx is not None:
        notes = store.releases(ctx.dataset.digest)
        reach = notes["sources_reach"].iloc[-1] if len(notes) else ""
        cover = store.per_dataset(models.coverage, ctx.dataset, store.CURATED)
        last = f"{cover.curated_last:%d %B %Y}" if cover.curated_last is not None else "not in this dataset"
        st.info(f"Where the sources end: the public reporting read for this release reaches {reach or 'an unstated date'}"
                f"; the last curated event is dated {last}. Later events are not in the table yet.")
        st.subheader("Coverage")
        st.write(f"{cover.events:,} events from {cover.first:%d %b %Y} to {cover.last:%d %b %Y}, "
                 f"data version `{ctx.data_version}`.")
        left, right = st.columns(2)
        left.dataframe(cover.by_group, hide_index=True)
        right.dataframe(cover.by_country, hide_index=True)
        st.dataframe(cover.by_year, hide_index=True)
        st.subheader("Release notes")
        st.dataframe(notes.iloc[::-1], hide_index=True, column_config={"summary": st.column_config.TextColumn(
            "summary", width="large")})
        log = store.corrections(ctx.dataset.digest)
        if len(log):
            st.caption(f"{log['event_id'].nunique():,} events corrected, {len(log):,} changes logged "
                       "(data/corrections.csv; each event's record lists its own).")
        st.subheader("How to cite")
        url = widgets.view_link(ctx.state, st.context.url or "")
        st.code(export.citation(url, ctx.data_version), language=None, wrap_lines=True)
    st.subheader("Sources and licences")
    st.markdown(LICENCES)
    st.subheader("Codebook")
    st.markdown(codebook.render().split("\n", 2)[2])


frame.run("About", body, needs_data=False)
