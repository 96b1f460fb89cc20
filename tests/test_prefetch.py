"""Computing ahead (ddim_teach.lab.prefetch): what the GuidanceExplorer uses to hide the sampling time of the next
slider step. The Prefetcher is checked with a fake computation whose steps the test controls (events, not sleeps);
the explorer's prefetched grid is checked against a computation in the foreground, byte for byte."""
from __future__ import annotations

import threading

import pytest
import torch

from ddim_teach.lab import widgets as w
from ddim_teach.lab.prefetch import Cancelled, Prefetcher


class Steps:
    """A computation of ``n`` steps that reports its progress after each, and can be held by the test: while
    ``hold`` is clear, a step runs only on a permit of ``gate`` (``gate.release(k)`` lets k steps through)."""

    def __init__(self, n=5):
        self.n, self.calls, self.started = n, [], threading.Event()
        self.hold, self.gate, self.done = threading.Event(), threading.Semaphore(0), threading.Semaphore(0)
        self.hold.set()

    def __call__(self, key, callback):
        self.calls.append(key)
        self.started.set()
        for i in range(self.n):
            while not self.hold.is_set() and not self.gate.acquire(timeout=0.01):
                pass
            if callback is not None:
                callback((i + 1) / self.n)
            self.done.release()
        if key == "bad":
            raise ValueError("bad setting")
        return ("result", key)


@pytest.fixture
def on(monkeypatch):
    monkeypatch.setenv("DDIM_PREPARE", "1")


def test_ahead_fills_the_cache_and_get_then_computes_nothing(on):
    f = Steps()
    p = Prefetcher(f)
    p.ahead(["a", "b"])
    p.wait(10)
    assert f.calls == ["a", "b"] and "a" in p and "b" in p
    assert p.get("b") == ("result", "b") and f.calls == ["a", "b"]
    assert p.log == [("a", "background"), ("b", "background")]


def test_a_request_for_the_key_in_progress_waits_for_it_once_a_third_is_done(on):
    f = Steps(n=3)
    f.hold.clear()
    p = Prefetcher(f)
    p.ahead(["a"])
    f.gate.release()  # one step of three: progress 1/3
    assert f.done.acquire(timeout=10)
    got = []
    t = threading.Thread(target=lambda: got.append(p.get("a")))
    t.start()
    t.join(0.2)
    assert t.is_alive()  # waiting, not computing a second copy
    f.hold.set()
    t.join(10)
    assert got == [("result", "a")] and f.calls == ["a"]


def test_a_request_for_the_key_just_begun_computes_it_afresh(on):
    """Below a third done, the slower background thread is cancelled and the foreground computes the key itself."""
    f = Steps(n=4)
    f.hold.clear()
    p = Prefetcher(f)
    p.ahead(["a"])
    f.gate.release()  # one step of four: progress 1/4 < 1/3
    assert f.done.acquire(timeout=10)
    got = []
    t = threading.Thread(target=lambda: got.append(p.get("a")))
    t.start()
    f.hold.set()
    t.join(10)
    assert got == [("result", "a")] and f.calls == ["a", "a"]
    assert p.log == [("a", "background"), ("a", "taken over"), ("a", "cancelled"), ("a", "foreground")]


def test_a_request_for_another_key_cancels_the_background_and_waits_for_its_step(on):
    f = Steps(n=1000)
    f.hold.clear()
    p = Prefetcher(f)
    p.ahead(["far", "farther"])
    assert f.started.wait(10)  # the background is inside its first step of "far"
    got = []
    t = threading.Thread(target=lambda: got.append(p.get("near")))
    t.start()
    t.join(0.2)
    assert t.is_alive() and f.calls == ["far"]  # no second computation while the background's step runs
    f.hold.set()  # the step ends; its callback sees the cancellation
    t.join(10)
    assert got == [("result", "near")]
    p.wait(10)
    assert ("far", "cancelled") in p.log and "far" not in p
    assert "farther" not in f.calls  # the queue was dropped with it
    assert p.get("far") == ("result", "far")  # asked later, it is computed in the foreground
    assert p.log[-1] == ("far", "foreground")


def test_an_error_in_the_background_is_raised_by_the_foreground(on):
    p = Prefetcher(Steps())
    p.ahead(["bad"])
    p.wait(10)
    with pytest.raises(ValueError, match="bad setting"):
        p.get("bad")


@pytest.mark.parametrize("switch", ["DDIM_PREPARE", "DDIM_PREFETCH"])
def test_either_switch_turns_computing_ahead_off(monkeypatch, switch):
    monkeypatch.setenv("DDIM_PREPARE", "1")
    monkeypatch.setenv(switch, "0")
    f = Steps()
    p = Prefetcher(f)
    assert p.ahead(["a"]) is None and f.calls == []


def test_interpreter_exit_stops_the_background_at_its_next_step(on, monkeypatch):
    f = Steps(n=1000)
    f.hold.clear()
    p = Prefetcher(f)
    p.ahead(["a", "b"])
    assert f.started.wait(10)
    stop = threading.Event()
    monkeypatch.setattr(w, "_PREPARE_STOP", stop)
    stop.set()
    f.hold.set()
    p.wait(10)
    assert p.log == [("a", "background"), ("a", "cancelled")]


def test_cancelled_is_raised_by_the_check_only_when_asked():
    p = Prefetcher(Steps())
    p._check({})
    p._cancel.set()
    with pytest.raises(Cancelled):
        p._check({})


def test_the_guidance_explorer_computes_the_next_scale_ahead_in_the_direction_of_the_move(on):
    from ddim_teach.lab.guidance_widget import GuidanceExplorer

    ex = GuidanceExplorer(guidance_scale=3.0, S=5, lang="en")
    ex.ahead.wait(60)
    assert [k[1] for k, where in ex.ahead.log] == [3.0, 3.5, 2.5]  # drawn, then up first, then down
    ex.scale.value = 2.5  # a move down: the next one down is computed first
    ex.ahead.wait(60)
    assert [k[1] for k, where in ex.ahead.log[3:]] == [2.0]  # down first; 3.0, the other neighbour, is cached
    assert all(where == "background" for _, where in ex.ahead.log[1:])
    key = (-1, 2.0, 5, 0.0, 0)
    fresh = ex._compute(key)  # in the foreground, for comparison
    torch.testing.assert_close(ex.ahead.get(key)["x"], fresh["x"], rtol=0, atol=0)
    ex.scale.value = 10.0  # the slider's end: only the neighbour inside the range
    ex.ahead.wait(60)
    assert [k[1] for k, _ in ex.ahead.log[-2:]] == [10.0, 9.5]


def test_the_neighbours_follow_the_control_that_moved_last(monkeypatch):
    monkeypatch.setenv("DDIM_PREPARE", "0")  # only the list of settings is checked here
    from ddim_teach.lab.guidance_widget import GuidanceExplorer

    ex = GuidanceExplorer(guidance_scale=3.0, S=5, eta=0.3, seed=4, lang="en")
    k = ex._key()
    assert k == (-1, 3.0, 5, 0.3, 4)
    ex._last_key = k[:4] + (5,)  # the seed went 5 → 4: next 3, then 5
    assert ex.neighbours(k) == [k[:4] + (3,), k[:4] + (5,)]
    ex._last_key = (-1, 3.0, 10, 0.3, 4)  # S went 10 → 5 on its option list [2, 3, 5, 10, ...]: next 3, then 10
    assert ex.neighbours(k) == [(-1, 3.0, 3, 0.3, 4), (-1, 3.0, 10, 0.3, 4)]
    ex._last_key = (-1, 3.0, 5, 0.2, 4)  # η went up by one step of 0.1 (values as the browser sends them)
    assert ex.neighbours(k) == [(-1, 3.0, 5, 0.4, 4), (-1, 3.0, 5, 0.2, 4)]
    ex._last_key = (2, 3.0, 5, 0.3, 4)  # the class went 2 → "all" (-1, the first option): only the way back
    assert ex.neighbours(k) == [(0, 3.0, 5, 0.3, 4)]
    ex._last_key = (-1, 2.0, 10, 0.3, 4)  # two controls at once: the guidance scale, upwards
    assert ex.neighbours(k) == [(-1, 3.5, 5, 0.3, 4), (-1, 2.5, 5, 0.3, 4)]
    ex._last_key = None
    assert ex.neighbours((-1, 3.25, 5, 0.3, 4)) == []  # off the slider's grid: no guess
