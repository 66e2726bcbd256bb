"""Think-tank news ETL: crawl -> raw store -> extract -> warehouse."""

__version__ = "0.1.0"
