"""Exports: the store written as files (byte-stable Turtle, N-Triples, N-Quads, TriG, JSON-LD), and the
release diff between two stores or exports."""
