"""legalkg command line: a thin layer over the ``kg`` library.

Every library error (:class:`kg.errors.KGError`) becomes one ``Error: ...`` line on stderr in
:func:`main`; exit codes: 0 ok, 1 graph does not conform (or a store/endpoint failed),
2 bad input or usage.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import click
import typer
from rich.console import Console
from typer.core import TyperGroup

from kg.errors import KGError


class KGGroup(TyperGroup):
    """Turn library errors raised by any command into ``Error: ...`` and its exit code."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except KGError as exc:
            err.print(f"Error: {exc}", markup=False)
            raise typer.Exit(exc.exit_code) from None


app = typer.Typer(
    cls=KGGroup,
    name="legalkg",
    help="Turn Arabic legal and human-rights reports into a validated knowledge graph.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
out = Console()
err = Console(stderr=True, highlight=False, soft_wrap=True)

OutDir = Annotated[Path, typer.Option("--out", "-o", help="Output directory.")]
StoreDir = Annotated[
    Path, typer.Option("--store", help="Embedded store directory (written by `legalkg build`).")
]


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print ``Error: message`` on stderr and return the Exit to raise."""
    err.print(f"Error: {message}", markup=False)
    return typer.Exit(code)


@app.callback()
def _root() -> None:
    """Turn Arabic legal and human-rights reports into a validated knowledge graph.

    Start with `legalkg build` (reads the bundled sample reports), then `legalkg query establishments`.
    """


# --- commands are added below, one function each -------------------------------------------


@app.command()
def version() -> None:
    """Print the legalkg version."""
    from kg import __version__

    out.print(__version__)



def main() -> None:
    """Entry point: run the app, turning library errors into one line and an exit code."""
    try:
        app()
    except KeyboardInterrupt:
        err.print("Error: interrupted; earlier output is left as it was", markup=False)
        sys.exit(130)


if __name__ == "__main__":
    main()
