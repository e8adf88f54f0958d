// Draws the figure(s) the page carries as JSON (see publish/embed.py); no data from elsewhere.
(function () {
  const read = (id) => { const el = document.getElementById(id); return el ? JSON.parse(el.textContent) : null; };
  const page = read("fp-page");
  const figures = {light: read("fp-figure-light"), dark: read("fp-figure-dark")};
  const target = document.getElementById("fp-chart");
  const query = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  const theme = () => (page.theme === "auto" ? (query && query.matches ? "dark" : "light") : page.theme);
  const under = document.querySelector("p.fp-back:not(#fp-small)");
  const FOOTER = under.offsetHeight + 4;  // the line under the chart (its link back, version, as-of day) as set here
  const within = (n, limits) => Math.max(limits[0], Math.min(limits[1], n));
  if (!page.fixedWidth) {  // laid out for the frame it is given, as the app lays its charts out for the page
    const wide = within(Math.floor(window.innerWidth / 20) * 20, page.limits);
    const high = within(Math.floor((window.innerHeight - FOOTER) / 10) * 10, page.heights);
    if (wide !== page.width || high !== page.height) {
      const url = new URL(window.location.href);
      url.searchParams.set("width", String(wide));
      url.searchParams.set("height", String(high));
      url.searchParams.set("fit", "frame");
      window.location.replace(url.toString());
      return;
    }
  }
  const tooSmall = (figure) => !page.fixedWidth && (figure.layout.height + FOOTER > window.innerHeight + 1
    || figure.layout.width > window.innerWidth + 1);
  const draw = () => {
    const figure = figures[theme()] || figures.light || figures.dark;
    document.body.style.background = figure.layout.paper_bgcolor;
    document.body.dataset.theme = theme();
    const small = document.getElementById("fp-small");
    small.hidden = !tooSmall(figure);  // said at the top of the frame, never a chart silently cut off
    small.querySelector("span").textContent = `This frame (${window.innerWidth}x${window.innerHeight}) is too `
      + `small for the whole chart (${figure.layout.width}x${figure.layout.height + FOOTER} pixels): scroll in it, or `;
    window.Plotly.react(target, figure.data, figure.layout, page.config);
  };
  draw();
  if (page.theme === "auto" && query) query.addEventListener("change", draw);
})();
