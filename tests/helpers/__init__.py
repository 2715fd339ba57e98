"""What the tests share besides fixtures (those stay in the conftest files): calling the API in-process
(api), moto's server and counting DynamoDB round trips (aws), records made the short way (factories), faults
injected into real clients (faults), stand-ins for Stripe (fake_stripe), the timeline's stream (timeline),
captured logs (logs), the translated template (sam), a WSGI face for the fuzzer (wsgi) and the dev stack as a
subprocess (stack)."""
