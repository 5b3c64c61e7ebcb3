"""``python -m wireingest`` is the ``wireingest`` command."""

import sys

from wireingest.cli import main

sys.exit(main())
