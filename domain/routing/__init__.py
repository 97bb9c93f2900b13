"""Routing: where each order line is made (own production or a supplier), and the hand-off of
supplier jobs through their channels (HTTP API, FTP/SFTP drop, e-mail)."""
