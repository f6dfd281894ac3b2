from __future__ import annotations

import threading
import time

from django.contrib.auth.hashers import Argon2PasswordHasher

from matricule.accounts.hashers import MatriculeArgon2PasswordHasher, password_check_slot


def test_argon2id_with_the_measured_parameters_and_old_hashes_still_verify():
    hasher = MatriculeArgon2PasswordHasher()
    encoded = hasher.encode("mot-de-passe-solide", hasher.salt())
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert hasher.verify("mot-de-passe-solide", encoded)
    assert not hasher.verify("autre", encoded)
    # Made with Django's defaults (100 MiB, 8 lanes): verifies, and is upgraded at login.
    old = Argon2PasswordHasher().encode("mot-de-passe-solide", hasher.salt())
    assert hasher.verify("mot-de-passe-solide", old)
    assert hasher.must_update(old)
    assert not hasher.must_update(encoded)


def test_password_checks_beyond_the_bound_wait_their_turn(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.MATRICULE_LOGIN_CONCURRENCY = 2
    inside = []
    most = []
    lock = threading.Lock()

    def check():
        with password_check_slot():
            with lock:
                inside.append(1)
                most.append(len(inside))
            time.sleep(0.05)
            with lock:
                inside.pop()

    threads = [threading.Thread(target=check) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len(most) == 8
    assert max(most) == 2
