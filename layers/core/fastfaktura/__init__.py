"""FastFaktura's in-house package, shipped to Lambda as the CoreLayer.

Rooms (imports point down only): http → models; store → domain, models; domain → models;
local may import anything and nothing imports it.
"""
