import sys

from bench.run import main

if __name__ == "__main__":  # not on import (tests import every module)
    sys.exit(main(sys.argv[1:]))
