"""``python -m zorglandschap.cli``."""

from zorglandschap.cli import main

main()
