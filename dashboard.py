"""The overview (force_posture/ui/overview.py): both countries on one time axis, the headline figures,
and a scenario uploader.

Streamlit runs this file as the Overview page on every script run (as `__main__`). Started as
`streamlit run dashboard.py`, the usual way to start a Streamlit app, Streamlit first imports it to find
the server it declares: the same app as serve.py's, with its export route, API, feed and warm-up, so
that the app works the same however it is started. Every page starts with the same setup call (page
config, the sidebar navigation and the view read from the URL), so a shared link opens any page directly.
"""

import streamlit as st

if __name__ == "__main__":  # a script run of the Overview page
    from force_posture.ui import overview

    overview.overview_page()
else:  # imported by `streamlit run dashboard.py`: the server to start (nothing heavy is imported here)
    from force_posture.ui import server
    from force_posture.web.app import MIDDLEWARE, ROUTES

    app = st.App("dashboard.py", lifespan=server.lifespan, routes=ROUTES, middleware=MIDDLEWARE)
