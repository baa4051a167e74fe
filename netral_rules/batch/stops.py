"""Stopping a batch on SIGTERM, SIGINT or SIGHUP at a record boundary.

While :func:`stoppable` is in force, the first of these signals raises :class:`Stopped` where the program
is (reading input, deciding, waiting for workers), except inside :func:`held` sections (writing output,
stopping workers), where it is raised when the section ends: the output then ends after a whole record,
and the workers are stopped before the program exits. Later signals only confirm the stop.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGINT", "SIGHUP") if hasattr(signal, name))


class Stopped(BaseException):
    """A signal asked the batch to stop."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name


class _State:
    armed = False
    held = 0
    received: int | None = None
    raised = False


_state = _State()


def _handle(signum: int, frame: Any) -> None:
    if _state.received is None:
        _state.received = signum
    if _state.armed and not _state.held and not _state.raised:
        _state.raised = True
        raise Stopped(signum)


@contextmanager
def stoppable() -> Iterator[None]:
    """Install the handlers for the duration (in the main thread only, where signals are delivered)."""
    previous = {sig: signal.signal(sig, _handle) for sig in SIGNALS}
    _state.armed, _state.held, _state.received, _state.raised = True, 0, None, False
    try:
        yield
    finally:
        _state.armed = False
        for sig, handler in previous.items():
            signal.signal(sig, handler)


class _Held:
    """A section that a signal must not cut short; a stop asked for during it is raised at its end. (A class,
    not a generator: it is entered once per record written.)"""

    def __enter__(self) -> None:
        _state.held += 1

    def __exit__(self, *exc: object) -> None:
        _state.held -= 1
        if _state.armed and not _state.held and _state.received is not None and not _state.raised:
            _state.raised = True
            raise Stopped(_state.received)


_HELD = _Held()


def held() -> _Held:
    """See :class:`_Held`."""
    return _HELD


def requested() -> int | None:
    """The signal that asked for a stop, if one did."""
    return _state.received
