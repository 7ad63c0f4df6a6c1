"""Templates and stylesheet of the offline Data Docs site (data read by `xxgk.checks.docs`)."""
