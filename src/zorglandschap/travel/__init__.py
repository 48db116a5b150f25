"""Travel times: the default network, matrices, pluggable sources and the RIVM composite."""
