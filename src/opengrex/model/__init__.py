"""Validated input models (pydantic v2). ``compile()`` turns a model into the engine's arrays."""
