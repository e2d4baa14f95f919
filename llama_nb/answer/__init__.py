"""The answer path: from a failed cell to an explanation and a fix that was run before it is shown."""
