"""The credit bureau over HTTP: timeout, retries with back-off, and a circuit breaker."""
