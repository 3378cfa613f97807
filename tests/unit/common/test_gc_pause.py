"""The process-wide garbage-collector pause the API sources decode pages under."""

import gc
import threading

from ingestion.common.gc_pause import gc_paused


def test_gc_pause_nests_across_threads_and_restores_the_collector() -> None:
    assert gc.isenabled()
    inside = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with gc_paused():
            inside.set()
            release.wait(5)

    worker = threading.Thread(target=hold)
    worker.start()
    inside.wait(5)
    with gc_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()  # the other thread still decodes
    release.set()
    worker.join(5)
    assert gc.isenabled()
