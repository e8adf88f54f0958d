"""The Streamlit layer, one module per concern; the pages import only the modules they use.

With dashboard.py, pages/ and serve.py, the only code that imports Streamlit. Everything it shows
comes from the pure modules below it; it reads the clock once per run (`clock.today()`) and passes
it down. Importing this package imports none of its modules.
"""
