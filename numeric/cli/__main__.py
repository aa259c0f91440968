"""``python -m numeric.cli``: the same as the ``backprop-verify`` console script."""

import sys

from . import main

sys.exit(main())
