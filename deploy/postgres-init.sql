-- One database per service: no service reads another's tables.
CREATE DATABASE users OWNER shopgraph;
CREATE DATABASE catalog OWNER shopgraph;
CREATE DATABASE orders OWNER shopgraph;
CREATE DATABASE search OWNER shopgraph;
