"""Real-time data: one order's status pushed to clients by short polling, long polling,
server-sent events and a WebSocket (the Real-Time Data page)."""
