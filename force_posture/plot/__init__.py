"""Charts: a ChartSpec in, a Plotly figure out, and the labels' geometry. Imports core."""
