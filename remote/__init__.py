"""Remote: SPARQL endpoints and Graph Store Protocol servers (running stored queries elsewhere, pushing
chapter graphs), and the local read-only SPARQL server."""
