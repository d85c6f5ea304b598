"""Stage 5, the store: the embedded on-disk Oxigraph store, written in staged generations.

``generations.py`` (the folder of generations, the lock, the writer that commits atomically), ``convert.py``
(sources -> chapters' N-Quads, spooled), ``build.py`` (:class:`~livertox_kg.store.build.Build`: convert ->
load -> validate -> commit), ``description.py`` (the dataset description graph), ``summary.py`` (counts).
"""
