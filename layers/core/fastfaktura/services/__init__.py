"""Use cases: each one reads and writes through `store` and decides with `domain`.

A function's handler parses the request, calls one service function and shapes the answer.
(This room sits between the handlers and store/domain so that domain stays pure.)
"""
