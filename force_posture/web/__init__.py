"""The HTTP routes beside the pages (Starlette, no Streamlit): API and feed, exports, chart addresses, embeds,
the page shell. dashboard.py and serve.py hand them to Streamlit's server."""
