"""The llama-nb benchmark suite: ``python -m bench.run`` measures every quality bar of PRODUCT.md."""
