"""The environment writer: every change to an environment goes out merged, in as few writes as
possible (each write costs a ten-minute environment update), through one mechanism for both
concerns, advanced networking (PUT) and variables (PATCH)."""
