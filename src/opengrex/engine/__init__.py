"""The pure calculation engine: numpy arrays in, arrays and tables out. No I/O, no pandas, no ORM.

Every function accepts arbitrary leading batch dimensions (projects ``P``, draws ``D``) and broadcasts over them;
time is always the last axis.
"""
