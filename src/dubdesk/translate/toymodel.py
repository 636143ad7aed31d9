"""Moved to :mod:`dubdesk.testing.toymodel` (test tools live in ``dubdesk.testing``); kept so old imports work."""

from ..testing.toymodel import *  # noqa: F403
from ..testing.toymodel import __all__ as __all__
