"""The ``newsprism`` command: a thin shell over library functions, one module per command."""
