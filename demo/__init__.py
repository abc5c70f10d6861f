"""Demo and benchmark data (development only): ``seed_demo`` writes a realistic
``early-help-episode/1`` file and imports it with the records import. Installed
when ``DEMO_DATA`` is on (by default with ``DEBUG``)."""
