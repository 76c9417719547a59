"""Developer and operator tooling: the team-server launcher and the websocket load test (not imported by the app)."""
