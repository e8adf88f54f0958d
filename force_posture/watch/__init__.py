"""Watched sources: reading the feeds that publish troop figures and handing analysts leads."""
