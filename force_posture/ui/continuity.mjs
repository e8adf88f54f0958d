export default function (component) {
  const { setStateValue, data } = component;
  const KEY = "fp-session";
  let before = null;
  try { before = JSON.parse(window.sessionStorage.getItem(KEY) || "null"); } catch (e) { before = null; }
  const same = before && before.session === data.session;
  if (data.report && before && !same && (before.unsaved || []).length) setStateValue("lost", before.unsaved);
  // a later change of this session wins over an earlier one; only a page's first call starts a new session
  if ((data.report && !same) || (same && data.version >= before.version)) {
    const now = { session: data.session, version: data.version, unsaved: data.unsaved };
    try { window.sessionStorage.setItem(KEY, JSON.stringify(now)); } catch (e) { /* storage off: no notice */ }
  }
  // Streamlit reconnects a page whose server went away to a new session, but leaves the old page on
  // screen until the next click. Once connected again, the page is run anew, so that what it shows
  // is what the new session holds (and the check above can name what was lost).
  const app = document.querySelector('[data-testid="stApp"]');
  if (data.report && app && !window.fpReconnectWatch) {
    let away = false, reconnects = 0;
    window.fpReconnectWatch = new MutationObserver(() => {
      const state = app.dataset.testConnectionState;
      if (state && state !== "CONNECTED") away = true;
      // the address as it was: Streamlit's new session would start from an address without its view
      else if (state === "CONNECTED" && away) {
        away = false;
        setStateValue("reconnected", { n: ++reconnects, search: window.location.search });
      }
    });
    window.fpReconnectWatch.observe(app, { attributes: true, attributeFilter: ["data-test-connection-state"] });
  }
}
