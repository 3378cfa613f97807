"""``salesdw bench``: wall time, rows/s and peak memory of each stage at named scales."""
