"""The codebook as stored: its tables, the Project part that reads it, editing it."""
