"""Business logic: rules that do not depend on HTTP or on how data is stored."""
