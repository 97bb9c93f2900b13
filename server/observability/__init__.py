"""What operators see of a running process: logs (logs.py), one line per request
(requests.py), Prometheus metrics (metrics.py), OpenTelemetry traces (tracing.py)."""
