"""Small samples for the programming-languages skill page."""
