"""The record for other tools, as bytes: the open data API and feed, chart addresses, embeds, the OpenAPI
contract and the data package. No server: web/ serves them."""
