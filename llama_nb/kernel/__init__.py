"""The kernel side of llama-nb: backend choice, the chat client, pre-flight, magics and their output.

Loaded by ``%load_ext llama_nb``; nothing here is imported by the supervisor or the server extension.
"""
