"""`python -m tailor` runs the CLI."""

from tailor.cli import main

main()
