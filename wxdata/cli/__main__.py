"""``python -m wxdata.cli``: the same as the ``wxdata`` command."""

from __future__ import annotations

import sys

from wxdata.cli.entry import main

sys.exit(main())
