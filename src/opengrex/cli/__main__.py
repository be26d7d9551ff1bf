import sys

from opengrex.cli import main

sys.exit(main())
