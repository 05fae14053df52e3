"""Small tools behind the career chapter: a salary-table summary and the numbers of the
system-design answer."""
