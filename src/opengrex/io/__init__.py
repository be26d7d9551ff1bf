"""Input/output: YAML/JSON documents, Excel templates and exports, reports."""
