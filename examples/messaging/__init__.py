"""Message brokers (the Message Brokers page): RabbitMQ routing, acks and dead letters with pika,
and a small in-memory model of a Kafka topic (a partitioned, append-only log)."""
