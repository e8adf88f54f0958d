"""Scenarios: upload, build or load drawdown paths, see them over the record, compare them."""

import datetime as dt

import streamlit as st

from force_posture.core import data, scenarios, summary
from force_posture.plot import charts
from force_posture.store import library
from force_posture.ui import cache, chart, clock, page, saved, screen, session, upload
from force_posture.ui.table import table

EXAMPLES_DIR = data.DATA_DIR / "scenarios"


def manager() -> None:
    """The loaded scenarios: show or hide each on the charts, or remove one."""
    ws = session.workspace()
    if not ws.loaded:
        st.info("No scenario loaded yet: upload a CSV, load an example, or build one below.")
        return
    table(ws.summary(), key="loaded-scenarios")
    names = ws.names()
    # The key follows the set of loaded names, so that a newly added scenario starts out shown.
    shown = st.multiselect(
        "Shown on the charts",
        names,
        default=[n for n in names if n not in ws.hidden],
        key=f"shown-scenarios-{abs(hash(tuple(names)))}",
    )
    ws.set_shown(shown)
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    victim = c1.selectbox("Remove a scenario", names, index=None, placeholder="Choose one to remove")
    if c2.button("Remove", disabled=victim is None) and victim is not None:
        ws.remove(victim)
        st.rerun()


def examples_and_template() -> None:
    st.caption("Start from an example (hypothetical paths from the latest sourced figures) or the template.")
    for path in sorted(EXAMPLES_DIR.glob("*.csv")):
        row = st.container(horizontal=True)  # each button as wide as its words (fixed columns cut them off)
        if row.button(f"Load example: {path.stem.replace('_', ' ').capitalize()}", key=f"example-{path.stem}"):
            upload.add_scenarios(scenarios.parse(path.read_bytes(), path.name))
        row.download_button("CSV", path.read_bytes(), file_name=path.name, mime="text/csv", key=f"dl-{path.stem}")
    st.download_button(
        "Download the template (CSV)", scenarios.template_csv(), file_name="scenario_template.csv", mime="text/csv"
    )


def comparison(day: dt.date, known: str, as_shown: str) -> None:
    shown = session.workspace().shown()
    if shown is None:
        return
    ds = cache.record(known, as_shown)
    st.subheader("Comparison")
    threshold = int(
        st.number_input(
            "A deadline counts as met at or below this many troops",
            min_value=0,
            max_value=scenarios.MAX_TROOPS,
            value=0,
            step=100,
        )
    )
    compared = session.memo(
        ("compare", day, threshold, ds.version),
        lambda: scenarios.compare(shown, ds.levels, ds.milestones, day, threshold=threshold),
    )
    table(compared, key="comparison")
    st.caption("How it is read: " + scenarios.RULES)
    st.download_button(
        "Download the comparison (CSV)",
        scenarios.comparison_csv(compared),
        file_name="scenario_comparison.csv",
        mime="text/csv",
    )


def builder(day: dt.date, chosen) -> None:
    st.subheader("Build a scenario")
    c1, c2, c3 = st.columns(3)
    name = c1.text_input("Name", value="My scenario", max_chars=60)
    country = c2.selectbox("Country", list(data.COUNTRIES))
    shape = c3.selectbox("Shape", list(scenarios.SHAPES), format_func=lambda s: scenarios.SHAPE_NAMES[s])
    record = cache.record(chosen.known, chosen.shown)
    lat = summary.latest(record.levels, country, day)
    c1, c2, c3, c4 = st.columns(4)
    start = c1.date_input("Start date", value=lat.date.date() if lat else day, key="build-start", format="YYYY-MM-DD")
    start_level = c2.number_input("Start level", 0, scenarios.MAX_TROOPS, value=lat.high if lat else 1000, step=100)
    end = c3.date_input(
        "End date", value=scenarios.default_end(record.milestones, country, day), key="build-end", format="YYYY-MM-DD"
    )
    end_level = c4.number_input("End level", 0, scenarios.MAX_TROOPS, value=0, step=100)
    step_date = None
    if shape == "step":
        step_date = st.date_input(
            "Step date", value=start + (end - start) / 2 if end > start else start, format="YYYY-MM-DD"
        )
    try:
        built = scenarios.build(
            name.strip() or "My scenario", country, start, int(start_level), end, int(end_level), shape, step_date
        )
    except scenarios.ScenarioError as err:
        st.error("This scenario cannot be built yet.", icon="⚠️")
        st.text(str(err))
        return
    spec = charts.ChartSpec(
        today=day,
        countries=(country,),
        view=chosen,
        scenarios=built,
        width=screen.layout_width(),
        height=560,
        title=f"Preview: US troops in {country}",
        theme=screen.theme(),
    )
    key = (
        "preview",
        spec.theme,
        cache.dataset(chosen.shown).version,
        day,
        chosen,
        name,
        country,
        start,
        int(start_level),
        end,
        int(end_level),
        shape,
        step_date,
    )
    preview = session.memo(key, lambda: charts.build_chart(cache.dataset(chosen.shown), spec))
    st.plotly_chart(
        preview,
        theme=None,
        width="stretch",
        config=chart.PLOTLY_CONFIG,
        key="builder-preview",
        alt=scenarios.preview_name(built),
    )
    c1, c2 = st.columns(2)
    if c1.button("Add to my scenarios", type="primary"):
        upload.add_scenarios(scenarios.Scenario("built in the app", built, ()))
        st.rerun()
    c2.download_button(
        "Download this scenario (CSV)", scenarios.to_csv(built), file_name="scenario.csv", mime="text/csv"
    )


NAME_HINT = "Blank: the scenario's own name. An existing name gets a new version."


def library_panel() -> None:
    """The team's saved scenarios: save one of this session's, find, open, delete and restore."""
    st.subheader("Team library")
    try:
        user = saved.user()
        lib = saved.the_library()
    except library.LibraryError as err:
        saved.error("The library is closed to this request.", err)
        return
    st.text(f"You are: {user}. The library is {lib.where}.")  # plain text: a user name is data
    save_form(lib, user)
    try:
        browse(lib, user)
        recently_deleted(lib, user)
    except library.LibraryError as err:
        saved.error("The library cannot be read just now; your loaded scenarios are untouched.", err)


def save_form(lib: library.Library, user: str) -> None:
    ws = session.workspace()
    if "just-saved" in st.session_state:
        st.success("Saved.", icon=":material/check_circle:")
        st.text(st.session_state.pop("just-saved"))  # plain text: the name is data
    if not ws.loaded:
        st.caption("Load or build a scenario to save it to the library.")
        return
    g = st.session_state.setdefault("library-save-generation", 0)  # a save that goes through: new, empty fields
    with st.form("library-save"):
        which = st.selectbox("Scenario to save", ws.names(), index=len(ws.names()) - 1)  # the newest first
        name = st.text_input(
            "Name in the library", max_chars=library.MAX_NAME, placeholder=NAME_HINT, key=f"save-name-{g}"
        )
        description = st.text_area("Description", max_chars=library.MAX_DESCRIPTION, height=80, key=f"save-about-{g}")
        visibility = st.radio(
            "Who can see it",
            list(library.VISIBILITIES),
            horizontal=True,
            format_func=lambda v: library.VISIBILITIES[v].capitalize(),
        )
        if not st.form_submit_button("Save to the library", type="primary"):
            return
    base = ws.saved[which].name if which in ws.saved else which
    try:
        item = lib.save(user, name.strip() or base, ws.loaded[which].frame, clock.now(), description, visibility)
    except library.LibraryError as err:
        saved.error("Not saved. The scenario is still loaded in this session; nothing was lost.", err)
        return
    ws.saved[which] = item
    st.session_state["library-save-generation"] = g + 1  # the next save starts from empty fields
    # run the page again at once: the address bar, the page links and the export's link carry it from now
    st.session_state["just-saved"] = (
        f"'{item.label}' is #{item.id} in the library, visible to {library.VISIBILITIES[item.visibility]}."
    )
    st.rerun()


def browse(lib: library.Library, user: str) -> None:
    c1, c2, c3 = st.columns(3)
    search = c1.text_input("Search names and descriptions", max_chars=100)
    author = c2.text_input("Author", max_chars=library.MAX_AUTHOR)
    country = c3.selectbox("Country", ["", *data.COUNTRIES], format_func=lambda c: c or "Any")
    items = lib.list(user, search, author, country)
    if not items:
        st.caption("Nothing in the library matches." if search or author or country else "The library is empty.")
        return
    table(library.listing(items), key="library-list")
    labels = {s.id: f"#{s.id} {s.label} by {s.author}" for s in items}
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    pick = c1.multiselect("Open on the charts and in the comparison", list(labels), format_func=labels.get)
    if c2.button("Open", disabled=not pick) and saved.open_saved(pick):
        st.rerun()
    own = [s.id for s in items if s.author == user]
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    victim = c1.selectbox(
        f"Delete one of yours (restorable for {library.RESTORE_DAYS} days)",
        own,
        index=None,
        format_func=labels.get,
        placeholder="Choose a version to delete",
    )
    if c2.button("Delete", disabled=victim is None) and victim is not None:
        _change(lambda: lib.delete(user, victim, clock.now()), "Not deleted.")


def _change(action, failure: str) -> None:
    """Run one library change: on success show the library anew, on failure say why in plain words."""
    try:
        action()
    except library.LibraryError as err:
        saved.error(failure, err)
    else:
        st.rerun()


def recently_deleted(lib: library.Library, user: str) -> None:
    gone = lib.list(user, deleted=True, now=clock.now())
    with st.expander(f"Recently deleted ({len(gone)}): yours, restorable for {library.RESTORE_DAYS} days"):
        if not gone:
            st.caption("Nothing to restore.")
            return
        table(library.listing(gone, deleted=True), key="library-deleted")
        labels = {s.id: f"#{s.id} {s.label}" for s in gone}
        c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
        back = c1.selectbox("Restore", list(labels), index=None, format_func=labels.get, placeholder="Choose one")
        if c2.button("Restore", disabled=back is None) and back is not None:
            _change(lambda: lib.restore(user, back, clock.now()), "Not restored.")


chosen = page.setup("Scenarios")
day = clock.day(chosen)
st.title("Scenarios")
st.caption(
    "Set your own drawdown paths against the record. A CSV needs the columns date, country (Syria or "
    "Iraq) and troops, one row per date; optional: scenario (several in one file), low, high, note. Dates "
    f"as YYYY-MM-DD or YYYY-MM. Files up to {upload.UPLOAD_LIMIT_MB} MB. Your scenarios stay in this browser "
    "session, where nobody else sees them, until you save one to the team library below."
)
c1, c2 = st.columns([3, 2])
with c1:
    upload.scenario_uploader("upload-main")
with c2:
    examples_and_template()
manager()
chosen = chart.window_row(chosen, day)
chart.chart(data.COUNTRIES, chosen, day, height=screen.OVERVIEW_HEIGHT)
comparison(day, chosen.known, chosen.shown)
library_panel()
builder(day, chosen)
