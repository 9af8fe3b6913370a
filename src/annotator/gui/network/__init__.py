"""The network view: DNA's networks (core/dna_network.py) drawn with a force-directed
layout, with the CLI's options as controls."""
