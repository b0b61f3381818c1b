"""Hooks other apps may answer when someone wants a window another holds. Shifts knows no receiver.

``window_wanted`` — sent by ``shifts.actions.sign_in`` inside its transaction when ``user`` asks for
  ``window`` and ``holder`` (an open Duty, locked) holds it; keyword arguments ``window``, ``holder``,
  ``user``, ``now``. A receiver may free the window through the ordinary actions (finish the ticket at
  it with ``tickets.actions.complete``, then ``shifts.actions.sign_out`` the holder); it must not
  create a duty. After every receiver ran, ``sign_in`` reads the holder again: a window still held is
  refused as before. A receiver's DomainError refuses the sign-in.

``holder_yields`` — asked (``Duty.yields``) of an open Duty, keyword argument ``duty``: a receiver
  answers True when it would free that window for a person signing in (the console says so).

The demo (weimin.demo.apps) answers both for its simulated clerks.
"""

from django.dispatch import Signal

window_wanted = Signal()
holder_yields = Signal()
