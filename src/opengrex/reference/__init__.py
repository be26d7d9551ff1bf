"""Independent reference implementations (plain Python loops) used to prove the numpy engines.

They are written from the spec text alone and share no code with :mod:`opengrex.engine` or the models'
``compile()``: if both give the same numbers, a bug would have to be made twice.
"""
