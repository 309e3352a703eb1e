"""Argon2id with OWASP's recommended parameters instead of Django's heavier defaults.

Django's defaults (100 MiB, 8 lanes) cost ~135 ms wall and ~230 ms CPU per hash on the project's
2-core machine, which caps logins at a few per second and lets a burst of logins starve every
other request. OWASP's Password Storage Cheat Sheet lists m=19 MiB, t=2, p=1 as a recommended
Argon2id configuration: ~22 ms here. Hashes made with other parameters are upgraded at the next
login (Django's must_update).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2Hasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
