"""Message senders for the notification outbox: SMTP e-mail and an HTTP SMS gateway."""
