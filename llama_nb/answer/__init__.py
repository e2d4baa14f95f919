"""The answer path below the kernel: what a failed cell means, and fixes run before they are shown.

``facts`` (the failing line, its frame's scope, the names on the line, the cell parsed) and ``values`` (the values
on that line, for the explain prompt) are what every rule reads; ``knowledge`` holds the rules, one module per
domain, and :func:`knowledge.error_hints`. ``acceptance`` puts a candidate fix into the cell and refuses escapes,
``sandbox`` runs it on a forked, confined copy of the kernel, ``verify`` turns candidates into a verification.
Nothing here imports the kernel, the server extension or the CLI: the kernel imports this.
"""
