"""CP-SAT business rules, one module per rule (see registry)."""
