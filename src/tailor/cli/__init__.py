"""The `tailor` command: one module per command, each parsing its arguments, calling the
library and printing; no logic of its own."""

from tailor.cli import (
    batch,
    cache,
    critique,
    letter,
    prep,
    profiles,
    providers,
    read,
    rewrite,
    serve,
    themes,
)
from tailor.cli.app import app, main

app.command()(read.read)
app.command()(critique.critique)
app.command()(rewrite.rewrite)
app.command()(batch.batch)
app.command()(prep.prep)
app.command()(letter.letter)
app.command()(serve.serve)
app.command()(profiles.profiles)
app.command()(themes.themes)
app.command()(providers.providers)
app.add_typer(cache.cache_app, name="cache")

__all__ = ["app", "main"]
