"""The documented Python API; ``import opengrex`` re-exports the public names."""
