"""Every scoped read of promotions."""
