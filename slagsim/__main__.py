"""Allow ``python -m slagsim``."""

from slagsim.cli import main

if __name__ == "__main__":
    main()
