"""Run the command-line interface with `python -m worldtake`."""

from worldtake.cli import main

main()
