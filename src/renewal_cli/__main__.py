"""Allow `python -m renewal_cli`."""

from renewal_cli.cli import main

main()
