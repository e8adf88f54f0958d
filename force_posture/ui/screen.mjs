// The theme the page is in, read from its background (Streamlit's menu or the system's setting chose it).
const pageTheme = () => {
  const app = document.querySelector('[data-testid="stApp"]');
  const rgb = app && getComputedStyle(app).backgroundColor.match(/[\d.]+/g);
  if (!rgb) return null;
  const [r, g, b] = rgb.map(Number);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255 < 0.5 ? "dark" : "light";
};
let themeSent = null;

// Enter in a date field applies the day typed and closes its calendar, as Escape does there (Streamlit's
// field otherwise opens its calendar on Enter and applies nothing). Once per page.
const applyOnEnter = (event) => {
  const inField = event.target.closest && event.target.closest('[data-testid="stDateInputField"]');
  if (event.key !== "Enter" || !inField || event.isComposing) return;
  event.preventDefault();
  event.stopPropagation();
  if (event.type === "keydown") {
    const escape = {key: "Escape", code: "Escape", keyCode: 27, bubbles: true, cancelable: true};
    event.target.dispatchEvent(new KeyboardEvent("keydown", escape));
  }
};

export default function (component) {
  const { setStateValue, data } = component;
  // The chart's own code is Streamlit's largest file (4.7 MB): asked for as soon as a page starts, its
  // download and compilation overlap the server's drawing of the chart instead of following it.
  if (data.preload && !document.querySelector(`link[href="${data.preload}"]`)) {
    const link = Object.assign(document.createElement("link"), {rel: "modulepreload", href: data.preload});
    link.crossOrigin = "";
    document.head.appendChild(link);
  }
  if (!window.fpApplyOnEnter) {
    window.fpApplyOnEnter = true;
    for (const kind of ["keydown", "keypress", "keyup"]) document.addEventListener(kind, applyOnEnter, true);
  }
  if (data.css && !document.getElementById("fp-house-css")) {  // once per page; static, trusted CSS
    const style = Object.assign(document.createElement("style"), {id: "fp-house-css", textContent: data.css});
    document.head.appendChild(style);
  }
  const report = () => {
    const main = document.querySelector('[data-testid="stMainBlockContainer"]');
    if (!main) return;
    const css = getComputedStyle(main);
    const inner = main.clientWidth - parseFloat(css.paddingLeft) - parseFloat(css.paddingRight);
    const size = {width: Math.floor(inner / 40) * 40, height: Math.floor(window.innerHeight / 20) * 20};
    const value = `${size.width}x${size.height}`;
    // remembered for this browser's next session, whose first run can then be laid out at once
    const cookie = "; path=/; max-age=31536000; SameSite=Strict";
    document.cookie = `${data.cookie}=${value}${cookie}`;
    document.cookie = `${data.windowCookie}=${window.innerWidth}x${window.innerHeight}${cookie}`;
    // what the page measures and what the server laid it out for: equal once the layout is final
    document.documentElement.dataset.fpScreen = value;
    document.documentElement.dataset.fpLaidOut = data.known;
    if (value !== data.known) setStateValue("size", size);
  };
  // Streamlit runs nothing when the theme changes: the page is drawn again in the new one when the
  // browser sees it (the server keeps no timer for it).
  const checkTheme = () => {
    const seen = pageTheme();
    if (seen && seen !== data.theme && seen !== themeSent) {
      themeSent = seen;
      setStateValue("theme", seen);
    }
  };
  report();
  checkTheme();
  let timer, themeTimer;
  // Reported once the size has stopped changing: the window's (its height counts too) and the main
  // column's, which changes without the window when the sidebar opens, closes or is dragged wider, and
  // which follows a window's change only once the sidebar's own animation has ended.
  const onResize = () => { clearTimeout(timer); timer = setTimeout(report, 250); };
  const column = new ResizeObserver(onResize);
  const main = document.querySelector('[data-testid="stMainBlockContainer"]');
  if (main) column.observe(main);
  const onTheme = () => { clearTimeout(themeTimer); themeTimer = setTimeout(checkTheme, 300); };
  const app = document.querySelector('[data-testid="stApp"]');
  const observer = new MutationObserver(onTheme);
  if (app) observer.observe(app, {attributes: true, attributeFilter: ["class", "style"]});
  const scheme = window.matchMedia("(prefers-color-scheme: dark)");
  window.addEventListener("resize", onResize);
  scheme.addEventListener("change", onTheme);
  document.addEventListener("visibilitychange", onTheme);
  return () => {
    window.removeEventListener("resize", onResize);
    scheme.removeEventListener("change", onTheme);
    document.removeEventListener("visibilitychange", onTheme);
    observer.disconnect();
    column.disconnect();
    clearTimeout(timer);
    clearTimeout(themeTimer);
  };
}
