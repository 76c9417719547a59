"""Development tools: benchmarks, the load test, synthetic data and a local server. The app never imports this."""
