"""Every write of promotions."""
