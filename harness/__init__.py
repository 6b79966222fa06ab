"""What runs the real thing for the fault tests, the benchmark and the load test: a throwaway
PostgreSQL, gunicorn on the loopback, a cookie-keeping client. Not imported by the site."""
