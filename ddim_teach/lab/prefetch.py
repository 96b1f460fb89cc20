"""Computing ahead: the results an explorer will probably need next, in one background thread.

A lecturer moves a slider one step at a time. While the picture for s = 3 travels to the browser and is
looked at, the kernel is idle. A :class:`Prefetcher` uses that time to compute the neighbouring settings
(s = 3.5 first, in the direction of the last move, then s = 2.5), so the next key press finds its result
ready or half done.

- A request for a setting that the background is computing waits for it, once a third of it is done. Before that
  it cancels it and computes it afresh: the same computation in a second thread was measured about 1.4 times
  slower than in the kernel's main thread (35 against 49 ms a network call, 2 cores), so waiting would be later.
- A request for any other setting cancels the background work at its next sampler step (the sampler's
  ``callback`` raises :class:`Cancelled`) and waits for that step to end before it starts: two torch
  computations at once on 2 cores oversubscribe them (each asks for both threads). Measured beside a 2-thread
  training run: a StepThrough η change took 9.9 s with torch at 2 threads, 0.45 s at 1.
- ``DDIM_PREPARE=0`` in the environment turns computing ahead off (``make test`` and the notebook builds set
  it), as for :func:`ddim_teach.lab.widgets.prepare_runs`; ``DDIM_PREFETCH=0`` turns off this alone (the class
  server sets it: there the idle core belongs to another student). At interpreter exit the thread finishes its step.
"""
from __future__ import annotations

import os
import threading

from . import widgets as _w

__all__ = ["Prefetcher", "Cancelled"]


class Cancelled(Exception):
    """Raised inside a background computation that the foreground no longer needs."""


class Prefetcher:
    """A thread-safe cache of ``compute(key, callback)`` results, filled on request or ahead of time.

    ``compute`` must call ``callback(progress)`` between its expensive steps, with the share done so far in [0, 1]
    (wrap a sampler's ``callback``), and must not touch widgets or figures: in the background it runs outside the
    kernel's main thread.
    ``log`` records ``(key, "foreground" | "background" | "cancelled" | "taken over")`` for every computation
    started, cancelled, or taken over by the foreground.
    """

    take_over = 1 / 3  # below this share done, a request computes the setting afresh instead of waiting

    def __init__(self, compute, maxsize: int = 16):
        self._compute = compute
        self._cache = _w.LRUCache(maxsize)
        self._lock = threading.Lock()
        self._pending: dict = {}  # key -> Event, for a computation in progress (either thread)
        self._queue: list = []  # keys the background should compute next, in order
        self._cancel = threading.Event()  # asks the background computation in progress to stop
        self._background_key = None
        self._progress = 0.0  # share of the background computation done
        self._background_idle = threading.Event()  # set while no background computation is running
        self._background_idle.set()
        self._thread: threading.Thread | None = None
        self._running = False  # the thread is in its loop (set and cleared under the lock)
        self.log: list = []

    @staticmethod
    def enabled() -> bool:
        return os.environ.get("DDIM_PREPARE", "1") != "0" and os.environ.get("DDIM_PREFETCH", "1") != "0"

    def __contains__(self, key) -> bool:
        with self._lock:
            return key in self._cache

    def clear(self) -> None:
        with self._lock:
            self._cache.clear()
            self._queue.clear()
            if self._background_key is not None:
                self._cancel.set()

    def get(self, key):
        """The result for ``key``: from the cache, from the background computation in progress, or computed here."""
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
            event = self._pending.get(key)
            owner = event is None
            restart = event is not None and key == self._background_key and self._progress < self.take_over
            if restart:  # just begun in the slower thread: sooner to compute it here
                self._cancel.set()
                self.log.append((key, "taken over"))
            if owner:
                self._queue.clear()  # the user went elsewhere: the old neighbours can wait
                if self._background_key is not None:
                    self._cancel.set()
                event = self._pending[key] = threading.Event()
                self.log.append((key, "foreground"))
        if restart:
            self._background_idle.wait(30)  # its current step ends, then it is dropped
            return self.get(key)
        if owner:
            self._background_idle.wait(30)  # the cancelled step finishes first (one network call)
        if not owner:
            event.wait()
            with self._lock:
                if key in self._cache:
                    return self._cache[key]
            return self.get(key)  # the background run was cancelled or failed: compute it here (errors show)
        try:
            value = self._compute(key, None)
            self._store(key, value)
            return value
        finally:
            with self._lock:
                self._pending.pop(key, None)
            event.set()

    def ahead(self, keys) -> threading.Thread | None:
        """Compute ``keys`` (most likely first) in the background; replaces the keys queued before."""
        if not self.enabled():
            return None
        with self._lock:
            self._queue = [k for k in keys if k not in self._cache and k not in self._pending]
            if not self._queue or self._running:
                return self._thread
            self._running = True
            self._thread = threading.Thread(target=self._work, name="ddim-prefetch", daemon=True)
            _w._PREPARE_THREADS[:] = [t for t in _w._PREPARE_THREADS if t.is_alive()] + [self._thread]
        self._thread.start()
        return self._thread

    def wait(self, timeout: float | None = None) -> None:
        """Block until the background thread has nothing left to do (for tests and benchmarks)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    # -- the background thread ------------------------------------------------------------------------
    def _check(self, progress=None):
        if isinstance(progress, (int, float)):
            self._progress = float(progress)
        if self._cancel.is_set() or _w._PREPARE_STOP.is_set():
            raise Cancelled

    def _store(self, key, value):
        with self._lock:
            self._cache[key] = value
            while len(self._cache) > self._cache.maxsize:
                self._cache.popitem(last=False)

    def _work(self):
        while True:
            with self._lock:
                if not self._queue or _w._PREPARE_STOP.is_set():
                    self._running = False
                    return
                key = self._queue.pop(0)
                event = self._pending[key] = threading.Event()
                self._background_key = key
                self._progress = 0.0
                self._background_idle.clear()
                self._cancel.clear()
                self.log.append((key, "background"))
            try:
                self._store(key, self._compute(key, self._check))
            except Cancelled:
                with self._lock:
                    self.log.append((key, "cancelled"))
            except Exception:  # noqa: BLE001 - the foreground computes it again and shows the error
                pass
            finally:
                with self._lock:
                    self._pending.pop(key, None)
                    self._background_key = None
                    self._background_idle.set()
                event.set()
