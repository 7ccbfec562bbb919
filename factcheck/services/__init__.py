"""The write side: every change to the data goes through a service function here.

Services are keyword-only and typed; transactions live here, not in views,
commands or tasks.
"""
