"""The Typer command line: thin adapters from arguments to the library and back to text."""
