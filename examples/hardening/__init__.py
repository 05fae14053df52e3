"""Securing a server and its domain: an SSH daemon configuration checked by sshd itself, an
nftables ruleset generated and linted, listening sockets compared with an allowlist, and the
bookstore's DNS zone checked with dnspython (the Securing Servers and Domains page)."""
