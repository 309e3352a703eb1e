"""Settings for load runs: the local settings, plus one line for allauth's per-IP rate limits.

Every Locust user comes from 127.0.0.1, and allauth allows 30 login attempts per minute per IP
("login": "30/m/ip"): the login scenario would measure the rate limiter, not the login. Each
simulated user sends its own client address in X-Loadtest-Client-IP, and allauth is told to read
it here, so the limits stay on, per simulated client, as they are per real client in production.
Never use this module outside loadtest/run_load.py: the header is trivially forged.
"""

from config.settings.local import *  # noqa: F403

ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Loadtest-Client-IP"
