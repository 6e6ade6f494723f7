"""Every user-facing string, Chinese first, English second: one file per layer, named after it
(``core``, ``wechat``, ``store``, ``present``, ``dashboard``, ``cli``), one catalogue and
:func:`t` in ``catalogue``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wxdata._lazy import lazy_exports

if TYPE_CHECKING:
    from wxdata.i18n.catalogue import CATALOGUE, DEFAULT_LANG, LANGS, Lang, placeholders, t

__all__ = ["CATALOGUE", "DEFAULT_LANG", "LANGS", "Lang", "placeholders", "t"]

__getattr__ = lazy_exports(__name__, dict.fromkeys(__all__, "wxdata.i18n.catalogue"))
