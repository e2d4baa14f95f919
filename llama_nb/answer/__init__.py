"""What a failed cell means, read from the live exception: the layer below the kernel that knows error messages.

``facts`` (the failing line, its frame's scope, the names on the line, the cell parsed) and ``values`` (the values
on that line, for the explain prompt) are what every rule reads; ``knowledge`` holds the rules, one module per
domain, and :func:`knowledge.error_hints`. Nothing here imports the kernel, the server extension or the CLI: the
kernel imports this.
"""
