"""Offline training of the engine's learned layers (development only: scikit-learn, the public data sets).

Nothing under factcheck/ imports this package; it writes the model files that factcheck/ reads.
"""
