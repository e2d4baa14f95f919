"""What a failed cell means, read from the live exception: the layer below the kernel that knows error messages.

``facts`` (the failing line, its frame's scope, the names on the line, the cell parsed) and ``values`` (the values
on that line, for the explain prompt) are what every rule reads; the rules are still kernel/hints.py. Nothing here
imports the kernel, the server extension or the CLI: the kernel imports this.
"""
